"""The case list, the case page and the session dialog as reception and counsellors use them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QCheckBox, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.cases import CaseEdit, CaseRow, TimelineKind
from app.domain.codes import (
    CallerRelation,
    CaseStatus,
    ConsentDecision,
    ConsentScope,
    PersonRole,
    RecontactChannel,
    ReferralStatus,
    ServiceType,
    ViolenceForm,
    YesNoUnknown,
)
from app.domain.intake import ConsentForm, IdentityForm, PersonForm, SituationForm
from app.domain.safe_hours import HourRange
from app.domain.sessions import ReferralForm
from app.errors import ConsentRequired, ValidationError
from app.services import cases, intake, printing, referrals, sessions
from app.services.open_desk import OpenDesk
from app.services.printing import Material, PrintRequest
from tests.conftest import TestClock
from tests.factories import named_intake
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.saving_dialog import SavingDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.models.case_list_model import MASK, CaseListModel
from ui.pages.case_list_page import CaseListPage
from ui.pages.case_page import CasePage
from ui.widgets.case_sections import AgeEdit
from ui.widgets.field_set import FieldSet

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def _row(number: int) -> CaseRow:
    return CaseRow(
        id=f"id-{number}",
        code=f"SG-2026-{number:04d}",
        status=CaseStatus.OPEN,
        opened_at=datetime(2026, 11, 1, tzinfo=UTC),
        pseudonym=None if number % 2 else f"Person {number}",
        age=30,
        contacts=1,
        sessions=number,
        do_not_recontact=number == 4,
    )


def test_the_case_list_model_loads_rows_only_when_shown(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    requested: list[tuple[list[str], Callable[[list[CaseRow]], None]]] = []
    model = CaseListModel(lambda ids, deliver: requested.append((ids, deliver)))
    model.set_ids([f"id-{n}" for n in range(250)])
    qtmodeltester.check(model)
    assert model.data(model.index(120, 0)) == "…"  # not loaded yet: asked for, once
    assert model.data(model.index(130, 0)) == "…"
    pages = [ids for ids, _deliver in requested]
    assert ["id-100", "id-199"] == [pages[-1][0], pages[-1][-1]]
    assert pages.count(pages[-1]) == 1
    requested[-1][1]([_row(n) for n in range(100, 200)])
    assert model.data(model.index(120, 0)) == "SG-2026-0120"
    assert model.data(model.index(120, CaseListModel.PSEUDONYM)) == MASK
    model.set_show_names(True)
    assert model.data(model.index(120, CaseListModel.PSEUDONYM)) == "Person 120"
    assert model.data(model.index(121, CaseListModel.PSEUDONYM)) == "anonymous"
    qtmodeltester.check(model)
    stale = requested[0][1]
    model.set_ids(["id-1"])
    stale([_row(1)])  # rows of the previous search arrive late: ignored
    assert model.loaded_row(0) is None


def test_reception_finds_a_case_by_pseudonym_and_opens_it_with_enter(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    helene = intake.record_intake(reception, named_intake("Hélène Dubois"))
    intake.record_intake(reception, named_intake("Marc"))
    intake.record_intake(reception, named_intake(person=None, consents=(), identity=IdentityForm()))
    page = CaseListPage()
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.open_desk(reception)
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "3 cases")
    table = user.find("Cases found", QAbstractItemView)
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert "Notes" not in headers

    user.type("Search cases", "HELE")
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "1 case")
    qtbot.waitUntil(lambda: user.rows("Cases found")[0][0] == helene.case_code)
    assert user.rows("Cases found")[0][CaseListModel.PSEUDONYM] == MASK
    user.tick("Show pseudonyms")
    assert user.rows("Cases found")[0][CaseListModel.PSEUDONYM] == "Hélène Dubois"
    qtbot.mouseClick(user.find("Search cases"), Qt.MouseButton.LeftButton)  # back to it
    with qtbot.waitSignal(page.open_case) as opened:
        user.keys("Return")
    assert opened.args == [helene.case_id]

    user.type("Search cases", helene.case_code[-4:])
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "1 case")
    user.type("Search cases", "nobody")
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "0 cases")


def _case_page(qtbot: QtBot, desk: OpenDesk, case_id: str) -> tuple[CasePage, User]:
    """The case page open on `case_id`, as the case list opens it, and its user."""
    page = CasePage()
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.open_desk(desk)
    user = User(qtbot, page)
    _open(qtbot, page, user, case_id, desk)
    return page, user


def _open(qtbot: QtBot, page: CasePage, user: User, case_id: str, desk: OpenDesk) -> None:
    code = cases.case_detail(desk, case_id).code
    page.show_case(case_id)
    qtbot.waitUntil(lambda: code in user.text("Case"))


def _dialog(qtbot: QtBot, page: CasePage, kind: type[SavingDialog[object]]) -> User:
    """The person at the dialog `kind` opened from the page (the last one)."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in page.findChildren(kind)))
    dialog = [d for d in page.findChildren(kind) if d.isVisible()][-1]
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return User(qtbot, dialog)


