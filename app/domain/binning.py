"""Bands used by the forms and the monthly counts. Every edge is unit-tested: Primero's
elapsed-time binning puts day 4 into "0–3 days", the off-by-one this module must not have."""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from app.domain.codes import DatePrecision

MAX_AGE = 120


class AgeBand(StrEnum):
    """GBVIMS survivor age bands."""

    AGE_0_11 = "0-11"
    AGE_12_17 = "12-17"
    AGE_18_25 = "18-25"
    AGE_26_40 = "26-40"
    AGE_41_60 = "41-60"
    AGE_61_PLUS = "61+"
    UNKNOWN = "unknown"


_AGE_BANDS = (
    (11, AgeBand.AGE_0_11),
    (17, AgeBand.AGE_12_17),
    (25, AgeBand.AGE_18_25),
    (40, AgeBand.AGE_26_40),
    (60, AgeBand.AGE_41_60),
)


def age_band(age: int | None) -> AgeBand:
    if age is None:
        return AgeBand.UNKNOWN
    if not 0 <= age <= MAX_AGE:
        raise ValueError(f"age out of range: {age}")
    for highest, band in _AGE_BANDS:
        if age <= highest:
            return band
    return AgeBand.AGE_61_PLUS


def is_minor(age: int | None) -> bool | None:
    return None if age is None else age < 18


class ElapsedBand(StrEnum):
    """Time from the last incident to the contact (GBVIMS statistics)."""

    DAYS_0_3 = "0-3d"
    DAYS_4_5 = "4-5d"
    DAYS_6_14 = "6-14d"
    DAYS_15_30 = "15d-1m"
    OVER_ONE_MONTH = "1m+"
    UNKNOWN = "unknown"


def elapsed_band(incident: date | None, precision: DatePrecision, contact: date) -> ElapsedBand:
    """Whole days from the incident to the contact: 0–3, 4–5, 6–14, 15–30, then over a month.

    With only the month known, the band is "over a month" when even the month's last day is
    more than 30 days before the contact, and unknown otherwise (a guess would bias the
    early bands that matter for forensic care).
    """
    if incident is None:
        return ElapsedBand.UNKNOWN
    if precision is DatePrecision.MONTH:
        last_day = incident.replace(day=calendar.monthrange(incident.year, incident.month)[1])
        days = (contact - last_day).days
        return ElapsedBand.OVER_ONE_MONTH if days > 30 else ElapsedBand.UNKNOWN
    days = (contact - incident).days
    if days < 0:
        raise ValueError("incident after the contact")
    if days <= 3:
        return ElapsedBand.DAYS_0_3
    if days <= 5:
        return ElapsedBand.DAYS_4_5
    if days <= 14:
        return ElapsedBand.DAYS_6_14
    if days <= 30:
        return ElapsedBand.DAYS_15_30
    return ElapsedBand.OVER_ONE_MONTH


class DurationBand(StrEnum):
    UNDER_15 = "<15"
    FROM_15_TO_30 = "15-30"
    FROM_30_TO_60 = "30-60"
    OVER_60 = ">60"


def duration_band(minutes: int) -> DurationBand:
    """Session length bands: under 15 minutes, 15–30, 31–60, over 60."""
    if minutes < 0:
        raise ValueError("negative duration")
    if minutes < 15:
        return DurationBand.UNDER_15
    if minutes <= 30:
        return DurationBand.FROM_15_TO_30
    if minutes <= 60:
        return DurationBand.FROM_30_TO_60
    return DurationBand.OVER_60
