"""Sessions with counsellors' notes on a demo desk's recent cases, recorded through the
sessions service as a counsellor would: the notes are sealed with the notes key, so the
demo shows who can read them (counsellors) and who cannot (every other role)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.domain.codes import RiskLevel, RiskTool, SessionType, Topic
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.services import sessions
from app.services.open_desk import OpenDesk
from db.models import CaseFile

# Synthetic notes, in the words a counsellor might use; nobody real is described.
NOTES = (
    "Premier entretien. Décrit des violences psychologiques répétées depuis la naissance du "
    "deuxième enfant. Souhaite d'abord connaître ses droits ; pas de plainte pour l'instant. "
    "Revoir dans quinze jours.",
    "Appel de suivi. La situation s'est calmée depuis l'interdiction temporaire de "
    "résidence. Prépare son audition à la police ; accompagnement proposé.",
    "Évaluation du risque refaite : menaces récentes, accès possible à une arme. Plan de "
    "sécurité revu ensemble, numéro d'urgence enregistré sous un autre nom.",
    "Entretien avec interprète. Questions sur le titre de séjour lié au mariage ; orientée "
    "vers l'aide juridique de première ligne.",
    "Bilan avec le CPAS pour un logement d'urgence. Le studio B est libre lundi ; accord de "
    "la personne.",
    "Vient avec une amie. Fatiguée, dort mal. Parle pour la première fois des violences "
    "sexuelles ; informée du CPVS, ne souhaite pas y aller maintenant.",
)


def fill_notes(desk: OpenDesk, seed: int = 2026) -> None:
    """A session with notes on each of a few cases opened in the last two months."""
    with desk.guarded(Role.COUNSELLOR, "demo.fill") as session:
        rng = random.Random(seed + 3)
        now = clock.now()
        recent = session.scalars(
            select(CaseFile.id)
            .where(
                CaseFile.person_id.is_not(None),
                CaseFile.opened_at >= now - timedelta(days=60),
                CaseFile.opened_at < now - timedelta(days=3),
            )
            .order_by(CaseFile.opened_at)
        ).all()
    chosen = rng.sample(recent, min(len(recent), len(NOTES)))
    for case_id, notes in zip(chosen, NOTES, strict=False):
        screened = "risque" in notes
        sessions.add_session(
            desk,
            case_id,
            SessionForm(
                held_at=now - timedelta(days=rng.randint(1, 2), hours=rng.randint(1, 6)),
                duration_minutes=rng.choice((45, 60, 90)),
                session_type=SessionType.LISTENING,
                topics=frozenset(rng.sample(list(Topic), 2)),
                risk_tool=RiskTool.COL_15_2020 if screened else RiskTool.NONE,
                risk_level=RiskLevel.HIGH if screened else None,
                safety_plan=screened,
                notes=notes,
            ),
        )
