"""The accounts of the desk: a new account with its first password, the roles of an
existing one, disabling or enabling it, resetting its password with the recovery key."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QPushButton

from app.domain.accounts import NewAccount, UserInfo
from app.domain.roles import roles_label
from app.i18n import _, format_datetime
from app.services import accounts
from app.services.open_desk import OpenDesk
from ui import prompts, tasks
from ui.dialogs.password_dialog import PasswordDialog
from ui.models.record_model import Column
from ui.pages.admin.role_checks import RoleChecks
from ui.widgets.password_field import PasswordWithStrength
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords
from ui.widgets.side_by_side import side_by_side

#: narrower than most forms: five columns of accounts beside it
FORM_WIDTH = 330


def _status(user: UserInfo) -> str:
    if not user.active:
        return _("Disabled")
    if user.must_change_password:
        return _("Must choose a password")
    return _("Active")


def _last_sign_in(user: UserInfo) -> str:
    return format_datetime(user.last_login_at, "short") if user.last_login_at else _("Never")


def _columns() -> list[Column[UserInfo]]:
    return [
        Column(_("User name"), lambda u: u.user_name),
        # Short: the names give way to the status and the last sign-in, not their header.
        Column(_("Name"), lambda u: u.display_name),
        Column(_("Roles"), lambda u: roles_label(u.roles)),
        Column(_("Status"), _status),
        Column(
            _("Last sign-in"),
            _last_sign_in,
            lambda u: u.last_login_at.timestamp() if u.last_login_at else 0.0,
        ),
    ]


def _save(desk: OpenDesk, form: NewAccount, user_id: str, /, *, new: bool) -> str:
    # An existing account keeps its name and password here: only its roles change.
    if new:
        return accounts.add_user(desk, form, user_id).id
    return accounts.set_roles(desk, user_id, form.roles).id


def _form_of(user: UserInfo) -> NewAccount:
    return NewAccount(user.user_name, user.display_name, user.roles, "")


class AccountsTab(RecordEditor[UserInfo, NewAccount]):
    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda user: user.id,
            RecordWords(table=_("Accounts"), new=_("New account"), save=_("Save the account")),
            RecordServices(accounts.list_users, _save),
            form_of=_form_of,
            blank=lambda: NewAccount("", "", frozenset(), ""),
            make=lambda fields: fields.record(NewAccount),
            form_width=FORM_WIDTH,
        )
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText(_("e.g. a.dupont"))
        self.display_name = QLineEdit()
        self.roles = RoleChecks()
        self.add_field("user_name", _("User name"), self.user_name)
        self.add_field("display_name", _("Full name"), self.display_name)
        self.add_field("roles", _("Roles"), self.roles)
        self._password_rows()
        # TRANSLATORS: a button: the account can no longer sign in (it is kept).
        self.toggle_button = QPushButton(_("Disable"))
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button = QPushButton(_("Reset password…"))
        self.reset_button.clicked.connect(self.reset_password)
        # Under Save: what is done to an existing account, apart from editing its form.
        self.side.insertLayout(2, side_by_side(self.toggle_button, self.reset_button))
        # The names and roles give way (elided, whole in their tooltip) so that the status
        # and the last sign-in stay in view beside the form, header and all.
        header = self.table.horizontalHeader()
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.record_shown.connect(lambda _row: self._follow_record())
        self.loaded.connect(self._follow_record)
        self.saved.connect(self._told_if_added)
        self._follow_record()

    def _password_rows(self) -> None:
        """The first password of a new account, with the note on it (hidden for an
        existing account: its password is the person's own)."""
        self.password = PasswordWithStrength(self.user_name.text)
        self.password.edit.setAccessibleName(_("First password"))
        self.fields.add("password", self.password.edit)
        self.password_note = QLabel(
            _("The person chooses their own password at their first sign-in.")
        )
        self.password_note.setWordWrap(True)
        self.form.addRow(_("First password"), self.password)
        self.form.addRow("", self.fields.error_label("password"))
        self.form.addRow("", self.password_note)

    def user(self) -> UserInfo | None:
        """The account in the form, once listed; None for a new one."""
        number = None if self.editing is None else self.model.number_of(self.editing)
        return None if number is None else self.model.row(number)

    def _follow_record(self) -> None:
        existing, user = self.editing is not None, self.user()
        # No service renames an account: its names are shown, not edited.
        self.user_name.setReadOnly(existing)
        self.display_name.setReadOnly(existing)
        self.form.setRowVisible(self.password, not existing)
        self.form.setRowVisible(self.password_note, not existing)
        self.toggle_button.setEnabled(user is not None)
        self.toggle_button.setText(_("Enable…") if user and not user.active else _("Disable"))
        self.reset_button.setEnabled(user is not None and user.active)

    def _told_if_added(self, user_id: str) -> None:
        # Saved before the list is read again: an account not listed yet was just added.
        if self.model.number_of(user_id) is not None:
            return
        prompts.show_info(
            self,
            _(
                "The account {name} was added. Give the person their first password "
                "in person; they will choose their own at the first sign-in."
            ).format(name=self.user_name.text().strip()),
        )

    def toggle_active(self) -> None:
        desk, user = self.desk, self.user()
        if desk is None or user is None:
            return
        if not user.active:
            dialog = PasswordDialog(
                _("Enable {name}").format(name=user.user_name),
                _(
                    "Give the account a first password; the person chooses their own at the "
                    "next sign-in."
                ),
                lambda v: accounts.enable_user(desk, user.id, v["password"]),
                user_name=user.user_name,
                parent=self,
            )
            dialog.accepted.connect(lambda: self.reload(select=user.id))
            dialog.open()
            return
        if prompts.confirm(
            self,
            _("Disable the account {name}? Its password will no longer open the desk.").format(
                name=user.user_name
            ),
            _("Disable"),
        ):
            tasks.run(
                self,
                lambda: accounts.disable_user(desk, user.id),
                lambda _user: self.reload(select=user.id),
            )

    def reset_password(self) -> None:
        desk, user = self.desk, self.user()
        if desk is None or user is None:
            return
        dialog = PasswordDialog(
            _("Reset the password of {name}").format(name=user.user_name),
            _(
                "Resetting a password needs the desk's recovery key (the sealed sheet printed at "
                "set-up). The person chooses their own password at the next sign-in."
            ),
            lambda v: accounts.reset_password(desk, user.id, v["recovery_key"], v["password"]),
            ask_recovery_key=True,
            user_name=user.user_name,
            parent=self,
        )
        dialog.accepted.connect(lambda: self.reload(select=user.id))
        dialog.open()

    # -- drafts: what is typed, never the password -------------------------------------------

    def draft(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.editing is not None:
            user = self.user()
            if user is not None and self.roles.value() == user.roles:
                return {}  # an account shown as it is: nothing typed to keep
            values["account"] = self.editing
        if self.user_name.text() or self.display_name.text():
            values["user_name"] = self.user_name.text()
            values["display_name"] = self.display_name.text()
        roles = sorted(role.value for role in self.roles.value())
        if roles:
            values["roles"] = roles
        if values and self.editing is None:
            values["new_account"] = self.new_id
        return values

    def restore(self, draft: dict[str, Any]) -> None:
        account = draft.get("account")
        editing = account if isinstance(account, str) else None
        super().restore({"id": editing, "new": draft.get("new_account")})
        self.user_name.setText(str(draft.get("user_name", "")))
        self.display_name.setText(str(draft.get("display_name", "")))
        roles = draft.get("roles")
        self.roles.set_value(roles if isinstance(roles, list) else [])
        self._follow_record()
