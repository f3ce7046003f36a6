"""The files the studio workflows add to the data contract, column by column, in one place.

They are read with the contract's reader, so a bad cell is named by file, row and column like
every other file of the project.
"""
from __future__ import annotations

from contract import Column, Table

INVOICES = Table("invoices.csv", (
    Column("invoice_id", unique=True),
    Column("person_id"),
    Column("period_start", "datetime"),
    Column("period_end", "datetime"),
    Column("amount", "number", minimum=0),
))

CLAIM_KINDS = ("phrase", "regex")

RESTRICTED_CLAIMS = Table("restricted_claims.csv", (
    Column("pattern"),
    Column("kind", "choice", required=False, allow_empty=True, default="phrase", choices=CLAIM_KINDS),
    Column("reason"),
    Column("safe_alternative", required=False, allow_empty=True, default=""),
))

ORDER_MINUTES = Table("order_minutes.csv", (
    Column("session_id"),
    Column("minute", "integer", minimum=0),
    Column("orders", "integer", minimum=0),
))

DECISION_STATUSES = ("approved", "rejected")

DECISIONS = Table("decisions.csv", (
    Column("kind"),
    Column("subject_id"),
    Column("status"),
    Column("comment", allow_empty=True, default=""),
    Column("user"),
    Column("at", "datetime"),
))
