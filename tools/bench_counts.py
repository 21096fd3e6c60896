"""`make bench`, counts part (budgets in docs/architecture.md):

- the monthly counts of one month of the large demo desk, as the coordinator's preview
  computes them (SQLCipher, the service and its rules): budget ≤ 1 s, and ≤ 2 × the same
  aggregation written as plain SQL on an unencrypted copy of the same desk, in the same
  run (the two must give the same numbers for every data element: `plain_sql_counts`
  restates every rule of the counts, and tests/unit/test_bench_reference.py compares the
  two on a small desk so that the reference cannot fall behind);
- import and merge of 60 counts files (5 desks × 12 months) at a network desk: budget
  ≤ 2 s.

Exits with 1 when a budget is missed or the reference disagrees with the service.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app import clock
from app.domain import indicators as ind
from app.domain.accounts import NewAccount
from app.domain.binning import ElapsedBand, elapsed_band
from app.domain.codes import DatePrecision, ViolenceForm, split_codes
from app.domain.monthly_counts import Values
from app.domain.periods import Month, last_closed_months
from app.domain.roles import Role
from app.services import auth, counts, counts_export, demo_data, keys, network
from app.services.desk import create_desk, working_desk_setup
from app.services.open_desk import OpenDesk
from tools.bench import PASSWORD, Report
from tools.large_desk import BENCH_FOLDER, large_desk

RUNS = 7
COUNTS_BUDGET_SECONDS = 1.0
COUNTS_BUDGET_RATIO = 2.0
MERGE_BUDGET_SECONDS = 2.0
DESKS = (("AY", "62009"), ("CH", "62022"), ("ES", "62032"), ("SP", "62100"), ("TR", "62122"))


def main() -> int:
    database, password = large_desk()
    today = clock.today()
    month = Month.of(today).previous()
    report = Report()
    coordinator = auth.unlock(database, "coordinator", password)
    try:
        # Warm the cache, as a second preview would be.
        counts.month_counts(coordinator, month, today)
        service_times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            counted = counts.month_counts(coordinator, month, today)
            service_times.append(time.perf_counter() - start)
        plain = BENCH_FOLDER / "plain-copy.sqlite"
        plain.unlink(missing_ok=True)
        try:
            plain_copy(coordinator, plain)
            plain_times = []
            for _ in range(RUNS + 1):
                start = time.perf_counter()
                by_hand = plain_sql_counts(plain, month, today)
                plain_times.append(time.perf_counter() - start)
            plain_times = plain_times[1:]  # the first run warmed the cache
        finally:
            # Synthetic data, but an unencrypted copy of a desk is never left lying around.
            plain.unlink(missing_ok=True)
    finally:
        coordinator.close()
    differences = disagreements(counted.values, by_hand)
    if differences:
        print(
            f"the plain SQL and the service disagree on {month}: the comparison is void",
            *differences,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    service, hand = statistics.median(service_times), statistics.median(plain_times)
    print(
        f"monthly counts of {month} on the large demo desk (median of {RUNS}): {service:.3f} s "
        f"(budget <= {COUNTS_BUDGET_SECONDS} s) "
        f"{report.check('monthly counts', service <= COUNTS_BUDGET_SECONDS)}; "
        f"same aggregation as plain SQL on an unencrypted copy {hand:.3f} s, ratio "
        f"{service / hand:.2f}x (budget <= {COUNTS_BUDGET_RATIO}x) "
        f"{report.check('counts against plain SQL', service / hand <= COUNTS_BUDGET_RATIO)}; "
        f"the two agree on all {len(by_hand)} data elements; "
        f"{counted.total(ind.CONTACTS)} contacts, {counted.total(ind.SESSIONS)} sessions, "
        f"{counted.total(ind.PROTOCOLS_USED)} protocols followed, "
        f"{counted.total(ind.RECONTACT_ATTEMPTS)} recontact attempts"
    )
    merge, replay, files = _merge_sixty(today)
    print(
        f"import and merge of {files} counts files (5 desks x 12 months): {merge:.3f} s "
        f"(budget <= {MERGE_BUDGET_SECONDS} s) "
        f"{report.check('merge of 60 files', merge <= MERGE_BUDGET_SECONDS)}; "
        f"the same files again (all unchanged): {replay:.3f} s"
    )
    return report.exit_status()


def plain_copy(desk: OpenDesk, target: Path) -> None:
    """An unencrypted copy of the desk at `target`, for the plain-SQL reference."""
    # On the driver's connection: ATTACH and DETACH cannot run inside a transaction.
    with desk.driver_connection() as raw:
        raw.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        try:
            raw.execute("SELECT sqlcipher_export('plain')").fetchall()
        finally:
            raw.execute("DETACH DATABASE plain")


def _stamp(moment: datetime) -> str:
    # How SQLAlchemy stores a UTC datetime in SQLite.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def plain_sql_counts(path: Path, month: Month, today: date) -> Values:
    """The counts of `month` as on `today`, written again by hand against the tables of a
    plain copy, with the stdlib driver: the counting rules (docs/counting-rules.md) restated
    in SQL apart from the service's queries, one query per group of data elements.

    Each group names the data elements it answers for; an element no group answers for is
    missing from the result, so that `disagreements` names it rather than reading zeros."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _plain_sql_counts(connection.execute, month, today)
    finally:
        connection.close()


