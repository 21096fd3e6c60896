"""Every catalogue compiles, is complete for fr/nl/en/de against the source code, has no
fuzzy entry, and keeps the placeholders of each message."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import i18n, paths

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "nl", "en", "de")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sdr]|%[sdr]")


def _catalog(code: str):  # type: ignore[no-untyped-def]
    with open(paths.translations_dir() / code / "LC_MESSAGES" / "messages.po", "rb") as stream:
        return read_po(stream, locale=code)


def _source_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(context, message) of every string marked in the source: the same words in two
    contexts are two messages, each translated on its own."""
    found: set[tuple[str | None, str | tuple[str, ...]]] = set()
    keywords = {
        "_": None,
        "N_": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "npgettext": ((1, "c"), 2, 3),
        "NP_": ((1, "c"), 2),
    }
    for folder in ("app", "ui", "db"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=keywords
        ):
            found.add((context, message))
    return found


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_compiles_and_is_complete(code: str) -> None:
    catalog = _catalog(code)
    assert not catalog.fuzzy
    problems = [(message.id, errors) for message, errors in catalog.check() if errors]
    assert problems == []
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    write_mo(io.BytesIO(), catalog)
    in_catalog = {(m.context, m.id) for m in catalog if m.id}
    missing = [m for m in _source_messages() if m not in in_catalog]
    assert missing == [], "run `make i18n` and translate the new messages"


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_match(code: str) -> None:
    for message in _catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(_PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(_PLACEHOLDER.findall(string)) == expected, (code, message.id, string)


def test_translations_are_used_at_run_time() -> None:
    i18n.set_language("nl")
    assert i18n._("Sign in") == "Aanmelden"
    assert (
        i18n.ngettext(
            "Too many failed attempts. Try again in {seconds} second.",
            "Too many failed attempts. Try again in {seconds} seconds.",
            4,
        ).format(seconds=4)
        == "Te veel mislukte pogingen. Probeer opnieuw over 4 seconden."
    )
    i18n.set_language("de")
    moment = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    assert "März" in i18n.format_datetime(moment, "long")
