"""frozen months of retention purges

Revision ID: 0011
Revises: 0010

Before a retention purge deletes cases, the counts of every month they touched are kept;
those months are read from here afterwards, so the counts of past months never change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "frozen_month",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("frozen_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_frozen_month")),
    )
    op.create_table(
        "frozen_count",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("element", sa.String(length=40), nullable=False),
        sa.Column("combo", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period"],
            ["frozen_month.period"],
            name=op.f("fk_frozen_count_period_frozen_month"),
        ),
        sa.PrimaryKeyConstraint("period", "element", "combo", name=op.f("pk_frozen_count")),
    )


def downgrade() -> None:
    op.drop_table("frozen_count")
    op.drop_table("frozen_month")
