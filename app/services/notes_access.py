"""Access to the counselling notes: the notes key is sealed into the key slots of
counsellors only (app/keyfile.py). An administrator who is not a counsellor cannot give it;
the new counsellor then waits until a colleague counsellor, asked at sign-in, confirms who
they are and gives it. The confirmation is a person's, and the role it rests on must be a
signed grant (app/services/grants.py): a role row written by someone holding only the data
key gives no right to the notes. The counsellor sees who granted the role, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app import keyfile
from app.domain.accounts import UserInfo
from app.domain.roles import Role
from app.errors import KeyFileTampered, ValidationError
from app.i18n import _
from app.services import audit, dto, grants
from app.services.open_desk import OpenDesk
from db import repositories


@dataclass(frozen=True)
class Waiting:
    """A counsellor without the notes key, and who granted the role (empty: the desk's
    set-up, or a desk made before grants)."""

    user: UserInfo
    granted_by: str
    granted_at: datetime | None


def waiting(desk: OpenDesk) -> list[Waiting]:
    """Active counsellors without the notes key, for a counsellor who holds it to review."""
    if not desk.holds_notes_key or not desk.user.has(Role.COUNSELLOR):
        return []
    key_file = keyfile.verify(desk.key_file_path, desk.data_key())
    found = []
    with desk.transaction() as session:
        checked = None if desk.authority is None else desk.grants(session)
        givers = set() if checked is None else checked.notes_givers(session)
        for user in repositories.all_users(session):
            slot = key_file.slot_by_id(user.id)
            if not user.active or slot is None or not key_file.bears_name(user.id, user.user_name):
                continue
            # A notes key nobody entitled gave is not used at sign-in: that counsellor waits.
            given = slot.sealed_notes_key is not None and (
                checked is None or keyfile.notes_key_given_by(key_file.desk_id, slot, givers)
            )
            if given:
                continue
            if checked is None:
                roles = repositories.roles_of(session, user.id)
                granted_by, granted_at = "", None
            else:
                verified = checked.verified(user.id)
                if verified is None:
                    continue
                roles = set(verified.roles)
                granted_by, granted_at = grants.granter_name(session, verified), verified.granted_at
            if Role.COUNSELLOR.value in roles:
                found.append(Waiting(dto.user_info(user, roles), granted_by, granted_at))
    return found


def give(desk: OpenDesk, user_id: str) -> None:
    """Seal the notes key into the slot of `user_id`, an active counsellor; audited."""
    with desk.guarded(Role.COUNSELLOR, "account.notes_access") as session:
        notes_key, data_key = desk.notes_key(), desk.data_key()
        key_path = desk.key_file_path
        user = repositories.user_by_id(session, user_id)
        counsellor = user is not None and Role.COUNSELLOR.value in desk.roles_of(session, user_id)
        key_file = keyfile.verify(key_path, data_key)
        slot = key_file.slot_by_id(user_id)
        named = user is not None and key_file.bears_name(user.id, user.user_name)
        if user is None or not user.active or not counsellor or slot is None or not named:
            raise ValidationError(
                _("Only an active counsellor account can be given access to the notes."),
                field="user",
            )
        giver_key = None
        if desk.authority is not None:
            _check_slot_is_theirs(desk, session, key_file, slot)
            giver_key = desk.account_key()
        given = keyfile.with_notes_key(key_file.desk_id, slot, notes_key, giver_key)
        keyfile.write(key_path, key_file.with_slot(given), data_key)
        audit.record(
            session, audit.NOTES_ACCESS_GIVEN, desk.user.id, target_type="user", target_id=user_id
        )


def _check_slot_is_theirs(
    desk: OpenDesk, session: Session, key_file: keyfile.KeyFile, slot: keyfile.Slot
) -> None:
    """Refuse to seal the notes key to a slot whose public key its account did not sign:
    anyone with the data key could have put their own public key there."""
    verified = desk.grants(session).verified(slot.id)
    if verified is not None and keyfile.vouched(key_file.desk_id, slot, verified.account_key):
        return
    if not slot.certified:  # a slot made before slots signed their keys
        raise ValidationError(
            _(
                "This account must sign in once more before it can be given access to the "
                "notes (its key slot is from an older version of Havre)."
            ),
            field="user",
        )
    raise KeyFileTampered(desk.key_file_path)
