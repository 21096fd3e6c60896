"""Reads and writes of the publication register (cells and values, never people)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import PublicationRecord, PublicationRegister, PublishedCell


def current_register(session: Session) -> PublicationRegister | None:
    return session.scalars(
        select(PublicationRegister)
        .where(PublicationRegister.ended_at.is_(None))
        .order_by(PublicationRegister.id.desc())
    ).first()


def cells_of_periods(
    session: Session, register_id: int, periods: Sequence[str]
) -> Sequence[PublishedCell]:
    return session.scalars(_cells(register_id).where(PublishedCell.period.in_(periods))).all()


def cells(session: Session, register_id: int) -> Sequence[PublishedCell]:
    return session.scalars(_cells(register_id)).all()


def _cells(register_id: int) -> Select[PublishedCell]:
    # Always in the same order: it reaches the solver (the same register, the same choices).
    return (
        select(PublishedCell)
        .where(PublishedCell.register_id == register_id)
        .order_by(
            PublishedCell.period,
            PublishedCell.element,
            PublishedCell.org_unit,
            PublishedCell.combo,
        )
    )


def records(session: Session, register_id: int) -> Sequence[PublicationRecord]:
    return session.scalars(
        select(PublicationRecord)
        .where(PublicationRecord.register_id == register_id)
        .order_by(PublicationRecord.id)
    ).all()


def cell_counts(session: Session, register_id: int) -> tuple[int, int]:
    """How many numbers of the register are published, and how many withheld."""
    rows = session.execute(
        select(PublishedCell.low.is_(None), func.count())
        .where(PublishedCell.register_id == register_id)
        .group_by(PublishedCell.low.is_(None))
    ).all()
    by_kind = {bool(withheld): count for withheld, count in rows}
    return by_kind.get(False, 0), by_kind.get(True, 0)
