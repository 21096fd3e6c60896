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
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QSpinBox
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.accounts import NewAccount
from app.domain.codes import ContactLanguage
from app.domain.intake import NOT_RECORDED, ContactForm, PersonForm
from app.domain.municipalities import municipality
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.services import accounts, brochure_reviews, directory, intake, sessions
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from db.models import Handout
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.pdf_tools import pdf_info, pdf_text, words
from tests.ui.conftest import Prompts, sign_in
from tests.ui.user import User
from ui import prompts, tasks
from ui.main_window import MainWindow
from ui.pages.printing_page import PREVIEW_DELAY_MS, PrintingPage

SAINT_GILLES = "21013"  # the desk's municipality
ANDERLECHT = "21001"
LANGUAGE = "Language of the material"
PLACE = "Municipality of the help services"
BROCHURE, CARD, SLIP = "Information brochure", "Wallet card (useful numbers)", "Referral slip"


def _page(qtbot: QtBot, desk: OpenDesk, width: int = 1180) -> tuple[PrintingPage, User]:
    page = PrintingPage()
    qtbot.addWidget(page)
    page.resize(width, 700)
    page.show()
    page.open_desk(desk)
    user = User(qtbot, page)
    _wait_for_preview(qtbot, user)
    return page, user


def _wait_for_preview(qtbot: QtBot, user: User) -> None:
    """The preview of what is chosen is shown: it can be printed."""
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: user.find("Print…").isEnabled())


def _choose(qtbot: QtBot, user: User, name: str, shown: str) -> None:
    user.choose(name, shown)
    _wait_for_preview(qtbot, user)


def _language(user: User, code: str) -> str:
    """The language as the list shows it (its name, then its own name for itself)."""
    label = ContactLanguage(code).label
    return next(text for text in user.options(LANGUAGE) if text.startswith(f"{label} · "))


def _place(nis_code: str) -> str:
    return municipality(nis_code).name("en")


def _chosen(user: User) -> tuple[str, str]:
    return user.text(LANGUAGE), user.text(PLACE)


def _sheets(user: User) -> list[QLabel]:
    return user.find("Preview of the pages").findChildren(QLabel)


def _saved(qtbot: QtBot, user: User, prompted: Prompts, target: Path) -> bytes:
    """The material as shown, saved as a PDF."""
    prompted.file_to_save = target
    user.press("Save as PDF…")
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: f"Saved as {target.name}. Not counted" in user.said())
    return target.read_bytes()


def _handouts(desk: OpenDesk) -> list[tuple[str, str, int, str | None]]:
    with desk.transaction() as session:
        return sorted((h.material, h.language, h.copies, h.case_id) for h in session.query(Handout))


