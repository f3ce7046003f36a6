"""First schema: the contract's tables, imports with their undo log, table versions, schedules.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

T, F, I, D = sa.Text, sa.Float, sa.BigInteger, sa.DateTime  # noqa: E741 (a letter per column type)


def _data_table(name: str, keys: tuple[str, ...], columns: list[tuple[str, type]], rowid: bool = True) -> None:
    op.create_table(
        name,
        *[sa.Column(c, t(), nullable=c not in keys) for c, t in columns],
        sa.Column("extra", sa.JSON, nullable=True),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint(*keys, name=f"pk_{name}"),
        sqlite_with_rowid=rowid,
    )
    if rowid:  # the big tables (stored without rowid) have no import_id index
        op.create_index(f"ix_{name}_import_id", name, ["import_id"])


def upgrade() -> None:
    _data_table("hosts", ("host_id",), [
        ("host_id", T), ("name", T), ("tier", T), ("categories", T), ("languages", T), ("hourly_rate", F),
        ("commission_rate", F), ("max_hours_per_week", F), ("min_hours_per_week", F),
        ("max_streams_per_day", I), ("role", T)])
    _data_table("availability", ("host_id", "start", "end"), [("host_id", T), ("start", D), ("end", D)])
    _data_table("slots", ("slot_id",), [
        ("slot_id", T), ("channel", T), ("start", D), ("end", D), ("product_tier", T), ("category", T),
        ("language", T), ("expected_gmv", F), ("locked_host_id", T), ("assistants_needed", I), ("room", T)])
    _data_table("products", ("sku",), [("sku", T), ("product_name", T), ("product_tier", T), ("category", T)])
    _data_table("sessions", ("session_id",), [
        ("session_id", T), ("channel", T), ("host_id", T), ("slot_id", T), ("start", D), ("end", D),
        ("viewers", I), ("views", I), ("avg_watch_seconds", F), ("peak_concurrent", I),
        ("product_impressions", I), ("product_clicks", I), ("orders", I), ("gmv", F), ("new_followers", I),
        ("likes", I), ("comments", I), ("shares", I)])
    op.create_index("ix_sessions_start", "sessions", ["start"])
    _data_table("sku_sales", ("session_id", "sku"), [
        ("session_id", T), ("sku", T), ("product_name", T), ("product_tier", T), ("units_sold", I),
        ("units_refunded", I), ("gmv", F)], rowid=False)
    _data_table("viewer_minutes", ("session_id", "minute"), [
        ("session_id", T), ("minute", I), ("concurrent_viewers", I)], rowid=False)
    _data_table("targets", ("metric",), [("metric", T), ("target", F)])

    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", D, nullable=False),
        sa.Column("user", T, nullable=False),
        sa.Column("file_name", T, nullable=False),
        sa.Column("kind", T, nullable=False),
        sa.Column("content_hash", T, nullable=False),
        sa.Column("rows_added", sa.Integer, nullable=False),
        sa.Column("rows_updated", sa.Integer, nullable=False),
        sa.Column("rows_deleted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("undone_at", D, nullable=True),
        sa.Column("undone_by", T, nullable=True),
    )
    op.create_table(
        "import_undo",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("kind", T, nullable=False),
        sa.Column("key", sa.JSON, nullable=False),
        sa.Column("prev_import_id", sa.Integer, nullable=True),
        sa.Column("row", sa.JSON, nullable=False),
    )
    op.create_index("ix_import_undo_import_id", "import_undo", ["import_id"])
    op.create_index("ix_import_undo_prev_import_id", "import_undo", ["prev_import_id"])
    op.create_table(
        "table_versions",
        sa.Column("kind", T, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_by", T, nullable=True),
        sa.Column("changed_at", D, nullable=True),
    )
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("week", T, nullable=False),
        sa.Column("status", T, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", T, nullable=False),
        sa.Column("created_at", D, nullable=False),
        sa.Column("updated_by", T, nullable=False),
        sa.Column("updated_at", D, nullable=False),
        sa.Column("published_by", T, nullable=True),
        sa.Column("published_at", D, nullable=True),
    )
    op.create_index("ix_schedules_week", "schedules", ["week"])
    op.create_index("ux_schedules_week_status", "schedules", ["week", "status"], unique=True,
                    sqlite_where=sa.text("status != 'superseded'"),
                    postgresql_where=sa.text("status != 'superseded'"))
    op.create_table(
        "schedule_assignments",
        sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False),
        sa.Column("slot_id", T, nullable=False),
        sa.Column("host_id", T, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("reason", T, nullable=False),
        sa.PrimaryKeyConstraint("schedule_id", "slot_id", name="pk_schedule_assignments"),
    )
    op.create_table(
        "assignment_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False),
        sa.Column("slot_id", T, nullable=False),
        sa.Column("old_host_id", T, nullable=False),
        sa.Column("new_host_id", T, nullable=False),
        sa.Column("user", T, nullable=False),
        sa.Column("at", D, nullable=False),
    )
    op.create_index("ix_assignment_changes_schedule_id", "assignment_changes", ["schedule_id"])


def downgrade() -> None:
    for name in ("assignment_changes", "schedule_assignments", "schedules", "table_versions", "import_undo",
                 "imports", "targets", "viewer_minutes", "sku_sales", "sessions", "products", "slots",
                 "availability", "hosts"):
        op.drop_table(name)