def _plain_sql_counts(run: Callable[..., sqlite3.Cursor], month: Month, today: date) -> Values:
    values: Values = {}

    def cells(code: str) -> dict[str, int]:
        return values.setdefault(code, dict.fromkeys(ind.BY_CODE[code].combo_codes, 0))

    if run("SELECT 1 FROM frozen_month WHERE period = ?", (str(month),)).fetchone():
        # A retention purge touched the month: its numbers are those kept before it.
        for element in ind.ELEMENTS:
            cells(element.code)
        for code, combo, value in run(
            "SELECT element, combo, value FROM frozen_count WHERE period = ?", (str(month),)
        ):
            values[code][combo] = value
        return values
    start, end = _stamp(clock.at(month.first_day)), _stamp(clock.at(month.end_day))
    first, after = month.first_day.isoformat(), month.end_day.isoformat()
    o = ind.option

    contacts, sources = cells("PVIF_CONTACTS"), cells("PVIF_REFERRED_FROM")
    for role, source, n in run(
        "SELECT person_role, referred_from, count(*) FROM contact "
        "WHERE occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2",
        (start, end),
    ):
        contacts[o(role)] += n
        sources[o(source)] += n

    sessions, risks = cells("PVIF_SESSIONS"), cells("PVIF_RISK_SCREENS")
    for kind, risk, n in run(
        "SELECT session_type, risk_level, count(*) FROM listening_session "
        "WHERE held_at >= ? AND held_at < ? GROUP BY 1, 2",
        (start, end),
    ):
        sessions[o(kind)] += n
        if risk is not None:
            risks[o(risk)] += n

    made, outcomes = cells("PVIF_REFERRALS_MADE"), cells("PVIF_REFERRAL_STATUS")
    for service, status, n in run(
        "SELECT service_type, status, count(*) FROM referral "
        "WHERE referred_on >= ? AND referred_on < ? GROUP BY 1, 2",
        (first, after),
    ):
        made[o(service)] += n
        outcomes[o(status)] += n

    printed = cells("PVIF_PRINTED")
    for material, language, copies in run(
        "SELECT material, language, sum(copies) FROM handout "
        "WHERE handed_on >= ? AND handed_on < ? GROUP BY 1, 2",
        (first, after),
    ):
        printed[f"{o(material)}_{o(language)}"] += copies

    # Held only: an activity later in the month than today has not happened yet. The desk's
    # own kinds and audiences are counted under the network's answers they stand for.
    held, participants = cells("PVIF_ACTIVITIES"), cells("PVIF_PARTICIPANTS")
    tomorrow = (today + timedelta(days=1)).isoformat()
    for kind, audience, n, people in run(
        "SELECT coalesce(k.network, a.kind), coalesce(u.network, a.audience), count(*), "
        "sum(a.participants) FROM activity a "
        "LEFT JOIN activity_list_entry k ON k.id = a.kind AND k.list_name = 'kind' "
        "LEFT JOIN activity_list_entry u ON u.id = a.audience AND u.list_name = 'audience' "
        "WHERE a.held_on >= ? AND a.held_on < min(?, ?) GROUP BY 1, 2",
        (first, after, tomorrow),
    ):
        held[f"{o(kind)}_{o(audience)}"] += n
        participants[f"{o(kind)}_{o(audience)}"] += people

    # Unit-nights in the month: a unit from its first night to the night before it ends; a
    # stay still running up to tonight, never nights to come.
    nights = cells("PVIF_HOUSING_NIGHTS")
    nights_between = "max(0, julianday(min({until}, :after)) - julianday(max({since}, :first)))"
    bounds = {"first": first, "after": after, "tomorrow": tomorrow}
    ((available,),) = run(
        "SELECT total("
        + nights_between.format(since="available_from", until="coalesce(available_until, :after)")
        + ") FROM housing_unit",
        bounds,
    )
    ((occupied,),) = run(
        "SELECT total("
        + nights_between.format(since="starts_on", until="coalesce(ends_on, :tomorrow)")
        + ") FROM housing_stay",
        bounds,
    )
    nights["AVAILABLE"] += round(available)
    nights["OCCUPIED"] += round(occupied)

    attempts = cells("PVIF_RECONTACT_ATTEMPTS")
    for outcome, n in run(
        "SELECT outcome, count(*) FROM recontact_attempt "
        "WHERE attempted_at >= ? AND attempted_at < ? GROUP BY 1",
        (start, end),
    ):
        attempts[o(outcome)] += n

    # Protocols followed during the month's contacts; those a network added are "other".
    protocols = cells("PVIF_PROTOCOLS_USED")
    for key, n in run(
        "SELECT u.protocol_key, count(*) FROM protocol_use u "
        "JOIN contact c ON c.id = u.contact_id "
        "WHERE c.occurred_at >= ? AND c.occurred_at < ? GROUP BY 1",
        (start, end),
    ):
        protocols[o(key) if o(key) in protocols else "OTHER"] += n

    _plain_profile_tables(run, start, end, cells)
    return values


