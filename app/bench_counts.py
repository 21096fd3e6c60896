"""`make bench`, counts part (budgets in docs/architecture.md):

- the monthly counts of one month of the large demo desk, as the coordinator's preview
  computes them (SQLCipher, the service and its rules): budget ≤ 1 s, and ≤ 2 × the same
  aggregation written as plain SQL on an unencrypted copy of the same desk, in the same
  run (the two give the same numbers, checked);
- import and merge of 60 counts files (5 desks × 12 months) at a network desk: budget
  ≤ 2 s.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.bench import PASSWORD, verdict
from app.bench_desk import BENCH_FOLDER, large_desk
from app.domain import indicators as ind
from app.domain.accounts import NewAccount
from app.domain.activities import HousingUnitRow, StayRow, occupancy
from app.domain.binning import ElapsedBand, elapsed_band
from app.domain.codes import DatePrecision, ViolenceForm, split_codes
from app.domain.monthly_counts import Values, empty_values
from app.domain.periods import Month, months_between
from app.domain.roles import Role
from app.services import auth, counts, counts_export, demo_data, keys, network
from app.services.desk import create_desk, working_desk_setup
from app.services.open_desk import OpenDesk

RUNS = 7
COUNTS_BUDGET_SECONDS = 1.0
COUNTS_BUDGET_RATIO = 2.0
MERGE_BUDGET_SECONDS = 2.0
DESKS = (("AY", "62009"), ("CH", "62022"), ("ES", "62032"), ("SP", "62100"), ("TR", "62122"))


def main() -> int:
    database, password = large_desk()
    month = Month.of(date.today()).previous()
    coordinator = auth.unlock(database, "coordinator", password)
    try:
        counts.month_counts(coordinator, month)  # warm the cache, as a second preview would be
        service_times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            counted = counts.month_counts(coordinator, month)
            service_times.append(time.perf_counter() - start)
        plain = BENCH_FOLDER / "plain-copy.sqlite"
        plain.unlink(missing_ok=True)
        try:
            _plain_copy(coordinator, plain)
            plain_times = []
            for _ in range(RUNS + 1):
                start = time.perf_counter()
                by_hand = plain_sql_counts(plain, month)
                plain_times.append(time.perf_counter() - start)
            plain_times = plain_times[1:]  # the first run warmed the cache
        finally:
            # Synthetic data, but an unencrypted copy of a desk is never left lying around.
            plain.unlink(missing_ok=True)
    finally:
        coordinator.close()
    if by_hand != counted.values:
        print("the plain SQL and the service disagree: the comparison is void", file=sys.stderr)
        return 1
    service, hand = statistics.median(service_times), statistics.median(plain_times)
    print(
        f"monthly counts of {month} on the large demo desk (median of {RUNS}): {service:.3f} s "
        f"(budget <= {COUNTS_BUDGET_SECONDS} s) {verdict(service <= COUNTS_BUDGET_SECONDS)}; "
        f"same aggregation as plain SQL on an unencrypted copy {hand:.3f} s, ratio "
        f"{service / hand:.2f}x (budget <= {COUNTS_BUDGET_RATIO}x) "
        f"{verdict(service / hand <= COUNTS_BUDGET_RATIO)}; "
        f"{counted.total(ind.CONTACTS)} contacts, {counted.total(ind.SESSIONS)} sessions"
    )
    merge, replay, files = _merge_sixty()
    print(
        f"import and merge of {files} counts files (5 desks x 12 months): {merge:.3f} s "
        f"(budget <= {MERGE_BUDGET_SECONDS} s) {verdict(merge <= MERGE_BUDGET_SECONDS)}; "
        f"the same files again (all unchanged): {replay:.3f} s"
    )
    return 0


def _plain_copy(desk: OpenDesk, target: Path) -> None:
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


def plain_sql_counts(path: Path, month: Month) -> Values:
    """The counts of `month`, written by hand against the tables with the stdlib driver."""
    values = empty_values()
    start, end = (_stamp(moment) for moment in month.local_bounds())
    first, last = month.first_day.isoformat(), month.end_day.isoformat()
    o = ind.option
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        run = connection.execute
        for role, source, n in run(
            "SELECT person_role, referred_from, count(*) FROM contact "
            "WHERE occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2",
            (start, end),
        ):
            values["PVIF_CONTACTS"][o(role)] += n
            values["PVIF_REFERRED_FROM"][o(source)] += n
        for kind, risk, n in run(
            "SELECT session_type, risk_level, count(*) FROM listening_session "
            "WHERE held_at >= ? AND held_at < ? GROUP BY 1, 2",
            (start, end),
        ):
            values["PVIF_SESSIONS"][o(kind)] += n
            if risk is not None:
                values["PVIF_RISK_SCREENS"][o(risk)] += n
        for service, status, n in run(
            "SELECT service_type, status, count(*) FROM referral "
            "WHERE referred_on >= ? AND referred_on < ? GROUP BY 1, 2",
            (first, last),
        ):
            values["PVIF_REFERRALS_MADE"][o(service)] += n
            values["PVIF_REFERRAL_STATUS"][o(status)] += n
        for material, language, copies in run(
            "SELECT material, language, sum(copies) FROM handout "
            "WHERE handed_on >= ? AND handed_on < ? GROUP BY 1, 2",
            (first, last),
        ):
            values["PVIF_PRINTED"][f"{o(material)}_{o(language)}"] += copies
        for kind, audience, held, people in run(
            "SELECT kind, audience, count(*), sum(participants) FROM activity "
            "WHERE held_on >= ? AND held_on < ? GROUP BY 1, 2",
            (first, last),
        ):
            values["PVIF_ACTIVITIES"][f"{o(kind)}_{o(audience)}"] += held
            values["PVIF_PARTICIPANTS"][f"{o(kind)}_{o(audience)}"] += people
        units = [
            HousingUnitRow(i, "", date.fromisoformat(a), date.fromisoformat(b) if b else None)
            for i, a, b in run("SELECT id, available_from, available_until FROM housing_unit")
        ]
        stays = [
            StayRow(i, u, date.fromisoformat(a), date.fromisoformat(b) if b else None)
            for i, u, a, b in run("SELECT id, unit_id, starts_on, ends_on FROM housing_stay")
        ]
        nights = occupancy(units, stays, month, date.today())
        values["PVIF_HOUSING_NIGHTS"]["AVAILABLE"] = nights.available
        values["PVIF_HOUSING_NIGHTS"]["OCCUPIED"] = nights.occupied
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
    finally:
        connection.close()
    victims: set[str] = set()
    for (person, contact_at, role, counted_elsewhere, earlier, consented, age, sex, exposed,
         relationship, forms, core, incident, precision) in new_cases:  # fmt: skip
        if counted_elsewhere == "yes":
            values["PVIF_EXCL_COUNTED_ELSEWHERE"]["TOTAL"] += 1
            continue
        if person is None or not consented:
            values["PVIF_EXCL_NO_CONSENT"]["TOTAL"] += 1
            continue
        contact_day = datetime.fromisoformat(contact_at).replace(tzinfo=UTC).astimezone().date()
        if relationship is not None and core is not None:
            values["PVIF_SITUATIONS_CORE_TYPE"][o(core)] += 1
            values["PVIF_SITUATIONS_CONTEXT"][o(relationship)] += 1
            for form in split_codes(ViolenceForm, forms or ""):
                values["PVIF_SITUATIONS_FORM"][o(form.value)] += 1
            try:
                band = elapsed_band(
                    date.fromisoformat(incident) if incident else None,
                    DatePrecision.parse(precision or "") or DatePrecision.DAY,
                    contact_day,
                )
            except ValueError:
                band = ElapsedBand.UNKNOWN
            values["PVIF_ELAPSED"][ind.ELAPSED_OPTION[band]] += 1
        if role == "victim" and not earlier and person not in victims:
            victims.add(person)
            values["PVIF_NEW_VICTIMS"][f"{o(sex)}_{ind.new_victim_age(age)}"] += 1
            values["PVIF_CHILDREN_EXPOSED"][o(exposed)] += 1
    return values


def _merge_sixty() -> tuple[float, float, int]:
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
        last = Month.of(date.today()).previous()
        months = months_between(Month.of(date.today() - timedelta(days=366)), last)[-12:]
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
