"""Follow-up work of a demo desk: police referrals waiting for a call-back (some tried
already), appointments of the coming days, and contacts where a protocol was followed.
Made through the services, as reception would, so the demo shows real records."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from app import clock
from app.domain.appointments import AppointmentForm
from app.domain.codes import (
    AppointmentKind,
    AttemptOutcome,
    ContactMode,
    NextStep,
    RecontactChannel,
    SafeTime,
)
from app.domain.intake import ContactForm, IntakeForm
from app.domain.protocols import ProtocolUseForm
from app.domain.recontact import AttemptForm, PoliceReferralForm
from app.services import appointments, intake, protocols, recontact
from app.services.open_desk import OpenDesk

NAMES = ("Nadia", "Sofie", "Amina", "Lotte", "Fatima", "Julie", "Inès", "Marieke")
# The police zones that send a desk its referrals, by the first digits of its NIS code.
ZONES = {
    "21": ("Bruxelles-Midi (5341)", "Bruxelles-Midi (5341)", "Bruxelles-Capitale Ixelles (5339)"),
    "62": ("Secova (5283)",),
}
# Safe times chosen so that someone can be called at most hours of a working week.
WINDOWS = (
    frozenset({SafeTime.WEEKDAY_MORNING}),
    frozenset({SafeTime.WEEKDAY_MORNING, SafeTime.WEEKDAY_AFTERNOON}),
    frozenset({SafeTime.WEEKDAY_AFTERNOON, SafeTime.WEEKDAY_EVENING}),
    frozenset({SafeTime.WEEKEND, SafeTime.WEEKDAY_EVENING}),
    frozenset(SafeTime),
)


def _last_weekday_morning(after: date, today: date) -> datetime | None:
    """10:00 on the latest weekday from `after` to yesterday, if there is one."""
    day = today - timedelta(days=1)
    while day >= after:
        if day.weekday() < 5:
            return clock.at(day, time(10))
        day -= timedelta(days=1)
    return None


def fill_follow_up(desk: OpenDesk, seed: int = 2026) -> None:
    rng = random.Random(seed + 2)
    today = clock.today()
    zones = ZONES.get(desk.desk.nis_code[:2], ZONES["21"])
    case_ids: list[str] = []
    for number, name in enumerate(NAMES):
        received = today - timedelta(days=rng.randint(1, 6))
        windows = WINDOWS[number % len(WINDOWS)]
        saved = recontact.record_police_referral(
            desk,
            PoliceReferralForm(
                received_on=received,
                police_zone=rng.choice(zones),
                consent_to_recontact=number != len(NAMES) - 1,  # one said no
                pseudonym=name,
                phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
                channel=RecontactChannel.PHONE if number != len(NAMES) - 1 else None,
                safe_times=windows if number != len(NAMES) - 1 else frozenset(),
                voicemail_ok=rng.random() < 0.3,
            ),
            str(uuid.uuid4()),
        )
        case_ids.append(saved.case_id)
        tried = _last_weekday_morning(received, today)
        items = recontact.items_of_case(desk, saved.case_id)
        if tried is not None and items and SafeTime.WEEKDAY_MORNING in windows and number % 2:
            recontact.log_attempt(
                desk,
                items[0].id,
                AttemptForm(
                    attempted_at=tried,
                    outcome=rng.choice((AttemptOutcome.NO_ANSWER, AttemptOutcome.UNSAFE)),
                    next_step=NextStep.TRY_AGAIN,
                    next_due=today,
                ),
            )
    kinds = list(AppointmentKind)
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(1, 3)):
            starts = clock.at(day, time(rng.randint(9, 16), rng.choice((0, 30))))
            appointments.plan(
                desk,
                AppointmentForm(
                    case_id=rng.choice(case_ids),
                    starts_at=starts,
                    minutes=rng.choice((30, 45, 60, 90)),
                    kind=rng.choice(kinds),
                    place=rng.choice(("", "Commissariat", "Palais de justice", "Maison médicale")),
                ),
            )
    followed = protocols.current(desk)
    # Spread over three months, so the monthly counts show protocols used in each.
    for days_ago in range(3, 93, 13):
        protocol = rng.choice(followed)
        ticked = frozenset(rng.sample(protocol.step_ids(), rng.randint(2, len(protocol.steps))))
        moment = clock.at(today - timedelta(days=days_ago), time(11))
        intake.record_intake(
            desk,
            IntakeForm(
                id=str(uuid.uuid4()),
                contact=ContactForm(occurred_at=moment.astimezone(UTC), mode=ContactMode.PHONE),
                protocols=(ProtocolUseForm(protocol.key, protocol.version, ticked),),
            ),
        )
