"""An attacker of Havre's publications that knows only what is written in the files and the
public rules of docs/disclosure-control.md.

It reads the DHIS2 dataValueSets (with their manifests), the XLSX workbooks and the DHIS2
metadata package, and for each month builds an integer program over the unknown
municipality-level numbers (network-level ones when no municipality level was published
for the month). With `scipy.optimize.milp` (HiGHS) it then computes, for every withheld
number, the smallest and largest value it can take; and for every rounded number that
could be a 1 to 4, the smallest and largest true value behind it.

The rules it uses (public):

- counts are whole numbers ≥ 0; a withheld value may be zero;
- a network number = the sum of the municipalities' numbers (the municipalities of a
  month are those the municipality-level publications of that month show);
- in the XLSX, Total = the sum of the table's cells;
- tables counting the same people have equal totals per org unit and month (SAME_TOTAL);
- round5: every number about people (cell or total, municipality or network) is a sum of
  rounded municipality cells, each a multiple of 5 within 4 of its true value; so a
  published P summing m municipality cells lies in [P − 4m, P + 4m]. When the month's
  municipalities are known this is modelled exactly: a variable q per municipality cell,
  |5·q − t| ≤ 4, and Σ q = P / 5 over the cells P adds up. A cell's q is shared by every
  number that adds it up, in every publication read: the draw is fixed by the cell, its
  value and the files behind it (docs), so it is the same within one register. (Were it
  not, the true numbers would fall outside the ranges: the tests check they never do.)
  When the municipalities are unknown, m is at most the number of counts files the
  manifest lists for the month (a desk is in one municipality) times the cells added.

It is written apart from app/disclosure and imports nothing from app/: the element
structure comes from the metadata package, the numbers from the files.
"""

from __future__ import annotations

import itertools
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

# Public rules (docs/disclosure-control.md).
SAME_TOTAL: tuple[tuple[str, ...], ...] = (
    ("PVIF_CONTACTS", "PVIF_REFERRED_FROM"),
    ("PVIF_REFERRALS_MADE", "PVIF_REFERRAL_STATUS"),
    ("PVIF_NEW_VICTIMS", "PVIF_CHILDREN_EXPOSED"),
    ("PVIF_SITUATIONS_CORE_TYPE", "PVIF_SITUATIONS_CONTEXT", "PVIF_ELAPSED"),
)
BASE = 5
WITHHELD = "x"
TOTAL = "#TOTAL"  # the part of a number that is a table's total
NO_COMBO = ""  # the part of the single cell of a table without disaggregation
BIG = 10**6  # "unbounded": no count of a desk network comes near
NETWORK = "#NETWORK"  # the network, when no municipality is known for the month
_NIS = re.compile(r"\d{5}")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True, order=True)
class Number:
    """One number a publication can carry: period YYYYMM, data element code, part (category
    option combo code, NO_COMBO, or TOTAL) and org unit code."""

    period: str
    element: str
    part: str
    org_unit: str


@dataclass
class Metadata:
    parts: dict[str, list[str]]  # element → its cells' combo codes (NO_COMBO if none)
    names: dict[str, str]  # element name → code
    combo_names: dict[str, dict[str, str]]  # element → combo name → combo code


@dataclass
class Release:
    """One publication as its files tell it."""

    source: str
    method: str  # "suppress" | "round5"
    k: int | None
    level: str  # "network" | "municipality"
    org_units: dict[str, str]
    exact: set[str]
    published: dict[Number, int] = field(default_factory=dict)
    withheld: set[Number] = field(default_factory=set)
    desks: dict[str, int] = field(default_factory=dict)  # period → counts files listed


@dataclass(frozen=True)
class Bound:
    number: Number
    low: int
    high: int | None  # None: unbounded
    published: int | None  # the published (rounded) value; None when withheld
    k: int | None  # the k it was withheld under (suppression)
    sources: tuple[str, ...]
    refined: bool = True  # False: the interval of the rounding rule, not the program's


@dataclass
class Attack:
    withheld: dict[Number, Bound] = field(default_factory=dict)
    rounded: dict[Number, Bound] = field(default_factory=dict)
    inconsistent: list[str] = field(default_factory=list)  # months/components infeasible
    solves: int = 0
    releases: int = 0


