"""The intake page as reception uses it: keyboard only, errors next to the field, drafts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseQuery, SavedIntake
from app.domain.codes import ContactMode, PersonRole, RequestType, Sex
from app.domain.duplicates import DuplicateCandidate, DuplicateProbe
from app.domain.intake import PersonForm
from app.domain.safe_hours import HourRange
from app.errors import ValidationError
from app.i18n import format_date
from app.services import cases, drafts, intake
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.ui.conftest import Prompts, killed_once_ready
from ui import prompts, tasks
from ui.models.case_list_model import MASK
from ui.pages.intake_page import IntakePage
from ui.widgets.duplicate_panel import DEBOUNCE_MS


@pytest.fixture
def page(qtbot: QtBot, reception: OpenDesk) -> IntakePage:
    intake = IntakePage()
    qtbot.addWidget(intake)
    intake.open_desk(reception)
    intake.resize(900, 700)
    intake.show()
    qtbot.waitExposed(intake)
    intake.activateWindow()
    return intake


def test_an_anonymous_contact_with_the_keyboard_alone(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk
) -> None:
    presses = 0

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal presses
        presses += 1
        qtbot.keyClick(QApplication.focusWidget(), k, modifier)

    assert QApplication.focusWidget() is page.mode
    for _ in range(6):  # role, language, interpreter, referred by, Listening, Information
        key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.requests.boxes[RequestType.INFORMATION]
    key(Qt.Key.Key_Space)
    for _ in range(6):  # the other requests, counted elsewhere, anonymous
        key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.anonymous
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert presses <= 25
    saved = page.last_saved
    assert saved is not None and saved.case_code.startswith("SG-")
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is None and detail.identity is None and detail.consents == ()
    [contact] = [e for e in detail.timeline]
    assert ContactMode.IN_PERSON.label in contact.summary
    assert PersonRole.VICTIM.label in contact.summary
    assert RequestType.INFORMATION.label in contact.summary
    assert page.banner.isVisible() and saved.case_code in page.banner.text()
    # The form is ready for the next person.
    assert page.draft() == {} and not page.anonymous.isChecked()


def test_unanswered_questions_are_saved_as_unknown(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk
) -> None:
    # Only what was asked is recorded: every other answer is the form's "unknown" default.
    page.identity.pseudonym.setText("Nadia")
    page.save()
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None
    detail = cases.case_detail(reception, page.last_saved.case_id)
    assert detail.person == PersonForm()
    assert detail.situation is None
    assert detail.identity is not None and detail.identity.pseudonym == "Nadia"


def test_tab_follows_the_visual_order_and_every_field_is_named(page: IntakePage) -> None:
    chain = [w for w in page.tab_chain() if w.isVisibleTo(page)]
    order: list[QWidget] = [chain[0]]
    widget = chain[0]
    for _ in range(len(chain) - 1):
        widget = widget.nextInFocusChain()
        while widget not in chain:
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order == chain
    # Top to bottom (by the middle of each input: a combo box is taller than a check box).
    # The buttons come last, under the scrolling form, left to right.
    heights = [w.mapTo(page, QPoint(0, w.height() // 2)).y() for w in chain[:-3]]
    assert heights == sorted(heights)
    assert chain[-3:] == [page.protocol_button, page.new_button, page.save_button]
    lefts = [w.mapTo(page, QPoint(0, 0)).x() for w in chain[-3:]]
    assert lefts == sorted(lefts)
    assert all(w.accessibleName() or w.property("text") for w in chain)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk
) -> None:
    page.person.age.setText("230")
    page.save()
    error = page.fields.errors["age"]
    assert error.isVisible() and "from 0 to 120" in error.text()
    page.person.age.setText("34")
    page.identity.pseudonym.setText("Na\x1bdia")
    page.save()
    qtbot.waitUntil(lambda: page.fields.errors["pseudonym"].isVisible())
    assert "control characters" in page.fields.errors["pseudonym"].text()
    page.identity.pseudonym.setText("Nadia")
    page.situation.last_incident.setText("31/12/2099")
    page.save()
    qtbot.waitUntil(lambda: page.fields.errors["last_incident"].isVisible())
    assert cases.find_case_ids(reception, CaseQuery()) == []
    assert page.identity.pseudonym.text() == "Nadia"  # the input is kept


DRAFT_WRITER = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.services import auth, drafts
from ui.settings import UiSettings
from ui.workspace import Workspace

app = QApplication([])
desk = auth.unlock(Path(sys.argv[1]), "rita", sys.argv[2])
workspace = Workspace(UiSettings(Path(sys.argv[3])))
workspace.enter(desk)
page = workspace.intake_page
page.identity.pseudonym.setText("Nadia Ünal")
page.person.age.setText("34")
page.situation.forms.set_value(["threats", "economic"])
page.situation.last_incident.setText("03/2026")
while "intake" not in drafts.load(desk):  # the autosave timer, every few seconds
    app.processEvents()
    time.sleep(0.05)
print("draft written", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_a_draft_survives_a_killed_process(qtbot: QtBot, desk: DeskFixture, tmp_path: Path) -> None:
    arguments = [str(desk.database), STAFF_PASSWORD, str(tmp_path / "ui.ini")]
    killed_once_ready(DRAFT_WRITER, arguments, "draft written", desk.database)
    reopened = desk.unlock("rita", STAFF_PASSWORD)
    try:
        kept = drafts.load(reopened)["intake"]
        page = IntakePage()
        qtbot.addWidget(page)
        page.open_desk(reopened)
        page.offer_draft(kept)
        assert page.identity.pseudonym.text() == "Nadia Ünal"
        assert page.person.age.text() == "34"
        assert {f.value for f in page.situation.forms.value()} == {"threats", "economic"}
        assert page.situation.last_incident.text() == "03/2026"
        assert "restored" in page.banner.text()
    finally:
        tasks.wait_for_all()
        reopened.close()


@pytest.mark.parametrize("answer", ["link", "new", "back"])
def test_a_new_case_with_a_known_phone_is_asked_about_once_never_merged_silently(
    qtbot: QtBot,
    page: IntakePage,
    reception: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    known = intake.record_intake(reception, named_intake("Hélène", 34))
    offered: list[list[str]] = []

    def choose(_parent: object, candidates: list[DuplicateCandidate]) -> str | None:
        offered.append([c.case_code for c in candidates])
        return {"link": candidates[0].case_id, "new": prompts.NEW_CASE, "back": None}[answer]

    monkeypatch.setattr(prompts, "choose_duplicate", choose)
    page.identity.pseudonym.setText("Zoé")
    page.identity.phone.setText("0470/12.34.56")
    page.save()
    qtbot.waitUntil(lambda: offered != [])
    assert offered == [[known.case_code]]
    if answer == "back":
        qtbot.waitUntil(page.save_button.isEnabled)
        assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]
        assert page.identity.pseudonym.text() == "Zoé"  # back to the form, as typed
        return
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None
    assert offered == [[known.case_code]]  # asked once
    all_cases = cases.find_case_ids(reception, CaseQuery())
    if answer == "link":
        assert page.last_saved.case_id == known.case_id and all_cases == [known.case_id]
        assert cases.case_rows(reception, all_cases)[0].contacts == 2
    else:
        assert page.last_saved.case_id != known.case_id and len(all_cases) == 2


def test_a_close_pseudonym_is_shown_but_does_not_stop_a_new_case(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    known = intake.record_intake(reception, named_intake("Hélène", 34))
    qtbot.keyClicks(page.person.age, "34")
    qtbot.keyClicks(page.identity.pseudonym, "helene")
    qtbot.waitUntil(lambda: page.duplicates.candidates != [])
    assert [c.case_code for c in page.duplicates.candidates] == [known.case_code]
    qtbot.keyClick(page.identity.pseudonym, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None and page.last_saved.case_id != known.case_id
    assert recorded_prompts.questions == []


def test_likely_duplicates_appear_while_typing_and_one_key_links(
    qtbot: QtBot,
    page: IntakePage,
    reception: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The issue's case: "Nad." with the phone of a known case was saved without a word."""
    known = intake.record_intake(reception, named_intake("Nadia", 34))
    asked: list[object] = []
    monkeypatch.setattr(prompts, "choose_duplicate", lambda *args: asked.append(args))
    qtbot.keyClicks(page.identity.pseudonym, "Nad.")
    qtbot.keyClicks(page.identity.phone, "+32 470 12 34 5")
    tasks.wait_for_all()
    qtbot.wait(2 * DEBOUNCE_MS)
    assert not page.duplicates.isVisible()  # a half-typed number matches nothing
    qtbot.keyClicks(page.identity.phone, "6")
    qtbot.waitUntil(page.duplicates.isVisible)
    [candidate] = page.duplicates.candidates
    assert candidate.case_code == known.case_code
    row = page.duplicates.list.topLevelItem(0)
    assert row is not None and row.text(1) == MASK  # as in the case list, until asked
    page.duplicates.show_names.click()
    row = page.duplicates.list.topLevelItem(0)
    assert row is not None
    assert candidate.last_contact is not None
    assert [row.text(column) for column in range(6)] == [
        known.case_code,
        "Nadia",
        "34",
        "Open",
        format_date(candidate.last_contact),
        "phone",
    ]
    assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]  # nothing saved

    qtbot.keyClick(page.identity.phone, Qt.Key.Key_F9)
    assert page.duplicates.linked == candidate
    assert known.case_code in page.duplicates.linked_label.text()
    qtbot.keyClick(page.identity.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None and page.last_saved.case_id == known.case_id
    assert asked == []  # linked by the key: nothing more to ask
    assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]
    assert cases.case_rows(reception, [known.case_id])[0].contacts == 2
    # The next contact starts with no candidate, no link, and the pseudonyms masked again.
    assert not page.duplicates.isVisible() and page.duplicates.linked is None
    assert not page.duplicates.show_names.isChecked()


