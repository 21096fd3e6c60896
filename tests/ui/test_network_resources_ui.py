"""The network resources page as the coordinator uses it: the referents register (errors
under the field), an agreement due for renewal flagged, the attendance of a training
ticked, a protocol saved as a new version — each tab its own screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.activities import ActivityForm
from app.domain.codes import ActivityKind, Audience
from app.domain.network_resources import PartnershipForm, ReferentForm
from app.services import activities, network_resources, protocols
from app.services.open_desk import OpenDesk
from tests.factories import protocol_version
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui import tasks
from ui.pages.network_resources_page import NetworkResourcesPage

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


@pytest.fixture
def page(qtbot: QtBot, coordinator: OpenDesk) -> NetworkResourcesPage:
    resources = NetworkResourcesPage()
    qtbot.addWidget(resources)
    resources.open_desk(coordinator)
    resources.resize(1100, 650)
    resources.show()
    qtbot.waitExposed(resources)
    return resources


def test_a_referent_is_added_from_the_form(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    user = User(qtbot, page)
    user.press("Save the referent")  # nothing typed
    qtbot.waitUntil(lambda: "The name" in user.said())
    assert network_resources.referents(coordinator) == []
    user.type("Name", "Anne Lambert")
    user.type("Organisation", "CPAS d'Aywaille")
    user.choose("Municipality", "Aywaille")
    user.type("Role", "Référente VIF")
    user.type("E-mail", "anne@")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: "e-mail" in user.said())
    user.type("E-mail", "anne@example.be")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: len(user.rows("Referents of the network")) == 1)
    assert user.rows("Referents of the network")[0][:2] == ["Aywaille", "Anne Lambert"]
    (row,) = network_resources.referents(coordinator)
    assert row.form.name == "Anne Lambert" and row.form.municipality == "62009"


def test_a_referent_phone_reads_as_it_is_printed(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    user = User(qtbot, page)
    user.type("Name", "Anne Lambert")
    user.type("Organisation", "CPAS d'Aywaille")
    user.choose("Municipality", "Aywaille")
    user.type("Role", "Referente VIF")
    user.type("Phone", "0478/11.54.88")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: len(user.rows("Referents of the network")) == 1)
    assert network_resources.referents(coordinator)[0].form.phone == "0478/11.54.88"
    assert user.rows("Referents of the network")[0][4] == "0478 11 54 88"
    user.press("New referent")
    assert user.text("Phone") == ""
    user.click_row("Referents of the network", "Anne Lambert")
    assert user.text("Phone") == "0478 11 54 88"


def test_an_agreement_due_for_renewal_is_flagged(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    network_resources.save_partnership(
        coordinator,
        PartnershipForm("GREOVA", "Plateforme", date(2025, 1, 1), clock.today() + timedelta(20)),
    )
    user = User(qtbot, page)
    user.open_tab("Agreements")
    qtbot.waitUntil(lambda: len(user.rows("Partnership agreements")) == 1)
    assert "Renewal to prepare: GREOVA" in user.said()
    assert user.rows("Partnership agreements")[0][5] == "Prepare the renewal"
    user.press("New agreement")
    user.type("Partner", "AIS")
    user.type("Subject", "Logement")
    signed = user.text("Signed on")
    user.type("Ends on", "01/01/2020")
    assert signed != "01/01/2020"
    user.press("Save the agreement")
    qtbot.waitUntil(lambda: "must end after the day it was signed" in user.said())
    assert len(network_resources.partnerships(coordinator)) == 1
    # Open-ended, it is saved.
    user.tick("No end date")
    user.press("Save the agreement")
    qtbot.waitUntil(lambda: len(user.rows("Partnership agreements")) == 2)
    saved = {row.form.partner: row.form for row in network_resources.partnerships(coordinator)}
    assert saved["AIS"].ends_on is None


def test_the_attendance_of_a_held_training_is_ticked_and_saved(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    anne = network_resources.save_referent(
        coordinator, ReferentForm("Anne Lambert", "CPAS", "62009", "VIF")
    )
    network_resources.save_referent(
        coordinator, ReferentForm("Marc Dubois", "ASBL", "21004", "VIF")
    )
    today = clock.today()
    activities.save_activity(
        coordinator,
        ActivityForm(
            today - timedelta(3), ActivityKind.TRAINING, "Emprise", "", Audience.PROFESSIONALS, 12
        ),
    )
    activities.save_activity(
        coordinator,
        ActivityForm(
            today + timedelta(9), ActivityKind.TRAINING, "Mineurs", "", Audience.PROFESSIONALS, 0
        ),
    )
    user = User(qtbot, page)
    user.open_tab("Training plan")
    qtbot.waitUntil(lambda: len(user.rows("Training plan")) == 2)
    user.click_row("Training plan", "Mineurs")
    assert not user.find("Save the attendance").isEnabled()  # still to come
    user.click_row("Training plan", "Emprise")
    user.tick_item("Referents who attended", "Anne Lambert (CPAS)")
    user.press("Save the attendance")
    qtbot.waitUntil(
        lambda: [r[5] for r in user.rows("Training plan") if r[2] == "Emprise"] == ["1"]
    )
    (held,) = [
        r
        for r in network_resources.training_plan(coordinator, today - timedelta(9), today)
        if r.title == "Emprise"
    ]
    assert held.referents == (anne,)


def test_a_protocol_is_saved_as_a_new_version(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = User(qtbot, page)
    user.open_tab("Protocols")
    qtbot.waitUntil(lambda: len(user.rows("Intervention protocols")) == 5)
    user.click_row("Intervention protocols", "Legal aid")
    assert user.find("Status").isEnabled()
    steps = user.text("Steps, one per line")
    user.type("Steps, one per line", steps + "\nCall the bar.")
    user.press("Save as a new version")
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos == ["Saved as version 2 of “Legal aid”."]
    latest = next(p for p in protocols.current(coordinator) if p.key == "legal_aid")
    assert latest.version == 2 and latest.steps[-1].text == {"en": "Call the bar."}
    assert protocol_version(coordinator, "legal_aid", 1) is not None
    assert [r[1] for r in user.rows("Intervention protocols") if r[0] == "Legal aid"] == ["2"]
    # A new protocol starts as a draft: its status is not for choosing yet.
    user.press("New protocol")
    assert not user.find("Status").isEnabled()
    tasks.wait_for_all()
    QApplication.processEvents()


def test_what_is_typed_in_a_tab_comes_back_in_that_tab(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    user = User(qtbot, page)
    assert page.draft() == {}  # nothing typed: nothing kept
    user.open_tab("Agreements")
    user.type("Partner", "Maison de justice")
    draft = page.draft()
    page.clear()

    again = NetworkResourcesPage()
    qtbot.addWidget(again)
    again.open_desk(coordinator)
    again.show()
    again.restore(draft)
    tasks.wait_for_all()
    back = User(qtbot, again)
    assert again.tabs.tabText(again.tabs.currentIndex()) == "Agreements"
    assert back.text("Partner") == "Maison de justice"


def test_an_impossible_date_is_said_once_at_its_field_and_nothing_is_saved(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    user = User(qtbot, page)
    user.open_tab("Agreements")
    user.type("Partner", "AIS")
    user.type("Subject", "Logement")
    user.type("Signed on", "31/02/2026")
    user.press("Save the agreement")
    tasks.wait_for_all()
    said = user.said()
    refusals = [
        line for line in said.splitlines() if "31/02/2026" in line or "date" in line.lower()
    ]
    assert len(refusals) == 1, said
    assert page.focusWidget() is not None
    assert page.focusWidget().accessibleName() == "Signed on"
    assert network_resources.partnerships(coordinator) == []


def test_ticks_of_attendance_are_a_draft_and_an_untouched_plan_is_none(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    network_resources.save_referent(
        coordinator, ReferentForm("Anne Lambert", "CPAS", "62009", "VIF")
    )
    activities.save_activity(
        coordinator,
        ActivityForm(
            clock.today() - timedelta(3),
            ActivityKind.TRAINING,
            "Emprise",
            "",
            Audience.PROFESSIONALS,
            12,
        ),
    )
    user = User(qtbot, page)
    user.open_tab("Training plan")
    qtbot.waitUntil(lambda: len(user.rows("Training plan")) == 1)
    tasks.wait_for_all()
    assert page.draft() == {}  # opening the plan is not typing
    user.click_row("Training plan", "Emprise")
    assert page.draft() == {}
    user.tick_item("Referents who attended", "Anne Lambert (CPAS)")
    assert page.draft() != {}
