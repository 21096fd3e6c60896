"""Unsaved input kept across a lock: written into the encrypted database when the desk
locks, handed back (and deleted) when the same person unlocks again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.services.open_desk import OpenDesk
from db import repositories
from db.models import Draft

PageDrafts = dict[str, dict[str, Any]]


def keep(desk: OpenDesk, drafts: PageDrafts) -> None:
    """Replace the signed-in user's drafts with `drafts` (page name → field values)."""
    now = datetime.now(UTC)
    with desk.transaction() as session:
        repositories.delete_drafts(session, desk.user.id)
        session.add_all(
            Draft(user_id=desk.user.id, page=page, content=json.dumps(values), updated_at=now)
            for page, values in drafts.items()
            if values
        )


def take(desk: OpenDesk) -> PageDrafts:
    """The signed-in user's drafts; they are deleted once handed back."""
    with desk.transaction() as session:
        rows = repositories.drafts_of(session, desk.user.id)
        drafts = {row.page: json.loads(row.content) for row in rows}
        repositories.delete_drafts(session, desk.user.id)
    return drafts
