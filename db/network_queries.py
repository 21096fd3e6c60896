"""Reads of the counts files the network received and of their numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import NetworkCount, ReceivedCounts


def current_file(session: Session, desk_code: str, period: str) -> ReceivedCounts | None:
    return session.scalars(
        select(ReceivedCounts).where(
            ReceivedCounts.desk_code == desk_code,
            ReceivedCounts.period == period,
            ReceivedCounts.replaced_by.is_(None),
        )
    ).first()


def current_files(session: Session) -> Sequence[ReceivedCounts]:
    return session.scalars(
        select(ReceivedCounts)
        .where(ReceivedCounts.replaced_by.is_(None))
        .order_by(ReceivedCounts.period, ReceivedCounts.desk_code)
    ).all()


def counts_of_periods(session: Session, periods: Sequence[str]) -> Sequence[NetworkCount]:
    return session.scalars(select(NetworkCount).where(NetworkCount.period.in_(periods))).all()


def longest_audit_head_before(session: Session, desk_code: str, before: datetime) -> int | None:
    """The longest audit log a desk reported in the files it exported before `before`."""
    return session.scalar(
        select(func.max(ReceivedCounts.audit_head)).where(
            ReceivedCounts.desk_code == desk_code, ReceivedCounts.exported_at < before
        )
    )
