"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 08:28:58.629232
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("nis_code", sa.String(length=5), nullable=False),
        sa.Column("network_name", sa.String(length=120), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("is_demo", sa.Boolean(create_constraint=True, name="is_demo"), nullable=False),
        sa.Column("created_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(create_constraint=True, name="active"), nullable=False),
        sa.Column(
            "must_change_password",
            sa.Boolean(create_constraint=True, name="must_change_password"),
            nullable=False,
        ),
        sa.Column("created_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("password_changed_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("last_login_at", db.models.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("name_key", name=op.f("uq_user_name_key")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_audit_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "desk_signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_desk_signing_key_desk_id_desk")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_signing_key")),
    )
    op.create_table(
        "draft",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("page", sa.String(length=32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_draft_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "page", name=op.f("pk_draft")),
    )
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('reception', 'counsellor', 'coordinator', 'admin')",
            name=op.f("ck_user_role_role"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_role_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )


def downgrade() -> None:
    op.drop_table("user_role")
    op.drop_table("draft")
    op.drop_table("desk_signing_key")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))

    op.drop_table("audit_event")
    op.drop_table("user")
    op.drop_table("setting")
    op.drop_table("desk")
