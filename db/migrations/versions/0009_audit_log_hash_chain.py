"""audit log hash chain

Revision ID: 0009
Revises: 0008

Each audit event gets the hash of the chain (db/audit_chain.py); the events already there
are chained in their order. Triggers then refuse any change to a chained event and any
deletion: the log only grows. (A later batch rebuild of `audit_event` must create the
triggers again.)
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from db.audit_chain import GENESIS, event_hash

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit log is append-only"


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, occurred_at, user_id, action, target_type, target_id, outcome "
            "FROM audit_event ORDER BY id"
        )
    ).all()
    previous = GENESIS
    for row in rows:
        occurred_at = row.occurred_at
        if isinstance(occurred_at, str):
            occurred_at = datetime.fromisoformat(occurred_at)
        previous = event_hash(
            previous,
            occurred_at.replace(tzinfo=UTC),
            row.user_id,
            row.action,
            row.target_type,
            row.target_id,
            row.outcome,
        )
        connection.execute(
            sa.text("UPDATE audit_event SET chain_hash = :hash WHERE id = :id"),
            {"hash": previous, "id": row.id},
        )
    op.execute(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN OLD.chain_hash IS NOT NULL BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_event_no_delete")
    op.execute("DROP TRIGGER audit_event_no_update")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")
