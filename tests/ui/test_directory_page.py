"""The directory page as the desk uses it: search while typing, details, copy the number,
refer the open case, and the coordinator's upkeep and pack import."""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyle
from pytestqt.qtbot import QtBot

from app import clock, i18n
from app.domain.cases import TimelineKind
from app.domain.codes import ServiceType
from app.domain.directory import DirectoryHit, dialable
from app.domain.intake import search_key
from app.instance_lock import DeskLock
from app.services import cases, directory, directory_packs, intake, keys, printing
from app.services.desk import create_desk
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from app.services.printing import Material, PrintRequest
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, DeskFixture, desk_setup
from tests.factories import named_intake
from tests.pdf_tools import pdf_text
from tests.ui.conftest import Prompts, held_back, progress_shown, sign_in
from ui import tasks
from ui.dialogs.directory_entry_dialog import DirectoryEntryDialog
from ui.dialogs.pack_preview_dialog import PackPreviewDialog
from ui.dialogs.referral_dialog import ReferralDialog
from ui.main_window import MainWindow
from ui.models.directory_model import DirectoryModel
from ui.pages.case_page import CasePage
from ui.pages.directory_page import DirectoryPage
from ui.settings import UiSettings
from ui.widgets.progress_dialog import ProgressDialog


def _page(qtbot: QtBot, desk: OpenDesk) -> DirectoryPage:
    page = DirectoryPage()
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.open_desk(desk)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def _search(qtbot: QtBot, page: DirectoryPage, text: str) -> None:
    page.search.clear()
    qtbot.keyClicks(page.search, text)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.query().text == text)
    qtbot.waitUntil(lambda: not page._delay.isActive())
    tasks.wait_for_all()
    QApplication.processEvents()


def test_the_results_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DirectoryModel()
    now = datetime(2026, 11, 23, 12, 0)
    model.set_hits(tuple(DirectoryHit(e, 3, e.hours.is_open(now)) for e in load_seed()[:10]))
    qtmodeltester.check(model)
    assert model.data(model.index(0, DirectoryModel.NAME)) == load_seed()[0].name("en")


def test_reception_finds_a_lawyer_and_copies_the_number(qtbot: QtBot, reception: OpenDesk) -> None:
    page = _page(qtbot, reception)
    assert page.upkeep.isHidden() and not page.refer_button.isHidden()
    _search(qtbot, page, "advocaat")
    first = page.selected()
    assert first is not None and first.service_type is ServiceType.LEGAL_AID
    page.table.selectRow(
        next(
            r
            for r in range(page.model.rowCount())
            if page.model.entry(r).key == "avocat-gratuit-lva-bruxelles"
        )
    )
    assert "0478 11 54 88" in page.details.text()
    page.copy_button.click()
    assert QApplication.clipboard().text() == "0478115488"
    assert page.count.text() == (
        "Number copied: 0478 11 54 88 (cleared from the clipboard in 30 seconds)"
    )


# The ways Belgian numbers are printed (app/domain/phone_format.py): short numbers, 0800 and
# 090x lines, one- and two-digit zones, mobiles.
PRINTED_PHONE = re.compile(
    r"\d{3,4}|0[89]0\d \d\d \d{3}|0[2349] \d{3} \d\d \d\d|0\d\d \d\d \d\d \d\d"
    r"|04\d\d \d\d \d\d \d\d"
)


def test_every_phone_is_shown_as_it_is_printed(qtbot: QtBot, reception: OpenDesk) -> None:
    """The seed writes numbers as its sources do (02/559.85.74, 0478/11.54.88): the table,
    the details and the referral slip all show them the one printed way."""
    page = _page(qtbot, reception)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(load_seed()))
    shown = {
        page.model.entry(row).key: page.model.index(row, DirectoryModel.PHONE).data()
        for row in range(page.model.rowCount())
    }
    assert shown["sapv-zone-midi-saint-gilles"] == "02 559 85 74"
    assert shown["avocat-gratuit-lva-bruxelles"] == "0478 11 54 88"
    assert all(PRINTED_PHONE.fullmatch(phone) for phone in shown.values() if phone), shown
    _search(qtbot, page, "Assistance policiere zone Midi")
    assert page.selected() is not None and page.selected().key == "sapv-zone-midi-saint-gilles"
    details = page.details.text()
    assert "02 559 85 74" in details and "Other numbers: 02 559 85 60" in details
    assert "02/559" not in details  # nor the number in its description
    slip = printing.make(
        PrintRequest(Material.REFERRAL_SLIP, "fr", partner="avocat-gratuit-lva-bruxelles"),
        directory.all_entries(reception),
        clock.today(),
    )
    assert "0478 11 54 88" in pdf_text(slip.pdf)


