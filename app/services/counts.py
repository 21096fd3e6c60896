"""The monthly counts of this desk (docs/counting-rules.md): volumes of everything done, and
profile tables of the new cases of the month whose person consented to statistics.

Rules, each tested with known data:
- volume indicators (contacts, sessions, referrals, risk screenings, printed material,
  activities, housing) count all activity of the month;
- profile tables (new victims, situations, time since the incident, children exposed)
  count the cases opened in the month whose person consented to statistics (an anonymous
  case cannot consent); those without are counted in PVIF_EXCL_NO_CONSENT;
- a case whose first contact was marked "already counted by another desk of the network"
  is left out of the profile tables and counted in PVIF_EXCL_COUNTED_ELSEWHERE;
- a new victim is a person whose first case opens this month and whose first contact was
  as a victim; a person is counted once;
- a month a retention purge touched is read from the numbers kept before it (frozen).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from app import clock
from app.domain import codes
from app.domain import indicators as ind
from app.domain.activities import occupancy
from app.domain.binning import ElapsedBand, elapsed_band
from app.domain.codes import (
    AttemptOutcome,
    Coded,
    ConsentDecision,
    ConsentScope,
    DatePrecision,
    GbvimsType,
    PersonRole,
    ReferralStatus,
    ReferredFrom,
    Relationship,
    RiskLevel,
    ServiceType,
    SessionType,
    Sex,
    ViolenceForm,
    YesNoUnknown,
    split_codes,
)
from app.domain.desk import DeskInfo
from app.domain.monthly_counts import MonthlyCounts, Values, empty_values
from app.domain.periods import Month
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _
from app.services import activity_lists, audit
from app.services.housing import read_housing
from app.services.open_desk import OpenDesk
from db import count_queries, retention_queries

COUNTS_ROLES = (Role.COORDINATOR,)
_log = logging.getLogger(__name__)


def month_counts(desk: OpenDesk, month: Month, today: date | None = None) -> MonthlyCounts:
    """The counts of `month`, for the coordinator's preview or export (audited)."""
    with desk.guarded(COUNTS_ROLES, "counts.view") as session:
        today = today or clock.today()
        check_not_future(month, today)
        counts = aggregate(session, desk.desk, month, today)
        audit.record(
            session, audit.COUNTS_VIEWED, desk.user.id, target_type="period", target_id=str(month)
        )
        return counts


def check_not_future(month: Month, today: date) -> None:
    if month > Month.of(today):
        raise ValidationError(
            _("{month} has not started yet: choose this month or an earlier one.").format(
                month=month
            ),
            field="period",
        )


def aggregate(session: Session, desk: DeskInfo, month: Month, today: date) -> MonthlyCounts:
    codes.count_afresh()
    values = empty_values()
    frozen = retention_queries.frozen_cells(session, str(month))
    if frozen is not None:  # a purge removed cases behind this month: its numbers were kept
        for element, combo, value in frozen:
            if combo in values.get(element, {}):
                values[element][combo] = value
            else:  # a cell of an older schema: the file must carry exactly this one's
                _log.warning("%s %s: kept %d left out, no such cell now", element, combo, value)
        return MonthlyCounts(desk.code, desk.name, desk.nis_code, month, values)
    start, end = month.local_bounds()
    add = _adder(values)
    for role, source, n in count_queries.contacts_by_role_and_source(session, start, end):
        add(ind.CONTACTS, (_option(PersonRole, role),), n)
        add(ind.REFERRED_FROM, (_option(ReferredFrom, source),), n)
    for session_type, risk, n in count_queries.sessions_by_type_and_risk(session, start, end):
        add(ind.SESSIONS, (_option(SessionType, session_type),), n)
        if risk is not None:
            add(ind.RISK_SCREENS, (_option(RiskLevel, risk),), n)
    first, end_day = month.first_day, month.end_day
    for service, status, n in count_queries.referrals_by_service_and_status(
        session, first, end_day
    ):
        add(ind.REFERRALS_MADE, (_option(ServiceType, service),), n)
        add(ind.REFERRAL_STATUS, (_option(ReferralStatus, status),), n)
    for material, language, copies in count_queries.handouts_by_material_and_language(
        session, first, end_day
    ):
        add(ind.PRINTED, (ind.option(material), ind.option(language)), copies)
    # Held only: a training planned later this month is not counted yet.
    held_until = min(end_day, today + timedelta(days=1))
    # The desk's own kinds and audiences, under the network's answers they stand for: the
    # file must mean the same at every desk.
    lists = activity_lists.read_lists(session)
    for kind, audience, held, participants in count_queries.activities_by_kind_and_audience(
        session, first, held_until
    ):
        options = (_network(lists.network_kind(kind)), _network(lists.network_audience(audience)))
        add(ind.ACTIVITIES, options, held)
        add(ind.PARTICIPANTS, options, participants)
    housing = read_housing(session)
    nights = occupancy(housing.units, housing.stays, month, today)
    add(ind.HOUSING, ("AVAILABLE",), nights.available)
    add(ind.HOUSING, ("OCCUPIED",), nights.occupied)
    for outcome, n in count_queries.attempts_by_outcome(session, start, end):
        add(ind.RECONTACT_ATTEMPTS, (_option(AttemptOutcome, outcome),), n)
    for key, n in count_queries.protocol_uses_by_key(session, start, end):
        add(ind.PROTOCOLS_USED, (ind.protocol_option(key),), n)
    _profile_tables(session, month, add)
    return MonthlyCounts(desk.code, desk.name, desk.nis_code, month, values)


