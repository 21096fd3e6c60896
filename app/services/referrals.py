"""Referrals recorded on a case. Sharing with a partner needs the person's consent in force;
without it, only with a written reason, which goes into the audit log."""

from __future__ import annotations

import uuid

from app import clock
from app.domain.cases import sharing_consent, sharing_state
from app.domain.codes import ReferralStatus, RetentionClass
from app.domain.sessions import ReferralForm, validate_referral
from app.errors import ConsentRequired, RecordNotFound
from app.services import audit, case_records
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from db import case_queries
from db.models import Referral


def add_referral(desk: OpenDesk, case_id: str, form: ReferralForm) -> str:
    with desk.guarded(CASE_ROLES, "referral.record") as session:
        form = validate_referral(form, clock.today())
        case = case_records.existing_case(session, case_id)
        consents = case_queries.consents_of(session, case.person_id) if case.person_id else ()
        decision = sharing_consent(case_records.consent_views(consents))
        in_force = decision if decision is not None and decision.in_force else None
        # An anonymous person shares nothing that identifies them: no consent needed.
        needs_consent = case.person_id is not None and form.status is ReferralStatus.REFERRED
        if needs_consent and in_force is None and not form.override_reason:
            raise ConsentRequired(sharing_state(decision))
        referral = Referral(
            id=str(uuid.uuid4()),
            case_id=case.id,
            session_id=form.session_id,
            referred_on=form.referred_on,
            service_type=form.service_type.value,
            partner_name=form.partner_name,
            status=form.status.value,
            consent_id=in_force.id if in_force else None,
            override_reason=form.override_reason or None
            if in_force is None and needs_consent
            else None,
            recorded_by=desk.user.id,
            retention_class=RetentionClass.CASE.value,
        )
        session.add(referral)
        audit.record(
            session,
            audit.REFERRAL_OVERRIDE if referral.override_reason else audit.REFERRAL_RECORDED,
            desk.user.id,
            target_type="referral",
            target_id=referral.id,
        )
        return referral.id


def set_referral_status(desk: OpenDesk, referral_id: str, status: ReferralStatus) -> None:
    with desk.guarded(CASE_ROLES, "referral.status") as session:
        referral = case_queries.referral_by_id(session, referral_id)
        if referral is None:
            raise RecordNotFound()
        referral.status = status.value
        audit.record(
            session,
            audit.REFERRAL_STATUS,
            desk.user.id,
            target_type="referral",
            target_id=referral.id,
        )