def _plain_profile_tables(
    run: Callable[..., sqlite3.Cursor],
    start: str,
    end: str,
    cells: Callable[[str], dict[str, int]],
) -> None:
    """The cases opened in the month: consent, "counted elsewhere", then their profile."""
    elsewhere, no_consent = cells("PVIF_EXCL_COUNTED_ELSEWHERE"), cells("PVIF_EXCL_NO_CONSENT")
    core_types, contexts = cells("PVIF_SITUATIONS_CORE_TYPE"), cells("PVIF_SITUATIONS_CONTEXT")
    forms_of, elapsed = cells("PVIF_SITUATIONS_FORM"), cells("PVIF_ELAPSED")
    new_victims, exposed_children = cells("PVIF_NEW_VICTIMS"), cells("PVIF_CHILDREN_EXPOSED")
    new_cases = run(
        """
        SELECT c.person_id, f.occurred_at, f.person_role, f.already_counted,
               EXISTS (SELECT 1 FROM case_file e
                       WHERE e.person_id = c.person_id AND e.opened_at < c.opened_at),
               EXISTS (SELECT 1 FROM consent s
                       WHERE s.person_id = c.person_id AND s.scope = 'statistics'
                         AND s.decision = 'given' AND s.withdrawn_on IS NULL),
               p.age, p.sex, p.children_exposed,
               t.relationship, t.forms, coalesce(t.gbvims_corrected, t.gbvims_derived),
               t.last_incident, t.last_incident_precision
        FROM case_file c
        LEFT JOIN contact f ON f.id = (SELECT id FROM contact WHERE case_id = c.id
                                       ORDER BY occurred_at, id LIMIT 1)
        LEFT JOIN person p ON p.id = c.person_id
        LEFT JOIN situation t ON t.case_id = c.id
        WHERE c.opened_at >= ? AND c.opened_at < ?
        """,
        (start, end),
    ).fetchall()
    o = ind.option
    victims: set[str] = set()
    for (person, contact_at, role, counted_elsewhere, earlier, consented, age, sex, exposed,
         relationship, forms, core, incident, precision) in new_cases:  # fmt: skip
        if counted_elsewhere == "yes":
            elsewhere["TOTAL"] += 1
            continue
        if person is None or not consented:
            no_consent["TOTAL"] += 1
            continue
        contact_day = clock.local_day(
            datetime.fromisoformat(contact_at or start).replace(tzinfo=UTC)
        )
        if relationship is not None and core is not None:
            core_types[o(core)] += 1
            contexts[o(relationship)] += 1
            for form in split_codes(ViolenceForm, forms or ""):
                forms_of[o(form.value)] += 1
            try:
                band = elapsed_band(
                    date.fromisoformat(incident) if incident else None,
                    DatePrecision.parse(precision or "") or DatePrecision.DAY,
                    contact_day,
                )
            except ValueError:
                band = ElapsedBand.UNKNOWN
            elapsed[ind.ELAPSED_OPTION[band]] += 1
        if role == "victim" and not earlier and person not in victims:
            victims.add(person)
            new_victims[f"{o(sex or 'not_recorded')}_{ind.new_victim_age(age)}"] += 1
            exposed_children[o(exposed or "unknown")] += 1


