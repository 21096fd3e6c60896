"""last verified day of directory entries

Revision ID: 0021
Revises: 0020

The day an entry was last verified, taken out of its document into a column of its own, so
that the entries due for review (not verified for twelve months, or never) are found by
an index rather than by reading every document. Existing entries get the day their
document says; one whose day cannot be read gets none, and so comes up for review.
"""

import json
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("directory_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_verified", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_directory_entry_last_verified"), ["last_verified"], unique=False
        )
    connection = op.get_bind()
    entries = sa.table(
        "directory_entry",
        sa.column("id", sa.Integer),
        sa.column("document", sa.Text),
        sa.column("last_verified", sa.Date),
    )
    for entry_id, document in connection.execute(sa.select(entries.c.id, entries.c.document)):
        day = _last_verified(document)
        if day is not None:
            connection.execute(
                entries.update().where(entries.c.id == entry_id).values(last_verified=day)
            )


def _last_verified(document: str) -> date | None:
    try:
        raw = json.loads(document)
        return date.fromisoformat(raw["last_verified"])
    except (ValueError, TypeError, KeyError):
        return None


def downgrade() -> None:
    with op.batch_alter_table("directory_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_entry_last_verified"))
        batch_op.drop_column("last_verified")
