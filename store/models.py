"""The store's tables as SQLAlchemy Core objects, matching the head migration (a test compares them)."""
from __future__ import annotations

import sqlalchemy as sa

from store.kinds import KINDS, Kind

metadata = sa.MetaData()
BIG = ("sku_sales", "viewer_minutes")  # millions of rows a year: stored without rowid, no import_id index

SQL_TYPES = {"text": sa.Text, "choice": sa.Text, "list": sa.Text, "time": sa.Text, "number": sa.Float,
             "integer": sa.BigInteger, "datetime": sa.DateTime}


def _data_table(kind: Kind) -> sa.Table:
    """Contract columns as real typed columns; columns a file adds beyond the contract go in `extra`."""
    columns = [sa.Column(c.name, SQL_TYPES[c.kind](), nullable=c.name not in kind.keys)
               for c in kind.table.columns]
    table = sa.Table(
        kind.name, metadata, *columns,
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint(*kind.keys, name=f"pk_{kind.name}"),
        sqlite_with_rowid=kind.name not in BIG,
    )
    if kind.name not in BIG:  # an undo of a big table scans it instead: cheaper than indexing every row
        sa.Index(f"ix_{kind.name}_import_id", table.c.import_id)
    return table


DATA = {name: _data_table(kind) for name, kind in KINDS.items()}
sa.Index("ix_sessions_start", DATA["sessions"].c.start)

imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("rows_added", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_deleted", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("undone_at", sa.DateTime, nullable=True),
    sa.Column("undone_by", sa.Text, nullable=True),
)

# Per import, the previous version of every row it replaced or deleted; rows it added carry its import_id.
import_undo = sa.Table(
    "import_undo", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.JSON, nullable=False),
    sa.Column("prev_import_id", sa.Integer, nullable=True, index=True),
    sa.Column("row", sa.JSON, nullable=False),
)

