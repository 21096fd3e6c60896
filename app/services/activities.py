"""Awareness actions and group work of the desk, with their participant counts."""

from __future__ import annotations

from sqlalchemy import delete

from app import clock
from app.domain.activities import ActivityForm, ActivityRow, check_listed, validate_activity
from app.domain.activity_lists import DeskLists
from app.domain.periods import Month
from app.domain.roles import Role
from app.errors import RecordNotFound
from app.services import activity_lists, audit
from app.services.editing import row_to_save, saved_again_as_it_is
from app.services.open_desk import OpenDesk
from db import activity_queries
from db.models import Activity, ActivityAttendance

# Reception records awareness activities; counsellors run workshops; the
# coordinator reports them.
ACTIVITY_ROLES = (Role.RECEPTION, Role.COUNSELLOR, Role.COORDINATOR)


def activity_row(activity: Activity, lists: DeskLists) -> ActivityRow:
    return ActivityRow(
        id=activity.id,
        held_on=activity.held_on,
        kind=lists.kind(activity.kind),
        title=activity.title,
        place=activity.place,
        audience=lists.audience(activity.audience),
        participants=activity.participants,
    )


def activities_of(desk: OpenDesk, first: Month, last: Month) -> list[ActivityRow]:
    with desk.guarded(ACTIVITY_ROLES, "activity.list") as session:
        rows = activity_queries.activities_between(session, first.first_day, last.end_day)
        lists = activity_lists.read_lists(session)
        return [activity_row(activity, lists) for activity in rows]


def save_activity(
    desk: OpenDesk, form: ActivityForm, activity_id: str | None = None, *, new: bool = False
) -> str:
    """Add an activity (`new`: under the id its form made), or change the one `activity_id`
    names; the id is returned."""
    with desk.guarded(ACTIVITY_ROLES, "activity.record") as session:
        form = validate_activity(form, clock.today())
        lists = activity_lists.read_lists(session)
        activity = row_to_save(session, Activity, activity_id, new=new, recorded_by=desk.user.id)
        created = activity in session.new
        check_listed(form, lists, None if created else _form_of(activity))
        activity.held_on = form.held_on
        activity.kind = form.kind
        activity.title = form.title
        activity.place = form.place
        activity.audience = form.audience
        activity.participants = form.participants
        if new and saved_again_as_it_is(session, activity):
            return activity.id
        activity.updated_at = clock.now()
        audit.record(
            session,
            audit.ACTIVITY_RECORDED if created else audit.ACTIVITY_EDITED,
            desk.user.id,
            target_type="activity",
            target_id=activity.id,
        )
        return activity.id


def _form_of(activity: Activity) -> ActivityForm:
    return ActivityForm(
        activity.held_on,
        activity.kind,
        activity.title,
        activity.place,
        activity.audience,
        activity.participants,
    )


def delete_activity(desk: OpenDesk, activity_id: str) -> None:
    with desk.guarded(ACTIVITY_ROLES, "activity.delete") as session:
        activity = session.get(Activity, activity_id)
        if activity is None:
            raise RecordNotFound()
        session.execute(
            delete(ActivityAttendance).where(ActivityAttendance.activity_id == activity_id)
        )
        session.delete(activity)
        audit.record(
            session,
            audit.ACTIVITY_DELETED,
            desk.user.id,
            target_type="activity",
            target_id=activity_id,
        )
