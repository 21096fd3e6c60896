"""Date fields typed as people write dates, a calendar pop-up for those who prefer it,
Python dates in and out.

The day comes first in every language of the desk (Belgian usage, English window too):
06/01/2027, 6-1-2027, 06.01.2027, 6 1 27 (a two-digit year is 20yy) and the ISO
2027-01-06; a time as 14:30, 14h30, 14.30 or 9:05. What cannot be a date (31/02/2027,
13/13/2027, letters) or is out of the field's limits is refused with a message at the field,
and reading the field for a save refuses too: it is never taken for another date. A field
shows what it holds once left as the language writes a day everywhere else (app.i18n's
"short": 06/01/2027, 06.01.2027 in German), and so do the examples of its messages; any of
the forms above is taken in every language. Drafts keep the value in a form of their own
(WALL_TIME_FORMAT), or the text as typed: either is read back after a change of language.
Up and Down move the day, Alt+Down opens the calendar.

Date-time fields show the desk's wall clock (Brussels, app.clock) whatever the PC's zone.
Qt would hold them in the PC's zone, converting from and to it and moving a time that does
not exist there (the hour skipped in spring); so the fields carry the Brussels wall time in
UTC, a zone without gaps, and Brussels is applied when the value is read."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QPoint, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.errors import ValidationError
from app.i18n import _, numeric_day
from ui import style
from ui.style import Tone

_WALL_CLOCK = QTimeZone.utc()
# How a date-time field is kept in a draft: its wall time, no zone.
WALL_TIME_FORMAT = "yyyy-MM-ddTHH:mm"
_DRAFT_FORMAT = "%Y-%m-%dT%H:%M"

_SEPARATOR = r"(?:\s*[/.\-]\s*|\s+)"
_DAY_FIRST = re.compile(rf"(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{4}}|\d{{2}})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*(?:[:.hH]\s*(\d{2})|[hH])")
_DAY_AND_TIME = re.compile(r"(.+?)\s+(\d{1,2}\s*(?:[:.hH]\s*\d{2}|[hH]))")
# The limits of Qt's date fields, kept where a caller sets none.
_FIRST_DAY, _LAST_DAY = date(1752, 9, 14), date(9999, 12, 31)


def typed_day(text: str) -> date | None:
    """The day `text` writes, or None if it writes none (an impossible day included)."""
    text = text.strip()
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
    elif found := _DAY_FIRST.fullmatch(text):
        day, month, year = found.groups()
    else:
        return None
    try:
        return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    except ValueError:
        return None


def typed_time(text: str) -> time | None:
    found = _TIME.fullmatch(text.strip())
    if found is None:
        return None
    hour, minute = found.groups()
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        return None


def typed_moment(text: str) -> datetime | None:
    """The wall time `text` writes (day first, then the time), or None."""
    found = _DAY_AND_TIME.fullmatch(text.strip())
    if found is None:
        return None
    day, hour = typed_day(found.group(1)), typed_time(found.group(2))
    return None if day is None or hour is None else datetime.combine(day, hour)


# The day the examples of the messages write (the sixth of January: day first, plainly).
_EXAMPLE = datetime(2027, 1, 6, 14, 30)


def _written(day: date) -> str:
    return numeric_day(day)


class DateRefused(ValidationError):
    """A date field holds what is not an acceptable date: the message names the field."""


class _Calendar(QCalendarWidget):
    """The pop-up: a click or Enter chooses the day, Escape leaves the field as it was."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self._field = field
        self.clicked.connect(self._chosen)
        self.activated.connect(self._chosen)

    def _chosen(self, day: QDate) -> None:
        self.hide()
        chosen = day.toPython()
        assert isinstance(chosen, date)
        self._field.choose_day(chosen)
        self._field.setFocus()


