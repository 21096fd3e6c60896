"""The printing page as reception uses it: it starts in the open case's language and
municipality, shows the real pages, prints or saves; what is printed or marked as handed out
is counted, a PDF saved is not; a printer that fails counts nothing; the buttons stay where
they are whatever the page says."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.accounts import NewAccount
from app.domain.codes import ContactLanguage
from app.domain.intake import NOT_RECORDED, ContactForm, PersonForm
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.services import accounts, brochure_reviews, directory, intake, sessions
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material
from db.models import Handout
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.pdf_tools import pdf_info, pdf_text, words
from tests.ui.conftest import Prompts, sign_in
from ui import prompts, tasks
from ui.main_window import MainWindow
from ui.pages.printing_page import PREVIEW_DELAY_MS, PrintingPage

SAINT_GILLES = "21013"  # the desk's municipality
ANDERLECHT = "21001"


def _page(qtbot: QtBot, desk: OpenDesk) -> PrintingPage:
    page = PrintingPage()
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.open_desk(desk)
    _wait_for_preview(qtbot, page)
    return page


def _wait_for_preview(qtbot: QtBot, page: PrintingPage) -> None:
    qtbot.waitUntil(lambda: not page._timer.isActive())
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: page._request == page.request() and page._made is not None)


def _set(combo: object, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))  # type: ignore[attr-defined]


def _handouts(desk: OpenDesk) -> list[tuple[str, str, int, str | None]]:
    with desk.transaction() as session:
        return sorted((h.material, h.language, h.copies, h.case_id) for h in session.query(Handout))


def test_the_preview_shows_the_real_pages_of_each_choice(qtbot: QtBot, reception: OpenDesk) -> None:
    page = _page(qtbot, reception)
    # The desk's language and municipality are chosen to start with.
    assert page.language.currentData() == "fr"
    assert page.municipality.currentData() == "21013"
    brochure_pages = len(page.pages.findChildren(QLabel))
    assert brochure_pages >= 3
    assert page.unreviewed.isVisible()  # no language reviewed on a new desk
    assert not page.reviewed.isVisible()  # reception cannot set it
    _set(page.layout_choice, Layout.A5_BOOKLET)
    _wait_for_preview(qtbot, page)
    assert page._made is not None and "841.89 x 595.276" in pdf_info(page._made.pdf)
    # The sheets stand one under the other, whole (the scroll area scrolls through them).
    qtbot.waitUntil(lambda: len(page.pages.findChildren(QLabel)) == 4)
    QApplication.processEvents()
    sheets = sorted(
        (label.geometry() for label in page.pages.findChildren(QLabel)), key=lambda g: g.y()
    )
    assert all(above.bottom() < below.top() for above, below in itertools.pairwise(sheets))
    assert all(g.height() > g.width() * 0.6 for g in sheets)  # A4 landscape, not cropped
    _set(page.material, Material.WALLET_CARD)
    _wait_for_preview(qtbot, page)
    qtbot.waitUntil(lambda: len(page.pages.findChildren(QLabel)) == 2)
    assert not page.layout_choice.isEnabled() and not page.partner.isEnabled()
    _set(page.language, "ar")
    _wait_for_preview(qtbot, page)
    assert "0800 30 030" in words(pdf_text(page._made.pdf))
    assert page.warning.text() == "" or "to verify" in page.warning.text()


def _open_case(qtbot: QtBot, page: PrintingPage, case: tuple[str, str] | None) -> None:
    page.set_case(case)
    tasks.wait_for_all()
    QApplication.processEvents()  # the case's language and municipality, chosen
    _wait_for_preview(qtbot, page)


def test_the_material_starts_in_the_language_and_municipality_of_the_open_case(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    arabic_in_anderlecht = named_intake(
        "Nadia",
        contact=ContactForm(occurred_at=clock.now(), language=ContactLanguage.AR),
        person=PersonForm(age=30, municipality=ANDERLECHT),
    )
    case_id = intake.record_intake(reception, arabic_in_anderlecht).case_id
    unknown = named_intake(
        "Lina",
        contact=ContactForm(occurred_at=clock.now(), language=ContactLanguage.OTHER),
        person=PersonForm(age=30, municipality=NOT_RECORDED),
    )
    other_id = intake.record_intake(reception, unknown).case_id
    page = _page(qtbot, reception)
    assert (page.language.currentData(), page.municipality.currentData()) == ("fr", SAINT_GILLES)
    _open_case(qtbot, page, (case_id, "SG-2026-0001"))
    assert (page.language.currentData(), page.municipality.currentData()) == ("ar", ANDERLECHT)
    assert page._made is not None and "العنف" in pdf_text(page._made.pdf)
    # What the person then chooses stays, when the same case is shown again (after a save).
    _set(page.language, "nl")
    _open_case(qtbot, page, (case_id, "SG-2026-0001"))
    assert page.language.currentData() == "nl"
    # A case that says neither: the desk's own, never what the last case left.
    _open_case(qtbot, page, (other_id, "SG-2026-0002"))
    assert (page.language.currentData(), page.municipality.currentData()) == ("fr", SAINT_GILLES)
    _open_case(qtbot, page, (case_id, "SG-2026-0001"))
    _open_case(qtbot, page, None)  # the case closed: the desk's again
    assert (page.language.currentData(), page.municipality.currentData()) == ("fr", SAINT_GILLES)


def test_a_brochure_chosen_in_a_session_says_the_language_best(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk
) -> None:
    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id  # in French
    sessions.add_session(
        counsellor,
        case_id,
        SessionForm(held_at=clock.now(), duration_minutes=45, brochure_language=ContactLanguage.TR),
    )
    page = _page(qtbot, counsellor)
    _open_case(qtbot, page, (case_id, "SG-2026-0001"))
    assert page.language.currentData() == "tr"


def test_the_printing_page_opens_from_the_case_in_its_language(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    assert window.desk is not None
    polish = named_intake(
        "Nadia", contact=ContactForm(occurred_at=clock.now(), language=ContactLanguage.PL)
    )
    case_id = intake.record_intake(window.desk, polish).case_id
    workspace = window.workspace
    workspace.open_case(case_id)
    print_button = workspace.case_page.timeline.print_button
    qtbot.waitUntil(lambda: print_button.isEnabled())
    qtbot.mouseClick(print_button, Qt.MouseButton.LeftButton)
    page = workspace.printing_page
    qtbot.waitUntil(lambda: workspace.page_stack.currentWidget() is page)
    _wait_for_preview(qtbot, page)
    qtbot.waitUntil(lambda: page.language.currentData() == "pl")
    assert page.municipality.currentData() == SAINT_GILLES
    assert "SG-" in page.on_case.text() and page.on_case.isChecked()


def test_saving_a_pdf_counts_nothing_until_it_is_marked_as_handed_out(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id
    page = _page(qtbot, reception)
    _open_case(qtbot, page, (case_id, "SG-2026-0001"))
    assert "SG-2026-0001" in page.on_case.text() and page.on_case.isChecked()
    _set(page.language, "nl")
    _wait_for_preview(qtbot, page)
    page.copies.selectAll()
    qtbot.keyClicks(page.copies, "3")
    target = tmp_path / "brochure.pdf"
    monkeypatch.setattr(prompts, "choose_pdf_to_save", lambda _p, _s: target)
    page.save_button.click()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Not counted" in page.warning.text())
    assert words("Geweld tussen partners") in words(pdf_text(target.read_bytes()))
    assert _handouts(reception) == []
    # Given to the person: marked, counted on the case, whose open timeline is told.
    with qtbot.waitSignal(page.case_handout_counted, timeout=5_000):
        qtbot.mouseClick(page.handed_out_button, Qt.MouseButton.LeftButton)
        tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 3 copies" in page.warning.text())
    assert _handouts(reception) == [("brochure", "nl", 3, case_id)]


def test_the_buttons_stay_in_place_whatever_the_page_says(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    accounts.add_user(
        admin_desk,
        NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), "lantern harbour willow 58"),
    )
    coordinator = desk.unlock("cora", "lantern harbour willow 58")
    try:
        page = _page(qtbot, coordinator)
        page.resize(1024, 700)
        QApplication.processEvents()

        def places() -> list[QPoint]:
            QApplication.processEvents()
            return [
                b.mapTo(page, QPoint(0, 0))
                for b in (page.print_button, page.save_button, page.handed_out_button, page.preview)
            ]

        assert page.warning.text()  # the seed has services "to verify": said
        first = places()
        # The longest message in the narrowest controls fits the room kept for it.
        longest = page.warning.text()
        assert page.warning.heightForWidth(page.warning.width()) <= page.warning.height()
        qtbot.mouseClick(page.handed_out_button, Qt.MouseButton.LeftButton)
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: "Counted: 1 copy" in page.warning.text())
        assert places() == first and len(page.warning.text()) < len(longest)
        page.reviewed.setChecked(True)  # the "not reviewed" line goes
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: not page.unreviewed.isVisible())
        assert places() == first
        _set(page.material, Material.REFERRAL_SLIP)
        _wait_for_preview(qtbot, page)
        assert places() == first
    finally:
        tasks.wait_for_all()
        coordinator.close()


def test_printing_goes_through_the_printer_at_the_size_of_the_material(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, reception)
    _set(page.material, Material.WALLET_CARD)
    _wait_for_preview(qtbot, page)
    output = tmp_path / "printed.pdf"

    def printer(_parent: object, _title: str, layout: QPageLayout) -> QPrinter:
        chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(output))
        chosen.setPageLayout(layout)
        return chosen

    monkeypatch.setattr(prompts, "choose_printer", printer)
    page.print_button.click()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 1 copy" in page.warning.text())
    info = pdf_info(output.read_bytes())
    assert "Pages:           2" in info and "243 x 153" in info
    assert _handouts(reception) == [("wallet_card", "fr", 1, None)]


def test_a_printer_that_fails_is_said_and_nothing_is_counted(
    qtbot: QtBot,
    reception: OpenDesk,
    tmp_path: Path,
    recorded_prompts: Prompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _page(qtbot, reception)

    def broken(_parent: object, _title: str, _layout: QPageLayout) -> QPrinter:
        chosen = QPrinter()
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(tmp_path / "no-such-folder" / "out.pdf"))
        return chosen

    monkeypatch.setattr(prompts, "choose_printer", broken)
    page.print_button.click()
    tasks.wait_for_all()
    assert recorded_prompts.errors and "printer could not be used" in recorded_prompts.errors[0]
    assert _handouts(reception) == []
    # A folder without write access for the PDF: said, nothing counted, nothing written.
    monkeypatch.setattr(
        prompts, "choose_pdf_to_save", lambda _p, _s: tmp_path / "no-such-folder" / "x.pdf"
    )
    page.save_button.click()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: len(recorded_prompts.errors) == 2)
    assert "cannot write to" in recorded_prompts.errors[1]
    assert _handouts(reception) == []


def test_a_slip_for_the_service_chosen_in_the_directory(qtbot: QtBot, reception: OpenDesk) -> None:
    page = _page(qtbot, reception)
    _set(page.material, Material.REFERRAL_SLIP)
    _wait_for_preview(qtbot, page)
    assert page.partner.isEnabled() and page.partner.count() > 40
    page.choose_partner("cvfe")
    _wait_for_preview(qtbot, page)
    assert "CVFE" in pdf_text(page._made.pdf)  # type: ignore[union-attr]


def test_a_coordinator_marks_the_language_reviewed_from_the_page(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    accounts.add_user(
        admin_desk,
        NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), "lantern harbour willow 58"),
    )
    coordinator = desk.unlock("cora", "lantern harbour willow 58")
    try:
        page = _page(qtbot, coordinator)
        assert page.reviewed.isVisible() and page.unreviewed.isVisible()
        page.reviewed.setChecked(True)
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: not page.unreviewed.isVisible())
        assert brochure_reviews.reviewed_languages(coordinator) == {"fr"}
    finally:
        tasks.wait_for_all()
        coordinator.close()


def test_a_directory_without_services_for_the_place_is_said_instead_of_a_preview(
    qtbot: QtBot, reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    for entry in directory.all_entries(admin_desk):
        directory.retire(admin_desk, entry.key)
    page = PrintingPage()
    qtbot.addWidget(page)
    page.show()
    page.open_desk(reception)
    qtbot.waitUntil(lambda: "no service for Saint-Gilles" in page.warning.text())
    assert page.pages.findChildren(QLabel) == [] or not any(
        label.isVisible() for label in page.pages.findChildren(QLabel)
    )
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()


def test_nothing_is_made_before_the_page_is_shown_and_a_slip_asked_for_waits_for_the_list(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    page = PrintingPage()
    qtbot.addWidget(page)
    page.open_desk(reception)  # at unlock, every page gets the desk
    page.choose_partner("cvfe")  # from the directory, before the page was ever shown
    tasks.wait_for_all()
    qtbot.wait(PREVIEW_DELAY_MS * 2)
    assert page._made is None and page.partner.count() == 0
    page.show()
    _wait_for_preview(qtbot, page)
    assert page.partner.currentData() == "cvfe"
    assert "CVFE" in pdf_text(page._made.pdf)  # type: ignore[union-attr]
