"""Date fields: a calendar pop-up, the day written dd/mm/yyyy, Python dates in and out."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(accessible_name: str, day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(accessible_name)
    edit.setDate(qdate(day or date.today()))
    return edit


def day_of(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value
