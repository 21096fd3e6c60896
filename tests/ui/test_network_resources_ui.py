"""The network resources page as the coordinator uses it: the referents register (errors
under the field), an agreement due for renewal flagged, a protocol saved as a new version."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.network_resources import PartnershipForm
from app.services import network_resources, protocols
from app.services.open_desk import OpenDesk
from tests.factories import protocol_version
from tests.ui.conftest import Prompts
from ui import tasks
from ui.pages.network_resources_page import NetworkResourcesPage
from ui.widgets.dates import qdate

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
    page.save_referent()  # nothing typed
    qtbot.waitUntil(lambda: page.referent_fields.errors["name"].isVisibleTo(page))
    assert network_resources.referents(coordinator) == []
    qtbot.keyClicks(page.referent_name, "Anne Lambert")
    qtbot.keyClicks(page.organisation, "CPAS d'Aywaille")
    page.municipality.setCurrentIndex(page.municipality.findData("62009"))
    page.referent_role.setText("Référente VIF")  # keyClicks types ASCII only
    qtbot.keyClicks(page.referent_email, "anne@")
    page.save_referent()
    qtbot.waitUntil(lambda: page.referent_fields.errors["email"].isVisibleTo(page))
    page.referent_email.setText("anne@example.be")
    page.save_referent()
    qtbot.waitUntil(lambda: page.referent_table.rowCount() == 1)
    assert page.referent_table.item(0, 0).text() == "Aywaille"
    (row,) = network_resources.referents(coordinator)
    assert row.form.name == "Anne Lambert" and row.form.municipality == "62009"


def test_a_referent_phone_reads_as_it_is_printed(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    qtbot.keyClicks(page.referent_name, "Anne Lambert")
    qtbot.keyClicks(page.organisation, "CPAS d'Aywaille")
    page.municipality.setCurrentIndex(page.municipality.findData("62009"))
    qtbot.keyClicks(page.referent_role, "Referente VIF")
    qtbot.keyClicks(page.referent_phone, "0478/11.54.88")
    page.save_referent()
    qtbot.waitUntil(lambda: page.referent_table.rowCount() == 1)
    assert network_resources.referents(coordinator)[0].form.phone == "0478/11.54.88"
    assert page.referent_table.item(0, 4).text() == "0478 11 54 88"
    page.new_referent()
    page.referent_table.selectRow(0)
    assert page.referent_phone.text() == "0478 11 54 88"


def test_an_agreement_due_for_renewal_is_flagged(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk
) -> None:
    network_resources.save_partnership(
        coordinator,
        PartnershipForm("GREOVA", "Plateforme", date(2025, 1, 1), clock.today() + timedelta(20)),
    )
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.agreement_table.rowCount() == 1)
    assert page.renewals.isVisibleTo(page) and "GREOVA" in page.renewals.text()
    assert page.agreement_table.item(0, 5).text() == "Prepare the renewal"
    page.new_agreement()
    qtbot.keyClicks(page.partner, "AIS")
    qtbot.keyClicks(page.subject, "Logement")
    page.ends_on.setDate(qdate(page.signed_on.date().toPython() - timedelta(days=1)))
    page.save_agreement()
    qtbot.waitUntil(lambda: page.agreement_fields.errors["ends_on"].isVisibleTo(page))
    assert len(network_resources.partnerships(coordinator)) == 1


def test_a_protocol_is_saved_as_a_new_version(
    qtbot: QtBot, page: NetworkResourcesPage, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: page.protocol_table.rowCount() == 5)
    row = next(
        r
        for r in range(page.protocol_table.rowCount())
        if page.protocol_table.item(r, 0).text() == "Legal aid"
    )
    page.protocol_table.selectRow(row)
    page.protocol_steps.setPlainText(page.protocol_steps.toPlainText() + "\nCall the bar.")
    page.save_protocol()
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos == ["Saved as version 2 of “Legal aid”."]
    latest = next(p for p in protocols.current(coordinator) if p.key == "legal_aid")
    assert latest.version == 2 and latest.steps[-1].text == {"en": "Call the bar."}
    assert protocol_version(coordinator, "legal_aid", 1) is not None
    tasks.wait_for_all()
    QApplication.processEvents()
