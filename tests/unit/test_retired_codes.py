"""Old data may hold a code this version no longer knows (a retired answer, or one written by
a newer version of Havre before the desk went back to an older copy). The monthly counts and
the counts file take it under its list's catch-all and say so in the log: they never stop
on it, and the log names the code, never the case."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select, update

from app import crypto
from app.domain import indicators as ind
from app.domain.codes import (
    Children,
    PersonRole,
    ReferredFrom,
    SessionType,
    Sex,
    ViolenceForm,
    count_afresh,
    split_codes,
)
from app.domain.monthly_counts import empty_values
from app.services import counts
from app.services.open_desk import OpenDesk
from db.models import (
    CaseFile,
    Contact,
    FrozenCount,
    FrozenMonth,
    ListeningSession,
    Person,
    Referral,
    Situation,
)
from tests.counts_support import MARCH, TODAY, Network, at, hub_secret

pytestmark = pytest.mark.dates

RETIRED = "retired_in_2025"


def _retire_codes_of_case_a(desk: OpenDesk) -> None:
    """Case A of the known March (the one consenting victim) as an older version wrote it."""
    with desk.transaction() as session:
        case_a, person_a = session.execute(
            select(CaseFile.id, CaseFile.person_id)
            .join(Contact, Contact.case_id == CaseFile.id)
            .where(Contact.referred_from == ReferredFrom.POLICE)
        ).one()
        session.execute(
            update(Contact).where(Contact.case_id == case_a).values(referred_from=RETIRED)
        )
        session.execute(update(Person).where(Person.id == person_a).values(sex=RETIRED))
        situation = session.get(Situation, case_a)
        assert situation is not None
        session.execute(
            update(Situation)
            .where(Situation.case_id == case_a)
            .values(relationship=RETIRED, forms=f"{situation.forms},{RETIRED}")
        )
        session.execute(
            update(Referral).where(Referral.case_id == case_a).values(service_type=RETIRED)
        )
        # A list without a catch-all: the session is left out of its table, not miscounted.
        session.execute(
            update(ListeningSession)
            .where(ListeningSession.case_id == case_a)
            .values(session_type=RETIRED)
        )
        # A contact of the witness (case C) under a retired role.
        session.execute(
            update(Contact)
            .where(Contact.person_role == PersonRole.WITNESS)
            .values(person_role=RETIRED)
        )


def test_retired_codes_are_counted_under_other_and_logged(
    march_desk: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    before = counts.month_counts(march_desk, MARCH, TODAY)
    _retire_codes_of_case_a(march_desk)
    with caplog.at_level(logging.WARNING):
        after = counts.month_counts(march_desk, MARCH, TODAY)
    v = after.value
    assert v(ind.CONTACTS, "WITNESS") == 0
    assert v(ind.CONTACTS, "UNKNOWN") == before.value(ind.CONTACTS, "UNKNOWN") + 1
    assert after.total(ind.CONTACTS) == before.total(ind.CONTACTS)
    assert v(ind.REFERRED_FROM, "POLICE") == 0
    assert v(ind.REFERRED_FROM, "OTHER_SERVICE") == 1
    assert after.total(ind.REFERRED_FROM) == before.total(ind.REFERRED_FROM)
    assert v(ind.NEW_VICTIMS, "OTHER", "A26_40") == 1
    assert v(ind.SITUATIONS_CONTEXT, "OTHER") == 1
    assert v(ind.SITUATIONS_FORM, "OTHER") == 1
    assert v(ind.SITUATIONS_FORM, "SEXUAL") == v(ind.SITUATIONS_FORM, "PHYSICAL") == 1
    assert v(ind.REFERRALS_MADE, "OTHER") == 2
    assert after.total(ind.SESSIONS) == 0  # SessionType has no catch-all
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert not [w for w in warnings if RETIRED in w]  # the stored value is never logged
    assert any(w.startswith("PersonRole: a code this version does not know") for w in warnings)
    assert any(w.startswith("ReferredFrom: a code this version does not know") for w in warnings)
    assert any(w.startswith("SessionType: a code this version does not know") for w in warnings)
    assert any(ind.SESSIONS.code in w for w in warnings)  # what was left out, and where
    # Codes and numbers only: not a case, a person or an account.
    with march_desk.transaction() as session:
        ids = set(session.scalars(select(CaseFile.id))) | set(session.scalars(select(Person.id)))
        codes_of_cases = set(session.scalars(select(CaseFile.code)))
    logged = "\n".join(warnings)
    assert not [word for word in ids | codes_of_cases if word in logged]


def test_a_counts_file_of_a_month_with_retired_codes_is_written_and_carries_them_as_other(
    net: Network,
) -> None:
    _retire_codes_of_case_a(net.desk)
    path = net.export()
    document = json.loads(crypto.age_decrypt(hub_secret(net), path.read_bytes()))
    values = document["counts"]
    assert values[ind.REFERRED_FROM.code]["OTHER_SERVICE"] == 1
    assert values[ind.SITUATIONS_CONTEXT.code]["OTHER"] == 1
    assert values[ind.NEW_VICTIMS.code]["OTHER_A26_40"] == 1


def test_a_frozen_month_with_cells_of_an_older_schema_keeps_only_this_schema(
    march_desk: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """Numbers kept before a purge, in cells this version no longer has: left out, logged,
    and the month still reads (and so exports) as exactly this version's cells."""
    with march_desk.transaction() as session:
        session.add(FrozenMonth(period=str(MARCH), frozen_at=at(TODAY)))
        session.flush()
        session.add_all(
            [
                FrozenCount(period=str(MARCH), element=ind.CONTACTS.code, combo="VICTIM", value=7),
                FrozenCount(period=str(MARCH), element=ind.CONTACTS.code, combo="RETIRED", value=2),
                FrozenCount(period=str(MARCH), element="PVIF_RETIRED", combo="TOTAL", value=3),
            ]
        )
    with caplog.at_level(logging.WARNING):
        kept = counts.month_counts(march_desk, MARCH, TODAY)
    assert kept.value(ind.CONTACTS, "VICTIM") == 7
    assert kept.values == {**empty_values(), ind.CONTACTS.code: kept.values[ind.CONTACTS.code]}
    assert set(kept.values[ind.CONTACTS.code]) == set(ind.CONTACTS.combo_codes)
    assert sum("PVIF_RETIRED" in r.getMessage() for r in caplog.records) == 1


