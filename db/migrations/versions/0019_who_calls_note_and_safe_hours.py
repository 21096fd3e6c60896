"""who calls, a note on the contact, safe hours per weekday

Revision ID: 0019
Revises: 0018

A contact of a witness, relative or professional records how the caller knows the victim
and the victim's age band and sex as far as known; any contact may carry a short note;
a person's safe hours per weekday go beside the four coarse safe times. Existing rows get
nothing (NULL, or no safe hours): what was not asked is not made up.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caller_relation", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("victim_age", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("victim_sex", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("note", sa.String(length=500), nullable=True))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("safe_hours", sa.String(length=240), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("safe_hours")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("victim_sex")
        batch_op.drop_column("victim_age")
        batch_op.drop_column("caller_relation")
