"""audit events signed by their account

Revision ID: 0018
Revises: 0017

Each audit event may carry its account's signature over its chain hash; each counts file
written keeps the audit head it carried (an anchor the network holds). The columns are
added without rebuilding `audit_event`, whose triggers keep it append-only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit log is append-only"


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("signature", sa.LargeBinary(), nullable=True))
    op.add_column("counts_export", sa.Column("audit_head", sa.Integer(), nullable=True))
    op.add_column("counts_export", sa.Column("audit_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counts_export", schema=None) as batch_op:
        batch_op.drop_column("audit_hash")
        batch_op.drop_column("audit_head")
    # A batch rebuild drops the table's triggers: made again as revision 0009 made them.
    op.execute("DROP TRIGGER audit_event_no_delete")
    op.execute("DROP TRIGGER audit_event_no_update")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("signature")
    op.execute(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN OLD.chain_hash IS NOT NULL BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )
