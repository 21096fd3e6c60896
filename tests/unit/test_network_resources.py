"""The network's records: referents (staff data, a known municipality), partnership
agreements with their renewal reminders, the training plan with its attendance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.activities import ActivityForm
from app.domain.codes import ActivityKind, Audience
from app.domain.network_resources import PartnershipForm, ReferentForm
from app.errors import AccessDenied, ValidationError
from app.services import activities, audit_log, network_resources
from app.services.open_desk import OpenDesk
from tests.conftest import TEST_DAY

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

TODAY = TEST_DAY
REFERENT = ReferentForm(
    name="Anne Dupont",
    organisation="CPAS de Sprimont",
    municipality="62100",
    role="Référente VIF",
    phone="04 382 00 00",
    email="anne.dupont@example.be",
)


def test_the_register_keeps_referents_of_known_municipalities(coordinator: OpenDesk) -> None:
    referent_id = network_resources.save_referent(coordinator, REFERENT)
    (row,) = network_resources.referents(coordinator)
    assert row.id == referent_id and row.form == REFERENT
    with pytest.raises(ValidationError, match="not known to Havre") as refused:
        network_resources.save_referent(coordinator, ReferentForm("B", "C", "99999", "R"))
    assert refused.value.field == "municipality"
    for field, value in (("name", " "), ("email", "anne@"), ("phone", "call me")):
        bad = ReferentForm(**{**REFERENT.__dict__, field: value})
        with pytest.raises(ValidationError) as refused:
            network_resources.save_referent(coordinator, bad)
        assert refused.value.field == field
    assert len(network_resources.referents(coordinator)) == 1  # nothing half-saved


def test_reception_does_not_see_the_register(reception: OpenDesk) -> None:
    with pytest.raises(AccessDenied):
        network_resources.referents(reception)


def test_agreements_remind_before_their_end(coordinator: OpenDesk) -> None:
    soon = network_resources.save_partnership(
        coordinator,
        PartnershipForm("GREOVA", "Convention STOPP VIF", date(2024, 1, 1), TODAY + timedelta(30)),
    )
    network_resources.save_partnership(
        coordinator,
        PartnershipForm("AIS Ourthe-Amblève", "Logement d'urgence", date(2024, 1, 1), None),
    )
    later = network_resources.save_partnership(
        coordinator,
        PartnershipForm("Pôle de ressources", "Formation", date(2024, 1, 1), TODAY + timedelta(90)),
    )
    assert [row.id for row in network_resources.renewals_due(coordinator)] == [soon]
    due_later = network_resources.renewals_due(coordinator, TODAY + timedelta(31))
    assert [row.id for row in due_later] == [soon, later]
    with pytest.raises(ValidationError) as refused:
        network_resources.save_partnership(
            coordinator, PartnershipForm("X", "Y", date(2025, 1, 1), date(2024, 12, 31))
        )
    assert refused.value.field == "ends_on"


def test_training_plan_with_attendance_and_meetings_under_an_agreement(
    coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    anne = network_resources.save_referent(coordinator, REFERENT)
    marc = network_resources.save_referent(
        coordinator, ReferentForm("Marc Leroy", "Commune de Trooz", "62122", "Référent VIF")
    )
    agreement = network_resources.save_partnership(
        coordinator, PartnershipForm("GREOVA", "Plateforme STOPP VIF", date(2024, 1, 1))
    )
    held = activities.save_activity(
        coordinator,
        ActivityForm(
            TODAY - timedelta(7),
            ActivityKind.TRAINING,
            "Repérer les violences",
            "Chaudfontaine",
            Audience.REFERENTS,
            12,
        ),
    )
    planned = activities.save_activity(
        coordinator,
        ActivityForm(
            TODAY + timedelta(20),
            ActivityKind.TRAINING,
            "Protocole mineurs",
            "",
            Audience.PROFESSIONALS,
            0,
        ),
    )
    meeting = activities.save_activity(
        coordinator,
        ActivityForm(
            TODAY - timedelta(2),
            ActivityKind.PLATFORM_MEETING,
            "Plateforme T4",
            "",
            Audience.PROFESSIONALS,
            32,
        ),
    )
    network_resources.set_attendance(coordinator, held, frozenset({anne, marc}), None)
    network_resources.set_attendance(coordinator, meeting, frozenset({anne}), agreement)
    with pytest.raises(ValidationError, match="still to come"):
        network_resources.set_attendance(coordinator, planned, frozenset({anne}), None)
    with pytest.raises(ValidationError, match="Only a platform meeting"):
        network_resources.set_attendance(coordinator, held, frozenset(), agreement)

    plan = network_resources.training_plan(
        coordinator, TODAY - timedelta(30), TODAY + timedelta(60)
    )
    assert [(row.title, row.planned(TODAY)) for row in plan] == [
        ("Repérer les violences", False),
        ("Plateforme T4", False),
        ("Protocole mineurs", True),
    ]
    assert plan[0].referents == tuple(sorted((anne, marc)))
    assert plan[1].partnership_id == agreement
    (row,) = network_resources.partnerships(coordinator)
    assert row.meetings == 1
    activities.delete_activity(coordinator, held)  # its attendance goes with it
    actions = [e.action for e in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert actions.count("activity.attendance") == 2
    assert "referent.edit" in actions and "partnership.edit" in actions
