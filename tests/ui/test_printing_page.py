"""The printing page as reception uses it: choose, look at the real pages, print or save,
and the hand-out is counted; a printer that fails counts nothing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import accounts, brochure_reviews, directory, intake
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material
from db.models import Handout
from tests.conftest import DeskFixture
from tests.factories import named_intake
from tests.pdf_tools import pdf_info, pdf_text, words
from tests.ui.conftest import Prompts
from ui import prompts, tasks
from ui.pages.printing_page import PREVIEW_DELAY_MS, PrintingPage


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


def test_saving_a_pdf_counts_the_hand_out_on_the_open_case(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id
    page = _page(qtbot, reception)
    page.set_case((case_id, "SG-2026-0001"))
    assert "SG-2026-0001" in page.on_case.text() and page.on_case.isChecked()
    _set(page.language, "nl")
    _wait_for_preview(qtbot, page)
    page.copies.setValue(3)
    target = tmp_path / "brochure.pdf"
    monkeypatch.setattr(prompts, "choose_pdf_to_save", lambda _p, _s: target)
    page.save_button.click()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 3 copies" in page.warning.text())
    assert words("Geweld tussen partners") in words(pdf_text(target.read_bytes()))
    assert _handouts(reception) == [("brochure", "nl", 3, case_id)]


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