class DateField(QWidget):
    """A day, or a day and a time (`with_time`): the typed line, the calendar button, the
    message under them. The text is what the field holds; `_accepted` is the last value
    it took (a date field's at midnight), given to filters and announced by `changed`."""

    changed = Signal()

    def __init__(self, accessible_name: str, with_time: bool, value: datetime) -> None:
        super().__init__()
        self.with_time = with_time
        sample = "00/00/0000 00:00" if with_time else "00/00/0000"
        self.line = QLineEdit()
        self.line.setAccessibleName(accessible_name)
        self.line.setAccessibleDescription(self._hint())
        self.line.setToolTip(self._hint())
        self._sample = sample
        self._fit(sample)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setAccessibleName(_("Choose in a calendar"))
        self.button.setToolTip(_("Choose in a calendar (Alt+Down)"))
        self.button.clicked.connect(self.open_calendar)
        self.message = QLabel()
        style.tone(self.message, Tone.ERROR)
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line)
        row.addWidget(self.button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self._finished)
        self.line.installEventFilter(self)
        self.minimum, self.maximum = _FIRST_DAY, _LAST_DAY
        self._special = ""
        self._calendar: _Calendar | None = None
        self._accepted = value
        self.line.setText(self._show(value))

    # -- reading and writing the text ---------------------------------------------------

    def _typed(self) -> datetime | None:
        """The value the text writes (a day at midnight), None if it writes none."""
        if self.with_time:
            return typed_moment(self.line.text())
        day = typed_day(self.line.text())
        return None if day is None else datetime.combine(day, time())

    def _show(self, value: datetime) -> str:
        return _written_moment(value) if self.with_time else _written(value.date())

    def _hint(self) -> str:
        if self.with_time:
            return _("Day/month/year and time, for example {moment}").format(
                moment=_written_moment(_EXAMPLE)
            )
        return _("Day/month/year, for example {day}").format(day=_written(_EXAMPLE.date()))

    def _not_understood(self) -> tuple[str, str]:
        """Why the text is no value of this field: briefly, at the field; in full, on save."""
        if self.with_time:
            moment = _written_moment(_EXAMPLE)
            return _("Not a date and time: type it as {moment}.").format(moment=moment), _(
                "This is not a date and time. Type the day, the month, the year and the "
                "time, for example {moment}."
            ).format(moment=moment)
        day = _written(_EXAMPLE.date())
        return _("Not a date: type it as {day}.").format(day=day), _(
            "This is not a date. Type the day, the month and the year, for example {day}."
        ).format(day=day)

    def _day_typed(self) -> date | None:
        typed = self._typed()
        return None if typed is None else typed.date()

    def _write(self, day: date) -> str:
        """The text showing `day`, with the time the field holds."""
        held = self._typed() or self._accepted
        return self._show(datetime.combine(day, held.time()))

    def _accept(self) -> bool:
        """Take what the text writes as the field's value; True if that changed it."""
        typed = self._typed()
        if typed is None:
            if not self.special_and_empty():
                return False
            typed = datetime.combine(self.minimum, time())  # the "any date" left empty
        else:
            self.line.setText(self._show(typed))
        if typed == self._accepted:
            return False
        self._accepted = typed
        return True

    def draft(self) -> str:
        """The value the field took, written with WALL_TIME_FORMAT."""
        return self._accepted.strftime(_DRAFT_FORMAT)

    def restore(self, text: str) -> None:
        """Take back a value written by `draft` (nothing if `text` is none)."""
        moment = wall_time(text)
        if moment.isValid():
            self._put(moment)

    def _put(self, moment: QDateTime) -> None:
        """Show `moment` (its day alone in a date field) as if typed and left."""
        day, hour = moment.date().toPython(), moment.time().toPython()
        assert isinstance(day, date) and isinstance(hour, time)
        if not self.with_time:
            day = min(max(day, self.minimum), self.maximum)
            empty = bool(self._special) and day == self.minimum
            self.line.setText("" if empty else _written(day))
        else:
            self.line.setText(_written_moment(datetime.combine(day, hour.replace(microsecond=0))))
        self._finished()

    # -- shared behaviour ---------------------------------------------------------------

    def accessibleName(self) -> str:
        return self.line.accessibleName()

    def setAccessibleName(self, name: str) -> None:
        self.line.setAccessibleName(name)

    def text(self) -> str:
        return self.line.text()

    def setMinimumDate(self, day: QDate) -> None:
        value = day.toPython()
        assert isinstance(value, date)
        self.minimum = value

    def setMaximumDate(self, day: QDate) -> None:
        value = day.toPython()
        assert isinstance(value, date)
        self.maximum = value

    def setSpecialValueText(self, text: str) -> None:
        """An empty field means the minimum date, shown greyed as `text` (a filter's "any")."""
        self._special = text
        self.line.setPlaceholderText(text)
        self._fit(self._sample, text)

    def _fit(self, *texts: str) -> None:
        # Room for what the field shows and a little more: it does not stretch across a form.
        metrics = self.line.fontMetrics()
        self.line.setFixedWidth(max(metrics.horizontalAdvance(text + "000") for text in texts) + 12)

    def special_and_empty(self) -> bool:
        """Left empty where that means the minimum date (see setSpecialValueText)."""
        return bool(self._special) and not self.line.text().strip()

    def put_back(self, text: str) -> None:
        """Show `text` again as the field's value, as if typed and left."""
        self.line.setText(text)
        self._finished()

    def problem(self) -> tuple[str, str]:
        """Why what is typed is refused, briefly and in full; empty if it is acceptable."""
        if self.special_and_empty():
            return "", ""
        day = self._day_typed()
        if day is None:
            return self._not_understood()
        limit = ""
        if day < self.minimum:
            limit = _("The date cannot be before {day}.").format(day=_written(self.minimum))
        elif day > self.maximum:
            limit = _("The date cannot be after {day}.").format(day=_written(self.maximum))
        return limit, limit

    def refuse(self) -> DateRefused | None:
        """The refusal of what is typed, shown at the field, or None if it is acceptable."""
        brief, full = self.problem()
        if not brief:
            self._said("")
            return None
        # One line: the form makes room for it (a wrapped line would not get its height
        # in a dialog already shown).
        self._said(brief)
        return DateRefused(
            _("{field}: {problem}").format(field=self.accessibleName(), problem=full)
        )

    def checked(self) -> None:
        """Raise the refusal of what is typed, with the field at hand to correct it."""
        refused = self.refuse()
        if refused is not None:
            self.line.setFocus()
            raise refused

    def choose_day(self, day: date) -> None:
        self.line.setText(self._write(day))
        self._finished()

    def open_calendar(self) -> None:
        if self._calendar is None:
            self._calendar = _Calendar(self)
        calendar = self._calendar
        calendar.setDateRange(
            QDate(self.minimum.year, self.minimum.month, self.minimum.day),
            QDate(self.maximum.year, self.maximum.month, self.maximum.day),
        )
        shown = self._day_typed() or clock.today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.move(self.line.mapToGlobal(QPoint(0, self.line.height())))
        calendar.show()
        calendar.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and self._key(event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if (key == Qt.Key.Key_Down and alt) or key == Qt.Key.Key_F4:
            self.open_calendar()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            day = self._day_typed()
            if day is not None:
                step = timedelta(days=1 if key == Qt.Key.Key_Up else -1)
                moved = min(max(day + step, self.minimum), self.maximum)
                self.line.setText(self._write(moved))
                self._finished()
            return True
        return False

    def _said(self, refusal: str) -> None:
        """Show `refusal` under the field ("": none), and give it to screen readers."""
        self.message.setText(refusal)
        self.message.setVisible(bool(refusal))
        self.line.setAccessibleDescription(refusal or self._hint())

    def _edited(self) -> None:
        if not self.problem()[0]:
            self._said("")

    def _finished(self) -> None:
        if self.refuse() is None and self._accept():
            self.changed.emit()


class DateEdit(DateField):
    """A date field; `date()`, `setDate()` and `dateChanged` as QDateEdit's."""

    dateChanged = Signal(QDate)

    def __init__(self, accessible_name: str, day: date) -> None:
        super().__init__(accessible_name, False, datetime.combine(day, time()))
        self.changed.connect(lambda: self.dateChanged.emit(self.date()))

    def day(self) -> date:
        """The last date the field took: a list filtered on it goes on showing that day
        while a typo is being fixed."""
        return self._accepted.date()

    def date(self) -> QDate:
        return qdate(self.day())

    def setDate(self, day: QDate) -> None:
        self._put(QDateTime(day, QTime(0, 0), _WALL_CLOCK))


class DateTimeEdit(DateField):
    """A date-time field on the desk's wall clock; `dateTime()`, `setDateTime()` and
    `dateTimeChanged` as QDateTimeEdit's, in the wall clock's zone (see `qdatetime`)."""

    dateTimeChanged = Signal(QDateTime)

    def __init__(self, accessible_name: str, moment: datetime) -> None:
        super().__init__(accessible_name, True, moment)
        self.changed.connect(lambda: self.dateTimeChanged.emit(self.dateTime()))

    def moment(self) -> datetime:
        """The last moment the field took, on the desk's wall clock (see DateEdit.day)."""
        return clock.local(self._accepted)

    def typed_wall_time(self) -> datetime:
        """What is typed, as a wall time without zone (refused if it is not acceptable)."""
        self.checked()
        moment = typed_moment(self.line.text())
        assert moment is not None
        return moment

    def dateTime(self) -> QDateTime:
        moment = self._accepted
        return QDateTime(
            qdate(moment.date()), QTime(moment.hour, moment.minute, moment.second), _WALL_CLOCK
        )

    def setDateTime(self, moment: QDateTime) -> None:
        self._put(moment)


def _written_moment(moment: datetime) -> str:
    return f"{_written(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(accessible_name: str, day: date | None = None) -> DateEdit:
    return DateEdit(accessible_name, day or clock.today())


def day_of(edit: DateEdit) -> date:
    """The day typed in `edit`; a DateRefused naming the field if it is no acceptable day."""
    edit.checked()
    if edit.special_and_empty():
        return edit.minimum
    day = typed_day(edit.text())
    assert day is not None
    return day


def qdatetime(moment: datetime) -> QDateTime:
    """A moment as the desk's wall clock shows it, for a date-time field."""
    local = clock.local(moment)
    return QDateTime(
        qdate(local.date()), QTime(local.hour, local.minute, local.second), _WALL_CLOCK
    )


def datetime_edit(moment: datetime) -> DateTimeEdit:
    """A date-time field (the language's day, then hh:mm) showing `moment`, named by its
    form's label."""
    return DateTimeEdit("", clock.local(moment).replace(tzinfo=None))


def moment_of(edit: DateTimeEdit) -> datetime:
    """What a date-time field says, as an aware moment on the desk's wall clock; a
    DateRefused naming the field if it is no acceptable date and time."""
    return clock.local(edit.typed_wall_time())


def wall_time(text: str) -> QDateTime:
    """A date-time field's value written with WALL_TIME_FORMAT, read back (invalid if not)."""
    day, _separator, hour = text.partition("T")
    return QDateTime(
        QDate.fromString(day, "yyyy-MM-dd"), QTime.fromString(hour, "HH:mm"), _WALL_CLOCK
    )