# ---------------------------------------------------------------------------------------
# Reading the files


def read_metadata(path: Path) -> Metadata:
    package = json.loads(path.read_text(encoding="utf-8"))
    by_combo: dict[str, list[dict[str, str]]] = defaultdict(list)
    for coc in package["categoryOptionCombos"]:
        by_combo[coc["categoryCombo"]["id"]].append(coc)
    combo_ids = {c["id"] for c in package["categoryCombos"]}
    parts: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    combo_names: dict[str, dict[str, str]] = {}
    for element in package["dataElements"]:
        combo_id = element["categoryCombo"]["id"]
        cocs = by_combo.get(combo_id, []) if combo_id in combo_ids else []
        parts[element["code"]] = [c["code"] for c in cocs] or [NO_COMBO]
        names[element["name"]] = element["code"]
        combo_names[element["code"]] = {c["name"]: c["code"] for c in cocs}
    return Metadata(parts, names, combo_names)


def _read_manifest(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _desks_per_period(manifest: dict) -> dict[str, int]:
    found: dict[str, set[str]] = defaultdict(set)
    for source in manifest.get("sources", []):
        fields = source.split()
        if len(fields) >= 2:
            found[fields[1].replace("-", "")].add(fields[0])
    return {p: len(d) for p, d in found.items()}


def _release_from_manifest(source: str, manifest: dict) -> Release:
    return Release(
        source=source,
        method=manifest["method"],
        k=manifest.get("k"),
        level=manifest["level"],
        org_units=dict(manifest["org_units"]),
        exact=set(manifest.get("exact", {})),
        desks=_desks_per_period(manifest),
    )


def _record(release: Release, number: Number, value: int | None) -> None:
    if value is None:
        if number in release.published:
            raise ValueError(f"{release.source}: {number} both published and withheld")
        release.withheld.add(number)
        return
    if number in release.withheld:
        raise ValueError(f"{release.source}: {number} both published and withheld")
    if release.published.setdefault(number, value) != value:
        raise ValueError(f"{release.source}: {number} published with two values")


def read_data_value_set(path: Path, release: Release) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    for value in document["dataValues"]:
        number = Number(
            value["period"],
            value["dataElement"],
            value.get("categoryOptionCombo") or NO_COMBO,
            value["orgUnit"],
        )
        _record(release, number, int(value["value"]))


def read_manifest_suppressed(manifest: dict, release: Release) -> None:
    for entry in manifest.get("suppressed", []):
        number = Number(
            entry["period"],
            entry["dataElement"],
            entry.get("categoryOptionCombo") or NO_COMBO,
            entry["orgUnit"],
        )
        _record(release, number, None)


def _xlsx_sheets(path: Path) -> dict[str, list[list[str | float | None]]]:
    """Every sheet of a workbook as rows of cells (strings, numbers or None)."""
    with zipfile.ZipFile(path) as book:
        strings: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ET.fromstring(book.read("xl/sharedStrings.xml"))
            for si in root.iter(f"{_MAIN}si"):
                strings.append("".join(t.text or "" for t in si.iter(f"{_MAIN}t")))
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        sheets = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            where = target[sheet.get(f"{_REL}id")].lstrip("/")
            where = where if where.startswith("xl/") else "xl/" + where
            root = ET.fromstring(book.read(where))
            rows: dict[int, dict[int, str | float | None]] = {}
            for c in root.iter(f"{_MAIN}c"):
                ref = c.get("r", "")
                letters = re.match(r"[A-Z]+", ref)
                assert letters is not None
                column = 0
                for ch in letters.group():
                    column = column * 26 + ord(ch) - 64
                row = int(ref[letters.end() :])
                kind = c.get("t")
                v = c.find(f"{_MAIN}v")
                if kind == "s" and v is not None:
                    value: str | float | None = strings[int(v.text or 0)]
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(f"{_MAIN}t"))
                elif kind == "str" and v is not None:
                    value = v.text or ""
                elif v is not None and v.text is not None:
                    value = float(v.text)
                else:
                    value = None
                rows.setdefault(row - 1, {})[column - 1] = value
            width = max((max(r) + 1 for r in rows.values() if r), default=0)
            table = [
                [rows.get(i, {}).get(j) for j in range(width)]
                for i in range(max(rows, default=-1) + 1)
            ]
            sheets[sheet.get("name", "")] = table
        return sheets