def disagreements(service: Values, plain: Values) -> list[str]:
    """Where the service's counts and the plain-SQL reference differ: data elements or cells
    one of them lacks, then every value that differs."""
    found = [f"{code}: not in the plain-SQL reference" for code in service.keys() - plain.keys()]
    found += [f"{code}: not in the service's counts" for code in plain.keys() - service.keys()]
    for code in service.keys() & plain.keys():
        ours, theirs = service[code], plain[code]
        if ours.keys() != theirs.keys():
            found.append(f"{code}: the cells differ ({sorted(ours.keys() ^ theirs.keys())})")
        found += [
            f"{code} {combo}: service {ours.get(combo, 0)}, plain SQL {theirs.get(combo, 0)}"
            for combo in ours.keys() | theirs.keys()
            if ours.get(combo, 0) != theirs.get(combo, 0)
        ]
    return sorted(found)


def _merge_sixty(today: date) -> tuple[float, float, int]:
    """Five small desks export twelve months each to a network desk, which imports the 60."""
    with tempfile.TemporaryDirectory(prefix="havre-bench-merge-") as folder:
        root = Path(folder)
        coordinator = NewAccount(
            "coordinator", "", frozenset({Role.ADMIN, Role.COORDINATOR, Role.RECEPTION}), PASSWORD
        )
        create_desk(
            working_desk_setup(root / "hub.havre", "Hub", "HUB", coordinator, language="fr")
        )
        hub = auth.unlock(root / "hub.havre", "coordinator", PASSWORD)
        hub_key = root / "hub.key"
        hub_key.write_bytes(keys.public_key_file(hub))
        files: list[Path] = []
        months = last_closed_months(today, 12)
        for index, (code, nis) in enumerate(DESKS):
            path = root / f"{code}.havre"
            setup = working_desk_setup(path, f"Desk {code}", code, coordinator, language="fr")
            create_desk(dataclasses.replace(setup, nis_code=nis))
            desk = auth.unlock(path, "coordinator", PASSWORD)
            try:
                demo_data.fill(
                    desk, demo_data.Scale(persons=300, sessions=900, years=1), 2026 + index
                )
                keys.set_recipient(desk, keys.read_recipient(hub_key))
                member_key = root / f"{code}.key"
                member_key.write_bytes(keys.public_key_file(desk))
                keys.trust(hub, keys.read_public_key_file(member_key))
                for month in months:
                    target = root / counts_export.default_file_name(desk, month)
                    counts_export.export_counts(desk, month, target)
                    files.append(target)
            finally:
                desk.close()
        try:
            start = time.perf_counter()
            results = network.import_files(hub, files)
            merge = time.perf_counter() - start
            start = time.perf_counter()
            again = network.import_files(hub, files)
            replay = time.perf_counter() - start
        finally:
            hub.close()
    if any(r.outcome is not network.Outcome.ACCEPTED for r in results) or any(
        r.outcome is not network.Outcome.UNCHANGED for r in again
    ):
        raise SystemExit("the 60 files were not all accepted, then unchanged")
    return merge, replay, len(files)


if __name__ == "__main__":
    sys.exit(main())
