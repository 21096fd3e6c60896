"""An attacker outside Havre reads everything a coordinator published (DHIS2 JSON with its
manifest, the XLSX of the same publication, the metadata package) and solves for every
withheld number with an integer program (tests/attack/lp_attacker.py). Publications at
network and municipality level, of single months, of spans and of overlapping spans, in
every order, must leave no withheld number pinned below k or provably below k, and no
rounded number provably a 1 to 4. The attacker knows only the files and the public rules;
the true numbers, from the generator, only judge its results."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time as day_time
from pathlib import Path

import pytest
import xlsxwriter

from app import clock
from app.disclosure.model import Counts
from app.domain import indicators
from app.domain.disclosure import Level, Method
from app.domain.periods import Month
from app.domain.publication import Publication
from app.errors import ValidationError
from app.services import publication, publication_register
from app.services.open_desk import OpenDesk
from app.services.publication import Format
from db.models import NetworkCount, ReceivedCounts
from tests.attack import lp_attacker
from tests.attack.lp_attacker import NO_COMBO, TOTAL, Attack, Number
from tests.conftest import TestClock
from tests.counts_support import TODAY, open_coordinator
from tools.bench_publication import network_counts

# Six desks in five municipalities of police zone Secova (two desks in Aywaille).
DESKS = (
    ("AYW", "62009"),
    ("AYW2", "62009"),
    ("CHF", "62022"),
    ("ESN", "62032"),
    ("SPR", "62100"),
    ("TRZ", "62122"),
)
MONTHS = [Month(2026, 1), Month(2026, 2), Month(2026, 3)]
NETWORK_CODE = "NET"
# Another network: HAVRE_ATTACK_SEED and HAVRE_ATTACK_PEOPLE (people a desk sees a month).
SEED = int(os.environ.get("HAVRE_ATTACK_SEED", "20260"))
PEOPLE = int(os.environ.get("HAVRE_ATTACK_PEOPLE", "30"))


@pytest.fixture
def on_a_fixed_day(test_clock: TestClock) -> None:
    test_clock.set(clock.at(TODAY, day_time(12)))


@pytest.fixture(scope="module")
def counts() -> Counts:
    return network_counts(len(DESKS), [str(m) for m in MONTHS], SEED, people=PEOPLE)


def desk_of(counts: Counts) -> dict[str, tuple[str, str]]:
    """The generator's places → (desk code, NIS code of the municipality it serves)."""
    places = sorted({nis for ps in counts.municipalities.values() for nis in ps})
    assert len(places) == len(DESKS)
    return dict(zip(places, DESKS, strict=True))


def seed(hub: OpenDesk, counts: Counts) -> None:
    """The counts files of every desk and month, as if imported."""
    desks = desk_of(counts)
    now = clock.now()
    with hub.transaction() as session:
        for month in MONTHS:
            for place in counts.municipalities.get(str(month), ()):
                code, nis = desks[place]
                session.add(
                    ReceivedCounts(
                        export_id=f"{code}-{month}",
                        desk_code=code,
                        desk_name=f"Desk {code}",
                        nis_code=nis,
                        period=str(month),
                        revision=1,
                        exported_at=now,
                        imported_at=now,
                        payload_sha256="0" * 64,
                        signing_key="00" * 32,
                        replaced_by=None,
                        audit_head=0,
                        audit_hash="",
                    )
                )
        for atom, value in counts.atoms.items():
            session.add(
                NetworkCount(
                    desk_code=desks[atom.nis][0],
                    period=atom.period,
                    element=atom.element,
                    combo=atom.combo,
                    value=value,
                )
            )


def with_gaps(counts: Counts, gaps: set[tuple[str, Month]]) -> Counts:
    """The same counts without the files of some (desk code, month)."""
    desks = desk_of(counts)
    left = {
        period: tuple(p for p in places if (desks[p][0], Month.parse(period)) not in gaps)
        for period, places in counts.municipalities.items()
    }
    atoms = {a: v for a, v in counts.atoms.items() if a.nis in left[a.period]}
    return Counts(atoms, left)


def truth(counts: Counts) -> dict[Number, int]:
    """Every true number, in the attacker's terms (municipality and network)."""
    desks = desk_of(counts)
    found: dict[Number, int] = defaultdict(int)
    for atom, value in counts.atoms.items():
        element = indicators.BY_CODE[atom.element]
        part = element.coc_code(atom.combo) or NO_COMBO
        period = atom.period.replace("-", "")
        for org in (desks[atom.nis][1], NETWORK_CODE):
            found[Number(period, atom.element, part, org)] += value
            if element.has_total:
                found[Number(period, atom.element, TOTAL, org)] += value
    return found


