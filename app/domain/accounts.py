"""Accounts as the rest of Havre sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.roles import Role


@dataclass(frozen=True)
class UserInfo:
    id: str
    user_name: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None

    def has(self, role: Role) -> bool:
        return role in self.roles

    def has_any(self, roles: tuple[Role, ...]) -> bool:
        return any(role in self.roles for role in roles)


@dataclass(frozen=True)
class NewAccount:
    user_name: str
    display_name: str
    roles: frozenset[Role]
    password: str
