"""Invoices against computed pay: which to pay as billed, which to query, and who decided what.

An invoice is matched to the pay computed for the same person and the same period (start and end
days). The decision on an invoice is a record (who, when, status, comment); keeping it is the
caller's job (the store's `decisions` table, or decisions.csv for the command line).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

import numpy as np
import pandas as pd

import contract
from contract import DataError, Problem
from workflows.schemas import DECISION_STATUSES, DECISIONS, INVOICES

TOLERANCE = 1.0  # dollars: rounding on an invoice is not worth a query
RECONCILE_COLUMNS = ("invoice_id", "person_id", "name", "period_start", "period_end", "invoiced", "owed",
                     "difference", "status", "note")
STATUSES = ("matched", "over-billed", "under-billed", "missing", "duplicate", "unknown person", "no pay")
# An invoice in one of these is asked about before it is paid ("missing" is pay owed without an invoice).
TO_QUERY = ("over-billed", "under-billed", "duplicate", "unknown person", "no pay")


def parse_invoices(raw: pd.DataFrame, file: str = INVOICES.file) -> pd.DataFrame:
    """Validate invoices.csv: the contract's cell checks, then period_end not before period_start."""
    invoices = contract.parse_table(raw, replace(INVOICES, file=file))
    backwards = np.flatnonzero((invoices["period_end"] < invoices["period_start"]).to_numpy())
    if len(backwards):
        raise DataError([Problem(file, int(i) + 2, "period_end",
                                 f"{invoices['period_end'].iloc[i]:%Y-%m-%d} is before period_start "
                                 f"{invoices['period_start'].iloc[i]:%Y-%m-%d}") for i in backwards[:20]],
                        more=max(len(backwards) - 20, 0))
    return invoices


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def _hours_note(difference: float, rate: float) -> str:
    """' = 1.0 h at $45.00/h' when the difference is a whole number of the person's hours, else ''."""
    if not rate or not np.isfinite(rate):
        return ""
    hours = abs(difference) / rate
    whole = round(hours)
    if whole >= 1 and abs(hours - whole) * rate < 0.005:
        return f" = {whole:.1f} h at {money(rate)}/h"
    return ""


def reconcile(invoices: pd.DataFrame, pay: pd.DataFrame, people: pd.DataFrame,
              tolerance: float = TOLERANCE, file: str = INVOICES.file) -> pd.DataFrame:
    """One row per invoice, then one per person owed pay without an invoice.

    status: matched (|difference| <= tolerance), over-billed, under-billed, duplicate (a second
    invoice for the same person and period), unknown person (not in hosts.csv), no pay (nothing
    computed for that person and period), missing (pay owed, no invoice). difference = invoiced − owed.
    """
    names = people.set_index("host_id")["name"]
    rates = people.set_index("host_id")["hourly_rate"].astype("float64")
    billed = invoices.assign(period_start=invoices["period_start"].dt.strftime("%Y-%m-%d"),
                             period_end=invoices["period_end"].dt.strftime("%Y-%m-%d"),
                             row=np.arange(len(invoices)) + 2)
    keys = ["person_id", "period_start", "period_end"]
    owed = pay[keys + ["total"]].rename(columns={"total": "owed"})
    out = billed.merge(owed, on=keys, how="left").rename(columns={"amount": "invoiced"})
    out["difference"] = (out["invoiced"] - out["owed"]).round(2)
    first = out.groupby(keys, sort=False)["invoice_id"].transform("first")
    verdicts = [_invoice_status(row, first_id, names, rates, tolerance, file)
                for row, first_id in zip(out.itertuples(index=False), first)]
    out["status"] = [status for status, _ in verdicts]
    out["note"] = [note for _, note in verdicts]
    unbilled = owed.merge(billed[keys], on=keys, how="left", indicator=True)
    unbilled = unbilled.loc[(unbilled["_merge"] == "left_only") & (unbilled["owed"] > 0)]
    missing = unbilled[keys + ["owed"]].assign(
        invoice_id="", invoiced=np.nan, difference=np.nan, status="missing",
        note=[f"no invoice for {money(v)} owed" for v in unbilled["owed"]])
    result = pd.concat([out, missing], ignore_index=True)
    result["name"] = result["person_id"].map(names).fillna("")
    return result[list(RECONCILE_COLUMNS)].astype({"status": "str", "note": "str", "invoice_id": "str"})


