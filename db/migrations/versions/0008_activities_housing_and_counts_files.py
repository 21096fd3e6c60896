"""activities, housing and counts files

Revision ID: 0008
Revises: 0007

Awareness actions and group work, emergency housing units and their stays, the desk's age
identity, the ledger of counts files written (desk) and received (network), and the
network's numbers per desk and month.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_age_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=80), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("created_at", db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_age_identity")),
    )
    op.create_table(
        "housing_unit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=False),
        sa.Column("available_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_unit")),
    )
    op.create_table(
        "network_count",
        sa.Column("desk_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("element", sa.String(length=40), nullable=False),
        sa.Column("combo", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "desk_code", "period", "element", "combo", name=op.f("pk_network_count")
        ),
    )
    op.create_table(
        "received_counts",
        sa.Column("export_id", sa.String(length=36), nullable=False),
        sa.Column("desk_code", sa.String(length=12), nullable=False),
        sa.Column("desk_name", sa.String(length=120), nullable=False),
        sa.Column("nis_code", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("exported_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("imported_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("signing_key", sa.String(length=64), nullable=False),
        sa.Column("replaced_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("export_id", name=op.f("pk_received_counts")),
    )
    with op.batch_alter_table("received_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_received_counts_desk_period", ["desk_code", "period"], unique=False
        )

    op.create_table(
        "activity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("place", sa.String(length=160), nullable=False),
        sa.Column("audience", sa.String(length=24), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.Column("updated_at", db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_activity_recorded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_held_on"), ["held_on"], unique=False)

    op.create_table(
        "counts_export",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("exported_at", db.models.UtcDateTime(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("exported_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["exported_by"], ["user.id"], name=op.f("fk_counts_export_exported_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counts_export")),
    )
    with op.batch_alter_table("counts_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_counts_export_period"), ["period"], unique=False)

    op.create_table(
        "housing_stay",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_housing_stay_recorded_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["housing_unit.id"], name=op.f("fk_housing_stay_unit_id_housing_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_stay")),
    )
    with op.batch_alter_table("housing_stay", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_stay_unit_id"), ["unit_id"], unique=False)

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_referred_on"), ["referred_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_referred_on"))

    with op.batch_alter_table("housing_stay", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_stay_unit_id"))

    op.drop_table("housing_stay")
    with op.batch_alter_table("counts_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counts_export_period"))

    op.drop_table("counts_export")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_held_on"))

    op.drop_table("activity")
    with op.batch_alter_table("received_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_received_counts_desk_period")

    op.drop_table("received_counts")
    op.drop_table("network_count")
    op.drop_table("housing_unit")
    op.drop_table("desk_age_identity")
