"""The case list, the case page and the session dialog as reception and counsellors use them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
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
    YesNoUnknown,
)
from app.domain.intake import ConsentForm, IdentityForm, PersonForm, SituationForm
from app.domain.safe_hours import HourRange
from app.domain.sessions import ReferralForm
from app.errors import ConsentRequired
from app.services import cases, intake, printing, referrals
from app.services.open_desk import OpenDesk
from app.services.printing import Material, PrintRequest
from tests.conftest import TestClock
from tests.factories import named_intake
from tests.ui.conftest import Prompts
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.models.case_list_model import MASK, CaseListModel
from ui.pages.case_list_page import CaseListPage
from ui.pages.case_page import CasePage

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
    qtbot.waitUntil(lambda: page.count.text() == "3 cases")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert "Notes" not in headers

    qtbot.keyClicks(page.search, "HELE")
    qtbot.waitUntil(lambda: page.count.text() == "1 case")
    qtbot.waitUntil(lambda: page.model.loaded_row(0) is not None)
    assert page.model.data(page.model.index(0, 0)) == helene.case_code
    assert page.model.data(page.model.index(0, CaseListModel.PSEUDONYM)) == MASK
    page.show_names.click()
    assert page.model.data(page.model.index(0, CaseListModel.PSEUDONYM)) == "Hélène Dubois"
    with qtbot.waitSignal(page.open_case) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == [helene.case_id]

    page.search.clear()
    qtbot.keyClicks(page.search, helene.case_code[-4:])
    qtbot.waitUntil(lambda: page.count.text() == "1 case")
    page.search.clear()
    qtbot.keyClicks(page.search, "nobody")
    qtbot.waitUntil(lambda: page.count.text() == "0 cases")


def _case_page(qtbot: QtBot, desk: OpenDesk, case_id: str) -> CasePage:
    page = CasePage()
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.open_desk(desk)
    page.show_case(case_id)
    qtbot.waitUntil(lambda: page.detail is not None)
    return page


def test_an_anonymous_case_opened_after_a_named_one_shows_nothing_of_it(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    named = intake.record_intake(reception, named_intake("Hélène", 34))
    anonymous = intake.record_intake(
        reception,
        named_intake(person=None, identity=IdentityForm(), consents=(), situation=SituationForm()),
    )
    page = _case_page(qtbot, reception, named.case_id)
    assert page.identity.pseudonym.text() == "Hélène" and page.person.age.text() == "34"
    page.show_case(anonymous.case_id)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.id == anonymous.case_id)
    shown = [page.identity.pseudonym.text(), page.identity.phone.text(), page.person.age.text()]
    assert shown == ["", "", ""]
    assert page.situation.forms.value() == frozenset()


def test_an_edit_made_elsewhere_is_shown_not_overwritten(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk, recorded_prompts: Prompts
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène", 34))
    page = _case_page(qtbot, reception, saved.case_id)
    elsewhere = cases.case_detail(counsellor, saved.case_id)
    assert elsewhere.situation is not None
    cases.update_case(
        counsellor,
        saved.case_id,
        elsewhere.version,
        CaseEdit(CaseStatus.CLOSED, elsewhere.person, elsewhere.identity, elsewhere.situation),
    )

    page.person.age.setText("35")
    page.save_button.click()
    qtbot.waitUntil(page.conflict.isVisible)
    assert "changed" in page.conflict.text()
    assert page.reload_button.isVisible()
    assert page.person.age.text() == "35"  # what was typed is still there
    now = cases.case_detail(reception, saved.case_id)
    assert now.status is CaseStatus.CLOSED and now.person is not None and now.person.age == 34

    page.reload_button.click()
    qtbot.waitUntil(lambda: not page.conflict.isVisible())
    assert page.status.value() is CaseStatus.CLOSED and page.person.age.text() == "34"
    page.person.age.setText("35")
    page.save_button.click()
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["The case was saved."])
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None and detail.person.age == 35


def test_the_status_of_a_referral_is_changed_from_the_timeline(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    referral_id = referrals.add_referral(
        reception,
        saved.case_id,
        ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today()),
    )
    page = _case_page(qtbot, reception, saved.case_id)
    assert not page.referral_status_button.isEnabled()
    rows = {page.timeline.item(r).data(Qt.ItemDataRole.UserRole)[1]: r for r in range(2)}
    page.timeline.setCurrentRow(rows[referral_id])
    assert page.referral_status_button.isEnabled()
    assert page.referral_status.value() is ReferralStatus.REFERRED
    page.referral_status.set_value(ReferralStatus.ALREADY_RECEIVING)
    page.referral_status_button.click()

    def changed() -> bool:
        entry = page.selected_entry()
        return entry is not None and entry.referral_status is ReferralStatus.ALREADY_RECEIVING

    qtbot.waitUntil(changed)  # reloaded, and the same referral is still selected
    detail = cases.case_detail(reception, saved.case_id)
    statuses = [e.referral_status for e in detail.timeline if e.kind is TimelineKind.REFERRAL]
    assert statuses == [ReferralStatus.ALREADY_RECEIVING]


LONG_PARTNER = (
    "Centre de Prise en charge des Violences Sexuelles de Bruxelles (CPVS), "
    "Hopital universitaire Saint-Pierre, rue Haute 322"  # typed: QTest types ASCII only
)


def _referral_dialog(qtbot: QtBot, page: CasePage) -> ReferralDialog:
    page.add_referral_button.click()
    dialog = page.findChild(ReferralDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_a_referral_without_consent_asked_says_so_whole_then_confirms_to_whom(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    only_statistics = (ConsentForm(ConsentScope.STATISTICS, ConsentDecision.GIVEN),)
    saved = intake.record_intake(reception, named_intake(consents=only_statistics))
    page = _case_page(qtbot, reception, saved.case_id)
    dialog = _referral_dialog(qtbot, page)
    assert dialog.consent.text() == "Sharing with a partner service: not asked yet."
    qtbot.keyClicks(dialog.partner, LONG_PARTNER)
    qtbot.keyClick(dialog.partner, Qt.Key.Key_Return)  # Enter saves, as in a line edit
    error = dialog.fields.errors["override_reason"]
    qtbot.waitUntil(error.isVisible)
    assert "has not been asked yet" in error.text() and "not consented" not in error.text()
    # Every line of the message inside the dialog, none cut off at its bottom.
    assert error.height() >= error.heightForWidth(error.width())
    bottom = error.mapTo(dialog, error.rect().bottomLeft()).y()
    assert bottom <= dialog.height()
    # The partner's whole name shows, from its first word, on wrapped lines.
    assert dialog.partner.text() == LONG_PARTNER
    assert dialog.partner.verticalScrollBar().maximum() == 0
    assert dialog.partner.horizontalScrollBar().maximum() == 0
    qtbot.keyClicks(dialog.override_reason, "Immediate danger, she asked")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos == [f"Referral of {saved.case_code} to {LONG_PARTNER} recorded."]


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
    page = _case_page(qtbot, reception, saved.case_id)
    dialog = _referral_dialog(qtbot, page)
    assert shown in dialog.consent.text()
    form = ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today())
    if said is None:
        assert referrals.add_referral(reception, saved.case_id, form)
        return
    with pytest.raises(ConsentRequired) as refused:
        referrals.add_referral(reception, saved.case_id, form)
    assert said in str(refused.value)
    dialog.reject()


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
    page = _case_page(qtbot, reception, saved.case_id)
    shown = [page.timeline.item(row).text() for row in range(page.timeline.count())]
    assert [line.split(" · ")[:2] for line in shown] == [
        ["10/03/2026 11:10", "Referral"],
        ["10/03/2026 10:45", "Handed out"],
        ["10/03/2026 09:30", "Referral"],
        ["10/03/2026 09:00", "Contact"],
    ]
    assert "Information brochure in French, 2 copies" in shown[1]


def test_only_counsellors_add_and_read_sessions(
    qtbot: QtBot, reception: OpenDesk, counsellor: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    at_reception = _case_page(qtbot, reception, saved.case_id)
    assert at_reception.add_session_button.isHidden() and at_reception.read_button.isHidden()

    page = _case_page(qtbot, counsellor, saved.case_id)
    assert not page.add_session_button.isHidden()
    page.add_session_button.click()
    dialog = page.findChild(SessionDialog)
    assert dialog is not None
    dialog.duration.setValue(50)
    dialog.notes.setPlainText("Fears the weekend; sister can host her.")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.timeline.count() == 2)
    qtbot.waitUntil(lambda: page.detail is not None and len(page.detail.timeline) == 2)
    sessions = [e for e in page.detail.timeline if e.kind is TimelineKind.SESSION]
    assert len(sessions) == 1 and sessions[0].has_notes

    row = next(
        r
        for r in range(page.timeline.count())
        if page.timeline.item(r).data(Qt.ItemDataRole.UserRole)[0] == "session"
    )
    page.timeline.setCurrentRow(row)
    assert page.read_button.isEnabled()
    page.read_button.click()
    qtbot.waitUntil(lambda: len(page.findChildren(SessionDialog)) == 2)
    shown = page.findChildren(SessionDialog)[-1]
    assert shown.notes.toPlainText() == "Fears the weekend; sister can host her."
    assert shown.notes.isReadOnly() and not shown.duration.isEnabled()


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
    page = _case_page(qtbot, reception, saved.case_id)
    [entry] = [page.timeline.item(row).text() for row in range(page.timeline.count())]
    assert "Neighbour" in entry and "Note: Call her sister first" in entry
    assert page.identity.safe_hours.days[1].text() == "10-12"
    assert not page.person.age.isVisible() and page.person.municipality.isVisible()
    qtbot.keyClicks(page.identity.safe_hours.days[4], "18-20")  # Friday evenings too
    page.save_button.click()
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["The case was saved."])
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None
    assert detail.person.safe_hours == (HourRange(1, 10, 12), HourRange(4, 18, 20))
    # The victim's own case asks her age again.
    page.show_case(victim.case_id)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.id == victim.case_id)
    assert page.person.age.isVisible() and page.person.age.text() == "34"