def _timeline(user: User) -> list[str]:
    return [row[0] for row in user.rows("Timeline")]


def _click_entry(user: User, kind: str) -> None:
    """Click the first entry of the timeline of this kind ("Referral", "Session")."""
    line = next(line for line in _timeline(user) if line.split(" · ")[1] == kind)
    user.click_row("Timeline", line)


def test_an_anonymous_case_opened_after_a_named_one_shows_nothing_of_it(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    named = intake.record_intake(reception, named_intake("Hélène", 34))
    anonymous = intake.record_intake(
        reception,
        named_intake(person=None, identity=IdentityForm(), consents=(), situation=SituationForm()),
    )
    page, user = _case_page(qtbot, reception, named.case_id)
    assert user.text("Pseudonym") == "Hélène" and user.text("Age") == "34"
    _open(qtbot, page, user, anonymous.case_id, reception)
    assert [user.text("Pseudonym"), user.text("Phone"), user.text("Age")] == ["", "", ""]
    forms = [f"Forms of violence: {form.label}" for form in ViolenceForm]
    assert not any(user.find(box, QCheckBox).isChecked() for box in forms)
    assert not user.find("Age").isEnabled()  # no person to edit on an anonymous case


def test_an_edit_made_elsewhere_is_shown_not_overwritten(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk, recorded_prompts: Prompts
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène", 34))
    _page, user = _case_page(qtbot, reception, saved.case_id)
    elsewhere = cases.case_detail(counsellor, saved.case_id)
    assert elsewhere.situation is not None
    cases.update_case(
        counsellor,
        saved.case_id,
        elsewhere.version,
        CaseEdit(CaseStatus.CLOSED, elsewhere.person, elsewhere.identity, elsewhere.situation),
    )

    user.type("Age", "35")
    user.press("Save the changes (Ctrl+S)")
    qtbot.waitUntil(lambda: "changed" in user.said())
    assert user.sees("Reload the case")
    assert user.text("Age") == "35"  # what was typed is still there
    now = cases.case_detail(reception, saved.case_id)
    assert now.status is CaseStatus.CLOSED and now.person is not None and now.person.age == 34

    user.press("Reload the case")
    qtbot.waitUntil(lambda: not user.sees("Reload the case"))
    assert user.text("Status") == CaseStatus.CLOSED.label and user.text("Age") == "34"
    user.type("Age", "35")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["The case was saved."])
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None and detail.person.age == 35


def test_bad_input_on_a_case_is_refused_under_its_field(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène", 34))
    _page, user = _case_page(qtbot, reception, saved.case_id)
    user.type("Age", "230")
    user.type("Last incident", "31/12/2099")
    user.keys("Ctrl+S")
    assert "from 0 to 120" in user.said()
    user.type("Age", "36")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: "after the contact" in user.said())
    assert user.find("Last incident").hasFocus()
    assert recorded_prompts.infos == []
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None and detail.person.age == 34


def test_a_consent_is_recorded_then_withdrawn_from_the_case(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène", consents=()))
    _page, user = _case_page(qtbot, reception, saved.case_id)
    assert user.rows("Consents") == []
    user.choose("Consent", ConsentScope.REFERRAL_SHARE.label)
    user.choose("Decision", ConsentDecision.GIVEN.label)
    user.press("Record")
    qtbot.waitUntil(lambda: len(user.rows("Consents")) == 1)
    [[line]] = user.rows("Consents")
    assert line.startswith(f"{ConsentScope.REFERRAL_SHARE.label}: {ConsentDecision.GIVEN.label}")
    user.click_row("Consents", line)
    user.press("Withdraw the selected consent")
    qtbot.waitUntil(lambda: "withdrawn on" in user.rows("Consents")[0][0])
    [consent] = cases.case_detail(reception, saved.case_id).consents
    assert consent.withdrawn_on is not None


def test_the_status_of_a_referral_is_changed_from_the_timeline(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    referrals.add_referral(
        reception,
        saved.case_id,
        ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today()),
    )
    _page, user = _case_page(qtbot, reception, saved.case_id)
    assert not user.find("Change the status of the referral").isEnabled()
    _click_entry(user, "Referral")
    assert user.text("Status of the selected referral") == ReferralStatus.REFERRED.label
    user.choose("Status of the selected referral", ReferralStatus.ALREADY_RECEIVING.label)
    user.press("Change the status of the referral")

    def changed() -> bool:
        detail = cases.case_detail(reception, saved.case_id)
        return [e.referral_status for e in detail.timeline if e.kind is TimelineKind.REFERRAL] == [
            ReferralStatus.ALREADY_RECEIVING
        ]

    qtbot.waitUntil(changed)
    # Reloaded, and the same referral is still selected, showing its new status.
    qtbot.waitUntil(
        lambda: (
            user.find("Change the status of the referral").isEnabled()
            and user.text("Status of the selected referral")
            == ReferralStatus.ALREADY_RECEIVING.label
        )
    )


LONG_PARTNER = (
    "Centre de Prise en charge des Violences Sexuelles de Bruxelles (CPVS), "
    "Hopital universitaire Saint-Pierre, rue Haute 322"  # typed: QTest types ASCII only
)


def test_a_referral_without_consent_asked_says_so_whole_then_confirms_to_whom(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    only_statistics = (ConsentForm(ConsentScope.STATISTICS, ConsentDecision.GIVEN),)
    saved = intake.record_intake(reception, named_intake(consents=only_statistics))
    page, user = _case_page(qtbot, reception, saved.case_id)
    user.press("Add a referral…")
    at_dialog = _dialog(qtbot, page, ReferralDialog)
    assert "Sharing with a partner service: not asked yet." in at_dialog.said()
    partner = at_dialog.find("Partner service", QPlainTextEdit)
    partner.setFocus()
    qtbot.keyClicks(partner, LONG_PARTNER)
    at_dialog.keys("Return")  # Enter saves, as in a line edit
    qtbot.waitUntil(lambda: "has not been asked yet" in at_dialog.said())
    assert "not consented" not in at_dialog.said()
    # Every line of the message inside the dialog, none cut off at its bottom.
    dialog = at_dialog.screen
    [error] = [
        label
        for label in dialog.findChildren(QLabel)
        if "has not been asked yet" in label.text() and label.isVisible()
    ]
    assert error.height() >= error.heightForWidth(error.width())
    assert error.mapTo(dialog, error.rect().bottomLeft()).y() <= dialog.height()
    # The partner's whole name shows, from its first word, on wrapped lines.
    assert " ".join(partner.toPlainText().split()) == LONG_PARTNER
    assert partner.verticalScrollBar().maximum() == 0
    assert partner.horizontalScrollBar().maximum() == 0
    at_dialog.type("Reason to refer without consent", "Immediate danger, she asked")
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos == [f"Referral of {saved.case_code} to {LONG_PARTNER} recorded."]
    qtbot.waitUntil(lambda: any(" · Referral · " in line for line in _timeline(user)))


@pytest.mark.parametrize(
    ("decision", "withdrawn", "shown", "said"),
    [
        (ConsentDecision.GIVEN, False, "consent given on", None),
        (ConsentDecision.REFUSED, False, "refused on", "refused sharing"),
        (ConsentDecision.GIVEN, True, "consent withdrawn on", "withdrew their consent"),
        (ConsentDecision.UNDECIDED, False, "not asked yet", "has not been asked yet"),
    ],
)
def test_the_referral_dialog_says_where_consent_to_share_stands(
    qtbot: QtBot,
    reception: OpenDesk,
    decision: ConsentDecision,
    withdrawn: bool,
    shown: str,
    said: str | None,
) -> None:
    share = (ConsentForm(ConsentScope.REFERRAL_SHARE, decision),)
    saved = intake.record_intake(reception, named_intake(consents=share))
    if withdrawn:
        consent = cases.case_detail(reception, saved.case_id).consents[0]
        cases.withdraw_consent(reception, consent.id)
    page, user = _case_page(qtbot, reception, saved.case_id)
    user.press("Add a referral…")
    at_dialog = _dialog(qtbot, page, ReferralDialog)
    assert shown in at_dialog.said()
    form = ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today())
    at_dialog.press("Cancel")
    if said is None:
        assert referrals.add_referral(reception, saved.case_id, form)
        return
    with pytest.raises(ConsentRequired) as refused:
        referrals.add_referral(reception, saved.case_id, form)
    assert said in str(refused.value)


def test_the_timeline_tells_each_event_by_date_and_time_with_the_material_handed_out(
    qtbot: QtBot, reception: OpenDesk, test_clock: TestClock
) -> None:
    # 10 March 2026, Brussels is UTC+1: the contact at 9:00, a referral at 9:30, a brochure
    # handed out at 10:45, another referral at 11:10 (a referral keeps only its day).
    test_clock.set(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    saved = intake.record_intake(reception, named_intake())
    test_clock.set(datetime(2026, 3, 10, 8, 30, tzinfo=UTC))
    legal_aid = ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today())
    referrals.add_referral(reception, saved.case_id, legal_aid)
    test_clock.set(datetime(2026, 3, 10, 9, 45, tzinfo=UTC))
    brochure = PrintRequest(Material.BROCHURE, "fr")
    printing.record_handout(reception, brochure, copies=2, case_id=saved.case_id)
    test_clock.set(datetime(2026, 3, 10, 10, 10, tzinfo=UTC))
    shelter = ReferralForm(ServiceType.SHELTER, "Refuge", clock.today())
    referrals.add_referral(reception, saved.case_id, shelter)
    _page, user = _case_page(qtbot, reception, saved.case_id)
    shown = _timeline(user)
    assert [line.split(" · ")[:2] for line in shown] == [
        ["10/03/2026 11:10", "Referral"],
        ["10/03/2026 10:45", "Handed out"],
        ["10/03/2026 09:30", "Referral"],
        ["10/03/2026 09:00", "Contact"],
    ]
    assert "Information brochure in French, 2 copies" in shown[1]


def test_only_counsellors_add_and_read_sessions(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk, test_clock: TestClock
) -> None:
    test_clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    saved = intake.record_intake(reception, named_intake())
    _at_reception, reception_user = _case_page(qtbot, reception, saved.case_id)
    assert not reception_user.sees("Add a session…")
    assert not reception_user.sees("Open the selected session")

    page, user = _case_page(qtbot, counsellor, saved.case_id)
    user.press("Add a session…")
    at_dialog = _dialog(qtbot, page, SessionDialog)
    at_dialog.type("Notes", "Fears the weekend; sister can host her.")
    assert not at_dialog.find("Date of the next appointment").isEnabled()
    at_dialog.tick("Next appointment")
    at_dialog.type("Date of the next appointment", "20/03/2026 14:00")
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: len(_timeline(user)) == 2)
    detail = cases.case_detail(counsellor, saved.case_id)
    [session] = [e for e in detail.timeline if e.kind is TimelineKind.SESSION]
    assert session.has_notes and session.summary.endswith("30 min")
    assert any(line.endswith(" · notes") for line in _timeline(user))
    stored = sessions.session_form(counsellor, session.id)
    assert stored.next_appointment == datetime(2026, 3, 20, 13, 0, tzinfo=UTC)

    _click_entry(user, "Session")
    assert user.find("Open the selected session").isEnabled()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    user.keys("Return")  # Enter on the entry opens it, as the button does
    shown = _dialog(qtbot, page, SessionDialog)
    notes = shown.find("Notes", QPlainTextEdit)
    assert notes.toPlainText() == "Fears the weekend; sister can host her."
    assert notes.isReadOnly() and not shown.find("Duration").isEnabled()
    assert shown.find("Next appointment").isChecked()
    assert shown.text("Date of the next appointment") == "20/03/2026 14:00"


def test_a_witness_case_shows_her_relation_her_note_and_her_safe_hours(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    witness = replace(
        named_intake("Voisine").contact,
        role=PersonRole.WITNESS,
        relation=CallerRelation.NEIGHBOUR,
        note="Call her sister first",
    )
    person = PersonForm(
        may_recontact=YesNoUnknown.YES,
        channel=RecontactChannel.PHONE,
        safe_hours=(HourRange(1, 10, 12),),
    )
    victim = intake.record_intake(reception, named_intake("Hélène", 34))
    saved = intake.record_intake(reception, named_intake("Voisine", contact=witness, person=person))
    page, user = _case_page(qtbot, reception, saved.case_id)
    [entry] = _timeline(user)
    assert "Neighbour" in entry and "Note: Call her sister first" in entry
    assert user.text("Safe hours on Tuesday") == "10-12"
    assert not user.sees("Age") and user.sees("Municipality of residence")
    user.type("Safe hours on Friday", "18-20")  # Friday evenings too
    user.press("Save the changes (Ctrl+S)")
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["The case was saved."])
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None
    assert detail.person.safe_hours == (HourRange(1, 10, 12), HourRange(4, 18, 20))
    # The victim's own case asks her age again.
    _open(qtbot, page, user, victim.case_id, reception)
    assert user.sees("Age") and user.text("Age") == "34"


def test_a_value_given_wins_over_the_input_of_the_same_name() -> None:
    """The binding takes a field the form reads otherwise (a caller's age is not hers) from
    what is given, and does not read the input of that name, which may hold anything."""
    fields = FieldSet()
    age = AgeEdit()
    fields.add("age", age)
    age.setText("abc")
    with pytest.raises(ValidationError):
        fields.record(PersonForm)
    assert fields.record(PersonForm, age=None) == PersonForm()
    age.setText("41")
    assert fields.record(PersonForm).age == 41
    assert fields.record(PersonForm, age=None).age is None


def test_a_next_appointment_before_the_session_is_refused_under_it(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk, test_clock: TestClock
) -> None:
    test_clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    saved = intake.record_intake(reception, named_intake())
    page, user = _case_page(qtbot, counsellor, saved.case_id)
    user.press("Add a session…")
    at_dialog = _dialog(qtbot, page, SessionDialog)
    at_dialog.tick("Next appointment")
    qtbot.keyClick(at_dialog.find("Next appointment"), Qt.Key.Key_Tab)
    moment = at_dialog.find("Date of the next appointment")
    assert moment.isAncestorOf(QApplication.focusWidget())  # Tab goes on to its date
    at_dialog.type("Date of the next appointment", "09/03/2026 14:00")
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: "must come after the session" in at_dialog.said())
    assert moment.isAncestorOf(QApplication.focusWidget())
    assert cases.case_detail(counsellor, saved.case_id).timeline[0].kind is TimelineKind.CONTACT
    at_dialog.press("Cancel")


def test_a_case_opened_meanwhile_is_in_the_list_when_it_comes_back(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    intake.record_intake(reception, named_intake("Marc"))
    page = CaseListPage()
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.open_desk(reception)
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "1 case")
    page.hide()  # the person goes to the intake page, and saves a new case there
    intake.record_intake(reception, named_intake("Hélène Dubois"))
    page.show()
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "2 cases")
