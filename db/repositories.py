"""Queries over a desk database session. Services call these and turn rows into dataclasses."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import (
    AuditEvent,
    Desk,
    DeskAgeIdentity,
    DeskSigningKey,
    Draft,
    Setting,
    User,
    UserRole,
)


def the_desk(session: Session) -> Desk | None:
    return session.scalars(select(Desk)).one_or_none()


def user_by_id(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def user_by_name_key(session: Session, name_key: str) -> User | None:
    return session.scalars(select(User).where(User.name_key == name_key)).one_or_none()


def all_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.name_key)).all()


def roles_of(session: Session, user_id: str) -> set[str]:
    return set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def roles_by_user(session: Session) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for user_id, role in session.execute(select(UserRole.user_id, UserRole.role)):
        result.setdefault(user_id, set()).add(role)
    return result


def replace_roles(session: Session, user_id: str, roles: set[str]) -> None:
    session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    session.add_all(UserRole(user_id=user_id, role=role) for role in sorted(roles))


def setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else None


def put_setting(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))


def add_audit_event(session: Session, event: AuditEvent) -> None:
    session.add(event)


def drafts_of(session: Session, user_id: str) -> Sequence[Draft]:
    return session.scalars(select(Draft).where(Draft.user_id == user_id)).all()


def delete_drafts(session: Session, user_id: str) -> None:
    session.execute(delete(Draft).where(Draft.user_id == user_id))


def delete_draft(session: Session, user_id: str, page: str) -> None:
    session.execute(delete(Draft).where(Draft.user_id == user_id, Draft.page == page))


def signing_key(session: Session) -> DeskSigningKey | None:
    """The desk's signing key in use: the newest."""
    return session.scalars(select(DeskSigningKey).order_by(DeskSigningKey.id.desc())).first()


def signing_keys(session: Session) -> Sequence[DeskSigningKey]:
    """Every signing key the desk had, oldest first."""
    return session.scalars(select(DeskSigningKey).order_by(DeskSigningKey.id)).all()


def age_identity(session: Session) -> DeskAgeIdentity | None:
    return session.scalars(select(DeskAgeIdentity)).first()


def last_audit_event_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def last_audit_hash(session: Session) -> str | None:
    """The hash at the head of the audit chain (pending events of this session included)."""
    return session.scalar(select(AuditEvent.chain_hash).order_by(AuditEvent.id.desc()).limit(1))
