"""Date fields: a calendar pop-up, the day written dd/mm/yyyy, Python dates in and out.
Date-time fields show the desk's wall clock (Brussels, app.clock) whatever the PC's zone."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from app import clock


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
    return QDateTime(qdate(local.date()), QTime(local.hour, local.minute, local.second))


def moment_of(edit: QDateTimeEdit) -> datetime:
    """What a date-time field says, as an aware moment on the desk's wall clock."""
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return clock.local(value.replace(tzinfo=None))
