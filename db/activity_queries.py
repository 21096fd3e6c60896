"""Reads of activities and emergency housing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, ActivityListEntry, HousingStay, HousingUnit


def activities_between(session: Session, first: date, end: date) -> Sequence[Activity]:
    """Activities held from `first` up to `end` (excluded), oldest first."""
    return session.scalars(
        select(Activity)
        .where(Activity.held_on >= first, Activity.held_on < end)
        .order_by(Activity.held_on, Activity.title)
    ).all()


def housing_units(session: Session) -> Sequence[HousingUnit]:
    return session.scalars(select(HousingUnit).order_by(HousingUnit.name)).all()


def housing_stays(session: Session) -> Sequence[HousingStay]:
    return session.scalars(
        select(HousingStay).order_by(HousingStay.unit_id, HousingStay.starts_on)
    ).all()


def list_entries(session: Session) -> Sequence[ActivityListEntry]:
    """The entries of the desk's lists of kinds and audiences, in the order they were made."""
    return session.scalars(
        select(ActivityListEntry).order_by(ActivityListEntry.list_name, ActivityListEntry.position)
    ).all()


def list_entries_in_use(session: Session, column: str) -> set[str]:
    """The codes activities are recorded with, in their `column` ("kind" or "audience")."""
    stored = getattr(Activity, column)
    return set(session.scalars(select(stored).distinct()).all())
