"""The roles are defined once, by app.domain.roles.Role; the database checks a role row
against the roles of its migrations. The two must agree: a role added to the domain without
a migration could not be granted, and one the migrations allow beyond the domain could be
written by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.roles import Role
from app.services.open_desk import OpenDesk
from db.models import UserRole


class _Undo(Exception):
    """Leaves the transaction, rolled back."""


def test_the_database_takes_every_role_of_the_domain(reception: OpenDesk) -> None:
    with pytest.raises(_Undo), reception.transaction() as session:
        session.execute(delete(UserRole).where(UserRole.user_id == reception.user.id))
        session.execute(
            insert(UserRole), [{"user_id": reception.user.id, "role": role} for role in Role]
        )
        held = session.scalars(select(UserRole.role).where(UserRole.user_id == reception.user.id))
        assert set(held) == set(Role)
        raise _Undo


def test_the_database_refuses_a_role_the_domain_does_not_have(reception: OpenDesk) -> None:
    with pytest.raises(IntegrityError, match="CHECK constraint failed"):
        with reception.transaction() as session:
            session.execute(insert(UserRole).values(user_id=reception.user.id, role="auditor"))
