"""Calendar months, the period of the monthly counts: "2026-07" in files, "202607" for
DHIS2, "2026-07-01/P1M" for ADX. A month runs from midnight of its first day in Brussels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app import clock
from app.errors import ValidationError
from app.i18n import _

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not (2000 <= self.year <= 2999 and 1 <= self.month <= 12):
            raise ValueError(f"no such month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Month:
        """A month written YYYY-MM; anything else is refused with the form to use."""
        found = _MONTH.fullmatch(text.strip())
        try:
            if found is None:
                raise ValueError(text)
            return cls(int(found[1]), int(found[2]))
        except ValueError:
            raise ValidationError(
                _("{text} is not a month: write it as YYYY-MM, e.g. 2026-07.").format(
                    text=text.strip()[:20]
                ),
                field=field,
            ) from None

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end_day(self) -> date:
        """The first day of the next month (the end, excluded)."""
        return self.next().first_day

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    def shifted(self, months: int) -> Month:
        """The month `months` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def next(self) -> Month:
        return self.shifted(1)

    def previous(self) -> Month:
        return self.shifted(-1)

    def local_bounds(self) -> tuple[datetime, datetime]:
        """Start and end (excluded) as aware datetimes, at midnight in Brussels."""
        return clock.at(self.first_day), clock.at(self.end_day)

    @property
    def dhis2(self) -> str:
        return f"{self.year:04d}{self.month:02d}"

    @property
    def adx(self) -> str:
        return f"{self}-01/P1M"


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the last day of that month when it is shorter (12
    months before 29 February is 28 February)."""
    month = Month.of(day).shifted(-months)
    return month.first_day.replace(day=min(day.day, month.days))


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from `first` to `last`, both included."""
    months: list[Month] = []
    current = first
    while current <= last:
        months.append(current)
        current = current.next()
    return months


def last_closed_months(today: date, count: int) -> list[Month]:
    """The `count` months before the month of `today`, oldest first: the last months whose
    counts can no longer change."""
    last = Month.of(today).previous()
    return months_between(last.shifted(1 - count), last)


def nights_in(start: date, end: date, month: Month) -> int:
    """Nights from `start` up to the night before `end` that fall in `month`."""
    first = max(start, month.first_day)
    last = min(end, month.end_day)
    return max(0, (last - first).days)


def day_after(day: date) -> date:
    return day + timedelta(days=1)
