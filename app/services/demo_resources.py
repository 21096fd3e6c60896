"""Synthetic activities, emergency housing and hand-outs for a demo desk, month by month
over its years: the rhythm of a desk like STOPP VIF (La cabane on the first Wednesday,
a platform meeting every quarter, the White Ribbon campaign from 25 November), and the
network's referents, agreements and training attendance."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from app import clock
from app.domain.activity_lists import CABANE_PARENTS
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.services.activities import ACTIVITY_ROLES
from app.services.open_desk import OpenDesk
from db.models import (
    Activity,
    ActivityAttendance,
    Handout,
    HousingStay,
    HousingUnit,
    Partnership,
    Referent,
)

HANDOUT_LANGUAGES = ("fr", "fr", "fr", "nl", "nl", "en", "ar", "es", "pt", "tr", "ro", "pl")
MATERIALS = ("brochure", "brochure", "wallet_card", "referral_slip")


def _first_wednesday(month: Month) -> date:
    day = month.first_day
    return day + timedelta(days=(2 - day.weekday()) % 7)


def fill_resources(
    desk: OpenDesk, years: int, recorder: str, seed: int = 2026, today: date | None = None
) -> None:
    rng = random.Random(seed + 1)
    today = today or clock.today()
    first = Month.of(today - timedelta(days=365 * years))
    now = clock.now().replace(microsecond=0)
    rows: dict[type, list[dict[str, Any]]] = {
        Activity: [],
        HousingUnit: [],
        HousingStay: [],
        Handout: [],
    }

    # Kinds and audiences of the desk's default lists, which hold the network's answers
    # under their codes, and the parents received alongside La cabane.
    def activity(day: date, kind: str, audience: str, title: str, low: int, high: int) -> None:
        if day <= today:
            rows[Activity].append(
                {
                    "id": str(uuid.uuid4()),
                    "held_on": day,
                    "kind": kind,
                    "title": title,
                    "place": rng.choice(
                        ("Maison de quartier", "École communale", "Salle du CPAS", "Bibliothèque")
                    ),
                    "audience": audience,
                    "participants": rng.randint(low, high),
                    "partnership_id": None,
                    "recorded_by": recorder,
                    "updated_at": now,
                }
            )

    month = first
    while month <= Month.of(today):
        if month.month not in (7, 8):
            activity(
                _first_wednesday(month),
                ActivityKind.LA_CABANE,
                Audience.CHILDREN,
                "La cabane",
                4,
                12,
            )
            activity(
                _first_wednesday(month),
                ActivityKind.LA_CABANE,
                CABANE_PARENTS,
                "Accueil des parents de La cabane",
                2,
                8,
            )
            activity(
                month.first_day + timedelta(days=rng.randrange(month.days)),
                ActivityKind.DISCUSSION_GROUP,
                Audience.WOMEN,
                "Groupe de parole des mamans",
                4,
                10,
            )
            activity(
                month.first_day + timedelta(days=rng.randrange(month.days)),
                ActivityKind.SUPPORT_GROUP,
                Audience.CHILDREN,
                "Groupe enfants",
                3,
                7,
            )
        for _ in range(rng.randint(1, 2)):
            day = month.first_day + timedelta(days=rng.randrange(month.days))
            activity(day, ActivityKind.DIGITAL_WORKSHOP, Audience.WOMEN, "Atelier numérique", 3, 9)
        for _ in range(rng.randint(0, 3)):
            day = month.first_day + timedelta(days=rng.randrange(month.days))
            activity(
                day, ActivityKind.ANIMATION, Audience.YOUNG_PEOPLE, "Module d'animation", 15, 28
            )
        if month.month in (3, 6, 9, 12):
            activity(
                month.first_day + timedelta(days=14),
                ActivityKind.PLATFORM_MEETING,
                Audience.PROFESSIONALS,
                "Plateforme",
                8,
                18,
            )
        if month.month in (2, 5, 10):
            activity(
                month.first_day + timedelta(days=20),
                ActivityKind.TRAINING,
                Audience.PROFESSIONALS,
                "Formation",
                10,
                25,
            )
        if month.month == 11:
            for offset in (0, 3, 6):
                activity(
                    date(month.year, 11, 25) + timedelta(days=offset),
                    ActivityKind.WHITE_RIBBON,
                    Audience.GENERAL_PUBLIC,
                    "Ruban blanc",
                    40,
                    200,
                )
        for _ in range(rng.randint(15, 40)):
            day = month.first_day + timedelta(days=rng.randrange(month.days))
            if day <= today:
                rows[Handout].append(
                    {
                        "id": str(uuid.uuid4()),
                        "handed_on": day,
                        "material": rng.choice(MATERIALS),
                        "language": rng.choice(HANDOUT_LANGUAGES),
                        "copies": rng.randint(1, 3),
                        "case_id": None,
                        "recorded_by": recorder,
                    }
                )
        month = month.next()
    for name in ("Studio A", "Studio B"):
        unit_id = str(uuid.uuid4())
        start = first.first_day
        rows[HousingUnit].append(
            {"id": unit_id, "name": name, "available_from": start, "available_until": None}
        )
        day = start + timedelta(days=rng.randint(0, 20))
        while day < today:
            end = day + timedelta(days=rng.randint(10, 120))
            rows[HousingStay].append(
                {
                    "id": str(uuid.uuid4()),
                    "unit_id": unit_id,
                    "starts_on": day,
                    "ends_on": end if end <= today else None,
                    "recorded_by": recorder,
                }
            )
            day = end + timedelta(days=rng.randint(0, 25))
    _network_records(rows, rng, today, now, recorder)
    with desk.guarded(ACTIVITY_ROLES, "demo.fill") as session:
        for model in (
            Referent,
            Partnership,
            Activity,
            ActivityAttendance,
            HousingUnit,
            HousingStay,
            Handout,
        ):
            if rows.get(model):
                session.execute(insert(model), rows[model])


REFERENTS = (
    ("Anne Lambert", "CPAS d'Aywaille", "62009", "Référente VIF"),
    ("Marc Delvaux", "Commune de Chaudfontaine", "62022", "Coordinateur STOPP VIF"),
    ("Sarah Henrard", "CPAS d'Esneux", "62032", "Référente VIF"),
    ("Luc Collard", "Commune de Sprimont", "62100", "Référent VIF"),
    ("Nathalie Piron", "CPAS de Trooz", "62122", "Référente VIF"),
    ("Karima Bennani", "Service de prévention de Saint-Gilles", "21013", "Référente VIF"),
    ("Pieter Claes", "OCMW Sint-Gillis", "21013", "Referent IFG"),
)


def _network_records(
    rows: dict[type, list[dict[str, Any]]],
    rng: random.Random,
    today: date,
    now: datetime,
    recorder: str,
) -> None:
    """The network's referents, agreements (one to renew soon: its reminder starts in two
    weeks, so that a new demo desk is due for nothing), the attendance of its trainings and
    platform meetings, and two trainings still to come."""
    referents = [
        {
            "id": str(uuid.uuid4()),
            "name": name,
            "organisation": organisation,
            "municipality": nis,
            "role": role,
            "phone": "",
            "email": f"{name.split()[0].lower()}@example.be",
            "active": True,
            "updated_at": now,
        }
        for name, organisation, nis, role in REFERENTS
    ]
    rows[Referent] = referents
    platform = str(uuid.uuid4())
    rows[Partnership] = [
        {
            "id": platform,
            "partner": "GREOVA",
            "subject": "Plateforme STOPP VIF",
            "signed_on": today - timedelta(days=700),
            "ends_on": today + timedelta(days=74),
            "reminder_days": 60,
            "updated_at": now,
        },
        {
            "id": str(uuid.uuid4()),
            "partner": "AIS Ourthe-Amblève",
            "subject": "Appartement d'urgence",
            "signed_on": today - timedelta(days=300),
            "ends_on": today + timedelta(days=430),
            "reminder_days": 90,
            "updated_at": now,
        },
        {
            "id": str(uuid.uuid4()),
            "partner": "Pôle de ressources",
            "subject": "Plan de formation",
            "signed_on": today - timedelta(days=200),
            "ends_on": None,
            "reminder_days": 60,
            "updated_at": now,
        },
    ]
    attended = (ActivityKind.TRAINING.value, ActivityKind.PLATFORM_MEETING.value)
    for activity in rows[Activity]:
        if activity["kind"] in attended:
            if activity["kind"] == ActivityKind.PLATFORM_MEETING.value:
                activity["partnership_id"] = platform
            for referent in rng.sample(referents, rng.randint(2, len(referents))):
                rows.setdefault(ActivityAttendance, []).append(
                    {"activity_id": activity["id"], "referent_id": referent["id"]}
                )
    for days, audience, title in (
        (18, Audience.REFERENTS, "Protocole mineurs : mise en pratique"),
        (46, Audience.PROFESSIONALS, "Repérer les violences intrafamiliales"),
    ):
        rows[Activity].append(
            {
                "id": str(uuid.uuid4()),
                "held_on": today + timedelta(days=days),
                "kind": ActivityKind.TRAINING.value,
                "title": title,
                "place": "Salle du conseil, Chaudfontaine",
                "audience": audience.value,
                "participants": 0,
                "partnership_id": None,
                "recorded_by": recorder,
                "updated_at": now,
            }
        )
