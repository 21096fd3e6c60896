"""What a network of desks keeps besides its counts: the register of referents
in every municipality and CPAS (staff data, never client data), the partnership agreements
with their dates, and the training plan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.domain import municipalities, validation
from app.domain.activity_lists import DeskEntry
from app.domain.codes import ActivityKind
from app.domain.intake import IdentityForm, validate_identity
from app.errors import ValidationError
from app.i18n import _

DEFAULT_REMINDER_DAYS = 60
MAX_REMINDER_DAYS = 365
# The activities referents attend: trainings and the network's platform meetings.
ATTENDED_KINDS = frozenset({ActivityKind.TRAINING, ActivityKind.PLATFORM_MEETING})


@dataclass(frozen=True)
class ReferentForm:
    name: str
    organisation: str
    #: NIS code of the municipality the referent serves
    municipality: str
    role: str
    phone: str = ""
    email: str = ""
    active: bool = True


@dataclass(frozen=True)
class ReferentRow:
    id: str
    form: ReferentForm


@dataclass(frozen=True)
class PartnershipForm:
    partner: str
    subject: str
    signed_on: date
    ends_on: date | None = None
    reminder_days: int = DEFAULT_REMINDER_DAYS


@dataclass(frozen=True)
class PartnershipRow:
    id: str
    form: PartnershipForm
    meetings: int  # platform meetings held under it

    def renewal_due(self, today: date) -> bool:
        """Time to prepare the renewal: the end is within the reminder, or passed."""
        ends = self.form.ends_on
        return ends is not None and today >= ends - timedelta(days=self.form.reminder_days)

    def expired(self, today: date) -> bool:
        return self.form.ends_on is not None and today > self.form.ends_on


@dataclass(frozen=True)
class TrainingRow:
    """A training or platform meeting of the plan: planned (ahead) or held."""

    activity_id: str
    held_on: date
    kind: DeskEntry
    title: str
    audience: DeskEntry
    participants: int
    referents: tuple[str, ...]  # ids of the referents who attended
    partnership_id: str | None

    def planned(self, today: date) -> bool:
        return self.held_on > today


def validate_referent(form: ReferentForm) -> ReferentForm:
    try:
        municipalities.municipality(form.municipality)
    except ValidationError:
        raise ValidationError(
            _(
                "The municipality {code} is not known to Havre: choose one from the list "
                "(its NIS code)."
            ).format(code=form.municipality or "—"),
            field="municipality",
        ) from None
    contact = validate_identity(IdentityForm(phone=form.phone, email=form.email))
    return replace(
        form,
        name=validation.clean_text(form.name, "name", _("The name"), 120),
        organisation=validation.clean_text(
            form.organisation, "organisation", _("The organisation"), 160
        ),
        role=validation.clean_text(form.role, "role", _("The role"), 120),
        phone=contact.phone,
        email=contact.email,
    )


def validate_partnership(form: PartnershipForm) -> PartnershipForm:
    if form.ends_on is not None and form.ends_on <= form.signed_on:
        raise ValidationError(
            _("The agreement must end after the day it was signed."), field="ends_on"
        )
    if not 0 <= form.reminder_days <= MAX_REMINDER_DAYS:
        raise ValidationError(
            _("The reminder must be from 0 to {most} days before the end.").format(
                most=MAX_REMINDER_DAYS
            ),
            field="reminder_days",
        )
    return replace(
        form,
        partner=validation.clean_text(form.partner, "partner", _("The partner"), 160),
        subject=validation.clean_text(form.subject, "subject", _("The subject"), 160),
    )