def _invoice_status(row, first_id: str, names: pd.Series, rates: pd.Series, tolerance: float,
                    file: str) -> tuple[str, str]:
    """The status of one invoice and the sentence a reviewer reads."""
    if row.person_id not in names.index:
        return "unknown person", f"{file}, row {row.row}, column person_id: '{row.person_id}' is not in hosts.csv"
    if pd.isna(row.owed):
        return "no pay", f"nothing computed for {row.person_id} from {row.period_start} to {row.period_end}"
    if row.invoice_id != first_id:
        return "duplicate", f"same person and period as invoice {first_id}"
    if abs(row.difference) <= tolerance:
        return "matched", f"within {money(tolerance)} of {money(row.owed)} owed"
    status = "over-billed" if row.difference > 0 else "under-billed"
    return status, f"{status} by {money(abs(row.difference))}{_hours_note(row.difference, rates[row.person_id])}"


@dataclass(frozen=True)
class Decision:
    """A person's decision on an invoice; the shape of the store's `decisions` table."""

    kind: str
    subject_id: str
    status: str
    comment: str
    user: str
    at: datetime


def decide(invoice_id: str, status: str, comment: str, user: str, at: datetime | None = None) -> Decision:
    """Approve or reject an invoice; a rejection must say why, and every decision says who."""
    if status not in DECISION_STATUSES:
        raise ValueError(f"status '{status}' is not one of {', '.join(DECISION_STATUSES)}")
    if not invoice_id.strip():
        raise ValueError("the invoice id is empty")
    if not user.strip():
        raise ValueError("a decision needs the name of the person who makes it")
    if status == "rejected" and not comment.strip():
        raise ValueError(f"rejecting invoice {invoice_id} needs a comment saying why")
    moment = (at or datetime.now()).replace(microsecond=0)
    return Decision("invoice", invoice_id.strip(), status, comment.strip(), user.strip(), moment)


def decisions_frame(decisions: list[Decision]) -> pd.DataFrame:
    """Decisions as rows of the decisions table (kind, subject_id, status, comment, user, at)."""
    columns = [c.name for c in DECISIONS.columns]
    return pd.DataFrame([asdict(d) for d in decisions], columns=columns).astype({"at": "datetime64[ns]"})


def with_decisions(reconciliation: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The reconciliation with each invoice's latest decision beside it (empty where undecided)."""
    latest = (decisions.loc[decisions["kind"] == "invoice"].sort_values("at", kind="stable")
              .drop_duplicates("subject_id", keep="last").set_index("subject_id"))
    ids = reconciliation["invoice_id"]

    def text(column: str) -> pd.Series:  # an empty decisions table maps to float NaN; empty text is wanted
        return ids.map(latest[column].astype("str")).astype("str").where(ids.isin(latest.index), "")

    return reconciliation.assign(decision=text("status"), decided_by=text("user"),
                                 decided_at=latest["at"].reindex(ids).to_numpy(), decision_comment=text("comment"))


def approval_sheet(reconciliation: pd.DataFrame, pay: pd.DataFrame, timesheet: pd.DataFrame,
                   decisions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The payment approval workbook: summary per invoice, pay per person, the slot lines, the decisions."""
    return {
        "summary": with_decisions(reconciliation, decisions),
        "pay": pay,
        "lines": timesheet,
        "decisions": decisions.sort_values("at", kind="stable").reset_index(drop=True),
    }


@dataclass(frozen=True)
class InvoiceCounts:
    """What a reconciliation comes to, as the payroll page's tiles say it."""

    invoices: int  # rows with an invoice (a missing one has none)
    billed: float
    matched: int
    to_query: int
    missing: int  # people owed pay without an invoice
    owed_without_invoice: float
    all_matched: bool


def invoice_counts(reconciliation: pd.DataFrame) -> InvoiceCounts:
    """The invoices of a reconciliation (see `reconcile`) grouped by what happens next: paid, queried, chased."""
    status = reconciliation["status"]
    missing = status == "missing"
    return InvoiceCounts(
        invoices=int((reconciliation["invoice_id"] != "").sum()), billed=float(reconciliation["invoiced"].sum()),
        matched=int((status == "matched").sum()), to_query=int(status.isin(TO_QUERY).sum()),
        missing=int(missing.sum()), owed_without_invoice=float(reconciliation.loc[missing, "owed"].sum()),
        all_matched=not status.ne("matched").any())
