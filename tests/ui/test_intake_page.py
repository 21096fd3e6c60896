"""The intake page as reception uses it: keyboard only, errors next to the field, drafts."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.cases import CaseQuery, SavedIntake
from app.domain.codes import (
    CaseStatus,
    ContactMode,
    PersonRole,
    RecontactChannel,
    RequestType,
    ViolenceForm,
)
from app.domain.duplicates import DuplicateCandidate, DuplicateProbe, MatchedField
from app.domain.intake import IdentityForm, PersonForm
from app.domain.safe_hours import HourRange
from app.errors import ValidationError
from app.i18n import format_date
from app.services import cases, intake
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture, TestClock
from tests.factories import named_intake
from tests.ui.conftest import Prompts, killed_once_ready, sign_in
from tests.ui.user import User
from ui import prompts, tasks
from ui.main_window import MainWindow
from ui.models.candidate_model import CandidateModel
from ui.models.case_list_model import MASK
from ui.pages.intake_page import IntakePage
from ui.widgets.duplicate_panel import DEBOUNCE_MS
from ui.widgets.typed_input import part_of_another_input

SAVE = "Save the contact (Ctrl+S)"
CANDIDATES = "Cases that may be this person's"


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


@pytest.fixture
def user(qtbot: QtBot, page: IntakePage) -> User:
    return User(qtbot, page)


def saved_code(user: User) -> str:
    """The code of the contact just saved, as the banner says it ("" before)."""
    if not user.sees("Message"):
        return ""
    said = user.text("Message")
    return said.removeprefix("Saved as ").removesuffix(".") if said.startswith("Saved as") else ""


def saved_case(qtbot: QtBot, user: User, desk: OpenDesk) -> str:
    """The id of the case of the contact saved, once the banner says it."""
    qtbot.waitUntil(lambda: saved_code(user) != "")
    code = saved_code(user)
    [case_id] = [
        row.id
        for row in cases.case_rows(desk, cases.find_case_ids(desk, CaseQuery()))
        if row.code == code
    ]
    return case_id


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_an_anonymous_contact_with_the_keyboard_alone(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    presses = 0

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal presses
        presses += 1
        qtbot.keyClick(focused(), k, modifier)

    assert focused() is user.find("Mode of contact")
    for _ in range(6):  # role, language, interpreter, referred by, Listening, Information
        key(Qt.Key.Key_Tab)
    assert focused() is user.find("Request: Information")
    key(Qt.Key.Key_Space)
    for _ in range(6):  # the other requests, counted elsewhere, anonymous
        key(Qt.Key.Key_Tab)
    assert focused() is user.find("Anonymous contact")
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    case_id = saved_case(qtbot, user, reception)
    assert presses <= 25
    assert saved_code(user).startswith("SG-")
    detail = cases.case_detail(reception, case_id)
    assert detail.person is None and detail.identity is None and detail.consents == ()
    [contact] = [e for e in detail.timeline]
    assert ContactMode.IN_PERSON.label in contact.summary
    assert PersonRole.VICTIM.label in contact.summary
    assert RequestType.INFORMATION.label in contact.summary
    # The form is ready for the next person.
    assert not user.find("Anonymous contact", QAbstractButton).isChecked()
    assert not user.find("Request: Information", QAbstractButton).isChecked()


def test_unanswered_questions_are_saved_as_unknown(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    # Only what was asked is recorded: every other answer is the form's "unknown" default.
    user.type("Pseudonym", "Nadia")
    user.press(SAVE)
    detail = cases.case_detail(reception, saved_case(qtbot, user, reception))
    assert detail.person == PersonForm()
    assert detail.situation is None
    assert detail.identity is not None and detail.identity.pseudonym == "Nadia"


def test_tab_follows_the_visual_order_and_every_field_is_named(
    qtbot: QtBot, page: IntakePage, user: User
) -> None:
    mode = user.find("Mode of contact")
    mode.setFocus()
    chain = [mode]
    save = user.find(SAVE)
    while chain[-1] is not save:
        qtbot.keyClick(chain[-1], Qt.Key.Key_Tab)
        assert focused() not in chain, "Tab came back to a field before reaching Save"
        chain.append(focused())
    # Top to bottom within the form (by the middle of each input: a combo box is taller
    # than a check box); the buttons come last, under the scrolling form, left to right.
    body = page.form_area.widget()
    inputs = [w for w in chain if body.isAncestorOf(w)]
    assert chain[: len(inputs)] == inputs
    heights = [w.mapTo(body, QPoint(0, w.height() // 2)).y() for w in inputs]
    assert heights == sorted(heights)
    buttons = chain[len(inputs) :]
    assert [b.text() for b in buttons] == ["Protocols (F8)", "Empty the form", SAVE]
    lefts = [w.mapTo(page, QPoint(0, 0)).x() for w in buttons]
    assert lefts == sorted(lefts)
    assert all(w.accessibleName() or w.property("text") for w in chain)
    # Every input a person can reach is reached.
    reachable = [
        w
        for w in body.findChildren(QWidget)
        if w.isVisibleTo(page)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not part_of_another_input(w)
    ]
    assert reachable and set(reachable) <= set(chain)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    user.type("Age", "230")
    user.press(SAVE)
    assert "from 0 to 120" in user.said()
    user.type("Age", "34")
    QApplication.clipboard().setText("Na\x1bdia")  # pasted: no key types it
    user.type("Pseudonym", "")
    user.keys("Ctrl+V")
    user.press(SAVE)
    qtbot.waitUntil(lambda: "control characters" in user.said())
    user.type("Pseudonym", "Nadia")
    user.type("Last incident", "31/12/2099")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: "after the contact" in user.said())
    assert cases.find_case_ids(reception, CaseQuery()) == []
    assert user.text("Pseudonym") == "Nadia"  # the input is kept


DRAFT_WRITER = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.services import auth, drafts
from ui.settings import UiSettings
from ui import workspace as workspace_module
from ui.workspace import Workspace

workspace_module.AUTOSAVE_MS = 250  # the autosave timer as it runs, sooner
app = QApplication([])
desk = auth.unlock(Path(sys.argv[1]), "rita", sys.argv[2])
workspace = Workspace(UiSettings(Path(sys.argv[3])))
workspace.enter(desk)
form = workspace.intake_page.form_area
form.identity.pseudonym.setText("Nadia Ünal")
form.person.age.setText("34")
form.situation.forms.set_value(["threats", "economic"])
form.situation.last_incident.setText("03/2026")
while "intake" not in drafts.load(desk):  # the autosave timer
    app.processEvents()
    time.sleep(0.05)
print("draft written", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_a_draft_survives_a_killed_process(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture, tmp_path: Path
) -> None:
    arguments = [str(desk.database), STAFF_PASSWORD, str(tmp_path / "ui.ini")]
    killed_once_ready(DRAFT_WRITER, arguments, "draft written", desk.database)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Intake")
    user = User(qtbot, window)
    qtbot.waitUntil(lambda: user.sees("Message"))
    assert "restored" in user.text("Message")
    assert user.text("Pseudonym") == "Nadia Ünal"
    assert user.text("Age") == "34"
    ticked = {
        form
        for form in ViolenceForm
        if user.find(f"Forms of violence: {form.label}", QAbstractButton).isChecked()
    }
    assert ticked == {ViolenceForm.THREATS, ViolenceForm.ECONOMIC}
    assert user.text("Last incident") == "03/2026"
    user.press("Discard this draft")
    assert user.text("Pseudonym") == "" and not user.sees("Message")


@pytest.mark.parametrize("answer", ["link", "new", "back"])
def test_a_new_case_with_a_known_phone_is_asked_about_once_never_merged_silently(
    qtbot: QtBot,
    user: User,
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
    user.type("Pseudonym", "Zoé")
    user.type("Phone", "0470/12.34.56")
    user.press(SAVE)
    qtbot.waitUntil(lambda: offered != [])
    assert offered == [[known.case_code]]
    if answer == "back":
        qtbot.waitUntil(lambda: user.find(SAVE).isEnabled())
        assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]
        assert user.text("Pseudonym") == "Zoé"  # back to the form, as typed
        return
    case_id = saved_case(qtbot, user, reception)
    assert offered == [[known.case_code]]  # asked once
    all_cases = cases.find_case_ids(reception, CaseQuery())
    if answer == "link":
        assert case_id == known.case_id and all_cases == [known.case_id]
        assert cases.case_rows(reception, all_cases)[0].contacts == 2
    else:
        assert case_id != known.case_id and len(all_cases) == 2


def test_a_close_pseudonym_is_shown_but_does_not_stop_a_new_case(
    qtbot: QtBot, user: User, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    known = intake.record_intake(reception, named_intake("Hélène", 34))
    user.type("Age", "34")
    user.type("Pseudonym", "helene")
    qtbot.waitUntil(lambda: user.sees(CANDIDATES))
    assert [row[0] for row in user.rows(CANDIDATES)] == [known.case_code]
    user.keys("Ctrl+S")
    assert saved_case(qtbot, user, reception) != known.case_id
    assert recorded_prompts.questions == []


def test_likely_duplicates_appear_while_typing_and_one_key_links(
    qtbot: QtBot,
    user: User,
    reception: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The issue's case: "Nad." with the phone of a known case was saved without a word."""
    known = intake.record_intake(reception, named_intake("Nadia", 34))
    asked: list[object] = []
    monkeypatch.setattr(prompts, "choose_duplicate", lambda *args: asked.append(args))
    user.type("Pseudonym", "Nad.")
    user.type("Phone", "+32 470 12 34 5")
    tasks.wait_for_all()
    qtbot.wait(2 * DEBOUNCE_MS)
    assert not user.sees(CANDIDATES)  # a half-typed number matches nothing
    qtbot.keyClicks(focused(), "6")
    qtbot.waitUntil(lambda: user.sees(CANDIDATES))
    [row] = user.rows(CANDIDATES)
    assert row[:2] == [known.case_code, MASK]  # as in the case list, until asked
    user.tick("Show pseudonyms")
    [candidate] = intake.likely_duplicates(reception, DuplicateProbe(phone="+32 470 12 34 56"))
    assert candidate.last_contact is not None
    assert user.rows(CANDIDATES) == [
        [known.case_code, "Nadia", "34", "Open", format_date(candidate.last_contact), "phone"]
    ]
    assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]  # nothing saved

    user.find("Phone").setFocus()
    user.keys("F9")
    assert f"Saving adds this contact to {known.case_code}." in user.said()
    user.keys("Ctrl+S")
    assert saved_case(qtbot, user, reception) == known.case_id
    assert asked == []  # linked by the key: nothing more to ask
    assert cases.find_case_ids(reception, CaseQuery()) == [known.case_id]
    assert cases.case_rows(reception, [known.case_id])[0].contacts == 2
    # The next contact starts with no candidate, no link, and the pseudonyms masked again.
    assert not user.sees(CANDIDATES) and "Saving adds" not in user.said()
    user.type("Phone", "+32 470 12 34 56")
    qtbot.waitUntil(lambda: user.sees(CANDIDATES))
    assert user.rows(CANDIDATES)[0][1] == MASK


