"""A user can be disabled instead of removed: users get disabled_at and disabled_by (empty while the user may
sign in). A disabled user keeps their history and can be enabled again.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("disabled_by", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_by")
        batch.drop_column("disabled_at")