def test_a_confidential_address_is_never_shown(qtbot: QtBot, reception: OpenDesk) -> None:
    page = _page(qtbot, reception)
    _search(qtbot, page, "CPVCF")
    entry = page.selected()
    assert entry is not None and entry.key == "cpvcf"
    assert "Address confidential" in page.details.text()
    assert "TO VERIFY" in page.details.text()


def test_filters_narrow_the_list(qtbot: QtBot, reception: OpenDesk) -> None:
    page = _page(qtbot, reception)
    everything = page.model.rowCount()
    page.always_open.setChecked(True)
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < everything)
    assert all(page.model.entry(r).hours.always_open for r in range(page.model.rowCount()))
    page.always_open.setChecked(False)
    page.kind.set_value(ServiceType.SVCC)

    def kinds() -> set[ServiceType]:
        return {page.model.entry(r).service_type for r in range(page.model.rowCount())}

    qtbot.waitUntil(lambda: kinds() == {ServiceType.SVCC})
    assert page.model.rowCount() == 13


def test_a_referral_to_the_chosen_service_goes_on_the_open_case(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    case_page = CasePage()
    qtbot.addWidget(case_page)
    case_page.open_desk(reception)
    page = _page(qtbot, reception)
    page.refer.connect(case_page.refer_to)
    case_page.show_case(saved.case_id)
    qtbot.waitUntil(lambda: case_page.detail is not None)
    _search(qtbot, page, "CPVS Bruxelles")
    page.refer_button.click()
    dialog = case_page.findChild(ReferralDialog)
    assert dialog is not None
    assert dialog.service_type.value() is ServiceType.SVCC
    assert "Sexual assault care centre" in dialog.partner.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    detail = cases.case_detail(reception, saved.case_id)
    referrals = [e for e in detail.timeline if e.kind is TimelineKind.REFERRAL]
    assert len(referrals) == 1 and referrals[0].service_type is ServiceType.SVCC


def test_the_upkeep_refuses_bad_fields_and_saves_good_ones(
    qtbot: QtBot, admin_desk: OpenDesk
) -> None:
    page = _page(qtbot, admin_desk)
    assert not page.upkeep.isHidden() and page.refer_button.isHidden()
    page.new_button.click()
    dialog = page.findChild(DirectoryEntryDialog)
    assert dialog is not None
    dialog.key.setText("maison-des-femmes")
    dialog.names["fr"].setText("Maison des femmes")
    dialog.names["nl"].setText("Vrouwenhuis")
    dialog.phone.setText("call us")
    dialog.national.setChecked(True)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    qtbot.waitUntil(lambda: dialog.fields.errors["phone"].isVisible())
    dialog.phone.setText("02/123.45.67")  # saved the way it is printed
    dialog.days[0].setText("09:00-13:00, 12:00-17:00")
    save.click()
    qtbot.waitUntil(lambda: dialog.fields.errors["hours"].isVisible())
    assert "overlap" in dialog.fields.errors["hours"].text()
    dialog.days[0].setText("09:00-12:00, 13:00-17:00")
    save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = directory.entry(admin_desk, "maison-des-femmes")
    assert saved.phone == "02 123 45 67" and len(saved.hours.slots) == 2
    _search(qtbot, page, "vrouwenhuis")
    assert page.selected() is not None
    _search(qtbot, page, "Assistance policiere zone Midi")
    page.edit_button.click()
    editing = next(d for d in page.findChildren(DirectoryEntryDialog) if d.isVisible())
    assert editing.phone.text() == "02 559 85 74"  # stored as its source wrote it: 02/559.85.74
    assert editing.other_phones.text() == "02 559 85 60"


def _network_pack(admin_desk: OpenDesk, tmp_path: Path) -> Path:
    """A pack of the network's desk, which `admin_desk` trusts, retiring one entry."""
    created = create_desk(
        desk_setup(tmp_path / "network.havre", desk_code="NET", desk_name="Réseau"), kdf=FAST_KDF
    )
    network = DeskFixture(created).unlock("admin", ADMIN_PASSWORD)
    try:
        key_file = tmp_path / "network.havre-key"
        key_file.write_bytes(keys.public_key_file(network))
        keys.trust(admin_desk, keys.read_public_key_file(key_file))
        directory.retire(network, "olista")
        pack = tmp_path / "v1.havre-directory"
        directory_packs.export_pack(network, pack)
    finally:
        network.close()
    return pack


def test_a_pack_is_previewed_then_imported(
    qtbot: QtBot, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    pack = _network_pack(admin_desk, tmp_path)
    page = _page(qtbot, admin_desk)
    preview = directory_packs.read_pack(admin_desk, pack)
    page._preview(preview)
    dialog = page.findChild(PackPreviewDialog)
    assert dialog is not None
    assert dialog.lists["retired"].count() == 1 and dialog.lists["added"].count() == 0
    dialog.import_button.click()
    qtbot.waitUntil(lambda: directory_packs.current_version(admin_desk) == 1)
    assert directory.entry(admin_desk, "olista").retired


def _cancel_when_shown(qtbot: QtBot, page: DirectoryPage, go_on: threading.Event) -> None:
    shown = progress_shown(qtbot, page)
    qtbot.waitUntil(shown.buttons.isVisible)  # the work says it may stop
    assert shown.windowTitle() == "Import a directory pack"
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert shown.label.text() == "Cancelling…"
    go_on.set()


def test_cancelling_a_pack_preview_or_import_changes_nothing(
    qtbot: QtBot,
    admin_desk: OpenDesk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorded_prompts: Prompts,
) -> None:
    pack = _network_pack(admin_desk, tmp_path)
    page = _page(qtbot, admin_desk)
    with monkeypatch.context() as patch:
        reading = held_back(patch, directory_packs, "entry_from_json")
        page.read_pack(pack)
        _cancel_when_shown(qtbot, page, reading)
        qtbot.waitUntil(lambda: recorded_prompts.infos == ["Cancelled: nothing was changed."])
    assert page.findChild(PackPreviewDialog) is None

    page.read_pack(pack)
    qtbot.waitUntil(lambda: page.findChild(PackPreviewDialog) is not None)
    dialog = page.findChild(PackPreviewDialog)
    assert dialog is not None
    importing = held_back(monkeypatch, directory, "store")
    dialog.import_button.click()
    _cancel_when_shown(qtbot, page, importing)
    qtbot.waitUntil(lambda: len(recorded_prompts.infos) == 2)
    tasks.wait_for_all()
    assert directory_packs.current_version(admin_desk) == 0
    assert not directory.entry(admin_desk, "olista").retired  # nothing half imported
    assert dialog.isVisible() and dialog.import_button.isEnabled()
    assert not any(d.isVisible() for d in page.findChildren(ProgressDialog))


def test_trusting_a_key_file_asks_with_its_fingerprint_and_refuses_other_files(
    qtbot: QtBot, admin_desk: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    page = _page(qtbot, admin_desk)
    not_a_key = tmp_path / "photo.jpg"
    not_a_key.write_bytes(b"\xff\xd8\xff" + bytes(100))
    page.trust_key_file(not_a_key)
    assert recorded_prompts.errors == ["photo.jpg is not a Havre public key file."]
    created = create_desk(desk_setup(tmp_path / "network.havre", desk_code="NET"), kdf=FAST_KDF)
    network = DeskFixture(created).unlock("admin", ADMIN_PASSWORD)
    try:
        key_file = tmp_path / "network.havre-key"
        key_file.write_bytes(keys.public_key_file(network))
        fingerprint = keys.own_public_key(network).fingerprint
    finally:
        network.close()
    page.trust_key_file(key_file)
    assert fingerprint in recorded_prompts.questions[0]
    trusted = keys.read_public_key_file(key_file)
    qtbot.waitUntil(lambda: keys.is_trusted(admin_desk, trusted.public_key) is not None)
    stored = keys.is_trusted(admin_desk, trusted.public_key)
    assert stored is not None and stored.desk_code == "NET"


def test_a_retired_entry_can_be_found_again_and_restored(
    qtbot: QtBot, admin_desk: OpenDesk, recorded_prompts: Prompts
) -> None:
    page = _page(qtbot, admin_desk)
    _search(qtbot, page, "Respect Seniors")
    assert page.selected() is not None and page.selected().key == "respect-seniors"
    page.retire_button.click()
    qtbot.waitUntil(lambda: directory.entry(admin_desk, "respect-seniors").retired)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.show_retired.setChecked(True)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    assert page.retire_button.text() == "Restore"
    page.retire_button.click()
    qtbot.waitUntil(lambda: not directory.entry(admin_desk, "respect-seniors").retired)
    assert len(recorded_prompts.questions) == 1  # restoring needs no confirmation


def test_scrolling_to_the_end_brings_the_rest_of_the_list(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    page = _page(qtbot, reception)
    total = len(load_seed())
    assert page.model.rowCount() == directory.SHOWN < total
    assert page.count.text() == f"{total} services"
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    keys_shown = [page.model.entry(r).key for r in range(total)]
    assert len(set(keys_shown)) == total  # no row twice, none missing
    late = (DirectoryHit(load_seed()[0], 3, False),)
    page.model.add_hits(page.model.generation - 1, total, late)  # for an older search
    assert page.model.rowCount() == total
    page.model.add_hits(page.model.generation, total, late)
    assert page.model.rowCount() == total + 1


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_upkeep_page_fits_the_window_in_every_language(
    qtbot: QtBot, admin_desk: OpenDesk, language: str
) -> None:
    i18n.set_language(language)
    page = DirectoryPage()
    qtbot.addWidget(page)
    page.open_desk(admin_desk)
    # 1180 px wide main window, less the page list: 990 px left for a page.
    assert page.minimumSizeHint().width() <= 990
    tasks.wait_for_all()


def _directory_in_window(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, language: str, size: tuple[int, int]
) -> DirectoryPage:
    """The directory page as reception sees it, in the whole window built in `language`."""
    i18n.set_language(language)
    lock = DeskLock(desk.database)
    lock.acquire()
    window = MainWindow(lock, UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    window.show_page("directory")
    page = window.findChild(DirectoryPage)
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_service_name_is_read_whole_at_1024_by_700(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, language: str
) -> None:
    page = _directory_in_window(qtbot, desk, tmp_path, language, (1024, 700))
    table = page.table
    table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(load_seed()))
    QApplication.processEvents()
    metrics = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    column = DirectoryModel.NAME
    width = table.columnWidth(column) - 2 * margin
    assert table.columnViewportPosition(column) == 0  # the name comes first
    assert table.columnViewportPosition(column) + table.columnWidth(column) <= (
        table.viewport().width()
    )
    assert not table.isColumnHidden(DirectoryModel.PHONE)
    for row in range(page.model.rowCount()):
        name = page.model.index(row, column).data()
        # Never fewer than 20 letters on a line, and the whole name in its row's lines.
        assert metrics.horizontalAdvance(name[:20]) <= width, name
        needed = metrics.boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, name
        ).height()
        assert needed <= table.rowHeight(row), (name, needed, table.rowHeight(row))
        assert page.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole).startswith(name)
    tasks.wait_for_all()


def test_typing_a_municipality_finds_what_its_filter_finds(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path
) -> None:
    page = _directory_in_window(qtbot, desk, tmp_path, "en", (1024, 700))
    _search(qtbot, page, "Schaerbeek")
    qtbot.waitUntil(lambda: page.count.text() != "")
    typed_count = page.count.text()
    page.table.scrollToBottom()
    tasks.wait_for_all()
    QApplication.processEvents()
    typed = {page.model.entry(r).key for r in range(page.model.rowCount())}
    page.search.clear()
    page.serving.setCurrentIndex(page.serving.findData("21015"))
    qtbot.waitUntil(lambda: page.query().text == "" and page.query().municipality == "21015")
    tasks.wait_for_all()
    QApplication.processEvents()
    page.table.scrollToBottom()
    tasks.wait_for_all()
    QApplication.processEvents()
    filtered = {page.model.entry(r).key for r in range(page.model.rowCount())}
    assert page.count.text() == f"{len(filtered)} services"
    assert typed_count == f"{len(filtered)} services serving Schaerbeek / Schaarbeek"
    assert typed == filtered and len(filtered) > 20


def test_the_columns_sort_the_way_the_language_sorts_words(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    i18n.set_language("fr")
    page = _page(qtbot, reception)
    best_first = [page.model.entry(r).key for r in range(page.model.rowCount())]
    assert len(best_first) == directory.SHOWN < len(load_seed())
    header = page.table.horizontalHeader()

    def click(column: int) -> None:
        at = QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
        tasks.wait_for_all()
        QApplication.processEvents()

    def names() -> list[str]:
        return [
            page.model.index(r, DirectoryModel.NAME).data() for r in range(page.model.rowCount())
        ]

    click(DirectoryModel.NAME)
    qtbot.waitUntil(lambda: page.model.rowCount() == len(load_seed()))  # every one, sorted
    ascending = names()
    folded = [search_key(name) for name in ascending]
    assert folded == sorted(folded)  # É among the E, not after Z
    accented = [i for i, name in enumerate(ascending) if name.startswith("É")]
    assert accented and max(accented) < next(
        i for i, name in enumerate(ascending) if name.startswith("H")
    )
    click(DirectoryModel.NAME)
    qtbot.waitUntil(lambda: names() == ascending[::-1])
    click(DirectoryModel.NAME)  # the third click: best first again
    qtbot.waitUntil(lambda: [page.model.entry(r).key for r in range(50)] == best_first)
    click(DirectoryModel.PHONE)
    phones = [
        page.model.index(r, DirectoryModel.PHONE).data() for r in range(page.model.rowCount())
    ]
    dialled = [dialable(p) for p in phones if p]
    assert dialled == sorted(dialled) and phones[-1] == ""  # no number: last
    # A new search keeps the order chosen.
    _search(qtbot, page, "avocat")
    shown = [dialable(page.model.index(r, DirectoryModel.PHONE).data()) for r in range(3)]
    assert [p for p in shown if p] == sorted(p for p in shown if p)
