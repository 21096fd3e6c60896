"""printed material handed out

Revision ID: 0007
Revises: 0006

One row per hand-out of printed material (material, language, copies, the case or none),
for the monthly counts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handout",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("handed_on", sa.Date(), nullable=False),
        sa.Column("material", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_handout_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_handout_recorded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handout")),
    )
    with op.batch_alter_table("handout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handout_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_handout_handed_on"), ["handed_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handout_handed_on"))
        batch_op.drop_index(batch_op.f("ix_handout_case_id"))

    op.drop_table("handout")
