"""The short code a desk gives each case: `<DESKCODE>-<YEAR>-<NNNN>`, e.g. SG-2026-0042.

Numbers run per desk and per year from 1 and are never reused, even when a case is purged:
the counter lives in its own table and only goes up.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"(?P<desk>[A-Z][A-Z0-9]{1,7})-(?P<year>\d{4})-(?P<number>\d{4,})")


def format_case_code(desk_code: str, year: int, number: int) -> str:
    if number < 1:
        raise ValueError("case numbers start at 1")
    return f"{desk_code}-{year:04d}-{number:04d}"


def searches_a_code(text: str) -> bool:
    """True when a search box's text is (part of) a case code rather than a pseudonym:
    every code carries digits (its year and number), a pseudonym is searched by words."""
    return any(character.isdigit() for character in text)
