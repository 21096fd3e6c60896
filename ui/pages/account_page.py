"""My account: who is signed in, change your own password, the language of Havre."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app import i18n
from app.domain.roles import roles_label
from app.i18n import _, format_datetime
from app.services import accounts
from app.services.open_desk import OpenDesk
from ui import prompts
from ui.dialogs.password_dialog import PasswordDialog
from ui.pages.base import Page
from ui.settings import UiSettings


class AccountPage(Page):
    #: another language chosen: the window uses it at once
    language_changed = Signal(str)

    def __init__(self, settings: UiSettings) -> None:
        super().__init__("account", _("My account"), None)
        self._settings = settings
        self.name_label = QLabel()
        self.roles_label = QLabel()
        self.last_login_label = QLabel()
        who = QGroupBox(_("Signed in"))
        who_form = QFormLayout(who)
        who_form.addRow(_("Name"), self.name_label)
        who_form.addRow(_("Roles"), self.roles_label)
        who_form.addRow(_("Previous sign-in"), self.last_login_label)

        password_box = QGroupBox(_("Password"))
        password_layout = QVBoxLayout(password_box)
        explain = QLabel(
            _("Your password protects your copy of the desk's key. Only you should know it.")
        )
        explain.setWordWrap(True)
        self.change_password_button = QPushButton(_("Change my password…"))
        self.change_password_button.clicked.connect(self.change_password)
        password_layout.addWidget(explain)
        password_layout.addWidget(self.change_password_button)

        language_box = QGroupBox(_("Language"))
        language_layout = QHBoxLayout(language_box)
        self.language_combo = QComboBox()
        for language in i18n.LANGUAGES:
            self.language_combo.addItem(language.native_name, language.code)
        self.language_combo.setAccessibleName(_("Language"))
        self.apply_language_button = QPushButton(_("Use this language"))
        self.apply_language_button.clicked.connect(self.apply_language)
        language_layout.addWidget(self.language_combo)
        language_layout.addWidget(self.apply_language_button)
        language_layout.addStretch()

        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(password_box)
        layout.addWidget(language_box)
        layout.addStretch()

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        user = desk.user
        self.name_label.setText(f"{user.display_name} ({user.user_name})")
        self.roles_label.setText(roles_label(user.roles))
        self.last_login_label.setText(
            format_datetime(user.last_login_at)
            if user.last_login_at
            else _("None, this is the first")
        )
        self._select_language(i18n.current_language())

    def _select_language(self, code: str) -> None:
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(code)))

    def change_password(self) -> None:
        desk = self.desk
        if desk is None:
            return
        dialog = PasswordDialog(
            _("Change my password"),
            _("Type your current password, then the new one twice."),
            lambda v: accounts.change_own_password(desk, v["current_password"], v["password"]),
            ask_current=True,
            user_name=desk.user.user_name,
            parent=self,
        )
        dialog.accepted.connect(lambda: prompts.show_info(self, _("Your password was changed.")))
        dialog.open()

    def apply_language(self) -> None:
        """Kept for the next start, and used at once: the window is built again in it."""
        code = self.language_combo.currentData()
        self._settings.language = code
        if code != i18n.current_language():
            self.language_changed.emit(code)

    def draft(self) -> dict[str, Any]:
        code = self.language_combo.currentData()
        return {"language": code} if code != i18n.current_language() else {}

    def restore(self, draft: dict[str, Any]) -> None:
        if isinstance(draft.get("language"), str):
            self._select_language(draft["language"])

    def clear(self) -> None:
        super().clear()
        for label in (self.name_label, self.roles_label, self.last_login_label):
            label.clear()
        self._select_language(i18n.current_language())
