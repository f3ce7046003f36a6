"""Availability as a weekly template plus exceptions (time off, extra windows), next to the dated windows.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

T, D = sa.Text, sa.DateTime


def _data_table(name: str, keys: tuple[str, ...], columns: list[tuple[str, type]]) -> None:
    """A contract table as store/models.py builds it: typed columns, extra JSON, the import that wrote it."""
    op.create_table(
        name,
        *[sa.Column(c, t(), nullable=c not in keys) for c, t in columns],
        sa.Column("extra", sa.JSON, nullable=True),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint(*keys, name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_import_id", name, ["import_id"])


def upgrade() -> None:
    _data_table("availability_template", ("host_id", "weekday", "start"),
                [("host_id", T), ("weekday", T), ("start", T), ("end", T)])
    _data_table("availability_exceptions", ("host_id", "start", "end"),
                [("host_id", T), ("start", D), ("end", D), ("change", T), ("note", T)])


def downgrade() -> None:
    op.drop_table("availability_exceptions")
    op.drop_table("availability_template")
