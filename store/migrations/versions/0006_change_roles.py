"""The change log says whose change it is: a `role` column ("host" or "assistants") and `before` / `after`
columns, instead of assistant changes stored in the host columns behind an "assistants:" mark.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MARK = "assistants:"  # how revisions 0004-0005 marked an assistant change


def upgrade() -> None:
    with op.batch_alter_table("assignment_changes") as batch:
        batch.add_column(sa.Column("role", sa.Text, nullable=False, server_default="host"))
        batch.alter_column("old_host_id", new_column_name="before", existing_type=sa.Text, existing_nullable=False)
        batch.alter_column("new_host_id", new_column_name="after", existing_type=sa.Text, existing_nullable=False)
    log = sa.table("assignment_changes", sa.column("role", sa.Text), sa.column("before", sa.Text),
                   sa.column("after", sa.Text))
    marked = log.c.before.startswith(MARK) & log.c.after.startswith(MARK)
    op.execute(log.update().where(marked).values(role="assistants",
                                                 before=sa.func.substr(log.c.before, len(MARK) + 1),
                                                 after=sa.func.substr(log.c.after, len(MARK) + 1)))


def downgrade() -> None:
    log = sa.table("assignment_changes", sa.column("role", sa.Text), sa.column("before", sa.Text),
                   sa.column("after", sa.Text))
    op.execute(log.update().where(log.c.role == "assistants")
               .values(before=MARK + log.c.before, after=MARK + log.c.after))
    with op.batch_alter_table("assignment_changes") as batch:
        batch.alter_column("before", new_column_name="old_host_id", existing_type=sa.Text, existing_nullable=False)
        batch.alter_column("after", new_column_name="new_host_id", existing_type=sa.Text, existing_nullable=False)
        batch.drop_column("role")