class _Add(Protocol):
    def __call__(
        self, element: ind.DataElement, options: tuple[str | None, ...], amount: int = 1
    ) -> None: ...


def _adder(values: Values) -> _Add:
    """Adds to a cell; a row whose codes name no cell of this version (a code retired
    from a list without a catch-all, a material or language no longer counted) is left out
    with a warning rather than stopping the month's counts."""

    def add(element: ind.DataElement, options: tuple[str | None, ...], amount: int = 1) -> None:
        cells = values[element.code]
        known = tuple(option for option in options if option is not None)
        combo = ind.combo_code(known)
        if len(known) < len(options) or combo not in cells:
            # The table only: the options of a row describe one person.
            _log.warning("%s: %d left out, no cell of this version", element.code, amount)
            return
        cells[combo] += amount

    return add


def _option(enum: type[Coded], stored: str) -> str | None:
    """The option a stored code is counted under (`Coded.counted`), None when none."""
    member = enum.counted(stored)
    return None if member is None else ind.option(member.value)


def _network(member: Coded | None) -> str | None:
    return None if member is None else ind.option(member.value)


def _profile_tables(session: Session, month: Month, add: _Add) -> None:
    start, end = month.local_bounds()
    victims_seen: set[str] = set()
    for case in count_queries.new_cases(
        session, start, end, statistics=ConsentScope.STATISTICS, given=ConsentDecision.GIVEN
    ):
        if case.already_counted == YesNoUnknown.YES:
            add(ind.EXCLUDED_COUNTED_ELSEWHERE, ())
            continue
        if not case.consented:
            add(ind.EXCLUDED_NO_CONSENT, ())
            continue
        contact_day = clock.local_day(case.first_contact_at or start)
        if case.relationship is not None and case.core_type is not None:
            add(ind.SITUATIONS_CORE_TYPE, (_option(GbvimsType, case.core_type),))
            add(ind.SITUATIONS_CONTEXT, (_option(Relationship, case.relationship),))
            for form in split_codes(ViolenceForm, case.forms or ""):
                add(ind.SITUATIONS_FORM, (ind.option(form.value),))
            add(ind.ELAPSED_TIME, (ind.ELAPSED_OPTION[_elapsed(case, contact_day)],))
        if (
            case.role == PersonRole.VICTIM
            and not case.earlier_case
            and case.person_id is not None
            and case.person_id not in victims_seen
        ):
            victims_seen.add(case.person_id)
            add(
                ind.NEW_VICTIMS,
                (_option(Sex, case.sex or Sex.NOT_RECORDED), ind.new_victim_age(case.age)),
            )
            exposed = case.children_exposed or YesNoUnknown.UNKNOWN
            add(ind.CHILDREN_EXPOSED, (_option(YesNoUnknown, exposed),))


def _elapsed(case: count_queries.NewCase, contact_day: date) -> ElapsedBand:
    stored = case.last_incident_precision or DatePrecision.DAY
    precision = DatePrecision.counted(stored) or DatePrecision.DAY
    try:
        return elapsed_band(case.last_incident, precision, contact_day)
    except ValueError:  # an incident dated after the contact: a typing slip, not a band
        return ElapsedBand.UNKNOWN
