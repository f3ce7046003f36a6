"""Hosts in the loop: a user may be a host or assistant of hosts.csv (users.host_id), with the moment they last
looked at their page (users.last_looked_at); their requests (time off, a claim of an open slot, a stream they
cannot make) wait for an associate in host_requests; open_slots holds the unstaffed slots offered to hosts.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("host_id", sa.Text, nullable=True))
        batch.add_column(sa.Column("last_looked_at", sa.DateTime, nullable=True))
    op.create_table(
        "host_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("person_id", sa.Text, nullable=False),
        sa.Column("slot_id", sa.Text, nullable=True),
        sa.Column("start", sa.DateTime, nullable=True),
        sa.Column("end", sa.DateTime, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("made_by", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("decision_note", sa.Text, nullable=True),
        sa.Column("replacement_id", sa.Text, nullable=True),
    )
    op.create_index("ix_host_requests_person_id", "host_requests", ["person_id"])
    op.create_index("ix_host_requests_status", "host_requests", ["status"])
    op.create_table(
        "open_slots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slot_id", sa.Text, nullable=False),
        sa.Column("offered_by", sa.Text, nullable=False),
        sa.Column("offered_at", sa.DateTime, nullable=False),
        sa.Column("closed_by", sa.Text, nullable=True),
        sa.Column("closed_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_open_slots_slot_id", "open_slots", ["slot_id"])


def downgrade() -> None:
    op.drop_table("open_slots")
    op.drop_table("host_requests")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_looked_at")
        batch.drop_column("host_id")
