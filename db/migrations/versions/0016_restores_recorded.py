"""restores recorded

Revision ID: 0016
Revises: 0015

Each backup put in place of the desk is recorded with who authorised it, which backup it
was and how many events of the replaced desk's audit log it does not hold.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_restore",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restored_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("restored_by", sa.String(length=64), nullable=False),
        sa.Column("backup_name", sa.String(length=255), nullable=False),
        sa.Column("backup_desk_code", sa.String(length=12), nullable=False),
        sa.Column("backup_head", sa.Integer(), nullable=False),
        sa.Column("replaced_head", sa.Integer(), nullable=True),
        sa.Column("events_missing", sa.Integer(), nullable=True),
        sa.Column("kept_disabled", sa.Integer(), nullable=False),
        sa.Column(
            "other_desk",
            sa.Boolean(create_constraint=True, name="other_desk"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_restore")),
    )


def downgrade() -> None:
    op.drop_table("desk_restore")