def test_someone_else_said_in_the_panel_is_not_asked_again_at_saving(
    qtbot: QtBot,
    page: IntakePage,
    reception: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    known = intake.record_intake(reception, named_intake("Nadia", 34))
    asked: list[object] = []
    monkeypatch.setattr(prompts, "choose_duplicate", lambda *args: asked.append(args))
    qtbot.keyClicks(page.identity.pseudonym, "Zoe")
    qtbot.keyClicks(page.identity.phone, "0470 12 34 56")
    qtbot.waitUntil(page.duplicates.isVisible)
    qtbot.keyClick(page.identity.phone, Qt.Key.Key_F9)
    assert page.duplicates.linked is not None
    page.duplicates.unlink_button.click()
    assert page.duplicates.linked is None and page.duplicates.list.isVisible()
    qtbot.keyClick(page.identity.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None and page.last_saved.case_id != known.case_id
    assert asked == []


def test_emptying_the_fields_takes_the_candidates_away(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk
) -> None:
    intake.record_intake(reception, named_intake("Nadia", 34))
    qtbot.keyClicks(page.identity.email, "x@example.be")
    qtbot.keyClicks(page.identity.phone, "0470 12 34 56")
    qtbot.waitUntil(page.duplicates.isVisible)
    page.identity.phone.selectAll()
    qtbot.keyClick(page.identity.phone, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not page.duplicates.isVisible())
    assert page.duplicates.candidates == []


def test_an_answer_for_a_form_emptied_meanwhile_is_dropped(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake.record_intake(reception, named_intake("Nadia", 34))
    searching, release = threading.Event(), threading.Event()
    search = intake.likely_duplicates

    def slow(desk: OpenDesk, probe: DuplicateProbe) -> list[DuplicateCandidate]:
        searching.set()
        release.wait(10)
        return search(desk, probe)

    monkeypatch.setattr(intake, "likely_duplicates", slow)
    qtbot.keyClicks(page.identity.phone, "0470 12 34 56")
    qtbot.waitUntil(searching.is_set)
    page.new_button.click()  # emptied while the search runs (the prompt says yes)
    release.set()
    tasks.wait_for_all()
    qtbot.wait(2 * DEBOUNCE_MS)
    assert page.identity.phone.text() == ""
    assert page.duplicates.candidates == [] and not page.duplicates.isVisible()


def test_after_saving_the_form_is_at_its_top_ready_for_the_next_contact(
    qtbot: QtBot, page: IntakePage
) -> None:
    """Found in the real window: the form stayed scrolled down, with the last case's banner,
    while the next contact was typed."""
    page.identity.pseudonym.setText("Nadia")
    bar = page.form_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.keyClick(page.identity.pseudonym, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert bar.value() == 0 and QApplication.focusWidget() is page.mode
    assert page.banner.isVisible()
    qtbot.keyClicks(page.identity.pseudonym, "Sam")  # the next person
    page.check_typing()
    assert not page.banner.isVisible()


def test_saving_nothing_but_the_defaults_asks_first(
    qtbot: QtBot, page: IntakePage, recorded_prompts: Prompts, reception: OpenDesk
) -> None:
    """Found in the real window: one Tab too many silently saved an empty contact."""
    recorded_prompts.confirm_answer = False
    qtbot.keyClick(page.mode, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [question] = recorded_prompts.questions
    assert "Nothing but the form's defaults" in question
    tasks.wait_for_all()
    assert page.last_saved is None
    assert cases.find_case_ids(reception, CaseQuery()) == []


def test_alt_shortcuts_reach_anonymous_and_the_mode(qtbot: QtBot, page: IntakePage) -> None:
    page.requests.boxes[RequestType.INFORMATION].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.mode
    qtbot.keyClick(page.mode, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.anonymous.isChecked)  # a button's shortcut clicks it, animated


def test_help_lists_every_shortcut() -> None:
    from ui.dialogs.help_dialog import help_html

    text = help_html()
    for keys in ("Ctrl+S", "F8", "F9", "F5", "F1", "Ctrl+L", "Ctrl+Q", "Alt"):
        assert keys in text


def test_a_witness_is_asked_about_the_victim_not_about_herself(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk
) -> None:
    qtbot.keyClicks(page.person.age, "52")  # typed before the caller said she is a neighbour
    assert not page.relation.isVisible() and page.person.age.isVisible()
    page.person_role.setFocus()
    qtbot.keyClicks(page.person_role, "Witness")
    assert page.person_role.value() is PersonRole.WITNESS
    for shown in (page.relation, page.victim_age, page.victim_sex):
        assert shown.isVisible()
    # Found in the real window: the victim's sex was "Female" before anything was said.
    assert page.victim_sex.value() is Sex.NOT_RECORDED
    for hidden in (page.person.age, page.person.sex, page.person.children_count):
        assert not hidden.isVisible()
    assert page.person.municipality.isVisible()
    qtbot.keyClicks(page.relation, "Neighbour")
    qtbot.keyClicks(page.victim_age, "26")
    qtbot.keyClicks(page.victim_sex, "Female")
    qtbot.keyClicks(page.identity.pseudonym, "Voisine")
    qtbot.keyClicks(page.identity.may_recontact, "Yes")
    qtbot.keyClicks(page.identity.channel, "Phone")
    qtbot.keyClicks(page.identity.safe_hours.days[1], "12-10")
    qtbot.keyClicks(page.note, "Lady at number 12; call her sister first")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    error = page.fields.errors["safe_hours_1"]
    qtbot.waitUntil(error.isVisible)
    assert QApplication.focusWidget() is page.identity.safe_hours.days[1]
    page.identity.safe_hours.days[1].clear()
    qtbot.keyClicks(page.identity.safe_hours.days[1], "10-12")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_saved is not None)

    assert page.last_saved is not None
    detail = cases.case_detail(reception, page.last_saved.case_id)
    assert detail.person is not None and detail.person.age is None  # never the caller's 52
    assert detail.person.safe_hours == (HourRange(1, 10, 12),)
    [contact] = detail.timeline
    assert "Neighbour" in contact.summary and "Female, 26–40" in contact.summary
    assert contact.note == "Lady at number 12; call her sister first"
    # The next caller is the victim herself: her own questions come back.
    assert page.person_role.value() is PersonRole.VICTIM
    assert page.person.age.isVisible() and not page.relation.isVisible()


def test_a_person_said_to_be_someone_else_is_not_asked_about_again_after_a_refused_save(
    qtbot: QtBot, page: IntakePage, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the real window: the question came, the save was then refused for another
    field, and the next Ctrl+S asked the same question again."""
    intake.record_intake(reception, named_intake("Hélène", 34))
    asked: list[object] = []
    monkeypatch.setattr(
        prompts, "choose_duplicate", lambda _p, found: asked.append(found) or prompts.NEW_CASE
    )
    real_record = intake.record_intake

    def refused_once(*arguments: Any, **options: Any) -> SavedIntake:
        monkeypatch.setattr(intake, "record_intake", real_record)
        raise ValidationError("Say how the person may be recontacted.", field="channel")

    monkeypatch.setattr(intake, "record_intake", refused_once)
    page.identity.pseudonym.setText("Zoé")
    page.identity.phone.setText("0470/12.34.56")
    page.save()
    qtbot.waitUntil(page.save_button.isEnabled)
    assert len(asked) == 1 and page.last_saved is None
    page.save()
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert len(asked) == 1
