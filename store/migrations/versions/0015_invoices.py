"""The studio's invoices to the people it pays: one per person and pay period (number, period, amount, currency),
with its status (draft, sent, paid) and who took each step when.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("number", sa.Text, nullable=False, unique=True),
        sa.Column("person_id", sa.Text, nullable=False),
        sa.Column("period_start", sa.DateTime, nullable=False),
        sa.Column("period_end", sa.DateTime, nullable=False),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("drafted_by", sa.Text, nullable=False),
        sa.Column("drafted_at", sa.DateTime, nullable=False),
        sa.Column("sent_by", sa.Text, nullable=True),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("paid_by", sa.Text, nullable=True),
        sa.Column("paid_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("person_id", "period_start", "period_end", name="uq_invoices_person_period"),
    )
    op.create_index("ix_invoices_person_id", "invoices", ["person_id"])


def downgrade() -> None:
    op.drop_table("invoices")
