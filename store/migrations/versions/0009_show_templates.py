"""Each channel's recurring shows (show_templates.csv), stored and versioned like the roster.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

T, N = sa.Text, sa.BigInteger
KEYS = ("channel", "weekdays", "start")


def upgrade() -> None:
    op.create_table(
        "show_templates",
        *[sa.Column(c, t(), nullable=c not in KEYS) for c, t in [
            ("channel", T), ("weekdays", T), ("start", T), ("end", T), ("product_tier", T), ("category", T),
            ("language", T), ("room", T), ("assistants_needed", N), ("note", T)]],
        sa.Column("extra", sa.JSON, nullable=True),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint(*KEYS, name="pk_show_templates"),
    )
    op.create_index("ix_show_templates_import_id", "show_templates", ["import_id"])


def downgrade() -> None:
    op.drop_table("show_templates")
