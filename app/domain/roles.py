"""Roles are by purpose; a person may hold several (docs/security-model.md)."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_, _


class Role(StrEnum):
    RECEPTION = "reception"
    COUNSELLOR = "counsellor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _(_ROLE_LABELS[self])


# What any account holding a role may read: the desk's settings, its public key.
EVERY_ROLE = tuple(Role)


_ROLE_LABELS = {
    Role.RECEPTION: N_("Reception"),
    Role.COUNSELLOR: N_("Counsellor"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMIN: N_("Administrator"),
}


def roles_label(roles: frozenset[Role]) -> str:
    """The roles in their fixed order, for status lines and lists."""
    return ", ".join(role.label for role in Role if role in roles)