def test_someone_else_said_in_the_panel_is_not_asked_again_at_saving(
    qtbot: QtBot,
    user: User,
    reception: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    known = intake.record_intake(reception, named_intake("Nadia", 34))
    asked: list[object] = []
    monkeypatch.setattr(prompts, "choose_duplicate", lambda *args: asked.append(args))
    user.type("Pseudonym", "Zoe")
    user.type("Phone", "0470 12 34 56")
    qtbot.waitUntil(lambda: user.sees(CANDIDATES))
    user.keys("F9")
    assert "Saving adds this contact" in user.said()
    user.press("Not the same person: new case")
    assert "Saving adds" not in user.said() and user.sees(CANDIDATES)
    user.keys("Ctrl+S")
    assert saved_case(qtbot, user, reception) != known.case_id
    assert asked == []


def test_emptying_the_fields_takes_the_candidates_away(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    intake.record_intake(reception, named_intake("Nadia", 34))
    user.type("E-mail", "x@example.be")
    user.type("Phone", "0470 12 34 56")
    qtbot.waitUntil(lambda: user.sees(CANDIDATES))
    phone = user.find("Phone")
    qtbot.keyClick(phone, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(phone, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not user.sees(CANDIDATES))


def test_an_answer_for_a_form_emptied_meanwhile_is_dropped(
    qtbot: QtBot, user: User, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake.record_intake(reception, named_intake("Nadia", 34))
    searching, release = threading.Event(), threading.Event()
    search = intake.likely_duplicates

    def slow(desk: OpenDesk, probe: DuplicateProbe) -> list[DuplicateCandidate]:
        searching.set()
        release.wait(10)
        return search(desk, probe)

    monkeypatch.setattr(intake, "likely_duplicates", slow)
    user.type("Phone", "0470 12 34 56")
    qtbot.waitUntil(searching.is_set)
    user.press("Empty the form")  # emptied while the search runs (the prompt says yes)
    release.set()
    tasks.wait_for_all()
    qtbot.wait(2 * DEBOUNCE_MS)
    assert user.text("Phone") == ""
    assert not user.sees(CANDIDATES)


def test_after_saving_the_form_is_at_its_top_ready_for_the_next_contact(
    qtbot: QtBot, page: IntakePage, user: User
) -> None:
    """Found in the real window: the form stayed scrolled down, with the last case's banner,
    while the next contact was typed."""
    user.type("Pseudonym", "Nadia")
    bar = page.form_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: saved_code(user) != "")
    assert bar.value() == 0 and focused() is user.find("Mode of contact")
    user.type("Pseudonym", "Sam")  # the next person
    qtbot.waitUntil(lambda: not user.sees("Message"), timeout=5_000)


def test_saving_nothing_but_the_defaults_asks_first(
    qtbot: QtBot, user: User, recorded_prompts: Prompts, reception: OpenDesk
) -> None:
    """Found in the real window: one Tab too many silently saved an empty contact."""
    recorded_prompts.confirm_answer = False
    user.keys("Ctrl+S")
    [question] = recorded_prompts.questions
    assert "Nothing but the form's defaults" in question
    tasks.wait_for_all()
    assert saved_code(user) == ""
    assert cases.find_case_ids(reception, CaseQuery()) == []


def test_alt_shortcuts_reach_anonymous_and_the_mode(qtbot: QtBot, user: User) -> None:
    user.find("Request: Information").setFocus()
    user.keys("Alt+M")
    assert focused() is user.find("Mode of contact")
    user.keys("Alt+A")
    anonymous = user.find("Anonymous contact", QAbstractButton)
    qtbot.waitUntil(anonymous.isChecked)  # a button's shortcut clicks it, animated


def test_help_lists_every_shortcut() -> None:
    from ui.dialogs.help_dialog import help_html

    text = help_html()
    for keys in ("Ctrl+S", "F8", "F9", "F5", "F1", "Ctrl+L", "Ctrl+Q", "Alt"):
        assert keys in text


def test_a_witness_is_asked_about_the_victim_not_about_herself(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    user.type("Age", "52")  # typed before the caller said she is a neighbour
    assert not user.sees("Relation to the victim") and user.sees("Age")
    user.choose("The person is", PersonRole.WITNESS.label)
    for shown in (
        "Relation to the victim",
        "Age of the victim, as far as known",
        "Sex of the victim, as far as known",
    ):
        assert user.sees(shown)
    # Found in the real window: the victim's sex was "Female" before anything was said.
    assert user.text("Sex of the victim, as far as known") == "Not recorded"
    for hidden in ("Age", "Sex", "Children in the household"):
        assert not user.sees(hidden)
    assert user.sees("Municipality of residence")
    user.choose("Relation to the victim", "Neighbour")
    user.choose("Age of the victim, as far as known", "26–40")
    user.choose("Sex of the victim, as far as known", "Female")
    user.type("Pseudonym", "Voisine")
    user.choose("May we contact the person again?", "Yes")
    user.choose("Safe channel", RecontactChannel.PHONE.label)
    user.type("Safe hours on Tuesday", "12-10")
    user.type("Note", "Lady at number 12; call her sister first")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: "Safe hours" in user.said() or "10" in user.said())
    assert focused() is user.find("Safe hours on Tuesday")
    user.type("Safe hours on Tuesday", "10-12")
    user.keys("Ctrl+S")
    detail = cases.case_detail(reception, saved_case(qtbot, user, reception))
    assert detail.person is not None and detail.person.age is None  # never the caller's 52
    assert detail.person.safe_hours == (HourRange(1, 10, 12),)
    [contact] = detail.timeline
    assert "Neighbour" in contact.summary and "Female, 26–40" in contact.summary
    assert contact.note == "Lady at number 12; call her sister first"
    # The next caller is the victim herself: her own questions come back.
    assert user.text("The person is") == PersonRole.VICTIM.label
    assert user.sees("Age") and not user.sees("Relation to the victim")


def test_a_person_said_to_be_someone_else_is_not_asked_about_again_after_a_refused_save(
    qtbot: QtBot, user: User, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
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
    user.type("Pseudonym", "Zoé")
    user.type("Phone", "0470/12.34.56")
    user.press(SAVE)
    qtbot.waitUntil(lambda: "Say how the person may be recontacted." in user.said())
    assert len(asked) == 1 and saved_code(user) == ""
    user.press(SAVE)
    saved_case(qtbot, user, reception)
    assert len(asked) == 1


def test_the_candidate_model_masks_pseudonyms_until_asked_and_bolds_a_known_phone(
    qtmodeltester: Any,
) -> None:
    model = CandidateModel()
    strong = DuplicateCandidate(
        case_id="c-1",
        case_code="SG-2026-0001",
        pseudonym="Nadia",
        age=34,
        status=CaseStatus.OPEN,
        opened_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        last_contact=None,
        matched=frozenset({MatchedField.PHONE}),
    )
    weak = replace(strong, case_id="c-2", case_code="SG-2026-0002", matched=frozenset())
    model.set_rows([strong, weak])
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(6)] == [
        "SG-2026-0001",
        MASK,
        "34",
        "Open",
        "",
        "phone",
    ]
    model.set_show_names(True)
    assert model.index(0, 1).data() == "Nadia"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    qtmodeltester.check(model)


def test_enter_on_a_case_in_the_list_links_the_contact_to_it(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    intake.record_intake(reception, named_intake("Nadia", 34))
    other = intake.record_intake(
        reception,
        named_intake("Nadja", 34, identity=IdentityForm(pseudonym="Nadja", phone="0499 11 22 33")),
    )
    user.type("Age", "34")
    user.type("Pseudonym", "Nadia")
    qtbot.waitUntil(lambda: len(user.rows(CANDIDATES)) == 2)
    user.click_row(CANDIDATES, other.case_code)
    user.keys("Return")
    assert f"Saving adds this contact to {other.case_code}." in user.said()
    assert not user.sees(CANDIDATES)


def test_an_untouched_form_takes_the_time_it_is_opened_at(
    qtbot: QtBot, page: IntakePage, user: User, test_clock: TestClock
) -> None:
    """A desk left open: the form emptied in the morning must not date the afternoon's
    contact. What is typed keeps its time."""
    opened = user.text("Date and time")
    page.hide()
    test_clock.set(test_clock() + timedelta(hours=4, minutes=10))
    page.show()
    later = user.text("Date and time")
    assert later != opened
    now = clock.local(test_clock())
    assert later.endswith(f"{now.hour:02d}:{now.minute:02d}")
    user.choose("Mode of contact", "Phone")
    page.hide()
    test_clock.set(test_clock() + timedelta(minutes=30))
    page.show()
    assert user.text("Date and time") == later