Step = tuple[Level, int, int, Method, int]  # level, first and last month (0-based), method, k
N, M = Level.NETWORK, Level.MUNICIPALITY
SUPPRESS, ROUND5 = Method.SUPPRESS, Method.ROUND5

# Files read together only add to what the attacker knows, and a publication is protected
# the same whatever follows it: a scenario covers each of its beginnings. So one level
# alone is the beginning of the two levels in turn, and months 1-2 the beginning of the
# overlapping spans; the matrix keeps the longest plans, in both orders.
SPANS: dict[str, list[tuple[int, int]]] = {
    "each month": [(0, 0), (1, 1), (2, 2)],
    "months 1-3": [(0, 2)],
    "overlapping 1-2 then 2-3": [(0, 1), (1, 2)],
}
LEVELS: dict[str, list[Level]] = {
    "network then municipality": [N, M],
    "municipality then network": [M, N],
}


def steps_of(levels: list[Level], spans: list[tuple[int, int]], method: Method) -> list[Step]:
    return [(level, a, b, method, 5) for level in levels for a, b in spans]


def matrix(method: Method) -> dict[str, list[Step]]:
    scenarios = {
        f"{method} {lv} / {sp}": steps_of(levels, spans, method)
        for lv, levels in LEVELS.items()
        for sp, spans in SPANS.items()
    }
    # The levels interleaved with overlapping spans.
    scenarios[f"{method} N 1-2, M 2-3"] = [(N, 0, 1, method, 5), (M, 1, 2, method, 5)]
    scenarios[f"{method} M 1-2, N 2-3"] = [(M, 0, 1, method, 5), (N, 1, 2, method, 5)]
    scenarios[f"{method} M 2, N 1-3, M 1-3"] = [
        (M, 1, 1, method, 5),
        (N, 0, 2, method, 5),
        (M, 0, 2, method, 5),
    ]
    return scenarios


@dataclass
class Outcome:
    name: str
    written: int = 0
    refused: list[str] = field(default_factory=list)
    attack: Attack | None = None
    publish_seconds: float = 0.0
    attack_seconds: float = 0.0
    findings: list[str] = field(default_factory=list)
    withheld_checked: int = 0
    rounded_checked: int = 0
    rounded_refined: int = 0


def publish_all(hub: OpenDesk, steps: list[Step], out: Path, outcome: Outcome) -> None:
    publication.write(hub, None, Format.DHIS2_METADATA, out / "metadata.json")
    for i, (level, first, last, method, k) in enumerate(steps):
        started = time.perf_counter()
        try:
            done = publication.publish(
                hub, MONTHS[first], MONTHS[last], method=method, k=k, level=level
            )
        except ValidationError as refused:
            outcome.refused.append(f"step {i} {level} {method} k={k}: {refused}")
            continue
        try:
            publication.write(hub, done, Format.DHIS2_JSON, out / f"pub{i}.json")
            publication.write(hub, done, Format.XLSX, out / f"pub{i}.xlsx")
            outcome.written += 1
        except ValidationError:
            outcome.refused.append(
                f"step {i} {level} {MONTHS[first]}..{MONTHS[last]} {method}: "
                + "; ".join(done.verdict.unprotected[:3])
            )
        outcome.publish_seconds += time.perf_counter() - started


def judge(attack: Attack, true: dict[Number, int], outcome: Outcome) -> None:
    """What the attacker proved, against the true numbers."""
    for number, bound in attack.withheld.items():
        value = true.get(number, 0)
        k = bound.k or 5
        outcome.withheld_checked += 1
        where = f"{number} true={value} range={bound.low}..{bound.high} k={k} {bound.sources}"
        if not (bound.low <= value and (bound.high is None or value <= bound.high)):
            outcome.findings.append(f"attacker unsound (true value outside): {where}")
        if bound.low == bound.high and bound.low < k:
            outcome.findings.append(f"withheld number pinned below k: {where}")
        elif 1 <= value < k and bound.high is not None and bound.high < k:
            outcome.findings.append(f"withheld number proven below k: {where}")
    for number, bound in attack.rounded.items():
        value = true.get(number, 0)
        outcome.rounded_checked += 1
        outcome.rounded_refined += bound.refined
        where = (
            f"{number} published={bound.published} true={value} "
            f"range={bound.low}..{bound.high} {bound.sources}"
        )
        if not (bound.low <= value and (bound.high is None or value <= bound.high)):
            outcome.findings.append(f"attacker unsound (true value outside): {where}")
        if bound.low >= 1 and bound.high is not None and bound.high <= 4:
            outcome.findings.append(f"rounded number proven a 1 to 4: {where}")
    for label in attack.inconsistent:
        outcome.findings.append(f"publications contradict each other: {label}")


