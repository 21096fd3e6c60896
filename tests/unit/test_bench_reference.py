"""The plain-SQL reference of `make bench` (tools/bench_counts.py) against the monthly counts
service, on a small desk where every data element has something to count: the bench's
comparison of their speeds means something only while the two agree, and a data element
added to the counts without the reference fails here, not on a bench desk months later."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from app import clock
from app.domain import indicators as ind
from app.domain.activities import ActivityForm
from app.domain.activity_lists import CABANE_PARENTS, DeskList, EntryForm
from app.domain.codes import AttemptOutcome, NextStep
from app.domain.intake import ContactForm
from app.domain.monthly_counts import Values, empty_values
from app.domain.periods import Month
from app.domain.protocols import ProtocolUseForm
from app.domain.recontact import AttemptForm
from app.services import activities, activity_lists, counts, protocols, recontact
from app.services.open_desk import OpenDesk
from db import retention_queries
from tests.counts_support import MARCH, TODAY, at, intake_on
from tests.factories import police_referral, refer
from tools.bench_counts import disagreements, plain_copy, plain_sql_counts

# February to April as seen long after, March while it ran (an activity still to come, a
# stay still running), and a month with nothing in it.
COMPARED = (
    (MARCH.previous(), TODAY),
    (MARCH, TODAY),
    (MARCH.next(), TODAY),
    (MARCH, date(2026, 3, 20)),
    (Month(2025, 1), TODAY),
)


@pytest.fixture
def small_desk(march_desk: OpenDesk, reception: OpenDesk, admin_desk: OpenDesk) -> OpenDesk:
    """The desk of the counts tests, with call-back attempts, protocols followed (one of
    them the network's own), a contact just after midnight on the first of a month, and
    activities of a kind and an audience of the desk's own lists."""

    def attempt(item: str, day: date, outcome: AttemptOutcome) -> None:
        form = AttemptForm(at(day), outcome, NextStep.TRY_AGAIN, day + timedelta(days=1))
        recontact.log_attempt(reception, item, form)

    saved = refer(reception, police_referral(date(2026, 3, 2)))
    item = recontact.items_of_case(reception, saved.case_id)[0].id
    attempt(item, date(2026, 3, 3), AttemptOutcome.NO_ANSWER)
    attempt(item, date(2026, 3, 4), AttemptOutcome.UNSAFE)
    attempt(item, date(2026, 4, 1), AttemptOutcome.REACHED)
    ours = protocols.create(admin_desk, "fr", "Personne âgée", ["Écouter.", "Orienter."])
    for day, keys in (
        (date(2026, 3, 10), ("complaint", "child_present")),
        (date(2026, 3, 11), ("complaint", ours.key)),
        (date(2026, 4, 11), ("legal_aid",)),
    ):
        uses = tuple(ProtocolUseForm(key, 1, frozenset({"s1"})) for key in keys)
        intake_on(reception, day, protocols=uses)
    theatre = activity_lists.save_entry(
        march_desk, DeskList.KINDS, EntryForm("Théâtre-forum", "", "", "", "animation_module")
    )
    for kind, audience in ((theatre, "young_people"), ("la_cabane", CABANE_PARENTS)):
        form = ActivityForm(date(2026, 3, 6), kind, "Atelier", "", audience, 6)
        activities.save_activity(reception, form)
    # 00:30 in Brussels on the 1st of April is still March in UTC: April's, for both.
    early = clock.at(date(2026, 4, 1), time(0, 30))
    intake_on(reception, date(2026, 4, 1), contact=ContactForm(occurred_at=early))
    return march_desk


def test_the_reference_gives_the_service_s_numbers_for_every_data_element(
    small_desk: OpenDesk, tmp_path: Path
) -> None:
    copy = tmp_path / "plain.sqlite"
    plain_copy(small_desk, copy)
    seen: list[Values] = []
    for month, today in COMPARED:
        service = counts.month_counts(small_desk, month, today).values
        assert disagreements(service, plain_sql_counts(copy, month, today)) == [], (month, today)
        seen.append(service)
    # Each data element was compared on numbers, not only on zeros: a new one needs data
    # here (and its query in the reference).
    never_counted = [
        element.code
        for element in ind.ELEMENTS
        if not any(any(values[element.code].values()) for values in seen)
    ]
    assert never_counted == []


def test_a_month_frozen_by_a_purge_is_read_from_its_kept_numbers_by_both(
    small_desk: OpenDesk, reception: OpenDesk, tmp_path: Path
) -> None:
    kept = counts.month_counts(small_desk, MARCH, TODAY)
    with small_desk.transaction() as session:
        cells = ((code, combo, n) for code, row in kept.values.items() for combo, n in row.items())
        retention_queries.freeze(session, str(MARCH), cells, clock.now())
    intake_on(reception, date(2026, 3, 25))  # not in the kept numbers
    copy = tmp_path / "plain.sqlite"
    plain_copy(small_desk, copy)
    service = counts.month_counts(small_desk, MARCH, TODAY).values
    assert service == kept.values
    assert disagreements(service, plain_sql_counts(copy, MARCH, TODAY)) == []


def test_an_element_missing_from_the_reference_or_a_number_it_gets_wrong_is_named() -> None:
    service = empty_values()
    service["PVIF_CONTACTS"]["VICTIM"] = 2
    plain = {code: dict(row) for code, row in service.items() if code != "PVIF_PROTOCOLS_USED"}
    plain["PVIF_CONTACTS"]["VICTIM"] = 1
    del plain["PVIF_HOUSING_NIGHTS"]["OCCUPIED"]
    assert disagreements(service, plain) == [
        "PVIF_CONTACTS VICTIM: service 2, plain SQL 1",
        "PVIF_HOUSING_NIGHTS: the cells differ (['OCCUPIED'])",
        "PVIF_PROTOCOLS_USED: not in the plain-SQL reference",
    ]
