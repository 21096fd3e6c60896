"""Unsaved input, kept encrypted in the database: every few seconds while a form is being
filled in, and for every page when the desk locks. After a lock, a crash or a power cut,
the same person gets it back at the next unlock.

A draft stays in the database until the page saves or discards it, or until the next lock
replaces the drafts: handing it back does not delete it, so a second crash right after an
unlock loses nothing either.

Each draft is sealed with a key only its author holds (derived from their account key): a
colleague holding the database key can neither read it nor write one that opens, so a
draft edited by hand is passed over, never given back. Counselling notes typed in a draft
(its "notes" entry) are sealed under the notes key inside it, as saved notes are.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import clock, crypto
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import Draft

PageDrafts = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class SavedDraft:
    values: dict[str, Any]
    saved_at: datetime


NOTES = "notes"
_SEALED_NOTES = "sealed_notes"


def keep(desk: OpenDesk, drafts: PageDrafts) -> None:
    """Replace the signed-in user's drafts with `drafts` (page name → field values)."""
    now = clock.now()
    with desk.transaction() as session:
        repositories.delete_drafts(session, desk.user.id)
        session.add_all(
            Draft(
                user_id=desk.user.id,
                page=page,
                content=_sealed_draft(desk, page, _sealed(desk, page, values)),
                updated_at=now,
            )
            for page, values in drafts.items()
            if values
        )


def load(desk: OpenDesk) -> dict[str, SavedDraft]:
    """The signed-in user's drafts, with when each was saved."""
    with desk.transaction() as session:
        rows = [
            (r.page, r.content, r.updated_at) for r in repositories.drafts_of(session, desk.user.id)
        ]
    kept = {}
    for page, content, saved_at in rows:
        values = _opened_draft(desk, page, content)
        if values is not None:
            kept[page] = SavedDraft(_opened(desk, page, values), saved_at)
    return kept


_DRAFTS_KEY = b"havre drafts v1"


def _sealed_draft(desk: OpenDesk, page: str, values: dict[str, Any]) -> str:
    text = json.dumps(values)
    key = desk.own_key(_DRAFTS_KEY)
    if key is None:
        return text  # an account without its own key yet (a desk made before them)
    sealed = crypto.encrypt_text(key, text, _draft_context(desk, page))
    return base64.b64encode(sealed).decode("ascii")


def _opened_draft(desk: OpenDesk, page: str, content: str) -> dict[str, Any] | None:
    """The draft's values, or None for one that is not this person's as they wrote it."""
    key = desk.own_key(_DRAFTS_KEY)
    try:
        if key is None:
            values = json.loads(content)
        else:
            sealed = base64.b64decode(content, validate=True)
            values = json.loads(crypto.decrypt_text(key, sealed, _draft_context(desk, page)))
    except (binascii.Error, ValueError, crypto.UnwrapError):
        return None
    return values if isinstance(values, dict) else None


def _draft_context(desk: OpenDesk, page: str) -> bytes:
    return f"draft/{desk.user.id}/{page}".encode()


def _sealed(desk: OpenDesk, page: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with its notes encrypted under the notes key (dropped without it: they
    could not have been typed)."""
    if NOTES not in values:
        return values
    kept = {key: value for key, value in values.items() if key != NOTES}
    if desk.holds_notes_key:
        sealed = crypto.encrypt_text(
            desk.notes_key(), json.dumps(values[NOTES]), _context(desk, page)
        )
        kept[_SEALED_NOTES] = base64.b64encode(sealed).decode("ascii")
    return kept


def _opened(desk: OpenDesk, page: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with its notes readable again, for a holder of the notes key."""
    if _SEALED_NOTES not in values:
        return values
    opened = {key: value for key, value in values.items() if key != _SEALED_NOTES}
    if desk.holds_notes_key:
        try:
            sealed = base64.b64decode(str(values[_SEALED_NOTES]), validate=True)
            text = crypto.decrypt_text(desk.notes_key(), sealed, _context(desk, page))
            opened[NOTES] = json.loads(text)
        except (binascii.Error, ValueError, crypto.UnwrapError):
            pass  # not sealed by this person for this page: nothing to give back
    return opened


def _context(desk: OpenDesk, page: str) -> bytes:
    """Binds sealed notes to their owner and page: copied to another draft, they do not open."""
    return f"draft/{desk.user.id}/{page}/notes".encode()
