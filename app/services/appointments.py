"""Appointments of the cases: planned, cancelled, and listed by day or week,
together with the next sessions counsellors recorded on a listening session."""

from __future__ import annotations

import uuid
from datetime import date

from app import clock
from app.domain.appointments import AppointmentForm, AppointmentRow, validate_appointment
from app.domain.codes import AppointmentKind, AppointmentStatus, RetentionClass
from app.errors import RecordNotFound
from app.services import audit, case_records
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from db import recontact_queries
from db.models import Appointment

PLANNED = AppointmentStatus.PLANNED
CANCELLED = AppointmentStatus.CANCELLED


def plan(desk: OpenDesk, form: AppointmentForm) -> str:
    with desk.guarded(CASE_ROLES, "appointment.record") as session:
        form = validate_appointment(form, clock.now())
        case_records.existing_case(session, form.case_id)
        appointment = Appointment(
            id=str(uuid.uuid4()),
            case_id=form.case_id,
            starts_at=form.starts_at,
            minutes=form.minutes,
            kind=form.kind.value,
            place=form.place,
            status=PLANNED,
            recorded_by=desk.user.id,
            retention_class=RetentionClass.CASE.value,
        )
        session.add(appointment)
        audit.record(
            session,
            audit.APPOINTMENT_RECORDED,
            desk.user.id,
            target_type="case",
            target_id=form.case_id,
        )
        return appointment.id


def cancel(desk: OpenDesk, appointment_id: str) -> None:
    with desk.guarded(CASE_ROLES, "appointment.cancel") as session:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.status != PLANNED:
            raise RecordNotFound()
        appointment.status = CANCELLED
        audit.record(
            session,
            audit.APPOINTMENT_CANCELLED,
            desk.user.id,
            target_type="case",
            target_id=appointment.case_id,
        )


def between(desk: OpenDesk, first: date, end: date) -> list[AppointmentRow]:
    """Appointments and planned next sessions from `first` to before `end` (local days),
    in time order; audited, as the list names cases."""
    with desk.guarded(CASE_ROLES, "appointment.list") as session:
        start, stop = clock.at(first), clock.at(end)
        rows = [
            AppointmentRow(
                id=appointment.id,
                case_id=appointment.case_id,
                case_code=code,
                starts_at=appointment.starts_at,
                minutes=appointment.minutes,
                kind=AppointmentKind.read(appointment.kind),
                place=appointment.place,
            )
            for appointment, code in recontact_queries.appointments_between(
                session, start, stop, PLANNED
            )
        ]
        rows += [
            AppointmentRow(
                id=None,
                case_id=case_id,
                case_code=code,
                starts_at=moment,
                minutes=0,
                kind=AppointmentKind.SESSION,
                place="",
            )
            for moment, case_id, code in recontact_queries.sessions_planned_between(
                session, start, stop
            )
        ]
        audit.record(session, audit.APPOINTMENTS_VIEWED, desk.user.id, target_type="agenda")
        return sorted(rows, key=lambda row: (row.starts_at, row.case_code))