def test_the_preview_shows_the_real_pages_of_each_choice(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    user = _page(qtbot, reception)[1]
    # The desk's language and municipality are chosen to start with.
    assert _chosen(user) == (_language(user, "fr"), _place(SAINT_GILLES))
    assert len(_sheets(user)) >= 3
    assert "Not reviewed by the service yet" in user.said()  # no language reviewed on a new desk
    assert not user.sees("Reviewed by the service")  # reception cannot set it
    _choose(qtbot, user, "Layout", "A5 booklet (fold A4 sheets)")
    booklet = _saved(qtbot, user, recorded_prompts, tmp_path / "booklet.pdf")
    assert "841.89 x 595.276" in pdf_info(booklet)
    # The sheets stand one under the other, whole (the scroll area scrolls through them).
    qtbot.waitUntil(lambda: len(_sheets(user)) == 4)
    QApplication.processEvents()
    sheets = sorted((label.geometry() for label in _sheets(user)), key=lambda g: g.y())
    assert all(above.bottom() < below.top() for above, below in itertools.pairwise(sheets))
    assert all(g.height() > g.width() * 0.6 for g in sheets)  # A4 landscape, not cropped
    _choose(qtbot, user, "Material", CARD)
    qtbot.waitUntil(lambda: len(_sheets(user)) == 2)
    assert not user.find("Layout").isEnabled() and not user.find("Service on the slip").isEnabled()
    _choose(qtbot, user, LANGUAGE, _language(user, "ar"))
    card = _saved(qtbot, user, recorded_prompts, tmp_path / "card.pdf")
    assert "0800 30 030" in words(pdf_text(card))


def _open_case(qtbot: QtBot, page: PrintingPage, user: User, case: tuple[str, str] | None) -> None:
    """The case page opens `case` (the workspace tells the printing page)."""
    page.set_case(case)
    tasks.wait_for_all()
    QApplication.processEvents()  # the case's language and municipality, chosen
    _wait_for_preview(qtbot, user)


def test_the_material_starts_in_the_language_and_municipality_of_the_open_case(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
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
    page, user = _page(qtbot, reception)
    desks_own = (_language(user, "fr"), _place(SAINT_GILLES))
    assert _chosen(user) == desks_own
    _open_case(qtbot, page, user, (case_id, "SG-2026-0001"))
    assert _chosen(user) == (_language(user, "ar"), _place(ANDERLECHT))
    brochure = _saved(qtbot, user, recorded_prompts, tmp_path / "brochure.pdf")
    assert "العنف" in pdf_text(brochure)
    # What the person then chooses stays, when the same case is shown again (after a save).
    _choose(qtbot, user, LANGUAGE, _language(user, "nl"))
    _open_case(qtbot, page, user, (case_id, "SG-2026-0001"))
    assert user.text(LANGUAGE) == _language(user, "nl")
    # A case that says neither: the desk's own, never what the last case left.
    _open_case(qtbot, page, user, (other_id, "SG-2026-0002"))
    assert _chosen(user) == desks_own
    _open_case(qtbot, page, user, (case_id, "SG-2026-0001"))
    _open_case(qtbot, page, user, None)  # the case closed: the desk's again
    assert _chosen(user) == desks_own


def test_a_brochure_chosen_in_a_session_says_the_language_best(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk
) -> None:
    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id  # in French
    sessions.add_session(
        counsellor,
        case_id,
        SessionForm(held_at=clock.now(), duration_minutes=45, brochure_language=ContactLanguage.TR),
    )
    page, user = _page(qtbot, counsellor)
    _open_case(qtbot, page, user, (case_id, "SG-2026-0001"))
    assert user.text(LANGUAGE) == _language(user, "tr")


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
    user = User(qtbot, page)
    _wait_for_preview(qtbot, user)
    qtbot.waitUntil(lambda: user.text(LANGUAGE) == _language(user, "pl"))
    assert user.text(PLACE) == _place(SAINT_GILLES)
    (on_case,) = [b for b in page.findChildren(QCheckBox) if b.text().startswith("Count on")]
    assert "SG-" in on_case.text() and on_case.isChecked()


def test_saving_a_pdf_counts_nothing_until_it_is_marked_as_handed_out(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id
    page, user = _page(qtbot, reception)
    _open_case(qtbot, page, user, (case_id, "SG-2026-0001"))
    assert user.find("Count on case SG-2026-0001").isChecked()
    _choose(qtbot, user, LANGUAGE, _language(user, "nl"))
    copies = user.find("Copies handed out", QSpinBox)
    copies.setFocus()
    for _more in range(2):
        qtbot.keyClick(copies, Qt.Key.Key_Up)
    target = tmp_path / "brochure.pdf"
    saved = _saved(qtbot, user, recorded_prompts, target)
    assert words("Geweld tussen partners") in words(pdf_text(saved))
    assert _handouts(reception) == []
    target.write_bytes(b"another PDF")
    recorded_prompts.confirm_answer = False
    user.press("Save as PDF…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.questions))
    tasks.wait_for_all()
    assert recorded_prompts.questions == ["brochure.pdf already exists. Replace it?"]
    assert target.read_bytes() == b"another PDF"
    recorded_prompts.confirm_answer = True
    user.press("Save as PDF…")
    qtbot.waitUntil(lambda: target.read_bytes() == saved)
    # Given to the person: marked, counted on the case, whose open timeline is told.
    with qtbot.waitSignal(page.case_handout_counted, timeout=5_000):
        user.press("Mark as handed out")
        tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 3 copies" in user.said())
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
        page, user = _page(qtbot, coordinator, width=1024)
        QApplication.processEvents()
        moving = ("Print…", "Save as PDF…", "Mark as handed out", "Preview of the pages")

        def places() -> list[QPoint]:
            QApplication.processEvents()
            return [user.find(name).mapTo(page, QPoint(0, 0)) for name in moving]

        warning = next(
            label for label in page.findChildren(QLabel) if "to verify" in label.text()
        )  # the seed has services "to verify": said
        first = places()
        # The longest message in the narrowest controls fits the room kept for it.
        longest = warning.text()
        assert warning.heightForWidth(warning.width()) <= warning.height()
        user.press("Mark as handed out")
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: "Counted: 1 copy" in user.said())
        assert places() == first and warning.text() == longest  # said beside it, not over it
        user.tick("Reviewed by the service")  # the "not reviewed" line goes
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: "Not reviewed by the service yet" not in user.said())
        assert places() == first
        _choose(qtbot, user, "Material", SLIP)
        assert places() == first
    finally:
        tasks.wait_for_all()
        coordinator.close()


def test_printing_goes_through_the_printer_at_the_size_of_the_material(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _page(qtbot, reception)[1]
    _choose(qtbot, user, "Material", CARD)
    output = tmp_path / "printed.pdf"

    def printer(_parent: object, _title: str, layout: QPageLayout) -> QPrinter:
        chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(output))
        chosen.setPageLayout(layout)
        return chosen

    monkeypatch.setattr(prompts, "choose_printer", printer)
    user.press("Print…")
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 1 copy" in user.said())
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
    user = _page(qtbot, reception)[1]

    def broken(_parent: object, _title: str, _layout: QPageLayout) -> QPrinter:
        chosen = QPrinter()
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(tmp_path / "no-such-folder" / "out.pdf"))
        return chosen

    monkeypatch.setattr(prompts, "choose_printer", broken)
    user.press("Print…")
    tasks.wait_for_all()
    assert recorded_prompts.errors and "printer could not be used" in recorded_prompts.errors[0]
    assert _handouts(reception) == []
    # A folder without write access for the PDF: said, nothing counted, nothing written.
    recorded_prompts.file_to_save = tmp_path / "no-such-folder" / "x.pdf"
    user.press("Save as PDF…")
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: len(recorded_prompts.errors) == 2)
    assert "cannot write to" in recorded_prompts.errors[1]
    assert _handouts(reception) == []


