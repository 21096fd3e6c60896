"""When is a person being recorded likely someone the desk already knows? Pure rules, used
as reception types (the service asks the database for the few rows worth comparing).

- Strong: the same phone number (compared as digits, whatever the spaces, dots, slashes,
  dashes or brackets, and with or without the Belgian +32 / 0032 / 0 prefix) or the same
  e-mail address (case ignored). A number must be complete (8 digits at least once the
  prefix is gone) before it is compared: a half-typed number matches nothing.
- Medium: a close pseudonym together with the same birth year (give or take one: an age
  is recorded at a case's opening, and birthdays fall anywhere in the year) or the same
  municipality. A pseudonym alone is not enough: many people are called Marie.
- Close pseudonyms, compared without accents and case, word by word: equal words; a word
  typed with a dot is an abbreviation of any word it begins ("Nad." is "Nadia", "Nadine";
  two letters at least before the dot in a first word, one in the next: "Marie D." is
  "Marie Dubois", "N." is not "Nadia"); one typo (a letter more, less, replaced, or two
  swapped) in words of four letters or more. The first letter must agree: it is how the
  database narrows the search, and a name is rarely misheard at its start. "Marie" is
  close to "Marie D.": the words of the shorter pseudonym match the first of the other.
- Empty values never match, nor do the form's defaults: an unknown age, a municipality
  not recorded, or "outside the listed municipalities" (which says where someone does
  not live).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain.codes import CaseStatus
from app.domain.intake import NOT_RECORDED, OUTSIDE_AREA, search_key

MIN_PHONE_DIGITS = 8
BIRTH_YEAR_TOLERANCE = 1
MIN_ABBREVIATION = 2
MIN_TYPO_LENGTH = 4
_SEPARATORS = re.compile(r"[\s./()\-]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WORD = re.compile(r"[^\W_]+\.?")


class MatchedField(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    PSEUDONYM = "pseudonym"
    BIRTH_YEAR = "birth_year"
    MUNICIPALITY = "municipality"


STRONG_FIELDS = frozenset({MatchedField.PHONE, MatchedField.EMAIL})


@dataclass(frozen=True)
class DuplicateProbe:
    """What has been typed so far about the person, as typed."""

    pseudonym: str = ""
    phone: str = ""
    email: str = ""
    age: int | None = None
    #: NIS code, OUTSIDE_AREA or NOT_RECORDED
    municipality: str = NOT_RECORDED


@dataclass(frozen=True)
class KnownPerson:
    """A person of an existing case, as the database gives it for comparing."""

    pseudonym: str
    phone: str
    email: str
    age: int | None
    municipality: str
    #: when the case was opened: the day its age was true
    opened_at: datetime


@dataclass(frozen=True)
class DuplicateCandidate:
    """A case that may be the same person's: only what reception sees of a case in the
    case list (no notes, no contact details), and which fields matched."""

    case_id: str
    case_code: str
    pseudonym: str
    age: int | None
    status: CaseStatus
    opened_at: datetime
    last_contact: datetime | None
    matched: frozenset[MatchedField]

    @property
    def strong(self) -> bool:
        return bool(self.matched & STRONG_FIELDS)


def phone_key(text: str) -> str:
    """The digits that identify a phone number, without a Belgian prefix ("470123456" for
    0470 12 34 56, 0470/12.34.56, +32 470 12 34 56, 0032470123456), or "" for anything
    not a complete number."""
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("+"):
        compact = "00" + compact[1:]
    if not compact.isdigit():
        return ""
    if compact.startswith("0032"):
        compact = compact[4:]
    digits = compact.lstrip("0")
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def email_key(text: str) -> str:
    """The address without surrounding spaces and case, or "" if it is not complete."""
    address = text.strip().casefold()
    return address if _EMAIL.fullmatch(address) else ""


def municipality_key(code: str) -> str:
    """A municipality worth comparing: never "not recorded" nor "outside"."""
    return "" if code in (NOT_RECORDED, OUTSIDE_AREA) else code


def pseudonym_words(text: str) -> list[str]:
    """The pseudonym's words without accents and case, an abbreviation keeping its dot."""
    return _WORD.findall(search_key(text))


def close_pseudonyms(typed: str, known: str) -> bool:
    return _close_word_lists(pseudonym_words(typed), pseudonym_words(known))


def _close_word_lists(first: list[str], second: list[str]) -> bool:
    if not first or not second:
        return False
    shorter, longer = sorted((first, second), key=len)
    return all(
        _close_words(a, b, MIN_ABBREVIATION if position == 0 else 1)
        for position, (a, b) in enumerate(zip(shorter, longer, strict=False))
    )


def _close_words(first: str, second: str, min_abbreviation: int) -> bool:
    if first == second:
        return True
    for short, long in ((first, second), (second, first)):
        if short.endswith("."):
            stem = short[:-1]
            if len(stem) >= min_abbreviation and long.rstrip(".").startswith(stem):
                return True
    if first.endswith(".") or second.endswith("."):
        return False
    return (
        min(len(first), len(second)) >= MIN_TYPO_LENGTH
        and first[0] == second[0]
        and _one_typo(first, second)
    )


def _one_typo(first: str, second: str) -> bool:
    """One letter more, less or replaced, or two neighbours swapped."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differ = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and first[differ[0]] == second[differ[1]]
            and first[differ[1]] == second[differ[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def birth_year(age: int, on: date) -> int:
    return on.year - age


class Matcher:
    """Compares many known persons with one probe, its values normalised once."""

    def __init__(self, probe: DuplicateProbe, today: date) -> None:
        self.phone = phone_key(probe.phone)
        self.email = email_key(probe.email)
        self.words = pseudonym_words(probe.pseudonym)
        #: where a close pseudonym must start (see the module's rules)
        self.initial = self.words[0][0] if self.words else ""
        self.birth_year = None if probe.age is None else birth_year(probe.age, today)
        self.municipality = municipality_key(probe.municipality)

    def close_to(self, pseudonym: str) -> bool:
        return _close_word_lists(self.words, pseudonym_words(pseudonym))

    def matched(self, known: KnownPerson) -> frozenset[MatchedField]:
        """The fields that make `known` a likely duplicate of the probe, or nothing when it
        is not one (a pseudonym alone, or a birth year or municipality alone, is not
        enough)."""
        matched: set[MatchedField] = set()
        if self.phone and self.phone == phone_key(known.phone):
            matched.add(MatchedField.PHONE)
        if self.email and self.email == email_key(known.email):
            matched.add(MatchedField.EMAIL)
        if (self.birth_year is not None or self.municipality) and _close_word_lists(
            self.words, pseudonym_words(known.pseudonym)
        ):
            beside: set[MatchedField] = set()
            if (
                self.birth_year is not None
                and known.age is not None
                and abs(self.birth_year - birth_year(known.age, known.opened_at.date()))
                <= BIRTH_YEAR_TOLERANCE
            ):
                beside.add(MatchedField.BIRTH_YEAR)
            if self.municipality and self.municipality == known.municipality:
                beside.add(MatchedField.MUNICIPALITY)
            if beside:
                matched |= beside | {MatchedField.PSEUDONYM}
        return frozenset(matched)


def ranked(candidates: list[DuplicateCandidate]) -> list[DuplicateCandidate]:
    """Strong matches first, then the most fields matched, then the latest contact."""
    return sorted(
        candidates,
        key=lambda c: (
            not c.strong,
            -len(c.matched),
            -(c.last_contact or c.opened_at).timestamp(),
            c.case_code,
        ),
    )
