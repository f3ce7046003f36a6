"""Time off says who recorded it: availability_exceptions gets a recorded_by column (a call-out made on the
Schedule page writes the person who made it; rows imported before keep it empty).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("availability_exceptions") as batch:
        batch.add_column(sa.Column("recorded_by", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("availability_exceptions") as batch:
        batch.drop_column("recorded_by")
