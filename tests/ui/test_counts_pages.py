"""The monthly export page, the network page and the publication dialog, driven as a
coordinator or a receptionist would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain import indicators as ind
from app.services import (
    audit,
    keys,
    network,
    publication,
    publication_register,
)
from app.services.open_desk import OpenDesk
from app.services.publication import Format
from db.models import AuditEvent
from tests.counts_support import MARCH, TODAY, Network, open_coordinator
from tests.ui.conftest import Prompts, held_back, progress_shown
from tests.ui.user import User
from ui import prompts, tasks
from ui.dialogs.publication_dialog import PublicationDialog
from ui.dialogs.register_dialog import RegisterDialog
from ui.models.network_models import ImportResultsModel, ReceivedModel
from ui.models.register_model import RegisterFilter, RegisterModel
from ui.pages.counts_page import CountsPage
from ui.pages.network_page import NetworkPage

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def shown(qtbot: QtBot, page: CountsPage | NetworkPage, desk: OpenDesk) -> None:
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.open_desk(desk)


def test_the_export_preview_shows_every_number_and_asks_before_replacing(
    qtbot: QtBot, net: Network, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    page = CountsPage()
    shown(qtbot, page, net.desk)
    user = User(qtbot, page)
    user.choose("Month to export", page.month.itemText(page.month.findData(str(MARCH))))
    qtbot.waitUntil(lambda: "SG_2026-03.havre-counts" in page.heading.text())
    assert page.preview.topLevelItemCount() == len(ind.ELEMENTS)
    contacts = page.preview.topLevelItem(0)
    assert (contacts.text(0), contacts.text(1)) == ("Desk contacts", "6")
    assert contacts.child(0).text(0) == "Victim" and contacts.child(0).text(1) == "5"
    cells = sum(page.preview.topLevelItem(i).childCount() for i in range(len(ind.ELEMENTS)))
    assert cells == sum(len(e.combos) for e in ind.ELEMENTS if e.dimensions)
    assert "SG_2026-03.havre-counts" in page.heading.text()
    assert page.recipient.text().startswith("Encrypted to: NET")
    assert page.export_button.isEnabled()
    target = tmp_path / "SG_2026-03.havre-counts"
    recorded_prompts.file_to_save = target
    user.press("Export the file…")
    qtbot.waitUntil(lambda: page.result.text().startswith("Written:"))
    assert "revision 1" in page.result.text()
    first = target.read_bytes()
    recorded_prompts.confirm_answer = False
    user.press("Export the file…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.questions))
    tasks.wait_for_all()
    assert "already exists" in recorded_prompts.questions[-1]
    assert target.read_bytes() == first
    recorded_prompts.confirm_answer = True
    user.press("Export the file…")
    qtbot.waitUntil(lambda: "revision 2" in page.result.text())
    assert target.read_bytes() != first
    tasks.wait_for_all()


def test_nothing_is_counted_or_audited_until_the_page_is_shown(
    qtbot: QtBot, coordinator: OpenDesk
) -> None:
    page = CountsPage()
    qtbot.addWidget(page)
    page.open_desk(coordinator)  # harness: the unlock opens the desk on the hidden page
    tasks.wait_for_all()
    assert page.preview.topLevelItemCount() == 0 and page.heading.text() == ""
    with coordinator.transaction() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == audit.COUNTS_VIEWED)
        ).all()
    assert viewed == []
    page.show()
    qtbot.waitUntil(lambda: page.preview.topLevelItemCount() == len(ind.ELEMENTS))
    tasks.wait_for_all()


def test_the_page_says_when_no_recipient_is_set(qtbot: QtBot, coordinator: OpenDesk) -> None:
    page = CountsPage()
    shown(qtbot, page, coordinator)
    qtbot.waitUntil(lambda: page.preview.topLevelItemCount() == len(ind.ELEMENTS))
    assert page.recipient.text().startswith("No recipient yet")
    assert not User(qtbot, page).find("Export the file…").isEnabled()
    tasks.wait_for_all()


RESULTS = "Import results"
RECEIVED = "Months and desks received"
TRUSTED = "Desks whose files are accepted"


def test_dropped_files_are_imported_and_the_dashboard_fills(
    qtbot: QtBot, net: Network, tmp_path: Path
) -> None:
    files = [net.export(MARCH.previous()), net.export(MARCH)]
    junk = tmp_path / "junk.havre-counts"
    junk.write_bytes(b"nothing")
    page = NetworkPage()
    shown(qtbot, page, net.hub)
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: "No counts file received yet" in user.said())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (*files, files[0], junk)])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt hands a drop to the widget's handler only during a real drag, which a test cannot
    # start: the handler is given the event itself.
    page.dropEvent(drop)
    qtbot.waitUntil(lambda: len(user.rows(RESULTS)) == 4 and len(user.rows(RECEIVED)) == 2)
    results = user.rows(RESULTS)
    assert [row[1] for row in results] == ["accepted", "accepted", "unchanged", "refused"]
    assert results[3][2].startswith("Not a counts file")
    assert user.headers(RECEIVED)[1] == "SG"
    assert user.rows(RECEIVED)[0][1] == "✓ r1"
    qtbot.waitUntil(lambda: "2 files received from 1 desks" in user.said())
    assert user.rows(TRUSTED) == [
        ["SG", net.desk.desk.name, keys.own_public_key(net.desk).fingerprint]
    ]
    trend = page.charts.trend.chart()
    [series] = trend.series()
    contacts = series.barSets()[0]
    assert [contacts.at(i) for i in range(contacts.count())] == [1, 6]
    forms = page.charts.forms.chart().series()[0].barSets()[0]
    assert sorted(forms.at(i) for i in range(forms.count())) == [2, 2]  # physical, sexual
    user.press("Publish…")
    qtbot.waitUntil(lambda: page.findChild(PublicationDialog) is not None)
    tasks.wait_for_all()


def test_the_import_results_and_received_models(qtmodeltester, net: Network) -> None:  # type: ignore[no-untyped-def]
    results = ImportResultsModel()
    received = ReceivedModel()
    exported = net.export(MARCH)
    network.import_files(net.hub, [exported])
    results.set_rows(network.import_files(net.hub, [exported]))
    received.set_received(network.received_months(net.hub))
    qtmodeltester.check(results)
    qtmodeltester.check(received)
    assert results.data(results.index(0, 1)) == "unchanged"


@pytest.mark.slow
def test_the_workspace_loads_without_the_publication_code() -> None:
    """Publishing is rare: its dialog, formats and report charts load when first used,
    not at everyone's first sign-in."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; import ui.workspace; "
            "print(sorted(m for m in sys.modules if 'publication' in m or "
            "m.startswith('reportlab.graphics.charts')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert loaded.stdout.strip() == "[]"


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from `widget`: the next widget of the focus chain that takes Tab."""
    found = widget.nextInFocusChain()
    while not (found.focusPolicy() & Qt.FocusPolicy.TabFocus and found.isEnabled()):
        found = found.nextInFocusChain()
    return found


def _choose_data(user: User, name: str, data: object) -> None:
    combo = user.find(name, QComboBox)
    assert isinstance(combo, QComboBox)
    user.choose(name, combo.itemText(combo.findData(data)))


def test_the_publication_dialog_previews_then_writes(
    qtbot: QtBot, net: Network, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    dialog = PublicationDialog(net.hub, [MARCH.previous(), MARCH])
    qtbot.addWidget(dialog)
    dialog.show()
    user = User(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert dialog.first.month() == MARCH.previous() and dialog.last.month() == MARCH
    assert "1 org unit, 2 months:" in dialog.preview.text()
    assert "small numbers, and" in dialog.preview.text()
    assert "Information lost" in dialog.preview.text()
    assert "Audit passed" in dialog.preview.text()
    assert "counts of events published exactly" in dialog.preview.text()
    assert dialog.save_button.isEnabled()
    assert "nothing published yet" in dialog.register.text()  # the preview made no difference
    # Tab reaches every button; Enter saves, it never closes the dialog.
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert next_tab_stop(dialog.format) is dialog.save_button
    assert next_tab_stop(dialog.save_button) is dialog.register_button
    assert next_tab_stop(dialog.register_button) is close
    assert not close.autoDefault() and not dialog.register_button.autoDefault()
    assert dialog.width() >= 720
    dialog.grab().save(str(tmp_path / "publication.png"))
    methods = user.options("Protection of small numbers")
    user.choose("Protection of small numbers", methods[1])
    qtbot.waitUntil(lambda: "multiple of 5" in dialog.preview.text())
    assert dialog.save_button.isEnabled() and not dialog.k.isEnabled()
    user.choose("Protection of small numbers", methods[0])
    _choose_data(user, "Format", Format.DHIS2_JSON)
    # Save comes back with the preview of the last choices (earlier ones are dropped).
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert "multiple of 5" not in dialog.preview.text() and dialog.k.isEnabled()
    target = tmp_path / "pvif.json"
    recorded_prompts.file_to_save = target
    user.press("Save…")
    qtbot.waitUntil(lambda: dialog.preview.text().startswith("Written:"))
    assert json.loads(target.read_text())["dataSet"] == "PVIF_M"
    assert (tmp_path / "pvif.json.manifest.json").exists()
    assert "1 publication," in dialog.register.text()
    assert keys.own_public_key(net.hub).age_recipient
    tasks.wait_for_all()


def test_the_register_opens_over_the_publication_and_a_new_one_shows_on_return(
    qtbot: QtBot, net: Network, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    """The register is one of the windows the prompts wait for: what the coordinator does
    there (here, start a new register) is what the publication says once it is closed."""
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    done = publication.publish(net.hub, MARCH.previous(), MARCH)
    publication.write(net.hub, done, Format.XLSX, tmp_path / "pvif.xlsx")
    dialog = PublicationDialog(net.hub, [MARCH.previous(), MARCH])
    qtbot.addWidget(dialog)
    dialog.show()
    assert "1 publication," in dialog.register.text()

    def start_anew(window: QDialog) -> bool:
        User(qtbot, window).press("Start a new register…")
        return False

    recorded_prompts.in_window = start_anew
    User(qtbot, dialog).press("Register…")
    assert recorded_prompts.windows == ["Publication register"]
    assert "protected together with each other only" in recorded_prompts.questions[-1]
    assert "nothing published yet" in dialog.register.text()
    tasks.wait_for_all()


def _cancel_when_shown(qtbot: QtBot, dialog: PublicationDialog, go_on: threading.Event) -> None:
    progress = progress_shown(qtbot, dialog)
    assert progress.buttons.isVisible()
    qtbot.keyClick(progress, Qt.Key.Key_Escape)
    go_on.set()


def test_cancelling_the_publication_writes_nothing(
    qtbot: QtBot,
    net: Network,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorded_prompts: Prompts,
) -> None:
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    working = held_back(monkeypatch, publication.protection, "protect")
    dialog = PublicationDialog(net.hub, [MARCH.previous(), MARCH])
    qtbot.addWidget(dialog)
    dialog.show()
    _cancel_when_shown(qtbot, dialog, working)
    qtbot.waitUntil(lambda: dialog.preview.text() == "Cancelled: nothing was changed.")
    assert not dialog.save_button.isEnabled()

    writing = held_back(monkeypatch, publication, "render")
    target = tmp_path / "out" / "pvif.json"
    target.parent.mkdir()
    _choose_data(User(qtbot, dialog), "Format", Format.DHIS2_JSON)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    recorded_prompts.file_to_save = target
    User(qtbot, dialog).press("Save…")
    _cancel_when_shown(qtbot, dialog, writing)
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["Cancelled: nothing was changed."])
    tasks.wait_for_all()
    assert list(target.parent.iterdir()) == []
    register = publication_register.summary(net.hub)
    assert register is None or register.publications == 0


def test_the_register_shows_every_number_and_starts_anew(
    qtbot: QtBot,
    net: Network,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorded_prompts: Prompts,
) -> None:
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    done = publication.publish(net.hub, MARCH.previous(), MARCH)
    publication.write(net.hub, done, Format.XLSX, tmp_path / "pvif.xlsx")
    dialog = RegisterDialog(net.hub)
    qtbot.addWidget(dialog)
    dialog.show()
    publications = "Publications of the register"
    (published,) = User(qtbot, dialog).rows(publications)
    assert published[2] == "2026-02 – 2026-03" and published[4] == "suppression, k = 5"
    total = dialog.model.rowCount()
    withheld = sum(1 for told in done.told.values() if told is None)
    assert total == len(done.told) and withheld > 0
    assert f"{total - withheld} numbers published and {withheld} withheld" in dialog.about.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData(RegisterFilter.WITHHELD_ONLY))
    assert dialog.filter.rowCount() == withheld
    shown = {dialog.filter.index(r, RegisterModel.PUBLISHED).data() for r in range(withheld)}
    assert shown == {"x"}
    assert dialog.filter.index(0, RegisterModel.TOLD).data() == "—"
    dialog.kind.setCurrentIndex(dialog.kind.findData(RegisterFilter.ALL))
    dialog.words.setText("victims 2026-03 total")
    rows = dialog.filter.rowCount()
    assert 0 < rows < total
    for row in range(rows):
        assert dialog.filter.index(row, RegisterModel.MONTH).data() == "2026-03"
        assert dialog.filter.index(row, RegisterModel.CELL).data() == "Total"
        assert "victims" in dialog.filter.index(row, RegisterModel.TABLE).data().casefold()
    assert f"{rows} of {total} numbers shown" == dialog.shown.text()
    dialog.grab().save(str(tmp_path / "register.png"))
    target = tmp_path / "register.csv"
    monkeypatch.setattr(prompts, "choose_file_to_save", lambda *_a: target)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert len(target.read_text().splitlines()) == total + 1
    recorded_prompts.confirm_answer = False
    dialog.new_button.click()
    assert dialog.model.rowCount() == total  # asked, and said no
    recorded_prompts.confirm_answer = True
    dialog.new_button.click()
    assert "protected together with each other only" in recorded_prompts.questions[-1]
    assert dialog.model.rowCount() == 0 and User(qtbot, dialog).rows(publications) == []
    assert "Nothing published under this register yet" in dialog.about.text()
    assert not dialog.export_button.isEnabled()
    tasks.wait_for_all()


def test_trusting_a_desk_asks_with_its_fingerprint_first(
    qtbot: QtBot, net: Network, recorded_prompts: Prompts
) -> None:
    """The same question as for the network coordinator's key: nothing is trusted before the
    fingerprint has been compared."""
    page = NetworkPage()
    shown(qtbot, page, net.hub)
    user = User(qtbot, page)
    other = open_coordinator(net.folder.parent, "other", "ES", "62032")
    try:
        recorded_prompts.file_to_open = net.key_file(other, "es.key")
        fingerprint = keys.own_public_key(other).fingerprint
    finally:
        other.close()
    recorded_prompts.confirm_answer = False
    user.press("Trust a desk's key…")
    assert fingerprint in recorded_prompts.questions[-1]
    tasks.wait_for_all()
    assert [k.desk_code for k in keys.trusted_keys(net.hub)] == ["SG"]
    recorded_prompts.confirm_answer = True
    user.press("Trust a desk's key…")
    qtbot.waitUntil(lambda: len(user.rows(TRUSTED)) == 2)
    assert user.rows(TRUSTED)[0][0] == "ES"
    tasks.wait_for_all()


def test_a_desks_new_key_replaces_its_old_one_and_an_impostor_is_refused(
    qtbot: QtBot, net: Network, recorded_prompts: Prompts
) -> None:
    page = NetworkPage()
    shown(qtbot, page, net.hub)
    user = User(qtbot, page)
    impostor = open_coordinator(net.folder.parent, "impostor", "SG", "21004")
    try:
        recorded_prompts.file_to_open = net.key_file(impostor, "impostor.key")
    finally:
        impostor.close()
    user.press("Trust a desk's key…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.errors))
    assert "already trusted with another key" in recorded_prompts.errors[-1]

    old = keys.own_public_key(net.desk).fingerprint
    with net.desk.transaction() as session:
        keys.replace_signing_key(session)
    recorded_prompts.file_to_open = net.key_file(net.desk, "sg-new.key")
    user.press("Trust a desk's key…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    [note] = recorded_prompts.infos
    assert old in note and "signs nothing any more" in note
    new = keys.own_public_key(net.desk).fingerprint
    qtbot.waitUntil(lambda: user.rows(TRUSTED)[0][2] == new)
    assert len(user.rows(TRUSTED)) == 1
    tasks.wait_for_all()
