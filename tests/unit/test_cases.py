"""Intake, cases, sessions and referrals through the services, on a real encrypted desk."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.domain.cases import CaseEdit, CaseQuery, TimelineKind
from app.domain.codes import (
    CaseStatus,
    ConsentDecision,
    ConsentScope,
    ContactMode,
    GbvimsType,
    PersonRole,
    RecontactChannel,
    ReferralStatus,
    SafeTime,
    ServiceType,
    ViolenceScope,
    YesNoUnknown,
)
from app.domain.duplicates import DuplicateProbe
from app.domain.intake import (
    ConsentForm,
    ContactForm,
    IntakeForm,
    PersonForm,
    SituationForm,
    search_key,
)
from app.domain.sessions import ReferralForm, SessionForm
from app.errors import (
    AccessDenied,
    ConsentRequired,
    EditConflict,
    RecordNotFound,
    ValidationError,
)
from app.services import audit, cases, demo_data, drafts, intake, referrals, sessions
from app.services.open_desk import OpenDesk
from db.models import AuditEvent, CaseFile, Contact, Situation
from tests.conftest import DeskFixture
from tests.factories import named_intake, now

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def audit_actions(desk: OpenDesk) -> list[str]:
    with desk.transaction() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_anonymous_contact_gets_the_next_case_code(reception: OpenDesk) -> None:
    year = clock.today().year
    first = intake.record_intake(
        reception, IntakeForm(id=str(uuid.uuid4()), contact=ContactForm(occurred_at=now()))
    )
    second = intake.record_intake(reception, named_intake())
    assert first.case_code == f"SG-{year}-0001"
    assert second.case_code == f"SG-{year}-0002"
    detail = cases.case_detail(reception, first.case_id)
    assert detail.person is None and detail.identity is None and detail.situation is None
    assert [e.kind for e in detail.timeline] == [TimelineKind.CONTACT]
    assert "In person" in detail.timeline[0].summary


def test_saving_the_same_form_twice_saves_it_once(reception: OpenDesk) -> None:
    form = named_intake()
    first = intake.record_intake(reception, form)
    again = intake.record_intake(reception, form)
    assert again.case_code == first.case_code and not again.created
    assert len(cases.find_case_ids(reception, CaseQuery())) == 1


def test_case_numbers_are_never_reused(desk: DeskFixture, reception: OpenDesk) -> None:
    saved = intake.record_intake(reception, named_intake())
    with reception.transaction() as session:  # a purge, as the retention feature will do
        for model in (Contact, Situation):
            session.execute(model.__table__.delete().where(model.case_id == saved.case_id))
        session.execute(CaseFile.__table__.delete().where(CaseFile.id == saved.case_id))
    again = intake.record_intake(reception, named_intake())
    assert again.case_code.endswith("-0002")


def test_named_intake_keeps_person_identity_consents_and_situation(
    reception: OpenDesk,
) -> None:
    saved = intake.record_intake(reception, named_intake())
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.person is not None and detail.person.age == 34
    assert detail.identity is not None and detail.identity.pseudonym == "Hélène"
    assert {c.scope for c in detail.consents} == {
        ConsentScope.STATISTICS,
        ConsentScope.REFERRAL_SHARE,
    }
    assert detail.gbvims_derived is GbvimsType.SEXUAL_ASSAULT
    assert detail.gbvims_type is GbvimsType.SEXUAL_ASSAULT
    assert detail.scope is ViolenceScope.PARTNER
    assert audit_actions(reception)[-2:] == [audit.INTAKE_RECORDED, audit.CASE_VIEWED]


def test_a_refused_intake_saves_nothing(reception: OpenDesk) -> None:
    bad = named_intake(situation=SituationForm(last_incident=clock.today() + timedelta(days=3)))
    with pytest.raises(ValidationError, match="cannot be after the contact"):
        intake.record_intake(reception, bad)
    assert cases.find_case_ids(reception, CaseQuery()) == []


def test_search_by_code_or_pseudonym_ignores_accents_and_case(reception: OpenDesk) -> None:
    helene = intake.record_intake(reception, named_intake("Hélène Dubois"))
    marc = intake.record_intake(reception, named_intake("Marc"))
    found_helene = ("helene", "HÉLÈNE", "dubo", "dubois  hél", "h d", helene.case_code.lower())
    for text in (*found_helene, helene.case_code[-4:]):
        assert cases.find_case_ids(reception, CaseQuery(text=text)) == [helene.case_id], text
    # Words match from their start; what FTS5 would read as syntax is only text.
    for text in ("nobody", "lene", "50%_", '"', "hélène OR marc", "*", "NEAR(h", "-"):
        assert cases.find_case_ids(reception, CaseQuery(text=text)) == [], text
    for text in ('"marc', "-marc", "marc*"):
        assert cases.find_case_ids(reception, CaseQuery(text=text)) == [marc.case_id], text


def test_the_search_follows_a_renamed_pseudonym(reception: OpenDesk) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène"))
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.identity is not None and detail.situation is not None
    renamed = replace(detail.identity, pseudonym="Zoé")
    cases.update_case(
        reception,
        saved.case_id,
        detail.version,
        CaseEdit(detail.status, detail.person, renamed, detail.situation),
    )
    assert cases.find_case_ids(reception, CaseQuery(text="helene")) == []
    assert cases.find_case_ids(reception, CaseQuery(text="zoe")) == [saved.case_id]


def test_filters_by_status_and_date(reception: OpenDesk) -> None:
    old = intake.record_intake(
        reception,
        named_intake(contact=ContactForm(occurred_at=now() - timedelta(days=40))),
    )
    new = intake.record_intake(reception, named_intake("Marc"))
    today = clock.today()
    assert cases.find_case_ids(reception, CaseQuery(opened_from=today)) == [new.case_id]
    assert cases.find_case_ids(reception, CaseQuery(opened_to=today - timedelta(days=30))) == [
        old.case_id
    ]
    detail = cases.case_detail(reception, old.case_id)
    assert detail.situation is not None
    cases.update_case(
        reception,
        old.case_id,
        detail.version,
        CaseEdit(CaseStatus.CLOSED, detail.person, detail.identity, detail.situation),
    )
    assert cases.find_case_ids(reception, CaseQuery(status=CaseStatus.CLOSED)) == [old.case_id]
    rows = cases.case_rows(reception, [new.case_id, old.case_id])
    assert [r.code for r in rows] == [new.case_code, old.case_code]
    assert rows[0].pseudonym == "Marc" and rows[0].contacts == 1 and rows[0].sessions == 0


def test_likely_duplicates_are_pointed_out_and_can_be_linked(reception: OpenDesk) -> None:
    first = intake.record_intake(reception, named_intake("Hélène", 34))
    probe = DuplicateProbe(pseudonym="helene", age=34, municipality="21013")
    found = intake.likely_duplicates(reception, probe)
    assert [c.case_code for c in found] == [first.case_code]
    assert intake.likely_duplicates(reception, replace(probe, age=40, municipality="")) == []
    linked = intake.record_intake(reception, named_intake(link_case_id=first.case_id))
    assert linked.case_code == first.case_code
    detail = cases.case_detail(reception, first.case_id)
    assert len([e for e in detail.timeline if e.kind is TimelineKind.CONTACT]) == 2
    assert len(detail.consents) == 2  # the same scopes are not recorded twice


def test_an_edit_from_an_older_version_is_refused(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    mine = cases.case_detail(reception, saved.case_id)
    theirs = cases.case_detail(counsellor, saved.case_id)
    assert theirs.person is not None and theirs.situation is not None
    cases.update_case(
        counsellor,
        saved.case_id,
        theirs.version,
        CaseEdit(CaseStatus.FOLLOW_UP, theirs.person, theirs.identity, theirs.situation),
    )
    assert mine.person is not None and mine.situation is not None
    with pytest.raises(EditConflict, match="changed by someone else"):
        cases.update_case(
            reception,
            saved.case_id,
            mine.version,
            CaseEdit(CaseStatus.CLOSED, mine.person, mine.identity, mine.situation),
        )
    assert cases.case_detail(reception, saved.case_id).status is CaseStatus.FOLLOW_UP


def test_an_administrator_cannot_create_a_case_through_the_inner_save(
    admin_desk: OpenDesk,
) -> None:
    """Issue 19, point 10: the save other services call inside their own transaction
    checks the role too, and the refusal is audited."""
    form = intake.validate_intake(named_intake(), now())
    with pytest.raises(AccessDenied), admin_desk.transaction() as session:
        intake.save_intake(session, admin_desk, form, now())
    with admin_desk.transaction() as session:
        assert session.scalars(select(CaseFile)).all() == []
        denied = session.scalars(
            select(AuditEvent).where(AuditEvent.action == audit.ACCESS_DENIED)
        ).all()
    assert [e.target_type for e in denied] == ["intake.record"]


def test_only_a_counsellor_corrects_the_gbvims_type(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.situation is not None
    corrected = replace(detail.situation, gbvims_correction=GbvimsType.RAPE)
    edit = CaseEdit(detail.status, detail.person, detail.identity, corrected)
    with pytest.raises(AccessDenied):
        cases.update_case(reception, saved.case_id, detail.version, edit)
    after = cases.update_case(counsellor, saved.case_id, detail.version, edit)
    assert after.gbvims_derived is GbvimsType.SEXUAL_ASSAULT  # the rule's answer stays
    assert after.gbvims_type is GbvimsType.RAPE


def test_sessions_and_notes_are_for_counsellors_only(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake())
    form = SessionForm(held_at=now(), duration_minutes=45, notes="MARKER note\nsecond line")
    with pytest.raises(AccessDenied):
        sessions.add_session(reception, saved.case_id, form)
    recorded = sessions.add_session(counsellor, saved.case_id, form)
    with pytest.raises(AccessDenied):
        sessions.session_form(reception, recorded.id)
    assert sessions.session_form(counsellor, recorded.id).notes == "MARKER note\nsecond line"
    assert audit.NOTES_READ in audit_actions(counsellor)
    assert audit.ACCESS_DENIED in audit_actions(counsellor)
    # The case page of reception shows the session, never its notes.
    entry = next(
        e
        for e in cases.case_detail(reception, saved.case_id).timeline
        if e.kind is TimelineKind.SESSION
    )
    assert entry.has_notes and "MARKER" not in entry.summary


def test_a_session_needs_an_existing_case_and_sane_values(counsellor: OpenDesk) -> None:
    with pytest.raises(RecordNotFound):
        sessions.add_session(counsellor, "no-such-case", SessionForm(held_at=now()))
    saved = intake.record_intake(counsellor, named_intake())
    for bad, field in (
        (SessionForm(held_at=now(), duration_minutes=0), "duration"),
        (SessionForm(held_at=now() + timedelta(days=1)), "held_at"),
        (SessionForm(held_at=now(), notes="pasted\x00text"), "notes"),
        (SessionForm(held_at=now(), notes="x" * 20_001), "notes"),
    ):
        with pytest.raises(ValidationError) as refused:
            sessions.add_session(counsellor, saved.case_id, bad)
        assert refused.value.field == field


def test_referral_needs_consent_in_force_or_an_audited_reason(reception: OpenDesk) -> None:
    saved = intake.record_intake(
        reception,
        named_intake(consents=(ConsentForm(ConsentScope.STATISTICS, ConsentDecision.GIVEN),)),
    )
    form = ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide juridique", clock.today())
    with pytest.raises(ConsentRequired):
        referrals.add_referral(reception, saved.case_id, form)
    consent = cases.record_consent(
        reception, saved.case_id, ConsentForm(ConsentScope.REFERRAL_SHARE, ConsentDecision.GIVEN)
    )
    referral_id = referrals.add_referral(reception, saved.case_id, form)
    cases.withdraw_consent(reception, consent.id)
    with pytest.raises(ConsentRequired):
        referrals.add_referral(reception, saved.case_id, form)
    referrals.add_referral(
        reception, saved.case_id, replace(form, override_reason="Immediate danger, she asked")
    )
    assert audit.REFERRAL_OVERRIDE in audit_actions(reception)
    referrals.set_referral_status(reception, referral_id, ReferralStatus.ALREADY_RECEIVING)
    statuses = {
        e.referral_status
        for e in cases.case_detail(reception, saved.case_id).timeline
        if e.kind is TimelineKind.REFERRAL
    }
    assert statuses == {ReferralStatus.ALREADY_RECEIVING, ReferralStatus.REFERRED}


def test_saving_an_intake_drops_its_draft_in_the_same_transaction(reception: OpenDesk) -> None:
    drafts.keep(reception, {"intake": {"pseudonym": "Hélène"}})
    intake.record_intake(reception, named_intake(), draft_page="intake")
    assert "intake" not in drafts.load(reception)


def test_coordinators_see_no_cases(desk: DeskFixture, admin_desk: OpenDesk) -> None:
    with pytest.raises(AccessDenied):
        cases.find_case_ids(admin_desk, CaseQuery())
    with pytest.raises(AccessDenied):
        intake.record_intake(admin_desk, named_intake())


def test_do_not_recontact_clears_the_call_back_details(reception: OpenDesk) -> None:
    person = PersonForm(
        age=40,
        may_recontact=YesNoUnknown.NO,
        channel=RecontactChannel.SMS,
        safe_times=frozenset({SafeTime.WEEKEND}),
    )
    saved = intake.record_intake(reception, named_intake(person=person))
    detail = cases.case_detail(reception, saved.case_id)
    assert detail.do_not_recontact
    assert detail.person is not None and detail.person.channel is None
    assert cases.case_rows(reception, [saved.case_id])[0].do_not_recontact
    with pytest.raises(ValidationError) as refused:
        intake.record_intake(
            reception, named_intake(person=PersonForm(may_recontact=YesNoUnknown.YES))
        )
    assert refused.value.field == "channel"


def test_contact_defaults_are_the_common_case() -> None:
    contact = ContactForm(occurred_at=now())
    assert contact.mode is ContactMode.IN_PERSON and contact.role is PersonRole.VICTIM


def test_the_list_is_newest_first_and_the_search_finds_every_word_start(
    reception: OpenDesk,
) -> None:
    demo_data.fill(reception, demo_data.SCALES["small"], seed=7)
    ids = cases.find_case_ids(reception, CaseQuery())
    rows = cases.case_rows(reception, ids)
    assert len(ids) == len(set(ids)) == len(rows) >= 300
    assert [r.id for r in rows] == ids
    keys = [(r.opened_at, r.code) for r in rows]
    assert keys == sorted(keys, reverse=True)
    named = [r for r in rows if r.pseudonym]
    for prefix in {r.pseudonym[:2] for r in named[:20] if r.pseudonym}:
        wanted = [
            r.id
            for r in rows
            if r.pseudonym
            and any(
                w.startswith(search_key(prefix))
                for w in re.findall(r"[^\W_]+", search_key(r.pseudonym))
            )
        ]
        assert cases.find_case_ids(reception, CaseQuery(text=prefix)) == wanted, prefix
