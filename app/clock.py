"""The one clock Havre reads, and the time zone its days are counted in.

Every "now" and "today" of the application comes from here, so that the tests set one
clock (tests/conftest.py) instead of depending on the day they run, and so that a day or a
month means the same everywhere: a desk counts its days in Brussels whatever time zone the
PC is set to (a laptop left on UTC or carried abroad must not move a contact at 00:30 into
the previous month).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """This moment, aware, in UTC: what is stored."""
    return _source().astimezone(UTC)


def local_now() -> datetime:
    """This moment on the desk's wall clock (Brussels): what people see and type."""
    return _source().astimezone(BRUSSELS)


def today() -> date:
    """Today in Brussels."""
    return local_now().date()


def local(moment: datetime) -> datetime:
    """An aware moment on the desk's wall clock; a naive one is taken as Brussels time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BRUSSELS)
    return moment.astimezone(BRUSSELS)


def local_day(moment: datetime) -> date:
    """The Brussels day a moment falls on."""
    return local(moment).date()


def at(day: date, hour: time = time()) -> datetime:
    """The moment a Brussels wall-clock time of a day stands for (aware)."""
    return datetime.combine(day, hour, tzinfo=BRUSSELS)


def set_source(source: Callable[[], datetime] | None) -> None:
    """Read the time from `source` (aware datetimes) instead of the system; None puts the
    system clock back. Used by the tests (their clock fixture) and by `make screenshots`,
    which shows the call-backs of a weekday morning."""
    global _source
    _source = source or _system_now
