"""The sign-in screen, which is also the neutral screen of the quick exit.

It shows nothing about the desk's work: the name Havre, the date and time, and the
sign-in fields. The quick exit is documented at the bottom.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import HavreError, TooManyAttempts, WrongCredentials
from app.i18n import _
from ui import style, tasks
from ui.style import Tone
from ui.widgets.password_field import password_edit

if TYPE_CHECKING:
    from app.services.open_desk import OpenDesk


def _link(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setFlat(True)
    style.tone(button, Tone.LINK)
    return button


CLOCK_FIRST_SHOWN_MS = 100


class LockScreen(QWidget):
    unlocked = Signal(object)  # OpenDesk
    recovery_requested = Signal()
    open_other_requested = Signal()
    new_desk_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database: Path | None = None
        title = QLabel("Havre")
        # Alignment through the style sheet: this screen must not touch Qt's enum namespace,
        # whose construction would delay it (see ui/main_window.py).
        style.tone(title, Tone.TITLE, centred=True)
        self.clock = QLabel()
        style.tone(self.clock, Tone.NOTE, centred=True)
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText(_("User name"))
        self.user_name.setAccessibleName(_("User name"))
        self.password = password_edit(_("Password"))
        self.password.setAccessibleName(_("Password"))
        self.sign_in_button = QPushButton(_("Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Message"))
        self.forgot_button = _link(_("Forgot your password?"))
        self.open_other_button = _link(_("Open another desk…"))
        self.new_desk_button = _link(_("Set up a new desk…"))
        self.desk_file = QLabel()
        style.tone(self.desk_file, Tone.SMALL_NOTE)
        hint = QLabel(
            _(
                "To hide the screen at once, press Shift three times or use Quick exit. "
                "Havre locks by itself when nobody uses it for a few minutes."
            )
        )
        hint.setWordWrap(True)
        style.tone(hint, Tone.SMALL_NOTE)

        card = QFrame()
        style.tone(card, Tone.CARD)
        card.setFixedWidth(380)
        form = QVBoxLayout(card)
        form.setContentsMargins(28, 24, 28, 24)
        form.setSpacing(10)
        form.addWidget(title)
        form.addWidget(self.clock)
        form.addSpacing(8)
        form.addWidget(self.user_name)
        form.addWidget(self.password)
        form.addWidget(self.sign_in_button)
        form.addWidget(self.message)
        form.addWidget(self.forgot_button)
        form.addWidget(self.open_other_button)
        form.addWidget(self.new_desk_button)
        form.addWidget(self.desk_file)

        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(card)
        column.addSpacing(16)
        hint.setFixedWidth(380)
        column.addWidget(hint)
        column.addStretch(3)
        row = QHBoxLayout(self)
        row.addStretch()
        row.addLayout(column)
        row.addStretch()
        self.setAutoFillBackground(True)
        style.tone(self, Tone.BACKDROP)

        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick_wait)
        self._wait_seconds = 0
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._update_clock)
        self._clock_timer.start(20_000)
        # Shortly after the first screen is up: the time zone it reads (Brussels) costs the
        # start a few ms, and nobody reads the clock in its first tenth of a second.
        QTimer.singleShot(CLOCK_FIRST_SHOWN_MS, self._update_clock)

        self.sign_in_button.clicked.connect(self.sign_in)
        self.user_name.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.sign_in)
        self.forgot_button.clicked.connect(self.recovery_requested)
        self.open_other_button.clicked.connect(self.open_other_requested)
        self.new_desk_button.clicked.connect(self.new_desk_requested)

    def show_message(self, text: str, *, problem: bool = True) -> None:
        """A refusal in red; news (a password changed, a key rotated) in the text's colour."""
        style.tone(self.message, Tone.ERROR if problem else None)
        self.message.setText(text)

    def set_database(self, database: Path) -> None:
        self.database = database
        self.desk_file.setText(database.name)
        self.desk_file.setToolTip(str(database))

    def reset(self) -> None:
        """Empty every field (after a lock or a quick exit) and wait for a name."""
        self.user_name.clear()
        self.password.clear()
        self.message.clear()
        self._set_busy(False)
        self.user_name.setFocus()

    def _update_clock(self) -> None:
        from app import clock
        from ui.widgets.dates import qdatetime

        locale, now = QLocale(), qdatetime(clock.now())
        day = locale.toString(now.date(), QLocale.FormatType.LongFormat)
        self.clock.setText(f"{day} · {locale.toString(now.time(), QLocale.FormatType.ShortFormat)}")

    def sign_in(self) -> None:
        if self.database is None or not self.sign_in_button.isEnabled():
            return
        name, password, database = self.user_name.text(), self.password.text(), self.database
        if not name.strip() or not password:
            self.show_message(_("Type your user name and your password."))
            (self.user_name if not name.strip() else self.password).setFocus()
            return
        self._set_busy(True)

        def unlock() -> OpenDesk:
            # Imported here, on the worker thread: the sign-in screen shows before the
            # database stack is loaded (start-up budget, docs/architecture.md).
            from app.services import auth

            return auth.unlock(database, name, password)

        tasks.run(self, unlock, self._succeeded, self._failed)

    def _succeeded(self, desk: OpenDesk) -> None:
        self.password.clear()
        self.message.clear()
        self._set_busy(False)
        self.unlocked.emit(desk)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        if isinstance(error, TooManyAttempts):
            self._start_wait(error.seconds)
        elif isinstance(error, WrongCredentials):
            self.show_message(str(error))
            self.password.setFocus()
        elif isinstance(error, HavreError):
            self.show_message(str(error))
        else:
            tasks.report_failure(self, error)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.user_name, self.password):
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy and self._wait_seconds == 0)
        self.sign_in_button.setText(_("Signing in…") if busy else _("Sign in"))

    def _start_wait(self, seconds: int) -> None:
        self._wait_seconds = seconds
        self.sign_in_button.setEnabled(False)
        self._tick_wait(step=0)
        self._wait_timer.start()

    def _tick_wait(self, step: int = 1) -> None:
        self._wait_seconds = max(0, self._wait_seconds - step)
        if self._wait_seconds == 0:
            self._wait_timer.stop()
            self.show_message(_("You can try again now."), problem=False)
            self.sign_in_button.setEnabled(True)
            return
        self.show_message(str(TooManyAttempts(self._wait_seconds)))
