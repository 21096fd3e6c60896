"""The text of the information brochure, one structured file per language in
translations/brochure/ (content, not code): what violence is, your rights, what happens
after a complaint, safety, help services (filled from the directory when printing),
emergency numbers and a glossary, always in that order."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from typing import Any

from app.errors import ValidationError
from app.i18n import _

SECTION_ORDER = (
    "what_is_violence",
    "rights",
    "after_complaint",
    "safety",
    "help_services",
    "emergency",
    "glossary",
)


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    terms: tuple[GlossaryTerm, ...] = ()


# The wallet card goes into a pocket or a bag that someone else may search: nothing on it
# may say what it is about. Stems compared without accents or case, in the ten languages.
CARD_UNSAFE_WORDS = (
    "violen",  # violence, violencia, violência, violență
    "geweld",
    "gewalt",
    "przemoc",
    "siddet",  # şiddet
    "عنف",
    "abus",
    "misbruik",
    "mishandel",
    "victim",  # victim, victime, víctima
    "vitima",  # vítima
    "slachtoffer",
    "opfer",
    "ofiar",
    "kurban",
    "ضحي",
    "femini",  # féminicide
    "conjug",
    "partner",
)


def card_safe(text: str) -> bool:
    """Whether `text` may stand on the wallet card (see CARD_UNSAFE_WORDS)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    return not any(word in plain for word in CARD_UNSAFE_WORDS)


@dataclass(frozen=True)
class PrintLabels:
    """The words of the printed layouts around the content (headings of the help services,
    the wallet card and the referral slip)."""

    near_you: str
    in_your_region: str
    everywhere: str
    always_open: str
    list_date: str  # with {date}
    to_verify: str  # after a service whose details the directory marks "to verify"
    to_verify_note: str  # what that mark means, under a list or slip that carries it
    card_title: str
    card_emergency: str
    card_police: str
    card_listening: str
    card_contact: str
    card_appointment: str
    card_notes: str
    slip_title: str
    slip_phone: str
    slip_hours: str
    slip_address: str
    slip_website: str
    slip_appointment: str
    slip_time: str
    slip_with: str


@dataclass(frozen=True)
class BrochureContent:
    language: str
    right_to_left: bool
    title: str
    subtitle: str
    labels: PrintLabels
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def all_text(self) -> str:
        """Every word of the content (what a test looks for in the printed PDF)."""
        parts = [self.title, self.subtitle]
        for s in self.sections:
            parts += [s.title, *s.paragraphs, *s.items]
            parts += [f"{t.term} {t.definition}" for t in s.terms]
        return "\n".join(parts)


class _Damaged(Exception):
    """Where a brochure file breaks the structure (turned into one message below)."""


def content_from_json(raw: Any, language: str) -> BrochureContent:
    """The content of `language`, every section present and in order, or a refusal."""
    try:
        return _content(raw, language)
    except _Damaged as damaged:
        raise ValidationError(
            _("The brochure text in {language} is damaged: {reason}.").format(
                language=language, reason=damaged
            ),
            field="language",
        ) from None


def _content(raw: Any, language: str) -> BrochureContent:
    if not isinstance(raw, dict) or raw.get("language") != language:
        raise _Damaged("language")
    if raw.get("direction") not in ("ltr", "rtl"):
        raise _Damaged("direction")
    sections_raw = raw.get("sections")
    if not isinstance(sections_raw, list):
        raise _Damaged("sections")
    sections = tuple(_section(item) for item in sections_raw)
    if tuple(s.id for s in sections) != SECTION_ORDER:
        raise _Damaged("sections")
    title, subtitle = raw.get("title"), raw.get("subtitle")
    if not isinstance(title, str) or not title.strip() or not isinstance(subtitle, str):
        raise _Damaged("title")
    return BrochureContent(
        language, raw["direction"] == "rtl", title, subtitle, _labels(raw.get("print")), sections
    )


def _labels(raw: Any) -> PrintLabels:
    names = [f.name for f in fields(PrintLabels)]
    if not isinstance(raw, dict):
        raise _Damaged("print")
    for name in names:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise _Damaged(f"print.{name}")
        if name.startswith("card_") and not card_safe(raw[name]):
            raise _Damaged(f"print.{name} (a word the wallet card must not show)")
    if "{date}" not in raw["list_date"]:
        raise _Damaged("print.list_date")
    return PrintLabels(**{name: raw[name] for name in names})


def _section(raw: Any) -> Section:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"]:
        raise _Damaged("section")
    where = raw.get("id")
    texts = {name: raw.get(name, []) for name in ("paragraphs", "items")}
    for name, value in texts.items():
        if not isinstance(value, list) or not all(isinstance(t, str) and t for t in value):
            raise _Damaged(f"{where}.{name}")
    terms_raw = raw.get("terms", [])
    if not isinstance(terms_raw, list) or not all(
        isinstance(t, dict) and t.get("term") and t.get("definition") for t in terms_raw
    ):
        raise _Damaged(f"{where}.terms")
    section = Section(
        id=str(where),
        title=raw["title"],
        paragraphs=tuple(texts["paragraphs"]),
        items=tuple(texts["items"]),
        terms=tuple(GlossaryTerm(str(t["term"]), str(t["definition"])) for t in terms_raw),
    )
    if not (section.paragraphs or section.items or section.terms):
        raise _Damaged(section.id)
    return section
