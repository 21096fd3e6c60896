"""Which directory entries are due for review: a service's number, hours or address change
without notice, so an entry not verified for twelve months (or never) is put before the
coordinator again. A wrong number costs a victim time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.directory import DirectoryEntry
from app.domain.periods import months_before
from app.i18n import _, ngettext

REVIEW_MONTHS = 12


def review_cutoff(today: date) -> date:
    """The last day of verification that is due on `today`: twelve months before it (an
    entry verified on 17 November 2025 is due on 17 November 2026; one verified on
    29 February 2024 on 1 March 2025, twelve whole months later)."""
    return months_before(today, REVIEW_MONTHS)


def months_since(day: date, today: date) -> int:
    """Whole months from `day` to `today`: 12 from 17 November 2025 to 17 November 2026,
    11 until the day before."""
    months = (today.year - day.year) * 12 + today.month - day.month
    if months_before(today, months) < day:
        months -= 1
    return max(months, 0)


def review_due(entry: DirectoryEntry, today: date) -> bool:
    """Offered (not retired) and never verified, or last verified twelve months ago or more."""
    if entry.retired:
        return False
    return entry.last_verified is None or entry.last_verified <= review_cutoff(today)


@dataclass(frozen=True)
class ReviewItem:
    """An entry due for review, and how long since it was verified (None: never)."""

    entry: DirectoryEntry
    months: int | None

    def since_text(self) -> str:
        if self.months is None:
            return _("never verified")
        return ngettext("{count} month ago", "{count} months ago", self.months).format(
            count=self.months
        )


def due_for_review(entries: list[DirectoryEntry], today: date) -> list[ReviewItem]:
    """The entries due on `today`, the longest unverified first (never verified on top)."""
    due = [
        ReviewItem(e, months_since(e.last_verified, today) if e.last_verified else None)
        for e in entries
        if review_due(e, today)
    ]
    return sorted(due, key=lambda item: (item.entry.last_verified or date.min, item.entry.key))
