"""Password rules and a strength estimate shown while a password is typed.

The estimate is deliberately simple and conservative: character-pool entropy, cut down for
repeats, keyboard and digit runs, the user's own name and well-known passwords in our four
languages. Long passphrases of ordinary words score well, which is what we want people to use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.errors import ValidationError
from app.i18n import N_, _, ngettext

MIN_LENGTH = 10
MIN_SCORE = 2

_COMMON = frozenset(
    {
        "password",
        "motdepasse",
        "wachtwoord",
        "passwort",
        "azerty",
        "qwerty",
        "qwertz",
        "123456789",
        "1234567890",
        "0123456789",
        "bonjour",
        "soleil",
        "welkom",
        "hallo",
        "iloveyou",
        "jetaime",
        "admin",
        "administrator",
        "havre",
        "belgique",
        "belgie",
        "bruxelles",
        "brussel",
        "azertyuiop",
        "qwertyuiop",
        "letmein",
        "welcome",
    }
)
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "azertyuiop", "qwertyuiop", "qwertzuiop")

_LABELS = (
    N_("Very weak"),
    N_("Weak"),
    N_("Fair"),
    N_("Good"),
    N_("Strong"),
)


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) to 4 (strong)
    bits: float

    @property
    def label(self) -> str:
        return _(_LABELS[self.score])

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE


def estimate(password: str, user_name: str = "") -> Strength:
    lowered = password.casefold()
    if not password or lowered in _COMMON or (user_name and user_name.casefold() in lowered):
        return Strength(0, 0.0)
    pool = 0
    pool += 26 if any(c.islower() for c in password) else 0
    pool += 26 if any(c.isupper() for c in password) else 0
    pool += 10 if any(c.isdigit() for c in password) else 0
    pool += 33 if any(not c.isalnum() and c.isascii() for c in password) else 0
    pool += 100 if any(not c.isascii() for c in password) else 0
    effective_length = _effective_length(lowered)
    bits = effective_length * math.log2(max(pool, 2))
    for word in _COMMON:
        if word in lowered:
            bits -= len(word) * 3
    bits = max(bits, 0.0)
    score = 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 60 else 3 if bits < 80 else 4
    return Strength(score, bits)


def _effective_length(text: str) -> float:
    """Length, counting a repeated character or a step of a keyboard/digit run as a third."""
    length = 0.0
    for index, char in enumerate(text):
        previous = text[index - 1] if index else ""
        in_run = bool(previous) and any(previous + char in run for run in _RUNS)
        length += 1 / 3 if char == previous or in_run else 1
    return length


def check_new_password(password: str, user_name: str = "") -> None:
    """Refuse a password too short or too easy to guess, saying what to do instead."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            ngettext(
                "The password needs at least {count} character. "
                "A few ordinary words in a row make a strong password that is easy to remember.",
                "The password needs at least {count} characters. "
                "A few ordinary words in a row make a strong password that is easy to remember.",
                MIN_LENGTH,
            ).format(count=MIN_LENGTH),
            field="password",
        )
    if not estimate(password, user_name).acceptable:
        raise ValidationError(
            _(
                "This password is too easy to guess. Make it longer, "
                "or use a few unrelated words, and avoid your user name."
            ),
            field="password",
        )
