"""A listening session and a referral, as a counsellor records them, and their checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from app.domain.codes import (
    ContactLanguage,
    ReferralStatus,
    RiskLevel,
    RiskTool,
    ServiceType,
    SessionMode,
    SessionType,
    Topic,
)
from app.domain.intake import CLOCK_TOLERANCE
from app.domain.validation import clean_lines, clean_text
from app.errors import ValidationError
from app.i18n import _

MAX_DURATION_MINUTES = 8 * 60
MAX_NOTES_LENGTH = 20_000


@dataclass(frozen=True)
class SessionForm:
    held_at: datetime
    duration_minutes: int = 30
    mode: SessionMode = SessionMode.IN_PERSON
    session_type: SessionType = SessionType.LISTENING
    topics: frozenset[Topic] = frozenset()
    risk_tool: RiskTool = RiskTool.NONE
    risk_level: RiskLevel | None = None
    safety_plan: bool = False
    brochure_language: ContactLanguage | None = None
    next_appointment: datetime | None = None
    notes: str = ""


@dataclass(frozen=True)
class ReferralForm:
    service_type: ServiceType
    partner_name: str
    referred_on: date
    status: ReferralStatus = ReferralStatus.REFERRED
    session_id: str | None = None
    #: why the referral goes ahead without the person's consent to share (audited)
    override_reason: str = ""


def validate_session(form: SessionForm, now: datetime) -> SessionForm:
    if form.held_at > now + CLOCK_TOLERANCE:
        raise ValidationError(
            _("A session cannot be recorded ahead of time: check the date and time."),
            field="held_at",
        )
    if not 1 <= form.duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            _("The duration must be between 1 and {max} minutes.").format(max=MAX_DURATION_MINUTES),
            field="duration",
        )
    if form.risk_tool is RiskTool.NONE and form.risk_level is not None:
        raise ValidationError(
            _("Choose the screening tool that gave this risk level."), field="risk_tool"
        )
    if form.risk_tool is not RiskTool.NONE and form.risk_level is None:
        raise ValidationError(_("Choose the result of the risk screening."), field="risk_level")
    if form.next_appointment is not None and form.next_appointment <= form.held_at:
        raise ValidationError(
            _("The next appointment must come after the session."), field="next_appointment"
        )
    notes = clean_lines(form.notes, "notes", _("Notes"), MAX_NOTES_LENGTH)
    return replace(form, notes=notes)


def validate_referral(form: ReferralForm, today: date) -> ReferralForm:
    if form.referred_on > today:
        raise ValidationError(_("A referral cannot be dated in the future."), field="referred_on")
    partner = clean_text(form.partner_name, "partner", _("Partner service"), 160)
    reason = clean_text(form.override_reason, "override_reason", _("Reason"), 500, False)
    return replace(form, partner_name=partner, override_reason=reason)
