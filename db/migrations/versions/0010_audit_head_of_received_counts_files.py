"""audit head of received counts files

Revision ID: 0010
Revises: 0009

The network keeps the head of each desk's audit chain as its counts files give it, to see
a desk whose database went back to an older copy.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("received_counts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("audit_head", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("audit_hash", sa.String(length=64), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("received_counts", schema=None) as batch_op:
        batch_op.drop_column("audit_hash")
        batch_op.drop_column("audit_head")
