"""Retention (GDPR Art. 5(1)(e); docs/security-model.md): how long each class of record is
kept after the last activity of its case, and what a purge takes away.

Periods count from the case's last activity (its opening, a contact, a session or a
referral), so a case still being followed is never purged. The classes:
- identity: the pseudonym, phone, e-mail and code word, and the short notes on contacts,
  forgotten alone; the case and its statistics stay ("forget identity, keep statistics");
- narrative_short: the counsellors' notes of a session; the session itself stays;
- case_record: the whole case, and the person when none of their cases is left. The
  counts of every month the case touched are kept first (frozen), so past months do not
  change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.codes import RetentionClass
from app.domain.periods import Month, months_before
from app.errors import ValidationError
from app.i18n import _


@dataclass(frozen=True)
class RetentionPeriods:
    """Months kept after the case's last activity, per class."""

    identity: int
    notes: int
    case: int

    def months(self, retention_class: RetentionClass) -> int:
        return {
            RetentionClass.IDENTITY: self.identity,
            RetentionClass.NOTES: self.notes,
            RetentionClass.CASE: self.case,
        }[retention_class]


# Proposed by Havre, to be agreed with the data protection officer (the legal periods are
# theirs to set): a year for who the person is (a call-back after that is rare), two for
# the notes (a follow-up within that time reads them), five for the case (a person who
# comes back after a few years is recognised, and the yearly reports are long done).
DEFAULT_PERIODS = RetentionPeriods(identity=12, notes=24, case=60)

BOUNDS: dict[RetentionClass, tuple[int, int]] = {
    RetentionClass.IDENTITY: (1, 120),
    RetentionClass.NOTES: (1, 120),
    RetentionClass.CASE: (12, 240),
}


def check_periods(periods: RetentionPeriods) -> None:
    for retention_class, (low, high) in BOUNDS.items():
        if not low <= periods.months(retention_class) <= high:
            raise ValidationError(
                _("{name} must be kept between {low} and {high} months.").format(
                    name=retention_class.label, low=low, high=high
                ),
                field=retention_class.value,
            )
    for shorter in (RetentionClass.IDENTITY, RetentionClass.NOTES):
        if periods.months(shorter) > periods.case:
            raise ValidationError(
                _(
                    "{name} cannot be kept longer than the case record ({months} months): "
                    "the case takes it with it."
                ).format(name=shorter.label, months=periods.case),
                field=shorter.value,
            )


def cutoff(today: date, months: int) -> date:
    """The first day still kept: a case whose last activity is before it is due."""
    return months_before(today, months)


@dataclass(frozen=True)
class PurgePlan:
    """What a purge takes away (and keeps), counted before it runs or after it ran."""

    today: date
    periods: RetentionPeriods
    identities_due: int
    identities_kept: int
    notes_due: int
    notes_kept: int
    cases_due: int
    cases_kept: int
    persons_due: int
    months_to_freeze: tuple[Month, ...]
    #: the short notes on contacts, erased with the identities (of the cases kept)
    contact_notes_due: int = 0
    contact_notes_kept: int = 0

    @property
    def nothing_due(self) -> bool:
        return not self.records_due

    @property
    def records_due(self) -> int:
        return self.identities_due + self.notes_due + self.cases_due + self.contact_notes_due

    def cutoff(self, retention_class: RetentionClass) -> date:
        return cutoff(self.today, self.periods.months(retention_class))
