"""The production assistants a schedule staffs on each slot, saved and published with its hosts.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule_assistants",
        sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id"), nullable=False),
        sa.Column("slot_id", sa.Text, nullable=False),
        sa.Column("assistant_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("schedule_id", "slot_id", "assistant_id", name="pk_schedule_assistants"),
    )


def downgrade() -> None:
    op.drop_table("schedule_assistants")
