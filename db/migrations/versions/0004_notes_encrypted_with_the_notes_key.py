"""notes encrypted with the notes key

Revision ID: 0004
Revises: 0003

Counselling notes move from a text column to one encrypted with the notes key. This
revision cannot encrypt (a migration holds no notes key), so it refuses to run over notes
written in clear; only desks of the development versions before it could hold any, and their
key files (format 1) are refused before the database is opened.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    written = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM listening_session WHERE notes != ''"
    )
    if written.scalar():
        raise RuntimeError("notes written in clear by a development version: not migrated")
    with op.batch_alter_table("listening_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_notes", sa.LargeBinary(), nullable=True))
        batch_op.drop_column("notes")


def downgrade() -> None:
    with op.batch_alter_table("listening_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.TEXT(), nullable=False, server_default=""))
        batch_op.drop_column("sealed_notes")
