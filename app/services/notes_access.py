"""Access to the counselling notes: the notes key is sealed into the key slots of
counsellors only (app/keyfile.py). An administrator who is not a counsellor cannot give it;
the new counsellor then waits until a colleague counsellor, asked at sign-in, confirms who
they are and gives it. The confirmation is a person's: a role written into the database by
someone holding only the data key must not be enough to get the notes."""

from __future__ import annotations

from app import keyfile
from app.domain.accounts import UserInfo
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _
from app.services import audit, dto
from app.services.open_desk import OpenDesk
from db import repositories


def waiting(desk: OpenDesk) -> list[UserInfo]:
    """Active counsellors without the notes key, for a counsellor who holds it to review."""
    if not desk.holds_notes_key or not desk.user.has(Role.COUNSELLOR):
        return []
    key_file = keyfile.verify(desk.key_file_path, desk.data_key())
    with desk.transaction() as session:
        roles = repositories.roles_by_user(session)
        return [
            dto.user_info(user, roles.get(user.id, set()))
            for user in repositories.all_users(session)
            if user.active
            and Role.COUNSELLOR.value in roles.get(user.id, set())
            and (slot := key_file.slot_by_id(user.id)) is not None
            and slot.sealed_notes_key is None
        ]


def give(desk: OpenDesk, user_id: str) -> None:
    """Seal the notes key into the slot of `user_id`, an active counsellor; audited."""
    desk.require(Role.COUNSELLOR, "account.notes_access")
    notes_key, data_key = desk.notes_key(), desk.data_key()
    key_path = desk.key_file_path
    with desk.transaction() as session:
        user = repositories.user_by_id(session, user_id)
        counsellor = user is not None and Role.COUNSELLOR.value in repositories.roles_of(
            session, user_id
        )
        key_file = keyfile.verify(key_path, data_key)
        slot = key_file.slot_by_id(user_id)
        if user is None or not user.active or not counsellor or slot is None:
            raise ValidationError(
                _("Only an active counsellor account can be given access to the notes."),
                field="user",
            )
        given = keyfile.with_notes_key(key_file.desk_id, slot, notes_key)
        keyfile.write(key_path, key_file.with_slot(given), data_key)
        audit.record(
            session, audit.NOTES_ACCESS_GIVEN, desk.user.id, target_type="user", target_id=user_id
        )
