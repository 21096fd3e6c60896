"""The one gettext entry point of Havre, plus Babel formatting in the chosen language.

Mark strings with `_()`; mark constants with `N_()` and translate them at display time;
use `ngettext` for counts and `pgettext` for short words that need context (`NP_()` marks
such a constant, `translate()` shows it). Never pass an
f-string to `_()`: translate first, then `.format(name=...)`.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from app import paths

DOMAIN = "messages"
DEFAULT_LANGUAGE = "fr"


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str


# The UI languages, in the order offered to people (Brussels is FR/NL; Liège has DE).
LANGUAGES: tuple[Language, ...] = (
    Language("fr", "Français"),
    Language("nl", "Nederlands"),
    Language("en", "English"),
    Language("de", "Deutsch"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language: str = "en"


def set_language(code: str) -> None:
    """Switch every later `_()` call and date/number format to `code` (fr, nl, en or de)."""
    global _translations, _language
    if code not in LANGUAGE_CODES:
        code = DEFAULT_LANGUAGE
    _translations = load_catalog(code)
    _language = code


def load_catalog(code: str) -> _gettext.NullTranslations:
    """The compiled catalog for `code`; English source strings if it is missing."""
    return _gettext.translation(
        DOMAIN, localedir=str(paths.translations_dir()), languages=[code], fallback=True
    )


def current_language() -> str:
    return _language


def _(message: str) -> str:
    if not message:
        return ""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it with `_()` when it is shown."""
    return message


@dataclass(frozen=True)
class InContext:
    """A constant marked with `NP_`: its words with the context that tells them apart."""

    context: str
    message: str


def NP_(context: str, message: str) -> InContext:
    """Marks a constant whose words mean differently elsewhere ("Other" among sexes and among
    services) for extraction with its context; show it with `translate()`."""
    return InContext(context, message)


def translate(message: str | InContext) -> str:
    """A constant marked with `N_()` or `NP_()`, in the language of the screen."""
    if isinstance(message, InContext):
        return pgettext(message.context, message.message)
    return _(message)


def untranslated(message: str | InContext) -> str:
    """The English words of a constant marked with `N_()` or `NP_()`."""
    return message.message if isinstance(message, InContext) else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.npgettext(context, singular, plural, n)


def labelled(label: str, value: str) -> str:
    """A value after its label, as the language writes it: French puts a space before the
    colon ("Site web : …"), where English does not."""
    # TRANSLATORS: a label, then its value. French: "{label} : {value}".
    return _("{label}: {value}").format(label=label, value=value)


# Babel is imported on first use: loading its locale data costs start-up time the sign-in
# screen does not need.
#
# One way per language to write a day, a time and a number, on every screen and in every
# PDF: Belgian conventions in each language (the English window keeps the desk's day/month
# order and decimal comma); a day is numeric and in full, as people type it, unless a
# heading asks for words ("long", "full").
_NUMERIC_DAY = {"de": "dd.MM.yyyy"}
_NUMERIC_DAY_DEFAULT = "dd/MM/yyyy"


def babel_locale() -> str:
    """The Babel locale of the screen's language."""
    return f"{_language}_BE"


def _day_pattern(format: str) -> str:
    return _NUMERIC_DAY.get(_language, _NUMERIC_DAY_DEFAULT) if format == "short" else format


def numeric_day(day: date) -> str:
    """`day` as `format_date` writes it "short", without loading Babel: date fields show what
    they hold with it, and the examples of their messages."""
    pattern = _NUMERIC_DAY.get(_language, _NUMERIC_DAY_DEFAULT)
    return (
        pattern.replace("dd", f"{day.day:02d}")
        .replace("MM", f"{day.month:02d}")
        .replace("yyyy", f"{day.year:04d}")
    )


def numeric_month(day: date) -> str:
    """The month of `day`, written as `numeric_day` writes it without the day (03/2026,
    03.2026 in German): a last incident known to the month."""
    return numeric_day(day)[3:]


def format_datetime(value: datetime, format: str = "short") -> str:
    """On the desk's wall clock, Brussels (stored times are UTC); "short" is the numeric day
    and the time."""
    from babel.dates import format_datetime as babel_format_datetime

    from app import clock  # on first use, like Babel: not on the path to the first screen

    local = clock.local(value)
    if format == "short":
        return f"{format_date(value, 'short')} {format_time(value)}"
    return babel_format_datetime(local, format=format, tzinfo=local.tzinfo, locale=babel_locale())


def format_date(value: date | datetime, format: str = "short") -> str:
    """A day in the language of the screen (a datetime counts in Brussels time)."""
    from babel.dates import format_date as babel_format_date

    from app import clock

    day = clock.local_day(value) if isinstance(value, datetime) else value
    return babel_format_date(day, format=_day_pattern(format), locale=babel_locale())


def format_time(value: datetime) -> str:
    """Hours and minutes on the desk's wall clock, the same in every language."""
    from app import clock

    return clock.local(value).strftime("%H:%M")


def format_decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals and the language's decimal sign and grouping."""
    from babel.numbers import format_decimal as babel_format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_format_decimal(value, format=pattern, locale=babel_locale())


def format_percent(percent: float, digits: int = 0) -> str:
    """`percent` (0 to 100) with the language's decimal sign and percent spacing."""
    from babel import Locale
    from babel.numbers import format_percent as babel_format_percent

    # The language's own pattern ("#,##0 %" in German), its last digit given the decimals.
    pattern = str(Locale.parse(babel_locale()).percent_formats[None].pattern)
    last = pattern.rindex("0") + 1
    if digits:
        pattern = pattern[:last] + "." + "0" * digits + pattern[last:]
    return babel_format_percent(percent / 100, format=pattern, locale=babel_locale())


def language_name(code: str) -> str:
    """The name of language `code` (a brochure's, say) in the language of the screen."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(babel_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def weekday_names(width: Literal["abbreviated", "wide"] = "wide") -> list[str]:
    """Monday first, in the language of the screen ("abbreviated" or "wide")."""
    from babel.dates import get_day_names

    names = get_day_names(width, locale=_language)
    return [str(names[day]) for day in range(7)]
