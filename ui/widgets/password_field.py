"""A password entry with a live strength indication (and an optional confirmation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from app.domain import passwords
from app.i18n import _, ngettext
from ui import style


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class PasswordWithStrength(QWidget):
    changed = Signal()

    def __init__(self, user_name: Callable[[], str] = lambda: "", parent: QWidget | None = None):
        super().__init__(parent)
        self._user_name = user_name
        self.edit = password_edit(
            ngettext(
                "At least {count} character", "At least {count} characters", passwords.MIN_LENGTH
            ).format(count=passwords.MIN_LENGTH)
        )
        self.edit.setAccessibleName(_("New password"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.meter)
        layout.addWidget(self.label)
        self.edit.textChanged.connect(self._update)
        self._update()

    def password(self) -> str:
        return self.edit.text()

    def clear(self) -> None:
        self.edit.clear()

    def _update(self) -> None:
        text = self.edit.text()
        if not text:
            self.meter.setValue(0)
            self.label.setText(
                _("Tip: a few unrelated words make a strong password that is easy to remember.")
            )
        else:
            strength = passwords.estimate(text, self._user_name())
            self.meter.setValue(strength.score)
            style.strength_meter(self.meter, strength.score)
            if len(text) < passwords.MIN_LENGTH:
                hint = _("Strength: {label}. Too short.").format(label=strength.label)
            else:
                hint = _("Strength: {label}.").format(label=strength.label)
            self.label.setText(hint)
        self.changed.emit()