def read_xlsx(path: Path, metadata: Metadata, release: Release) -> set[str]:
    """The numbers of a workbook into `release`; returns the elements with a Total column."""
    with_total: set[str] = set()
    for name, rows in _xlsx_sheets(path).items():
        if not rows or not rows[0] or rows[0][0] not in metadata.names:
            continue  # the About sheet
        element = metadata.names[str(rows[0][0])]
        header = [str(h) for h in rows[2][2:] if h is not None]
        parts = metadata.parts[element]
        if parts == [NO_COMBO]:
            columns = [NO_COMBO]
        else:
            names = metadata.combo_names[element]
            columns = [names[h] if h in names else TOTAL for h in header]
            if TOTAL in columns:
                with_total.add(element)
            if [c for c in columns if c != TOTAL] != parts:
                raise ValueError(f"{path.name} {name}: columns do not match the metadata")
        for row in rows[3:]:
            if row[0] is None:
                continue
            org_unit = str(row[0])
            period = str(row[1]).replace("-", "")
            for column, part in enumerate(columns, start=2):
                cell = row[column] if column < len(row) else None
                if cell is None:
                    continue
                value = None if cell == WITHHELD else int(float(cell))
                _record(release, Number(period, element, part, org_unit), value)
    return with_total


def _about(path: Path) -> dict[str, str]:
    sheets = _xlsx_sheets(path)
    first = next(iter(sheets.values()))
    return {str(r[0]): str(r[1]) for r in first if len(r) >= 2 and r[0] is not None}


def read_files(paths: list[Path]) -> tuple[Metadata, list[Release], set[str]]:
    """The metadata, one release per publication, and the elements with a Total."""
    metadata_path = None
    for path in paths:
        if path.suffix == ".json" and not path.name.endswith(".manifest.json"):
            head = json.loads(path.read_text(encoding="utf-8"))
            if "dataElements" in head:
                metadata_path = path
    if metadata_path is None:
        raise ValueError("the attacker needs the DHIS2 metadata package")
    metadata = read_metadata(metadata_path)
    releases: dict[str, Release] = {}
    with_total: set[str] = set()
    exact: set[str] = set()
    # DHIS2 JSON and their manifests first: one release per stem.
    for path in sorted(paths):
        if path.name.endswith(".manifest.json"):
            payload = path.with_name(path.name.removesuffix(".manifest.json"))
            manifest = _read_manifest(path)
            release = _release_from_manifest(payload.name, manifest)
            exact |= release.exact
            read_manifest_suppressed(manifest, release)
            if payload.suffix == ".json" and payload.exists():
                read_data_value_set(payload, release)
            releases[payload.stem] = release
    for path in sorted(paths):
        if path.suffix != ".xlsx":
            continue
        release = releases.get(path.stem)
        if release is None:
            about = _about(path)
            method_text = about.get("Method", "")
            k = re.search(r"k = (\d+)", method_text)
            release = Release(
                source=path.name,
                method="round5" if "multiple of 5" in method_text else "suppress",
                k=int(k.group(1)) if k else None,
                level="network" if about.get("Level") == "Network" else "municipality",
                org_units={},
                exact=set(),
            )
            releases[path.stem] = release
        else:
            release.source += "+" + path.name
        with_total |= read_xlsx(path, metadata, release)
    for release in releases.values():
        release.exact |= exact
        if not release.org_units:
            release.org_units = {n.org_unit: "" for n in [*release.published, *release.withheld]}
    return metadata, list(releases.values()), with_total


# ---------------------------------------------------------------------------------------
# The integer programs


def is_municipality(org_unit: str) -> bool:
    return bool(_NIS.fullmatch(org_unit))


def components(elements: set[str]) -> list[tuple[str, ...]]:
    done: set[str] = set()
    found = []
    for group in SAME_TOTAL:
        members = tuple(e for e in group if e in elements)
        if members:
            found.append(members)
            done.update(members)
    found += [(e,) for e in sorted(elements - done)]
    return found