def test_several_answers_take_an_unknown_one_under_other_once() -> None:
    stored = f"physical,{RETIRED},other,another_retired"
    assert split_codes(ViolenceForm, stored) == {ViolenceForm.PHYSICAL, ViolenceForm.OTHER}


def test_a_known_code_is_itself_and_a_list_without_a_catch_all_gives_none() -> None:
    assert PersonRole.counted(PersonRole.VICTIM.value) is PersonRole.VICTIM
    assert PersonRole.counted(RETIRED) is PersonRole.UNKNOWN
    assert SessionType.counted(RETIRED) is None


def test_free_text_in_a_code_column_never_reaches_the_log_and_a_code_is_said_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A damaged column may hold a name, a phone number or a note, some of them shaped like a
    code: the log never says the stored value, only the list. And a month of rows with the
    same retired code says it once, not once per person."""
    count_afresh()
    with caplog.at_level(logging.WARNING):
        assert PersonRole.counted("Marie Dupont, rue Haute 12") is PersonRole.UNKNOWN
        assert Sex.read("0470123456") is Sex.OTHER
        assert Children.read("nadia") is Children.UNKNOWN
        for _row in range(50):
            assert ReferredFrom.counted("retired_in_2024") is ReferredFrom.OTHER_SERVICE
    logged = [r.getMessage() for r in caplog.records]
    for stored in ("Marie", "Haute", "0470123456", "nadia", "retired_in_2024"):
        assert not [line for line in logged if stored in line], stored
    assert sum(line.startswith("ReferredFrom:") for line in logged) == 1
    assert {line.split(":")[0] for line in logged} == {
        "PersonRole",
        "Sex",
        "Children",
        "ReferredFrom",
    }
