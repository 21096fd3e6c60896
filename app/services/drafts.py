"""Unsaved input, kept encrypted in the database: every few seconds while a form is being
filled in, and for every page when the desk locks. After a lock, a crash or a power cut,
the same person gets it back at the next unlock.

A draft stays in the database until the page saves or discards it, or until the next lock
replaces the drafts: handing it back does not delete it, so a second crash right after an
unlock loses nothing either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import clock
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import Draft

PageDrafts = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class SavedDraft:
    values: dict[str, Any]
    saved_at: datetime


def keep(desk: OpenDesk, drafts: PageDrafts) -> None:
    """Replace the signed-in user's drafts with `drafts` (page name → field values)."""
    now = clock.now()
    with desk.transaction() as session:
        repositories.delete_drafts(session, desk.user.id)
        session.add_all(
            Draft(user_id=desk.user.id, page=page, content=json.dumps(values), updated_at=now)
            for page, values in drafts.items()
            if values
        )


def save_page(desk: OpenDesk, page: str, values: dict[str, Any]) -> None:
    """Keep (or, for empty `values`, forget) the draft of one page."""
    with desk.transaction() as session:
        repositories.delete_draft(session, desk.user.id, page)
        if values:
            session.add(
                Draft(
                    user_id=desk.user.id,
                    page=page,
                    content=json.dumps(values),
                    updated_at=clock.now(),
                )
            )


def load(desk: OpenDesk) -> dict[str, SavedDraft]:
    """The signed-in user's drafts, with when each was saved."""
    with desk.transaction() as session:
        return {
            row.page: SavedDraft(json.loads(row.content), row.updated_at)
            for row in repositories.drafts_of(session, desk.user.id)
        }