class Program:
    """The integer program of one month and one set of tables sharing a total: a variable
    per cell and municipality (or per cell of the network when no municipality is known),
    and for round5 a variable q per municipality cell, its rounded value being 5·q."""

    def __init__(
        self,
        period: str,
        elements: tuple[str, ...],
        metadata: Metadata,
        places: list[str],
    ) -> None:
        self.period = period
        self.elements = elements
        self.metadata = metadata
        self.places = places  # municipalities, or [NETWORK]
        self.index: dict[tuple[str, str, str], int] = {}
        for element in elements:
            for part in metadata.parts[element]:
                for place in places:
                    self.index[(element, part, place)] = len(self.index)
        self.size = len(self.index)
        self.rounded: dict[int, int] = {}  # cell variable → its q
        self.rows: list[tuple[dict[int, float], float, float]] = []
        for group in SAME_TOTAL:
            members = [e for e in group if e in elements]
            for a, b in itertools.pairwise(members):
                for place in places:
                    row = _add(self._cells(a, place), self._cells(b, place), -1)
                    self.rows.append((row, 0, 0))

    def _cells(self, element: str, place: str) -> dict[int, float]:
        return {self.index[(element, p, place)]: 1 for p in self.metadata.parts[element]}

    def places_of(self, number: Number) -> list[str]:
        if number.org_unit in self.places:
            return [number.org_unit]
        if is_municipality(number.org_unit):
            raise KeyError(number)
        return self.places  # the network: every municipality (or NETWORK)

    def parts_of(self, number: Number) -> list[str]:
        return self.metadata.parts[number.element] if number.part == TOTAL else [number.part]

    def expression(self, number: Number) -> dict[int, float]:
        """The true number over the cell variables."""
        out: dict[int, float] = {}
        for place in self.places_of(number):
            for part in self.parts_of(number):
                i = self.index[(number.element, part, place)]
                out[i] = out.get(i, 0) + 1
        return out

    def rounded_sum(self, number: Number) -> dict[int, float]:
        """The published round5 number over the q variables: Σ q of its municipality cells
        (each the same draw wherever it is published)."""
        out: dict[int, float] = {}
        for i in self.expression(number):
            if i not in self.rounded:
                q = self.size
                self.size += 1
                self.rounded[i] = q
                self.rows.append(({i: 1, q: -BASE}, -(BASE - 1), BASE - 1))
            out[self.rounded[i]] = 1
        return out

    def constrain(self, expression: dict[int, float], low: float, high: float) -> None:
        self.rows.append((expression, low, high))

    def solver(self) -> Solver:
        return Solver(self.size, self.rows)


def _add(a: dict[int, float], b: dict[int, float], factor: float = 1) -> dict[int, float]:
    out = dict(a)
    for i, c in b.items():
        out[i] = out.get(i, 0) + factor * c
    return out


class Solver:
    """min and max of linear expressions over the non-negative integer points of the rows."""

    def __init__(self, size: int, rows: list[tuple[dict[int, float], float, float]]) -> None:
        count = max(len(rows), 1)
        a = lil_matrix((count, size))
        lows, highs = np.zeros(count), np.zeros(count)
        for r, (row, low, high) in enumerate(rows):
            for i, c in row.items():
                a[r, i] = c
            lows[r], highs[r] = low, high
        self.size = size
        self.constraints = LinearConstraint(a.tocsr(), lows, highs)
        self.bounds = Bounds(np.zeros(size), np.full(size, float(BIG)))
        self.integrality = np.ones(size)
        self.relaxed = np.zeros(size)
        self.solves = 0

    def optimum(self, expression: dict[int, float], sign: int) -> float | None:
        """min (sign 1) or max (sign -1) of the expression; None if infeasible. The linear
        relaxation first: when its optimum is a point of whole numbers, it is the integer
        optimum too; otherwise the integer program."""
        c = np.zeros(self.size)
        for i, v in expression.items():
            c[i] = sign * v
        self.solves += 1
        for integrality in (self.relaxed, self.integrality):
            result = milp(
                c, integrality=integrality, bounds=self.bounds, constraints=self.constraints
            )
            if result.status != 0 or result.x is None:
                return None
            if np.all(np.abs(result.x - np.round(result.x)) < 1e-6):
                break
        return float(sign * result.fun)

    def feasible(self) -> bool:
        return self.optimum({}, 1) is not None