def run(
    tmp_path: Path, name: str, steps: list[Step], counts: Counts, report: list[Outcome]
) -> Outcome:
    folder = f"c{len(list(tmp_path.iterdir()))}"
    hub = open_coordinator(tmp_path, folder, NETWORK_CODE, "62009")
    outcome = Outcome(name)
    try:
        seed(hub, counts)
        out = tmp_path / folder / "published"
        out.mkdir()
        publish_all(hub, steps, out, outcome)
    finally:
        hub.close()
    started = time.perf_counter()
    outcome.attack = lp_attacker.attack(sorted(out.iterdir()))
    outcome.attack_seconds = time.perf_counter() - started
    judge(outcome.attack, truth(counts), outcome)
    report.append(outcome)
    return outcome


@pytest.fixture(scope="module")
def report() -> Iterator[list[Outcome]]:
    outcomes: list[Outcome] = []
    yield outcomes
    if not outcomes:
        return
    print("\n\nattack report")
    for o in outcomes:
        assert o.attack is not None
        pinned_zero = sum(1 for b in o.attack.withheld.values() if b.low == b.high == 0)
        print(
            f"  {o.name}: {o.written} written, {len(o.refused)} refused; "
            f"{o.withheld_checked} withheld numbers ({pinned_zero} pinned to 0), "
            f"{o.rounded_checked} rounded ({o.rounded_refined} solved); "
            f"{o.attack.solves} MILPs; publish {o.publish_seconds:.1f} s, "
            f"attack {o.attack_seconds:.1f} s; {len(o.findings)} findings"
        )
        for line in o.refused:
            print(f"    refused: {line}")
        for line in o.findings[:20]:
            print(f"    FINDING: {line}")


def check(outcome: Outcome) -> None:
    assert outcome.written + len(outcome.refused) > 0
    assert not outcome.findings, "\n".join(outcome.findings[:20])


QUICK = {
    "suppress network then municipality / month 2": [
        (N, 1, 1, SUPPRESS, 5),
        (M, 1, 1, SUPPRESS, 5),
    ],
    "round5 municipality then network / month 1": [(M, 0, 0, ROUND5, 5), (N, 0, 0, ROUND5, 5)],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(QUICK))
def test_the_attacker_finds_nothing_in_both_levels_of_the_same_months(
    tmp_path: Path, on_a_fixed_day: None, counts: Counts, report: list[Outcome], name: str
) -> None:
    outcome = run(tmp_path, name, QUICK[name], counts, report)
    assert outcome.attack is not None
    assert outcome.withheld_checked > 0 or outcome.rounded_checked > 0
    check(outcome)


# Thresholds mixed on the same months: a register keeps to one k, the second is refused.
MIXED = {
    "mixed: suppress k=3 M 1, suppress k=7 N 1": [(M, 0, 0, SUPPRESS, 3), (N, 0, 0, SUPPRESS, 7)],
    "mixed: suppress k=7 N 2-3, suppress k=3 M 2-3": [
        (N, 1, 2, SUPPRESS, 7),
        (M, 1, 2, SUPPRESS, 3),
    ],
}
# A rounded number does not depend on what was published before (its draw is keyed by the
# number itself): every plan of the same months and levels writes the same numbers, and
# two plans of the rounding matrix stand for all of them.
ROUNDED = {
    name: steps
    for name, steps in matrix(ROUND5).items()
    if name.endswith(("network then municipality / each month", "M 1-2, N 2-3"))
}
SLOW = {**matrix(SUPPRESS), **ROUNDED, **MIXED}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SLOW))
def test_every_level_span_and_order_withstands_the_attacker(
    tmp_path: Path, on_a_fixed_day: None, counts: Counts, report: list[Outcome], name: str
) -> None:
    check(run(tmp_path, name, SLOW[name], counts, report))


