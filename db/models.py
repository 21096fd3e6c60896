"""The tables of a desk database (SQLAlchemy 2 typed mappings).

Constraint names come from one naming convention so that Alembic's batch mode can always
find and rebuild them on SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLE_CODES = ("reception", "counsellor", "coordinator", "admin")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes in, stored as naive UTC text, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Desk(Base):
    """The one desk this database belongs to."""

    __tablename__ = "desk"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(12))
    organisation: Mapped[str] = mapped_column(String(160))
    nis_code: Mapped[str] = mapped_column(String(5))
    network_name: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(5))
    is_demo: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="is_demo"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeskSigningKey(Base):
    """The desk's Ed25519 key; it never leaves the encrypted database."""

    __tablename__ = "desk_signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[str] = mapped_column(ForeignKey("desk.id"))
    algorithm: Mapped[str] = mapped_column(String(16))
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Setting(Base):
    """Desk settings that matter for security (idle lock...), kept inside the encryption."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64))
    # The casefolded name, unique: "Anna" and "anna" are the same account.
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="active"))
    must_change_password: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="must_change_password")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (
        CheckConstraint(
            "role IN ({})".format(", ".join(f"'{code}'" for code in ROLE_CODES)), name="role"
        ),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class AuditEvent(Base):
    """Who did what and when: ids and codes only, never case data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(48))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str] = mapped_column(String(16))


class Draft(Base):
    """Unsaved input of a page, kept encrypted while the desk is locked."""

    __tablename__ = "draft"

    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), primary_key=True)
    page: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
