"""Listening sessions (counsellors only) and their notes, which no other role may read or
write: the check is here, so the GUI, the command line and any script obey it alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app import clock, crypto
from app.domain.codes import RetentionClass, join_codes
from app.domain.roles import Role
from app.domain.sessions import SessionForm, validate_session
from app.errors import NotesUnreadable, RecordNotFound, ValidationError
from app.i18n import _
from app.services import audit, case_records
from app.services.open_desk import OpenDesk
from db import case_queries, repositories
from db.models import ListeningSession


@dataclass(frozen=True)
class SavedSession:
    id: str
    case_id: str
    #: False when the same form had already been saved
    created: bool


def add_session(
    desk: OpenDesk,
    case_id: str,
    form: SessionForm,
    session_id: str | None = None,
    draft_page: str | None = None,
) -> SavedSession:
    """Record a session on an existing case. `session_id`, chosen when the form opened,
    makes a second save of the same form harmless."""
    with desk.guarded(Role.COUNSELLOR, "session.record") as session:
        form = validate_session(form, clock.now())
        new_id = session_id or str(uuid.uuid4())
        sealed_notes = (
            crypto.encrypt_text(desk.notes_key(), form.notes, notes_context(new_id))
            if form.notes
            else None
        )
        existing = case_queries.session_by_id(session, new_id)
        if existing is not None:
            if existing.case_id != case_id:  # an id taken from another case's session
                raise ValidationError(
                    _(
                        "A session of another case already has this form's number: nothing "
                        "was saved. Cancel, then add the session again."
                    )
                )
            return SavedSession(new_id, case_id, created=False)
        case = case_records.existing_case(session, case_id)
        session.add(
            ListeningSession(
                id=new_id,
                case_id=case.id,
                held_at=form.held_at,
                duration_minutes=form.duration_minutes,
                mode=form.mode.value,
                session_type=form.session_type.value,
                topics=join_codes(form.topics),
                risk_tool=form.risk_tool.value,
                risk_level=form.risk_level.value if form.risk_level else None,
                safety_plan=form.safety_plan,
                brochure_language=form.brochure_language.value if form.brochure_language else None,
                next_appointment=form.next_appointment,
                sealed_notes=sealed_notes,
                counsellor_id=desk.user.id,
                retention_class=RetentionClass.NOTES.value
                if form.notes
                else RetentionClass.CASE.value,
            )
        )
        case.updated_at = clock.now()
        audit.record(
            session, audit.SESSION_RECORDED, desk.user.id, target_type="session", target_id=new_id
        )
        if draft_page:
            repositories.delete_draft(session, desk.user.id, draft_page)
    return SavedSession(new_id, case_id, created=True)


def session_form(desk: OpenDesk, session_id: str) -> SessionForm:
    """A session as recorded, with its notes: counsellors only, and every read is audited."""
    with desk.guarded(Role.COUNSELLOR, "session.notes") as session:
        row = case_queries.session_by_id(session, session_id)
        if row is None:
            raise RecordNotFound()
        notes = "" if row.sealed_notes is None else _opened_notes(desk, row.id, row.sealed_notes)
        audit.record(
            session, audit.NOTES_READ, desk.user.id, target_type="session", target_id=row.id
        )
        return case_records.session_form(row, notes)


def _opened_notes(desk: OpenDesk, session_id: str, sealed: bytes) -> str:
    try:
        return crypto.decrypt_text(desk.notes_key(), sealed, notes_context(session_id))
    except crypto.UnwrapError:
        # Changed outside Havre: the notes themselves, or the notes key this account holds.
        raise NotesUnreadable() from None


def notes_context(session_id: str) -> bytes:
    """Binds encrypted notes to their row: notes copied onto another session do not open."""
    return f"listening_session/{session_id}/sealed_notes".encode()