def test_a_slip_for_the_service_chosen_in_the_directory(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    page, user = _page(qtbot, reception)
    _choose(qtbot, user, "Material", SLIP)
    assert user.find("Service on the slip").isEnabled()
    offered = user.options("Service on the slip")
    assert len(offered) > 40
    # A service whose details are still to verify says so before its slip is printed.
    unsure = next(e for e in load_seed() if e.to_verify)
    sure = next(e for e in load_seed() if not e.to_verify)
    assert f"{unsure.name('en')} (to verify)" in offered
    assert sure.name("en") in offered
    page.choose_partner("cvfe")  # the directory's "Print a slip" for this service
    _wait_for_preview(qtbot, user)
    slip = _saved(qtbot, user, recorded_prompts, tmp_path / "slip.pdf")
    assert "CVFE" in pdf_text(slip)


def test_a_coordinator_marks_the_language_reviewed_from_the_page(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    accounts.add_user(
        admin_desk,
        NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), "lantern harbour willow 58"),
    )
    coordinator = desk.unlock("cora", "lantern harbour willow 58")
    try:
        user = _page(qtbot, coordinator)[1]
        assert user.sees("Reviewed by the service")
        assert "Not reviewed by the service yet" in user.said()
        user.tick("Reviewed by the service")
        tasks.wait_for_all()
        qtbot.waitUntil(lambda: "Not reviewed by the service yet" not in user.said())
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
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: "no service for Saint-Gilles" in user.said())
    assert not any(label.isVisible() for label in _sheets(user))
    assert not user.find("Print…").isEnabled() and not user.find("Save as PDF…").isEnabled()


def test_nothing_is_made_before_the_page_is_shown_and_a_slip_asked_for_waits_for_the_list(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    page = PrintingPage()
    qtbot.addWidget(page)
    page.open_desk(reception)  # at unlock, every page gets the desk
    page.choose_partner("cvfe")  # from the directory, before the page was ever shown
    tasks.wait_for_all()
    qtbot.wait(PREVIEW_DELAY_MS * 2)
    user = User(qtbot, page)
    assert not user.find("Print…").isEnabled() and _sheets(user) == []
    assert user.options("Service on the slip") == []
    page.show()
    _wait_for_preview(qtbot, user)
    assert user.text("Service on the slip").startswith("CVFE")
    slip = _saved(qtbot, user, recorded_prompts, tmp_path / "slip.pdf")
    assert "CVFE" in pdf_text(slip)


def test_saving_a_pdf_keeps_the_warning_about_the_services_to_verify(
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    """The saved PDF still lists services to verify: the orange warning stays, the saving is
    said under it; both go to their own lines, and a new choice clears what was saved."""
    page, user = _page(qtbot, reception)
    warning = page.warning.text()
    assert "to verify" in warning  # the seed has services to verify near Saint-Gilles
    _saved(qtbot, user, recorded_prompts, tmp_path / "brochure.pdf")
    said = user.said()
    assert warning in said and "Saved as brochure.pdf. Not counted" in said
    assert page.warning.text() == warning
    user.press("Mark as handed out")
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: "Counted: 1 copy handed out." in user.said())
    assert warning in user.said() and "Saved as" not in user.said()
    _choose(qtbot, user, "Material", SLIP)
    assert "Counted" not in user.said()
