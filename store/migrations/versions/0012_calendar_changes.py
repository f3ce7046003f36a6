"""Each week's one-off shows, cancellations and moves (calendar_changes.csv), stored and versioned like the
show templates; a change is kept by the slot it makes or changes.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

T, N, D = sa.Text, sa.BigInteger, sa.DateTime


def upgrade() -> None:
    op.create_table(
        "calendar_changes",
        *[sa.Column(c, t(), nullable=c != "slot_id") for c, t in [
            ("change", T), ("slot_id", T), ("channel", T), ("start", D), ("end", D), ("product_tier", T),
            ("category", T), ("language", T), ("room", T), ("assistants_needed", N), ("note", T)]],
        sa.Column("extra", sa.JSON, nullable=True),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("slot_id", name="pk_calendar_changes"),
    )
    op.create_index("ix_calendar_changes_import_id", "calendar_changes", ["import_id"])


def downgrade() -> None:
    op.drop_table("calendar_changes")