# Trooz (its only desk) sends nothing for March, the second desk of Aywaille nothing for
# February: the municipalities of a month are not those of another.
GAPS = {("TRZ", MONTHS[2]), ("AYW2", MONTHS[1])}
WITH_GAPS = {
    f"gaps: {method} {lv} / months 1-3": steps_of(levels, [(0, 2)], method)
    for method in (SUPPRESS, ROUND5)
    for lv, levels in LEVELS.items()
    if method is SUPPRESS or lv == "network then municipality"
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(WITH_GAPS))
def test_months_with_a_desk_missing_withstand_the_attacker(
    tmp_path: Path, on_a_fixed_day: None, counts: Counts, report: list[Outcome], name: str
) -> None:
    gapped = with_gaps(counts, GAPS)
    assert "62122" not in {desk_of(counts)[p][1] for p in gapped.municipalities["2026-03"]}
    check(run(tmp_path, name, WITH_GAPS[name], gapped, report))


# --- The attacker can fail -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=[] if " M 1," in n else [pytest.mark.slow]) for n in MIXED],
)
@pytest.mark.slow
def test_what_the_protection_refuses_the_attacker_breaks_when_written_anyway(
    tmp_path: Path,
    on_a_fixed_day: None,
    counts: Counts,
    report: list[Outcome],
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the rule that a register keeps to one k set aside, the second publication of a
    mixed pair fails Havre's own audit and `write` refuses it. Its files, rendered anyway
    (as a careless tool would), let the attacker find what the audit found: the two agree
    that it gives numbers away."""
    monkeypatch.setattr(publication_register, "check_rules", lambda *_a: None)
    (first, second) = MIXED[name]
    hub = open_coordinator(tmp_path, "hub", NETWORK_CODE, "62009")
    out = tmp_path / "published"
    out.mkdir()
    outcome = Outcome(f"written anyway: {name}")
    try:
        seed(hub, counts)
        publish_all(hub, [first], out, outcome)
        level, a, b, method, k = second
        done = publication.publish(hub, MONTHS[a], MONTHS[b], method=method, k=k, level=level)
    finally:
        hub.close()
    assert outcome.written == 1
    if done.verdict.passed:
        pytest.skip("the protection found a way to publish it this time")
    for fmt, target in ((Format.DHIS2_JSON, "bad.json"), (Format.XLSX, "bad.xlsx")):
        payload = publication.render(done, fmt, "Bad")
        (out / target).write_bytes(payload)
        if fmt is Format.DHIS2_JSON:
            manifest = publication.manifest(done, payload, fmt)
            (out / "bad.json.manifest.json").write_text(json.dumps(manifest))
    outcome.attack = lp_attacker.attack(sorted(out.iterdir()))
    judge(outcome.attack, truth(counts), outcome)
    report.append(outcome)
    assert not [f for f in outcome.findings if "unsound" in f]
    assert [f for f in outcome.findings if "below k" in f or "1 to 4" in f]


@pytest.mark.parametrize(
    "rules",
    [((SUPPRESS, 5), (ROUND5, 5)), ((ROUND5, 5), (SUPPRESS, 5)), ((SUPPRESS, 5), (SUPPRESS, 3))],
)
def test_a_register_refuses_other_rules(
    tmp_path: Path,
    on_a_fixed_day: None,
    counts: Counts,
    rules: tuple[tuple[Method, int], tuple[Method, int]],
) -> None:
    """Rounded in one publication and withheld in another, the same numbers could be
    proven small by an attacker who knows how rounding works (each rounded number within 4
    of its multiple of 5); withheld under k = 5 and then published under k = 3, a 4 is
    out: the second is refused before anything is computed."""
    (first, k1), (second, k2) = rules
    hub = open_coordinator(tmp_path, "hub", NETWORK_CODE, "62009")
    out = tmp_path / "published"
    out.mkdir()
    outcome = Outcome("two methods")
    try:
        seed(hub, counts)
        publish_all(hub, [(N, 0, 1, first, k1)], out, outcome)
        with pytest.raises(ValidationError, match="must follow the same rules"):
            publication.publish(hub, MONTHS[1], MONTHS[2], method=second, k=k2, level=M)
    finally:
        hub.close()
    assert outcome.written == 1


def written_once(
    tmp_path: Path, counts: Counts, level: Level, month: Month
) -> tuple[Path, Publication]:
    """One month at one level published by suppression and written as Havre writes it
    (metadata, dataValueSet with its manifest, workbook): the folder, and the publication."""
    hub = open_coordinator(tmp_path, "hub", NETWORK_CODE, "62009")
    out = tmp_path / "published"
    out.mkdir()
    try:
        seed(hub, counts)
        publication.write(hub, None, Format.DHIS2_METADATA, out / "metadata.json")
        done = publication.publish(hub, month, month, level=level)
        publication.write(hub, done, Format.DHIS2_JSON, out / "pub0.json")
        publication.write(hub, done, Format.XLSX, out / "pub0.xlsx")
    finally:
        hub.close()
    return out, done


def test_the_attacker_pins_a_number_a_careless_publication_adds_back(
    tmp_path: Path, on_a_fixed_day: None, counts: Counts
) -> None:
    """A copy of a written dataValueSet with one withheld value added back: with the total
    of the workbook, the other withheld cell of its table is pinned."""
    out, _done = written_once(tmp_path, counts, N, MONTHS[0])
    true = truth(counts)
    clean = lp_attacker.attack(sorted(out.iterdir()))
    _metadata, releases, _totals = lp_attacker.read_files(sorted(out.iterdir()))
    (release,) = releases
    # A table whose total is published and exactly two cells withheld, one of them small.
    by_table: dict[tuple[str, str, str], list[Number]] = defaultdict(list)
    for number in release.withheld:
        by_table[(number.period, number.element, number.org_unit)].append(number)
    chosen = None
    for (period, element, org), hidden in sorted(by_table.items()):
        total = Number(period, element, TOTAL, org)
        cells = [n for n in hidden if n.part != TOTAL]
        if total in release.published and len(cells) == 2:
            small = [n for n in cells if 1 <= true[n] < 5]
            if small:
                chosen = (small[0], next(n for n in cells if n != small[0]))
                break
    assert chosen is not None, "no table with two withheld cells and a published total"
    victim, added = chosen
    assert clean.withheld[victim].low != clean.withheld[victim].high
    document = json.loads((out / "pub0.json").read_text())
    document["dataValues"].append(
        {
            "dataElement": added.element,
            "period": added.period,
            "orgUnit": added.org_unit,
            "categoryOptionCombo": added.part,
            "value": str(true[added]),
        }
    )
    (out / "careless.json").write_text(json.dumps(document))
    manifest = json.loads((out / "pub0.json.manifest.json").read_text())
    manifest["suppressed"] = [
        s
        for s in manifest["suppressed"]
        if (s["dataElement"], s["categoryOptionCombo"], s["period"])
        != (added.element, added.part, added.period)
    ]
    (out / "careless.json.manifest.json").write_text(json.dumps(manifest))
    broken = lp_attacker.attack(sorted(out.iterdir()))
    bound = broken.withheld[victim]
    assert bound.low == bound.high == true[victim] < 5
    outcome = Outcome("careless")
    judge(broken, true, outcome)
    assert any("pinned below k" in f and str(victim) in f for f in outcome.findings)


def _hand_made(
    folder: Path,
    stem: str,
    package: dict,
    manifest: dict,
    values: dict[str, int | None],
    total: int | None,
) -> None:
    """A one-table publication (PVIF_CONTACTS, January 2026, one org unit) written by hand:
    the dataValueSet, its manifest, and the workbook when a total is given."""
    element = next(e for e in package["dataElements"] if e["code"] == "PVIF_CONTACTS")
    names = {
        c["code"]: c["name"]
        for c in package["categoryOptionCombos"]
        if c["categoryCombo"] == element["categoryCombo"]
    }
    (org,) = manifest["org_units"]
    data = [
        {
            "dataElement": "PVIF_CONTACTS",
            "period": "202601",
            "orgUnit": org,
            "categoryOptionCombo": code,
            "value": str(value),
        }
        for code, value in values.items()
        if value is not None
    ]
    (folder / f"{stem}.json").write_text(json.dumps({"dataSet": "PVIF_M", "dataValues": data}))
    manifest["suppressed"] = [
        {
            "dataElement": "PVIF_CONTACTS",
            "categoryOptionCombo": c,
            "orgUnit": org,
            "period": "202601",
        }
        for c, v in values.items()
        if v is None
    ]
    (folder / f"{stem}.json.manifest.json").write_text(json.dumps(manifest))
    if total is None:
        return
    book = xlsxwriter.Workbook(str(folder / f"{stem}.xlsx"))
    book.add_worksheet("About").write(0, 0, "Publication")
    sheet = book.add_worksheet("CONTACTS")
    sheet.write(0, 0, element["name"])
    for column, text in enumerate(["Org unit", "Month", *[names[c] for c in values], "Total"]):
        sheet.write(2, column, text)
    row = [org, "2026-01", *["x" if v is None else v for v in values.values()], total]
    for column, value in enumerate(row):
        sheet.write(3, column, value)
    book.close()


def test_the_attacker_proves_a_one_to_four_from_rounding_and_suppression_together(
    tmp_path: Path, on_a_fixed_day: None
) -> None:
    """Two hand-made publications of the same month: by suppression at the network level,
    victims and witnesses withheld with a total of 5; by rounding in the network's only
    municipality, both rounded up to 5 (so each is at least 1). Each is then 1 to 4."""
    hub = open_coordinator(tmp_path, "hub", NETWORK_CODE, "62009")
    try:
        publication.write(hub, None, Format.DHIS2_METADATA, tmp_path / "metadata.json")
    finally:
        hub.close()
    package = json.loads((tmp_path / "metadata.json").read_text())
    contacts = next(e for e in package["dataElements"] if e["code"] == "PVIF_CONTACTS")
    roles = [
        c["code"]
        for c in package["categoryOptionCombos"]
        if c["categoryCombo"] == contacts["categoryCombo"]
    ]
    assert {"ROLE_VICTIM", "ROLE_WITNESS"} <= set(roles)
    common = {"rounding_base": None, "exact": {}, "sources": ["AYW 2026-01 r1"]}
    hidden = dict.fromkeys(roles, 0) | {"ROLE_VICTIM": None, "ROLE_WITNESS": None}
    network_level = {"org_units": {"NET": "Net"}, "level": "network", "method": "suppress"}
    _hand_made(tmp_path, "net", package, {**common, **network_level, "k": 5}, hidden, 5)
    rounded = dict.fromkeys(roles, 0) | {"ROLE_VICTIM": 5, "ROLE_WITNESS": 5}
    places = {"org_units": {"62009": "Aywaille"}, "level": "municipality", "method": "round5"}
    _hand_made(tmp_path, "mun", package, {**common, **places, "k": None}, rounded, None)
    attack = lp_attacker.attack([*sorted(tmp_path.glob("*.json")), tmp_path / "net.xlsx"])
    victims = Number("202601", "PVIF_CONTACTS", "ROLE_VICTIM", "62009")
    assert (attack.rounded[victims].low, attack.rounded[victims].high) == (1, 4)
    withheld = attack.withheld[Number("202601", "PVIF_CONTACTS", "ROLE_VICTIM", "NET")]
    assert (withheld.low, withheld.high) == (1, 4)
    outcome = Outcome("hand-made")
    true = {Number("202601", "PVIF_CONTACTS", TOTAL, org): 5 for org in ("NET", "62009")}
    for org in ("NET", "62009"):
        true[Number("202601", "PVIF_CONTACTS", "ROLE_VICTIM", org)] = 3
        true[Number("202601", "PVIF_CONTACTS", "ROLE_WITNESS", org)] = 2
    judge(attack, true, outcome)
    assert not [f for f in outcome.findings if "unsound" in f]
    assert any("proven a 1 to 4" in f for f in outcome.findings)
    assert any("proven below k" in f for f in outcome.findings)


def test_reading_back_a_written_publication_gives_its_numbers(
    tmp_path: Path, on_a_fixed_day: None, counts: Counts
) -> None:
    """The attacker reads what Havre wrote: every published number about people is the
    true one (suppression), and the workbook and the dataValueSet agree."""
    out, done = written_once(tmp_path, counts, M, MONTHS[1])
    _metadata, (release,), with_total = lp_attacker.read_files(sorted(out.iterdir()))
    true = truth(counts)
    assert release.level == "municipality" and release.method == "suppress"
    assert {n.org_unit for n in release.published} == {nis for _code, nis in DESKS}
    assert with_total == {e.code for e in indicators.ELEMENTS if e.has_total}
    people = [n for n in release.published if n.element not in release.exact]
    assert people and all(release.published[n] == true.get(n, 0) for n in people)
    assert len(release.withheld) >= len(done.suppressed())
