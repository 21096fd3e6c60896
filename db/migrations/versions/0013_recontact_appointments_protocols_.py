"""recontact worklist, appointments, intervention protocols, referents

Revision ID: 0013
Revises: 0012

Follow-up: the call-backs owed, each attempt, the appointments of a case.
Network resources: versioned intervention protocols and the ticks of a
contact, the referents register, partnership agreements (a platform meeting may name one)
and the referents who attended a training or meeting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partnership",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("partner", sa.String(length=160), nullable=False),
        sa.Column("subject", sa.String(length=160), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
    )
    op.create_table(
        "protocol",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("updated_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", "version", name=op.f("pk_protocol")),
    )
    op.create_table(
        "referent",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("municipality", sa.String(length=12), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=160), nullable=False),
        sa.Column("active", sa.Boolean(create_constraint=True, name="active"), nullable=False),
        sa.Column("updated_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referent")),
    )
    op.create_table(
        "activity_attendance",
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("referent_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_attendance_activity_id_activity"),
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"],
            ["referent.id"],
            name=op.f("fk_activity_attendance_referent_id_referent"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "referent_id", name=op.f("pk_activity_attendance")),
    )
    op.create_table(
        "appointment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("starts_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=160), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.Column("retention_class", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_appointment_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_appointment_recorded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "recontact_item",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("police_zone", sa.String(length=80), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_reason", sa.String(length=24), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("retention_class", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_recontact_item_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_recontact_item_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recontact_item")),
    )
    with op.batch_alter_table("recontact_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recontact_item_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recontact_item_status"), ["status"], unique=False)

    op.create_table(
        "protocol_use",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("protocol_key", sa.String(length=64), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("ticked", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.Column("retention_class", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_protocol_use_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["protocol_key", "protocol_version"],
            ["protocol.key", "protocol.version"],
            name=op.f("fk_protocol_use_protocol_key_protocol"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_protocol_use_recorded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_use")),
    )
    with op.batch_alter_table("protocol_use", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_protocol_use_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "recontact_attempt",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("attempted_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("next_step", sa.String(length=24), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("outside_window_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.Column("retention_class", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["recontact_item.id"],
            name=op.f("fk_recontact_attempt_item_id_recontact_item"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_recontact_attempt_recorded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recontact_attempt")),
    )
    with op.batch_alter_table("recontact_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recontact_attempt_attempted_at_item", ["attempted_at", "item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recontact_attempt_item_id"), ["item_id"], unique=False)

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partnership_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_activity_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_activity_partnership_id_partnership"),
            "partnership",
            ["partnership_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_activity_partnership_id_partnership"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_activity_partnership_id"))
        batch_op.drop_column("partnership_id")

    with op.batch_alter_table("recontact_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recontact_attempt_item_id"))
        batch_op.drop_index("ix_recontact_attempt_attempted_at_item")

    op.drop_table("recontact_attempt")
    with op.batch_alter_table("protocol_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protocol_use_contact_id"))

    op.drop_table("protocol_use")
    with op.batch_alter_table("recontact_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recontact_item_status"))
        batch_op.drop_index(batch_op.f("ix_recontact_item_case_id"))

    op.drop_table("recontact_item")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_starts_at"))
        batch_op.drop_index(batch_op.f("ix_appointment_case_id"))

    op.drop_table("appointment")
    op.drop_table("activity_attendance")
    op.drop_table("referent")
    op.drop_table("protocol")
    op.drop_table("partnership")