table_versions = sa.Table(
    "table_versions", metadata,
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("changed_by", sa.Text, nullable=True),
    sa.Column("changed_at", sa.DateTime, nullable=True),
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("week", sa.Text, nullable=False, index=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("published_by", sa.Text, nullable=True),
    sa.Column("published_at", sa.DateTime, nullable=True),
)
# At most one draft and one published schedule per week; publishing marks the previous one "superseded".
sa.Index("ux_schedules_week_status", schedules.c.week, schedules.c.status, unique=True,
         sqlite_where=schedules.c.status != "superseded", postgresql_where=schedules.c.status != "superseded")

schedule_assignments = sa.Table(
    "schedule_assignments", metadata,
    sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False),
    sa.Column("slot_id", sa.Text, nullable=False),
    sa.Column("host_id", sa.Text, nullable=False),
    sa.Column("locked", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("schedule_id", "slot_id", name="pk_schedule_assignments"),
)

assignment_changes = sa.Table(
    "assignment_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False, index=True),
    sa.Column("slot_id", sa.Text, nullable=False),
    sa.Column("before", sa.Text, nullable=False),  # a host id, or assistant ids joined by "|"; "" for none
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("role", sa.Text, nullable=False, server_default="host"),  # "host" or "assistants" (revision 0006)
)

# Revision 0002: people who sign in, and the approvals they record.
users = sa.Table(
    "users", metadata,
    sa.Column("username", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("disabled_at", sa.DateTime, nullable=True),  # revision 0011: set while the user may not sign in
    sa.Column("disabled_by", sa.Text, nullable=True),
    sa.Column("host_id", sa.Text, nullable=True),  # revision 0014: the host or assistant a "host" user is
    sa.Column("last_looked_at", sa.DateTime, nullable=True),  # revision 0014: when they last opened their streams
)

# Revision 0007: recent wrong passwords per user name tried (known or not), forgotten once the lock has passed.
sign_in_failures = sa.Table(
    "sign_in_failures", metadata,
    sa.Column("username", sa.Text, primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", sa.DateTime, nullable=False),
)

decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("subject_id", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)
sa.Index("ix_decisions_kind_subject", decisions.c.kind, decisions.c.subject_id)

# Revision 0003: the studio's own settings (name, time zone, currency), one row per key.
studio_settings = sa.Table(
    "studio_settings", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("changed_by", sa.Text, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
)

# Revision 0013: each change of a studio setting, the value before (None for the first) and after.
settings_history = sa.Table(
    "settings_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False, index=True),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("changed_by", sa.Text, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
)

# Revision 0004: the assistants a schedule staffs on each slot (hosts stay in schedule_assignments).
schedule_assistants = sa.Table(
    "schedule_assistants", metadata,
    sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False),
    sa.Column("slot_id", sa.Text, nullable=False),
    sa.Column("assistant_id", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("schedule_id", "slot_id", "assistant_id", name="pk_schedule_assistants"),
)

# Revision 0008: per person, every change to the streams their published weeks give them, oldest first.
# A stream's latest row is what their calendar shows; its row count less one is the event's SEQUENCE.
stream_changes = sa.Table(
    "stream_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Text, nullable=False),
    sa.Column("slot_id", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False),  # "added", "moved" or "cancelled"
    sa.Column("start", sa.DateTime, nullable=False),
    sa.Column("end", sa.DateTime, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)
sa.Index("ix_stream_changes_person_slot", stream_changes.c.person_id, stream_changes.c.slot_id)

# Revision 0008: the secret of each person's calendar feed, kept only as its sha256; revoked ones stay, dated.
feed_tokens = sa.Table(
    "feed_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Text, nullable=False, index=True),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked_by", sa.Text, nullable=True),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
)

# Revision 0008: mail to people about their streams, kept until the mail server has taken it.
outbox = sa.Table(
    "outbox", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Text, nullable=False),
    sa.Column("to_address", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_try_at", sa.DateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("sent_at", sa.DateTime, nullable=True),
)
sa.Index("ix_outbox_sent_at", outbox.c.sent_at)

# Revision 0014: what hosts ask for ("time off", "claim" of an open slot, "drop" of a stream they cannot make),
# pending until an associate approves or declines it.
host_requests = sa.Table(
    "host_requests", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("person_id", sa.Text, nullable=False, index=True),
    sa.Column("slot_id", sa.Text, nullable=True),
    sa.Column("start", sa.DateTime, nullable=True),
    sa.Column("end", sa.DateTime, nullable=True),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, index=True),  # "pending", "approved" or "declined"
    sa.Column("made_by", sa.Text, nullable=False),
    sa.Column("made_at", sa.DateTime, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=True),
    sa.Column("decided_at", sa.DateTime, nullable=True),
    sa.Column("decision_note", sa.Text, nullable=True),
    sa.Column("replacement_id", sa.Text, nullable=True),  # a drop: who took the stream over
)

# Revision 0014: unstaffed slots of published weeks offered to hosts; closed when taken or withdrawn.
open_slots = sa.Table(
    "open_slots", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("slot_id", sa.Text, nullable=False, index=True),
    sa.Column("offered_by", sa.Text, nullable=False),
    sa.Column("offered_at", sa.DateTime, nullable=False),
    sa.Column("closed_by", sa.Text, nullable=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
)

# Revision 0015: the studio's invoices to the people it pays, one per person and period, draft -> sent -> paid.
invoices = sa.Table(
    "invoices", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("number", sa.Text, nullable=False, unique=True),
    sa.Column("person_id", sa.Text, nullable=False, index=True),
    sa.Column("period_start", sa.DateTime, nullable=False),
    sa.Column("period_end", sa.DateTime, nullable=False),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # "draft", "sent" or "paid"
    sa.Column("drafted_by", sa.Text, nullable=False),
    sa.Column("drafted_at", sa.DateTime, nullable=False),
    sa.Column("sent_by", sa.Text, nullable=True),
    sa.Column("sent_at", sa.DateTime, nullable=True),
    sa.Column("paid_by", sa.Text, nullable=True),
    sa.Column("paid_at", sa.DateTime, nullable=True),
    sa.UniqueConstraint("person_id", "period_start", "period_end", name="uq_invoices_person_period"),
)
