"""A counsellor's account is disabled by the administrator while she is saving a session, at
the first moment her call lets go of the database. Found by a review: the role was checked
in a transaction of its own and the work done in the next, so a role taken away in between
did not stop the work (the session and its notes went in from a disabled account). Now the
check and the work are one transaction: the work either went in before the account was
disabled, or is refused, audited, and leaves nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.domain.sessions import SessionForm
from app.errors import AccessDenied
from app.services import accounts, audit, intake, sessions
from app.services.open_desk import OpenDesk
from db.models import AuditEvent, ListeningSession
from tests.factories import named_intake, now


def a_session() -> SessionForm:
    return SessionForm(now(), notes="Told of the night of the 3rd.")


@contextmanager
def disabled_at_first_commit(counsellor: OpenDesk, admin: OpenDesk) -> Iterator[None]:
    """The administrator disables `counsellor` right after the first transaction of hers
    that commits: between a check apart and the work, if there is such a gap."""
    done: list[bool] = []

    def after_commit(session: Session) -> None:
        signer = session.info.get(audit.SIGNER)
        if done or signer is None or signer[0] != counsellor.user.id:
            return
        done.append(True)
        accounts.disable_user(admin, counsellor.user.id)

    event.listen(Session, "after_commit", after_commit)
    try:
        yield
    finally:
        event.remove(Session, "after_commit", after_commit)
    assert done, "the account was never disabled"


def actions(desk: OpenDesk, *wanted: str) -> list[str]:
    with desk.transaction() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.in_(wanted))
                .order_by(AuditEvent.id)
            )
        )


def saved_sessions(desk: OpenDesk) -> list[str]:
    with desk.transaction() as session:
        return list(session.scalars(select(ListeningSession.id)))


def test_no_session_is_saved_after_the_account_was_disabled(
    reception: OpenDesk, counsellor: OpenDesk, admin_desk: OpenDesk
) -> None:
    case_id = intake.record_intake(reception, named_intake()).case_id
    with disabled_at_first_commit(counsellor, admin_desk):
        saved = sessions.add_session(counsellor, case_id, a_session())
    # Saved while the account still held its role, then disabled: never the other way round.
    assert actions(admin_desk, audit.SESSION_RECORDED, audit.ACCOUNT_DISABLED) == [
        audit.SESSION_RECORDED,
        audit.ACCOUNT_DISABLED,
    ]
    assert saved_sessions(admin_desk) == [saved.id]


def test_once_disabled_a_save_is_refused_audited_and_writes_nothing(
    reception: OpenDesk, counsellor: OpenDesk, admin_desk: OpenDesk
) -> None:
    case_id = intake.record_intake(reception, named_intake()).case_id
    accounts.disable_user(admin_desk, counsellor.user.id)
    with pytest.raises(AccessDenied):
        sessions.add_session(counsellor, case_id, a_session())
    assert saved_sessions(admin_desk) == []
    assert actions(admin_desk, audit.ACCESS_DENIED, audit.SESSION_RECORDED) == [audit.ACCESS_DENIED]
