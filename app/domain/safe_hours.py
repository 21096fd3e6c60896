"""Safe hours per weekday, beside the four coarse safe times: "Tuesday 10–12 h" is what a
person says when only the hours her partner is at work are safe.

Hours are whole hours of the Brussels wall clock, a range includes its start and ends
before its end (10–12 h: from 10:00 to 11:59). Stored as "weekday:from-to" joined by
commas (Monday is 0), a format that holds no text anyone typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.errors import ValidationError
from app.i18n import _, weekday_names

DAYS = 7
#: a person's ranges in all: a few per day is plenty, and a bound keeps a draft small
MAX_RANGES = 21
_RANGE = re.compile(r"(\d{1,2})\s*[-–]\s*(\d{1,2})")
_SEPARATORS = re.compile(r"[\s,;]*(?:h\b)?[\s,;]*")


@dataclass(frozen=True, order=True)
class HourRange:
    weekday: int
    start: int
    end: int

    def contains(self, moment: datetime) -> bool:
        local = clock.local(moment)
        return local.weekday() == self.weekday and self.start <= local.hour < self.end

    def label(self) -> str:
        return f"{self.start}–{self.end} h"


def parse_day(text: str, weekday: int) -> tuple[HourRange, ...]:
    """The ranges typed for one weekday, such as "10-12" or "8-9, 14-16 h"."""
    rest = text.strip()
    ranges: list[HourRange] = []
    while rest:
        found = _RANGE.match(rest)
        if found is None:
            raise _range_error(weekday)
        start, end = int(found.group(1)), int(found.group(2))
        if not 0 <= start < end <= 24:
            raise _range_error(weekday)
        ranges.append(HourRange(weekday, start, end))
        rest = rest[found.end() :]
        separator = _SEPARATORS.match(rest)
        assert separator is not None  # the pattern also matches nothing
        if rest and not separator.group(0):
            raise _range_error(weekday)
        rest = rest[separator.end() :]
    return tuple(ranges)


def format_day(ranges: tuple[HourRange, ...], weekday: int) -> str:
    """The ranges of one weekday as they are typed ("10-12, 14-16")."""
    return ", ".join(f"{r.start}-{r.end}" for r in sorted(ranges) if r.weekday == weekday)


def validate(ranges: tuple[HourRange, ...]) -> tuple[HourRange, ...]:
    """Sorted, each range once; a range out of 0–24 h or ending before it starts is refused."""
    for hours in ranges:
        if not 0 <= hours.weekday < DAYS or not 0 <= hours.start < hours.end <= 24:
            raise _range_error(hours.weekday if 0 <= hours.weekday < DAYS else 0)
    unique = tuple(sorted(set(ranges)))
    if len(unique) > MAX_RANGES:
        raise ValidationError(
            _("Give at most {count} ranges of safe hours.").format(count=MAX_RANGES),
            field="safe_hours",
        )
    return unique


def is_open(ranges: tuple[HourRange, ...], moment: datetime) -> bool:
    return any(hours.contains(moment) for hours in ranges)


def join(ranges: tuple[HourRange, ...]) -> str:
    return ",".join(f"{r.weekday}:{r.start}-{r.end}" for r in sorted(ranges))


def split(stored: str) -> tuple[HourRange, ...]:
    """The ranges stored by `join`; a malformed part (a hand-edited row) is skipped."""
    ranges: list[HourRange] = []
    for part in stored.split(","):
        day, _sep, hours = part.partition(":")
        start, _dash, end = hours.partition("-")
        if day.isdigit() and start.isdigit() and end.isdigit():
            found = HourRange(int(day), int(start), int(end))
            if found.weekday < DAYS and found.start < found.end <= 24:
                ranges.append(found)
    return tuple(sorted(set(ranges)))


def describe(ranges: tuple[HourRange, ...]) -> str:
    """The ranges to read on screen, in the screen's language: "Tue 10–12 h, 14–16 h"."""
    names = weekday_names("abbreviated")
    days = []
    for weekday in range(DAYS):
        of_day = [r.label() for r in sorted(ranges) if r.weekday == weekday]
        if of_day:
            days.append(f"{names[weekday]} {', '.join(of_day)}")
    return " · ".join(days)


def _range_error(weekday: int) -> ValidationError:
    return ValidationError(
        _(
            "{day}: type the safe hours as from-to in whole hours from 0 to 24, the start "
            "before the end (for example 10-12, or 8-9, 14-16)."
        ).format(day=weekday_names()[weekday]),
        field=f"safe_hours_{weekday}",
    )
