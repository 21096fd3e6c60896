"""One way per language to write a day, a time and a number (Belgian conventions), whoever
asks: a screen, a PDF, Qt's own widgets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QLocale

from app import i18n

DAY = date(2026, 12, 2)
# 8:05 in Brussels (UTC+1 in December).
MOMENT = datetime(2026, 12, 2, 7, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("code", "numeric", "medium", "full"),
    [
        ("fr", "02/12/2026", "2 déc. 2026", "mercredi 2 décembre 2026"),
        ("nl", "02/12/2026", "2 dec 2026", "woensdag 2 december 2026"),
        ("de", "02.12.2026", "02.12.2026", "Mittwoch, 2. Dezember 2026"),
        ("en", "02/12/2026", "02 Dec 2026", "Wednesday, 2 December 2026"),
    ],
)
def test_one_way_to_write_a_day_per_language(
    code: str, numeric: str, medium: str, full: str
) -> None:
    i18n.set_language(code)
    assert i18n.format_date(DAY) == numeric
    assert i18n.format_date(DAY, "medium") == medium
    assert i18n.format_date(DAY, "full") == full
    assert i18n.format_datetime(MOMENT) == f"{numeric} 08:05"
    assert i18n.format_time(MOMENT) == "08:05"


@pytest.mark.parametrize(
    ("code", "decimal", "share", "thousands"),
    [
        ("fr", "0,5", "12,5\u00a0%", "12\u202f345"),
        ("nl", "0,5", "12,5%", "12.345"),
        ("de", "0,5", "12,5\u00a0%", "12.345"),
        ("en", "0,5", "12,5%", "12.345"),
    ],
)
def test_one_way_to_write_a_number_per_language(
    code: str, decimal: str, share: str, thousands: str
) -> None:
    i18n.set_language(code)
    assert i18n.format_decimal(0.5) == decimal
    assert i18n.format_percent(12.5, 1) == share
    assert i18n.format_decimal(12345, 0) == thousands


@pytest.mark.parametrize("code", ["fr", "nl", "de", "en"])
def test_qt_writes_a_day_as_babel_does(code: str) -> None:
    i18n.set_language(code)
    locale = QLocale(i18n.babel_locale())
    qt_day = locale.toString(QDate(2026, 12, 2), QLocale.FormatType.LongFormat)
    assert qt_day == i18n.format_date(DAY, "full")
