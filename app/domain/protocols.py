"""Intervention protocols: the network's step-by-step checklists a desk worker
follows during an intake ("immediate danger", "victim wants to file a complaint").

A protocol is written in one or more languages and shown in the screen's language when it
has it. Each version is kept as it was: a contact's ticks name the version they were made
on, so an edit is always a new version."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.domain.codes import ProtocolStatus
from app.errors import ValidationError
from app.i18n import _

LANGUAGES = ("fr", "nl", "en", "de")
MAX_STEPS = 40
MAX_TEXT = 600
MAX_TITLE = 160
MAX_VERSION = 100_000
_KEY = re.compile(r"[a-z0-9_]{2,64}")
_STEP_ID = re.compile(r"[a-z0-9_]{1,16}")


@dataclass(frozen=True)
class ProtocolStep:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class Protocol:
    key: str
    version: int
    status: ProtocolStatus
    title: dict[str, str]
    steps: tuple[ProtocolStep, ...]
    #: where the content comes from (for the network's review)
    sources: tuple[str, ...] = ()

    def title_in(self, language: str) -> str:
        return in_language(self.title, language)

    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)


@dataclass(frozen=True)
class ProtocolUseForm:
    """A protocol followed during a contact: which version, which steps ticked."""

    key: str
    version: int
    ticked: frozenset[str]


def in_language(texts: dict[str, str], language: str) -> str:
    """The text in `language`, else in the first language it has (English first)."""
    for code in (language, "en", *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def _texts(raw: Any, what: str, limit: int) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValidationError(what, field="protocol")
    texts = {
        code: value.strip()
        for code, value in raw.items()
        if code in LANGUAGES and isinstance(value, str) and value.strip()
    }
    if not texts or any(len(value) > limit for value in texts.values()):
        raise ValidationError(what, field="protocol")
    return texts


def protocol_from_json(raw: Any) -> Protocol:
    """A protocol from its stored or packed form; a `ValidationError` says what is wrong."""
    if not isinstance(raw, dict):
        raise ValidationError(_("A protocol is not readable."), field="protocol")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValidationError(_("A protocol has no valid key."), field="protocol")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        version = 0
    if not 1 <= version <= MAX_VERSION:
        raise ValidationError(
            _("The protocol {key} has no valid version number.").format(key=key),
            field="protocol",
        )
    status = ProtocolStatus.parse(str(raw.get("status", "")))
    if status is None:
        raise ValidationError(
            _("The protocol {key} has no valid status (draft or approved).").format(key=key),
            field="protocol",
        )
    title = _texts(
        raw.get("title"), _("The protocol {key} has no title.").format(key=key), MAX_TITLE
    )
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValidationError(
            _("The protocol {key} has no steps.").format(key=key), field="protocol"
        )
    if len(raw_steps) > MAX_STEPS:
        raise ValidationError(
            _("The protocol {key} has more than {most} steps.").format(key=key, most=MAX_STEPS),
            field="protocol",
        )
    steps: list[ProtocolStep] = []
    for number, raw_step in enumerate(raw_steps, start=1):
        missing = _("Step {number} of the protocol {key} is missing or has no text.").format(
            number=number, key=key
        )
        if not isinstance(raw_step, dict):
            raise ValidationError(missing, field="protocol")
        step_id = raw_step.get("id")
        if not isinstance(step_id, str) or not _STEP_ID.fullmatch(step_id):
            raise ValidationError(missing, field="protocol")
        steps.append(ProtocolStep(step_id, _texts(raw_step.get("text"), missing, MAX_TEXT)))
    if len({step.id for step in steps}) != len(steps):
        raise ValidationError(
            _("The protocol {key} names two steps the same.").format(key=key), field="protocol"
        )
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValidationError(
            _("The protocol {key} has unreadable sources.").format(key=key), field="protocol"
        )
    return Protocol(key, version, status, title, tuple(steps), tuple(sources))


def protocol_to_json(protocol: Protocol) -> dict[str, Any]:
    return {
        "key": protocol.key,
        "version": protocol.version,
        "status": protocol.status.value,
        "title": dict(sorted(protocol.title.items())),
        "steps": [
            {"id": step.id, "text": dict(sorted(step.text.items()))} for step in protocol.steps
        ],
        "sources": list(protocol.sources),
    }


def key_for(title: str, taken: set[str]) -> str:
    """A new protocol's key from its title: ASCII letters and digits, unique on the desk."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    ascii_title = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = re.sub(r"[^a-z0-9]+", "_", ascii_title).strip("_")[:48] or "protocol"
    base = base if len(base) >= 2 else f"protocol_{base}"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def first_version(key: str, language: str, title: str, steps: list[str]) -> Protocol:
    """A protocol the network writes itself: version 1, a draft until it approves it."""
    blank = Protocol(key, 0, ProtocolStatus.DRAFT, {language: title or "?"}, ())
    return edited(blank, language, title, steps, ProtocolStatus.DRAFT)


def edited(
    previous: Protocol, language: str, title: str, steps: list[str], status: ProtocolStatus
) -> Protocol:
    """The next version of `previous`, with its title and steps in `language` as typed (one
    step per line). Steps whose text is unchanged keep their other languages."""
    lines = [line.strip() for line in steps if line.strip()]
    if not lines:
        raise ValidationError(_("A protocol needs at least one step."), field="steps")
    if not title.strip():
        raise ValidationError(_("The title cannot be empty."), field="title")
    old = {in_language(step.text, language): step for step in previous.steps}
    new_steps = []
    for number, line in enumerate(lines, start=1):
        kept = old.get(line)
        texts = dict(kept.text) if kept else {}
        texts[language] = line
        new_steps.append({"id": f"s{number}", "text": texts})
    return protocol_from_json(
        {
            "key": previous.key,
            "version": previous.version + 1,
            "status": status.value,
            "title": {**previous.title, language: title.strip()},
            "steps": new_steps,
            "sources": list(previous.sources),
        }
    )


def validate_use(use: ProtocolUseForm, protocol: Protocol) -> ProtocolUseForm:
    unknown = use.ticked - set(protocol.step_ids())
    if unknown:
        raise ValidationError(
            _("Some ticked steps are not in this version of the protocol."), field="protocols"
        )
    return use