def attack(paths: list[Path], *, refine_all_rounded: bool = False) -> Attack:
    """Every withheld number's range, and the range of the rounded numbers that may hide a
    1 to 4 (of every rounded number with `refine_all_rounded`)."""
    metadata, releases, _with_total = read_files(paths)
    out = Attack(releases=len(releases))
    periods = sorted(
        {n.period for r in releases for n in [*r.published, *r.withheld]}
        | {p for r in releases for p in r.desks}
    )
    for period in periods:
        _attack_month(period, metadata, releases, out, refine_all_rounded)
    return out


def _attack_month(
    period: str,
    metadata: Metadata,
    releases: list[Release],
    out: Attack,
    refine_all_rounded: bool,
) -> None:
    facts: list[tuple[Release, Number, int | None]] = []
    for release in releases:
        for number, value in release.published.items():
            if number.period == period and number.element not in release.exact:
                facts.append((release, number, value))
        for number in release.withheld:
            if number.period == period and number.element not in release.exact:
                facts.append((release, number, None))
    municipalities = sorted(
        {
            n.org_unit
            for release, n, _v in facts
            if release.level == "municipality" and is_municipality(n.org_unit)
        }
    )
    places = municipalities or [NETWORK]
    desks = max((r.desks.get(period, 0) for r in releases), default=0)
    elements = {n.element for _r, n, _v in facts}
    for component in components(elements):
        program = Program(period, component, metadata, places)

        def spread(number: Number, program: Program = program) -> int:
            """How many rounded municipality numbers a published number adds up (at most)."""
            cells = len(program.parts_of(number))
            if number.org_unit in municipalities:
                return cells
            return cells * (len(municipalities) or desks or BIG)

        targets: dict[Number, list[tuple[Release, int | None]]] = defaultdict(list)
        for release, number, value in facts:
            if number.element not in component:
                continue
            targets[number].append((release, value))
            if value is None:
                continue
            expression = program.expression(number)
            if release.method != "round5":
                program.constrain(expression, value, value)
            elif municipalities and value % BASE == 0:
                program.constrain(program.rounded_sum(number), value // BASE, value // BASE)
            else:
                m = spread(number)
                program.constrain(
                    expression, max(0, value - (BASE - 1) * m), value + (BASE - 1) * m
                )
        solver = program.solver()
        if not solver.feasible():
            out.inconsistent.append(f"{period} {'+'.join(component)}")
            out.solves += solver.solves
            continue
        for number, seen in sorted(targets.items()):
            withheld = [r for r, v in seen if v is None]
            rounded = [(r, v) for r, v in seen if v is not None and r.method == "round5"]
            expression = program.expression(number)
            if withheld:
                ks = [r.k for r in withheld if r.k is not None]
                high = solver.optimum(expression, -1)
                # Only a number that cannot reach k can be pinned or proven small: the
                # others keep 0 as their (true) lower bound.
                small = high is not None and high < max(ks, default=BASE)
                low = solver.optimum(expression, 1) if small or refine_all_rounded else 0.0
                out.withheld[number] = Bound(
                    number,
                    _int(low, 0),
                    None if high is None or high >= BIG else _int(high, BIG),
                    None,
                    max(ks) if ks else None,
                    tuple(r.source for r in withheld),
                )
            if rounded:
                value = rounded[0][1]
                assert value is not None
                m = spread(number)
                low, high = float(max(0, value - (BASE - 1) * m)), float(value + (BASE - 1) * m)
                # Only a number whose interval may touch 1..4 can be proven a 1 to 4; the
                # others keep the interval of the rule unless asked.
                refined = refine_all_rounded or low <= BASE - 1
                if refined:
                    low = solver.optimum(expression, 1) or 0.0
                    if refine_all_rounded or low >= 1:
                        high = solver.optimum(expression, -1) or high
                out.rounded[number] = Bound(
                    number,
                    _int(low, 0),
                    None if high >= BIG else _int(high, BIG),
                    value,
                    None,
                    tuple(r.source for r, _v in rounded),
                    refined,
                )
        out.solves += solver.solves


def _int(value: float | None, default: int) -> int:
    return default if value is None else round(value)
