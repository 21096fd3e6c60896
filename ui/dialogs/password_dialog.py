"""One dialog for every way a password is set: change your own, reset with the recovery
key (by an administrator, or from the sign-in screen), or enable an account again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import HavreError, ValidationError
from app.i18n import _
from ui import style, tasks
from ui.style import Tone
from ui.widgets.named_row import add_named_row
from ui.widgets.password_field import PasswordWithStrength, password_edit


class PasswordDialog(QDialog):
    def __init__(
        self,
        title: str,
        intro: str,
        submit: Callable[[dict[str, str]], object],
        *,
        ask_current: bool = False,
        ask_recovery_key: bool = False,
        ask_user_name: bool = False,
        user_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._submit = submit
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        if ask_recovery_key:
            recovery = QLineEdit()
            recovery.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
            add_named_row(form, _("Recovery key"), recovery)
            self.fields["recovery_key"] = recovery
        if ask_user_name:
            name = QLineEdit(user_name)
            add_named_row(form, _("User name"), name)
            self.fields["user_name"] = name
        if ask_current:
            current = password_edit()
            add_named_row(form, _("Current password"), current)
            self.fields["current_password"] = current
        self.new_password = PasswordWithStrength(
            lambda: self.fields["user_name"].text() if "user_name" in self.fields else user_name
        )
        form.addRow(_("New password"), self.new_password)
        self.repeat = password_edit()
        add_named_row(form, _("Repeat the new password"), self.repeat)
        self.error = QLabel()
        self.error.setWordWrap(True)
        style.tone(self.error, Tone.ERROR)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, str]:
        values = {name: edit.text() for name, edit in self.fields.items()}
        values["password"] = self.new_password.password()
        return values

    def _accept(self) -> None:
        if self.new_password.password() != self.repeat.text():
            self._show(ValidationError(_("The two new passwords differ."), field="password"))
            return
        self.buttons.setEnabled(False)
        self.error.clear()
        values = self.values()
        tasks.run(self, lambda: self._submit(values), lambda _result: self.accept(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, HavreError):
            self._show(error)
        else:
            tasks.report_failure(self, error)

    def _show(self, error: HavreError) -> None:
        self.error.setText(str(error))
        field = self.fields.get(getattr(error, "field", ""))
        (field or self.new_password.edit).setFocus()
