"""The accounts table of the administration page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.domain.accounts import UserInfo
from app.domain.roles import roles_label
from app.i18n import _, format_datetime
from ui.models.rows_model import Index, RowsModel

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


class UsersModel(RowsModel[UserInfo]):
    def __init__(self) -> None:
        super().__init__(
            [_("User name"), _("Full name"), _("Roles"), _("Status"), _("Last sign-in")]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user = self.row_at(index)
        if user is None:
            return None
        if role == ObjectRole:
            return user
        if role == SortRole:
            return self._sort_value(user, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(user, index.column())
        return None

    @staticmethod
    def _status(user: UserInfo) -> str:
        if not user.active:
            return _("Disabled")
        if user.must_change_password:
            return _("Must choose a password")
        return _("Active")

    def _display(self, user: UserInfo, column: int) -> str:
        if column == 0:
            return user.user_name
        if column == 1:
            return user.display_name
        if column == 2:
            return roles_label(user.roles)
        if column == 3:
            return self._status(user)
        return format_datetime(user.last_login_at, "short") if user.last_login_at else _("Never")

    def _sort_value(self, user: UserInfo, column: int) -> Any:
        if column == 4:
            return user.last_login_at.timestamp() if user.last_login_at else 0.0
        return self._display(user, column).casefold()
