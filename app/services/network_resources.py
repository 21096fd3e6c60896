"""The network's own records: referents, partnership agreements, and the
training plan (trainings and platform meetings are activities, so the monthly counts
already count them; here they get their attendance and their agreement)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import clock
from app.domain.codes import ActivityKind
from app.domain.network_resources import (
    ATTENDED_KINDS,
    PartnershipForm,
    PartnershipRow,
    ReferentForm,
    ReferentRow,
    TrainingRow,
    validate_partnership,
    validate_referent,
)
from app.domain.roles import Role
from app.errors import RecordNotFound, ValidationError
from app.i18n import _
from app.services import activity_lists, audit
from app.services.editing import row_to_save, saved_again_as_it_is
from app.services.open_desk import OpenDesk
from db.models import Activity, ActivityAttendance, Partnership, Referent

# The network coordinator keeps the network's records (staff data: no one else needs them).
KEEP_ROLES = (Role.COORDINATOR,)


def _referent_form(row: Referent) -> ReferentForm:
    return ReferentForm(
        name=row.name,
        organisation=row.organisation,
        municipality=row.municipality,
        role=row.role,
        phone=row.phone,
        email=row.email,
        active=row.active,
    )


def referents(desk: OpenDesk) -> list[ReferentRow]:
    with desk.guarded(KEEP_ROLES, "referent.list") as session:
        rows = session.scalars(
            select(Referent).order_by(Referent.municipality, func.lower(Referent.name))
        )
        return [ReferentRow(row.id, _referent_form(row)) for row in rows]


def save_referent(
    desk: OpenDesk, form: ReferentForm, referent_id: str | None = None, *, new: bool = False
) -> str:
    """Add a referent (`new`: under the id its form made), or change the one `referent_id`
    names; the id is returned."""
    with desk.guarded(KEEP_ROLES, "referent.edit") as session:
        form = validate_referent(form)
        row = row_to_save(session, Referent, referent_id, new=new)
        row.name, row.organisation, row.role = form.name, form.organisation, form.role
        row.municipality, row.phone, row.email = form.municipality, form.phone, form.email
        row.active = form.active
        if new and saved_again_as_it_is(session, row):
            return row.id
        row.updated_at = clock.now()
        audit.record(
            session, audit.REFERENT_EDITED, desk.user.id, target_type="referent", target_id=row.id
        )
        return row.id


def partnerships(desk: OpenDesk) -> list[PartnershipRow]:
    with desk.guarded(KEEP_ROLES, "partnership.list") as session:
        return _partnerships(session)


def _partnerships(session: Session) -> list[PartnershipRow]:
    meetings = (
        select(Activity.partnership_id, func.count().label("held"))
        .where(Activity.partnership_id.is_not(None))
        .group_by(Activity.partnership_id)
        .subquery()
    )
    found = session.execute(
        select(Partnership, func.coalesce(meetings.c.held, 0))
        .outerjoin(meetings, meetings.c.partnership_id == Partnership.id)
        .order_by(Partnership.ends_on.is_(None), Partnership.ends_on, Partnership.partner)
    ).all()
    return [
        PartnershipRow(
            row.id,
            PartnershipForm(
                row.partner, row.subject, row.signed_on, row.ends_on, row.reminder_days
            ),
            int(held),
        )
        for row, held in found
    ]


def renewals_due(desk: OpenDesk, today: date | None = None) -> list[PartnershipRow]:
    """The agreements whose renewal should be prepared now (for the reminder)."""
    day = today or clock.today()
    with desk.guarded(KEEP_ROLES, "partnership.list") as session:
        return [row for row in _partnerships(session) if row.renewal_due(day)]


def save_partnership(
    desk: OpenDesk, form: PartnershipForm, partnership_id: str | None = None, *, new: bool = False
) -> str:
    """Add an agreement (`new`: under the id its form made), or change the one
    `partnership_id` names; the id is returned."""
    with desk.guarded(KEEP_ROLES, "partnership.edit") as session:
        form = validate_partnership(form)
        row = row_to_save(session, Partnership, partnership_id, new=new)
        row.partner, row.subject = form.partner, form.subject
        row.signed_on, row.ends_on, row.reminder_days = (
            form.signed_on,
            form.ends_on,
            form.reminder_days,
        )
        if new and saved_again_as_it_is(session, row):
            return row.id
        row.updated_at = clock.now()
        audit.record(
            session,
            audit.PARTNERSHIP_EDITED,
            desk.user.id,
            target_type="partnership",
            target_id=row.id,
        )
        return row.id


def training_plan(desk: OpenDesk, first: date, last: date) -> list[TrainingRow]:
    """Trainings and platform meetings from `first` to `last`, planned and held."""
    with desk.guarded(KEEP_ROLES, "training.list") as session:
        lists = activity_lists.read_lists(session)
        # The desk's own kinds counted as trainings or platform meetings are these too.
        activities = [
            activity
            for activity in session.scalars(
                select(Activity)
                .where(Activity.held_on >= first, Activity.held_on <= last)
                .order_by(Activity.held_on, Activity.title)
            )
            if lists.network_kind(activity.kind) in ATTENDED_KINDS
        ]
        attendance: dict[str, list[str]] = {}
        for activity_id, referent_id in session.execute(
            select(ActivityAttendance.activity_id, ActivityAttendance.referent_id).where(
                ActivityAttendance.activity_id.in_([a.id for a in activities])
            )
        ):
            attendance.setdefault(activity_id, []).append(referent_id)
        return [
            TrainingRow(
                activity_id=activity.id,
                held_on=activity.held_on,
                kind=lists.kind(activity.kind),
                title=activity.title,
                audience=lists.audience(activity.audience),
                participants=activity.participants,
                referents=tuple(sorted(attendance.get(activity.id, []))),
                partnership_id=activity.partnership_id,
            )
            for activity in activities
        ]


def set_attendance(
    desk: OpenDesk,
    activity_id: str,
    referent_ids: frozenset[str],
    partnership_id: str | None,
) -> None:
    """Who of the referents attended a training or platform meeting, and the agreement a
    platform meeting was held under."""
    with desk.guarded(KEEP_ROLES, "activity.attendance") as session:
        activity = session.get(Activity, activity_id)
        if activity is None:
            raise RecordNotFound()
        kind = activity_lists.read_lists(session).network_kind(activity.kind)
        if kind not in ATTENDED_KINDS:
            raise ValidationError(
                _("Attendance is kept for trainings and platform meetings only."),
                field="activity",
            )
        if activity.held_on > clock.today() and referent_ids:
            raise ValidationError(
                _("A training still to come has no attendance yet."), field="referents"
            )
        known = set(session.scalars(select(Referent.id).where(Referent.id.in_(referent_ids))))
        if known != set(referent_ids):
            raise RecordNotFound()
        if partnership_id is not None and session.get(Partnership, partnership_id) is None:
            raise RecordNotFound()
        if partnership_id is not None and kind is not ActivityKind.PLATFORM_MEETING:
            raise ValidationError(
                _("Only a platform meeting is held under a partnership agreement."),
                field="partnership",
            )
        session.execute(
            delete(ActivityAttendance).where(ActivityAttendance.activity_id == activity_id)
        )
        session.add_all(
            ActivityAttendance(activity_id=activity_id, referent_id=referent_id)
            for referent_id in sorted(referent_ids)
        )
        activity.partnership_id = partnership_id
        activity.updated_at = clock.now()
        audit.record(
            session,
            audit.ATTENDANCE_EDITED,
            desk.user.id,
            target_type="activity",
            target_id=activity_id,
        )
