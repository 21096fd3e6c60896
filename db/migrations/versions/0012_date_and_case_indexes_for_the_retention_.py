"""date and case indexes for the retention check

Revision ID: 0012
Revises: 0011

The retention check asks which cases were active since a day: with the case beside the date
in the index, it is read from the index alone, not from a million sessions of a ten-year
desk. The new indexes replace the date-only ones, which they also serve; a partial index
holds the sessions that still have notes, and the referrals' references to sessions and
consents get the indexes a deletion of those needs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, date column, old index, new index)
INDEXES = (
    ("contact", "occurred_at", "ix_contact_occurred_at", "ix_contact_occurred_at_case"),
    (
        "listening_session",
        "held_at",
        "ix_listening_session_held_at",
        "ix_listening_session_held_at_case",
    ),
    ("referral", "referred_on", "ix_referral_referred_on", "ix_referral_referred_on_case"),
)

# Deleting a session or a consent checks the referrals pointing at it: without an index,
# every deleted row read the whole referral table (a purge of a ten-year desk ran for hours).
REFERENCES = ("session_id", "consent_id")


def upgrade() -> None:
    for table, column, old, new in INDEXES:
        op.drop_index(old, table_name=table)
        op.create_index(new, table, [column, "case_id"])
    op.create_index(
        "ix_listening_session_notes_case",
        "listening_session",
        ["case_id"],
        sqlite_where=sa.text("sealed_notes IS NOT NULL"),
    )
    for column in REFERENCES:
        op.create_index(f"ix_referral_{column}", "referral", [column])


def downgrade() -> None:
    for column in REFERENCES:
        op.drop_index(f"ix_referral_{column}", table_name="referral")
    op.drop_index("ix_listening_session_notes_case", table_name="listening_session")
    for table, column, old, new in INDEXES:
        op.drop_index(new, table_name=table)
        op.create_index(old, table, [column])
