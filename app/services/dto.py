"""Database rows turned into the frozen dataclasses that leave the service layer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.accounts import UserInfo
from app.domain.codes import read_codes
from app.domain.desk import DeskInfo
from app.domain.roles import Role
from db import repositories
from db.models import Desk, User


def desk_info(desk: Desk) -> DeskInfo:
    return DeskInfo(
        id=desk.id,
        name=desk.name,
        code=desk.code,
        organisation=desk.organisation,
        nis_code=desk.nis_code,
        network_name=desk.network_name,
        language=desk.language,
        is_demo=desk.is_demo,
        created_at=desk.created_at,
    )


def user_info(user: User, roles: set[str]) -> UserInfo:
    return UserInfo(
        id=user.id,
        user_name=user.user_name,
        display_name=user.display_name,
        roles=read_codes(Role, roles),
        active=user.active,
        must_change_password=user.must_change_password,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def load_user_info(session: Session, user: User) -> UserInfo:
    return user_info(user, repositories.roles_of(session, user.id))
