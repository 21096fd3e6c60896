"""Which brochure languages the service has reviewed. A coordinator vouches for a language
after a native speaker of the service has read it; the print dialog marks the others as
unreviewed (never the paper itself)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.roles import EVERY_ROLE, Role
from app.services import audit
from app.services.brochure_content import load_content
from app.services.open_desk import OpenDesk
from db import repositories

SETTING = "brochure.reviewed"


def reviewed_languages(desk: OpenDesk) -> frozenset[str]:
    with desk.guarded(EVERY_ROLE, "brochure.reviews") as session:
        return _reviewed(session)


def set_reviewed(desk: OpenDesk, language: str, reviewed: bool) -> frozenset[str]:
    """Mark `language` reviewed by the service (or not any more); coordinators only."""
    with desk.guarded(Role.COORDINATOR, "brochure.review") as session:
        load_content(language)  # refuses a language without (sound) content
        current = _reviewed(session)
        chosen = current | {language} if reviewed else current - {language}
        repositories.put_setting(session, SETTING, ",".join(sorted(chosen)))
        audit.record(
            session,
            audit.BROCHURE_REVIEWED,
            desk.user.id,
            target_type="brochure_language",
            target_id=f"{language}:{'reviewed' if reviewed else 'unreviewed'}",
        )
    return chosen


def _reviewed(session: Session) -> frozenset[str]:
    value = repositories.setting(session, SETTING) or ""
    return frozenset(code for code in value.split(",") if code)
