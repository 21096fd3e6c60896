"""Date fields: a calendar pop-up, the day written dd/mm/yyyy, Python dates in and out.

Date-time fields show the desk's wall clock (Brussels, app.clock) whatever the PC's zone.
Qt would hold them in the PC's zone, converting from and to it and moving a time that does
not exist there (the hour skipped in spring); so the fields carry the Brussels wall time in
UTC, a zone without gaps, and Brussels is applied when the value is read."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from app import clock

_WALL_CLOCK = QTimeZone.utc()
# How a date-time field is kept in a draft: its wall time, no zone.
WALL_TIME_FORMAT = "yyyy-MM-ddTHH:mm"


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(accessible_name: str, day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(accessible_name)
    edit.setDate(qdate(day or clock.today()))
    return edit


def day_of(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


def qdatetime(moment: datetime) -> QDateTime:
    """A moment as the desk's wall clock shows it, for a date-time field."""
    local = clock.local(moment)
    return QDateTime(
        qdate(local.date()), QTime(local.hour, local.minute, local.second), _WALL_CLOCK
    )


def datetime_edit(moment: datetime) -> QDateTimeEdit:
    """A date-time field (calendar pop-up, dd/mm/yyyy hh:mm) showing `moment`."""
    edit = QDateTimeEdit()
    edit.setTimeZone(_WALL_CLOCK)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy HH:mm")
    edit.setDateTime(qdatetime(moment))
    return edit


def moment_of(edit: QDateTimeEdit) -> datetime:
    """What a date-time field says, as an aware moment on the desk's wall clock."""
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return clock.local(value.replace(tzinfo=None))


def wall_time(text: str) -> QDateTime:
    """A date-time field's value written with WALL_TIME_FORMAT, read back (invalid if not)."""
    day, _separator, hour = text.partition("T")
    return QDateTime(
        QDate.fromString(day, "yyyy-MM-dd"), QTime.fromString(hour, "HH:mm"), _WALL_CLOCK
    )
