"""desks known by their keys

Revision ID: 0015
Revises: 0014

A trusted key records the NIS code its desk gave and, once its desk replaced it by a
signed key-change statement, the key that replaced it; the desk's own key rows keep the
statement that links each key to the one before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nis_code", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("replaced_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("replaced_at", db.models.UtcDateTime(), nullable=True))
    with op.batch_alter_table("desk_signing_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_signature", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("desk_signing_key", schema=None) as batch_op:
        batch_op.drop_column("change_signature")
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.drop_column("replaced_at")
        batch_op.drop_column("replaced_by")
        batch_op.drop_column("nis_code")
