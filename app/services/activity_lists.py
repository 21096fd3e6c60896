"""The desk's own lists of activity kinds and audiences (app/domain/activity_lists.py):
everyone who records activities reads them; the coordinator (or the desk's administrator)
adds, renames and retires their entries, each change audited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.activity_lists import (
    DeskEntry,
    DeskList,
    DeskLists,
    EntryForm,
    validate_entry,
)
from app.domain.protocols import LANGUAGES
from app.domain.roles import Role
from app.errors import RecordNotFound
from app.services import audit
from app.services.editing import row_to_save, saved_again_as_it_is
from app.services.open_desk import OpenDesk
from db import activity_queries
from db.models import ActivityListEntry

# The lists say what the desk's monthly counts are made of: the coordinator keeps them,
# and the administrator who set the desk up may; whoever records activities reads them.
LIST_ROLES = (Role.COORDINATOR, Role.ADMIN)
READ_ROLES = (Role.RECEPTION, Role.COUNSELLOR, *LIST_ROLES)


def _entry(row: ActivityListEntry) -> DeskEntry:
    names = {code: getattr(row, f"name_{code}") for code in LANGUAGES}
    return DeskEntry(
        row.id,
        {code: name for code, name in names.items() if name},
        row.network,
        retired=row.retired,
    )


def read_lists(session: Session) -> DeskLists:
    """Inside the transaction of a service that checked its own role."""
    rows = activity_queries.list_entries(session)
    return DeskLists(
        kinds=tuple(_entry(r) for r in rows if r.list_name == DeskList.KINDS),
        audiences=tuple(_entry(r) for r in rows if r.list_name == DeskList.AUDIENCES),
    )


def desk_lists(desk: OpenDesk) -> DeskLists:
    with desk.guarded(READ_ROLES, "activity.lists") as session:
        return read_lists(session)


def save_entry(
    desk: OpenDesk,
    which: DeskList,
    form: EntryForm,
    entry_id: str | None = None,
    *,
    new: bool = False,
) -> str:
    """Add an entry to the list `which` (`new`: under the id its form made), or rename the
    one `entry_id` names, or count it under another network answer; the id is returned."""
    with desk.guarded(LIST_ROLES, "activity.list_edit") as session:
        current = read_lists(session).entries(which)
        if entry_id is not None and not new and all(e.id != entry_id for e in current):
            raise RecordNotFound()
        others = tuple(entry for entry in current if entry.id != entry_id)
        names = validate_entry(form, which, others, desk.desk.language)
        last = session.scalar(
            select(func.max(ActivityListEntry.position)).where(
                ActivityListEntry.list_name == which.value
            )
        )
        row = row_to_save(
            session,
            ActivityListEntry,
            entry_id,
            new=new,
            list_name=which.value,
            position=(last or 0) + 1,
            retired=False,
        )
        if row.list_name != which.value:
            raise RecordNotFound()  # an id of the other list: not an entry of this one
        for code in LANGUAGES:
            setattr(row, f"name_{code}", names.get(code, ""))
        row.network = form.network
        if new and saved_again_as_it_is(session, row):
            return row.id
        audit.record(
            session,
            audit.ACTIVITY_LIST_EDITED,
            desk.user.id,
            target_type=f"activity_{which.value}",
            target_id=row.id,
        )
        return row.id


def retire_entry(desk: OpenDesk, entry_id: str) -> None:
    """The entry is no longer offered for new activities; those recorded keep it, and the
    counts count them under it as before."""
    with desk.guarded(LIST_ROLES, "activity.list_edit") as session:
        _set_retired(session, desk, entry_id, retired=True)


def restore_entry(desk: OpenDesk, entry_id: str) -> None:
    """A retired entry is offered again for new activities (retired by mistake, or the
    activity is held again)."""
    with desk.guarded(LIST_ROLES, "activity.list_edit") as session:
        _set_retired(session, desk, entry_id, retired=False)


def _set_retired(session: Session, desk: OpenDesk, entry_id: str, *, retired: bool) -> None:
    row = session.get(ActivityListEntry, entry_id)
    if row is None:
        raise RecordNotFound()
    if row.retired == retired:
        return
    row.retired = retired
    audit.record(
        session,
        audit.ACTIVITY_LIST_RETIRED if retired else audit.ACTIVITY_LIST_RESTORED,
        desk.user.id,
        target_type=f"activity_{row.list_name}",
        target_id=entry_id,
    )


def entries_in_use(desk: OpenDesk, which: DeskList) -> frozenset[str]:
    """The ids of the entries of `which` that activities are recorded with: changing what
    the network counts one as changes the counts of months already sent."""
    with desk.guarded(LIST_ROLES, "activity.lists") as session:
        column = "kind" if which is DeskList.KINDS else "audience"
        return frozenset(activity_queries.list_entries_in_use(session, column))
