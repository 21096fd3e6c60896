"""Disclosure control of the model (app/disclosure): what an attacker can work out is found
here by brute force over every whole-number table consistent with what is published,
written apart from the solver the protection uses, on the attacks the issue measured and
on random small networks published at both levels in turn."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from app.disclosure import rounding
from app.disclosure.model import NETWORK, Atom, Cell, Counts, Known
from app.disclosure.protection import Earlier, Protected, Revised, audit, protect
from app.domain import indicators as ind
from app.domain.disclosure import Method
from app.domain.indicators import TOTAL

PERIOD = "2026-03"
SESSIONS = ind.SESSIONS  # one dimension, a total, no table sharing it
PLACES = ("62003", "62009", "62022", "62032")


def sessions_counts(rows: dict[str, list[int]]) -> Counts:
    atoms = {
        Atom(PERIOD, SESSIONS.code, combo, nis): value
        for nis, values in rows.items()
        for combo, value in zip(SESSIONS.combo_codes, values, strict=False)
    }
    return Counts(atoms, {PERIOD: tuple(sorted(rows))})


def cells(org_units: Iterable[str], combos: Iterable[str]) -> list[Cell]:
    return [Cell(PERIOD, SESSIONS.code, c, o) for o in org_units for c in combos]


def remember(earlier: Earlier, done: Protected, k: int) -> Earlier:
    return Earlier(
        {**earlier.known, **done.known}, {**earlier.withheld, **dict.fromkeys(done.withheld, k)}
    )


def brute_force(counts: Counts, known: dict[Cell, Known], cap: int) -> dict[Atom, set[int]]:
    """Every value each atom takes over all tables with atoms in 0 … cap that give every
    published number its published value or interval."""
    atoms = sorted(counts.atoms)
    found: dict[Atom, set[int]] = {a: set() for a in atoms}
    rows = [
        ([atoms.index(a) for a in counts.atoms_of(k.cell)], k.low, k.high) for k in known.values()
    ]
    for table in itertools.product(range(cap + 1), repeat=len(atoms)):
        if all(low <= sum(table[i] for i in columns) <= high for columns, low, high in rows):
            for atom, value in zip(atoms, table, strict=True):
                found[atom].add(value)
    return found


def ranges_by_search(
    counts: Counts, known: dict[Cell, Known], asked: list[Cell], cap: int
) -> list[tuple[Cell, tuple[int, int]]]:
    """The smallest and largest value of each asked number over every table with atoms in
    0 … cap that gives every published number its published value or interval."""
    atoms = sorted(counts.atoms)
    rows = [
        ([atoms.index(a) for a in counts.atoms_of(k.cell)], k.low, k.high) for k in known.values()
    ]
    sums = [[atoms.index(a) for a in counts.atoms_of(cell)] for cell in asked]
    low = [cap * len(atoms)] * len(asked)
    high = [0] * len(asked)
    for table in itertools.product(range(cap + 1), repeat=len(atoms)):
        if all(lo <= sum(table[i] for i in columns) <= hi for columns, lo, hi in rows):
            for j, columns in enumerate(sums):
                value = sum(table[i] for i in columns)
                low[j], high[j] = min(low[j], value), max(high[j], value)
    return [(cell, (low[j], high[j])) for j, cell in enumerate(asked)]


def cell_range(counts: Counts, cell: Cell, possible: dict[Atom, set[int]]) -> tuple[int, int]:
    atoms = counts.atoms_of(cell)
    return sum(min(possible[a]) for a in atoms), sum(max(possible[a]) for a in atoms)


def test_network_then_municipalities_no_longer_gives_a_municipality_away() -> None:
    # The issue's example: the network's 27 sessions of one kind minus three municipalities'
    # 7 + 7 + 10 gave the fourth municipality's 3.
    kind = SESSIONS.combo_codes[0]
    rows = {"62003": [3, 9, 12], "62009": [7, 6, 0], "62022": [7, 2, 8], "62032": [10, 5, 6]}
    counts = sessions_counts(rows)
    combos = SESSIONS.combo_codes[:3]
    network = protect(counts, cells([NETWORK], combos), Earlier(), Method.SUPPRESS, 5, b"s")
    assert network.values[Cell(PERIOD, SESSIONS.code, kind, NETWORK)] == 27
    municipal = protect(
        counts, cells(PLACES, combos), remember(Earlier(), network, 5), Method.SUPPRESS, 5, b"s"
    )
    small = Cell(PERIOD, SESSIONS.code, kind, "62003")
    assert municipal.values[small] is None
    assert municipal.findings == ()
    # Written apart from the solver: the fourth municipality's 3 can be 5 or more.
    atoms = {
        Atom(PERIOD, SESSIONS.code, c, n): rows[n][i] for n in PLACES for i, c in enumerate(combos)
    }
    small_counts = Counts(atoms, {PERIOD: PLACES})
    everything = {**network.known, **municipal.known}
    known = {c: k for c, k in everything.items() if c.combo in combos}
    assert _highest_by_search(small_counts, known, small) >= 5


def _highest_by_search(counts: Counts, known: dict[Cell, Known], cell: Cell) -> int:
    """The largest value of `cell` over whole-number tables consistent with `known`: an
    integer program of its own (HiGHS through SciPy), not the protection's."""
    atoms = sorted(counts.atoms)
    matrix = np.array(
        [[1.0 if a in counts.atoms_of(k.cell) else 0.0 for a in atoms] for k in known.values()]
    )
    result = milp(
        -np.array([1.0 if a in counts.atoms_of(cell) else 0.0 for a in atoms]),
        constraints=[
            LinearConstraint(
                matrix,
                [k.low for k in known.values()],
                [k.high for k in known.values()],
            )
        ],
        integrality=np.ones(len(atoms)),
        bounds=Bounds(0, 1000),
    )
    assert result.status == 0
    return round(-result.fun)


def test_a_row_of_small_withheld_cells_is_not_proven_small() -> None:
    # The issue: a total 6 over five withheld cells proved each to be 1 or 2. Withheld
    # cells may now be zero and the audit proves each can reach k.
    rows = {"62003": [1, 1, 1, 2, 1]}
    counts = sessions_counts(rows)
    done = protect(
        counts,
        [*cells(["62003"], SESSIONS.combo_codes), Cell(PERIOD, SESSIONS.code, TOTAL, "62003")],
        Earlier(),
        Method.SUPPRESS,
        5,
        b"s",
    )
    assert done.findings == ()
    withheld = done.withheld
    assert set(cells(["62003"], SESSIONS.combo_codes[:5])) <= set(withheld)
    for cell in withheld:
        assert _highest_by_search(counts, done.known, cell) >= 5, cell


@pytest.mark.parametrize("seed", range(25))
def test_random_two_level_networks_published_in_turn_give_nothing_away(seed: int) -> None:
    draw = random.Random(seed)
    places = PLACES[:2]
    combos = SESSIONS.combo_codes[:2]
    k = draw.choice([3, 4, 5])
    rows = {nis: [draw.choice([0, 1, 2, 3, 4, 6, 8]) for _c in combos] for nis in places}
    atoms = {
        Atom(PERIOD, SESSIONS.code, c, n): rows[n][i] for n in places for i, c in enumerate(combos)
    }
    counts = Counts(atoms, {PERIOD: places})
    network_cells = cells([NETWORK], combos)
    municipal_cells = cells(places, combos)
    order = [network_cells, municipal_cells]
    draw.shuffle(order)
    earlier = Earlier()
    for publication in order:
        done = protect(counts, publication, earlier, Method.SUPPRESS, k, b"s")
        assert done.findings == ()
        earlier = remember(earlier, done, k)
    possible = brute_force(counts, dict(earlier.known), cap=k + 9)
    for cell in earlier.withheld:
        low, high = cell_range(counts, cell, possible)
        if counts.value(cell) < k:
            assert high >= k, (cell, counts.value(cell), low, high)
    # Every number is either published or withheld, and nothing from 1 to k - 1 is out.
    for told in earlier.known.values():
        assert not 1 <= told.low < k or told.low != told.high


@pytest.mark.parametrize("seed", range(20))
def test_random_networks_rounded_at_both_levels_keep_every_promise(seed: int) -> None:
    """Random small networks rounded at the network level and at the municipalities' (in a
    random order, under one key): every number a multiple of 5, the same in both
    publications, sums that add up, and no number from 1 to 4 that the published numbers
    prove to be from 1 to 4 (every whole-number table they allow, searched)."""
    draw = random.Random(seed)
    places = PLACES[:2]
    combos = SESSIONS.combo_codes[:2]
    rows = {nis: [draw.randint(0, 9) for _c in combos] for nis in places}
    atoms = {
        Atom(PERIOD, SESSIONS.code, c, n): rows[n][i] for n in places for i, c in enumerate(combos)
    }
    counts = Counts(atoms, {PERIOD: places})
    levels = [cells([NETWORK], combos), cells(places, combos)]
    draw.shuffle(levels)
    earlier = Earlier()
    published: dict[Cell, int] = {}
    for level in levels:
        done = protect(counts, level, earlier, Method.ROUND5, 5, f"key {seed}".encode())
        assert done.findings == ()
        for cell, value in done.values.items():
            assert value is not None and value % 5 == 0
            assert published.setdefault(cell, value) == value
        earlier = remember(earlier, done, 5)
    for combo in combos:
        network = published[Cell(PERIOD, SESSIONS.code, combo, NETWORK)]
        assert network == sum(published[Cell(PERIOD, SESSIONS.code, combo, n)] for n in places)
    # What anyone knows: each municipality's number was rounded to a multiple of 5 within 4.
    for cell, (low, high) in ranges_by_search(counts, dict(earlier.known), list(published), 14):
        assert not 1 <= low <= high <= 4, (cell, counts.value(cell), low, high)


def test_rounding_is_keyed_consistent_and_adds_up() -> None:
    rows = {"62003": [3, 7, 0], "62009": [1, 12, 4], "62022": [2, 2, 2]}
    counts = sessions_counts(rows)
    combos = SESSIONS.combo_codes[:3]
    everything = cells([NETWORK, *rows], [*SESSIONS.combo_codes, TOTAL])
    first = protect(counts, everything, Earlier(), Method.ROUND5, 5, b"secret one")
    again = protect(counts, everything, Earlier(), Method.ROUND5, 5, b"secret one")
    assert first.values == again.values
    assert all(v is not None and v % 5 == 0 for v in first.values.values())
    for combo in combos:
        network = first.values[Cell(PERIOD, SESSIONS.code, combo, NETWORK)]
        assert network == sum(
            first.values[Cell(PERIOD, SESSIONS.code, combo, nis)] or 0 for nis in rows
        )
    for nis in rows:
        assert first.values[Cell(PERIOD, SESSIONS.code, TOTAL, nis)] == sum(
            first.values[Cell(PERIOD, SESSIONS.code, c, nis)] or 0 for c in SESSIONS.combo_codes
        )
    assert first.findings == ()
    # The draw depends on the register's secret: without it, nobody can tell which way a
    # number went.
    atom = Atom(PERIOD, SESSIONS.code, combos[0], "62003")
    draws = {rounding.rounded(atom, 3, f"secret {i}".encode()) for i in range(60)}
    assert draws == {0, 5}


def test_a_number_published_before_with_another_value_is_refused() -> None:
    counts = sessions_counts({"62003": [8, 9, 12], "62009": [7, 6, 10]})
    cell = Cell(PERIOD, SESSIONS.code, SESSIONS.combo_codes[0], NETWORK)
    earlier = Earlier({cell: Known(cell, 14, 14)})
    with pytest.raises(Revised) as raised:
        protect(counts, [cell], earlier, Method.SUPPRESS, 5, b"s")
    assert raised.value.cells == [cell]


def test_a_number_the_register_leaves_open_is_reported_not_hidden() -> None:
    # Everything of a row was published before except one small cell and its total is
    # known: nothing the new publication withholds can protect it, and the audit says so.
    counts = sessions_counts({"62003": [2, 9, 12]})
    combos = SESSIONS.combo_codes[:3]
    known = {
        c: Known(c, counts.value(c), counts.value(c))
        for c in [
            *cells(["62003"], combos[1:]),
            *cells(["62003"], SESSIONS.combo_codes[3:]),
            Cell(PERIOD, SESSIONS.code, TOTAL, "62003"),
        ]
    }
    small = Cell(PERIOD, SESSIONS.code, combos[0], "62003")
    done = protect(counts, [small], Earlier(known), Method.SUPPRESS, 5, b"s")
    assert [f.cell for f in done.findings] == [small]
    assert (done.findings[0].low, done.findings[0].high) == (2, 2)


@pytest.mark.parametrize("forgery", ["breaks a published total", "negative", "fractional"])
def test_a_forged_witness_does_not_clear_a_number_the_audit_would_fail(forgery: str) -> None:
    # The audit clears a withheld number with a table where it reaches k, checked again
    # against everything published. A table that could not be the truth clears nothing:
    # the audit solves for the number itself and finds it pinned.
    counts = sessions_counts({"62003": [2, 9, 12]})
    combos = SESSIONS.combo_codes
    known = {
        c: Known(c, counts.value(c), counts.value(c))
        for c in [*cells(["62003"], combos[1:]), Cell(PERIOD, SESSIONS.code, TOTAL, "62003")]
    }
    small = Cell(PERIOD, SESSIONS.code, combos[0], "62003")
    layout = counts.layout(PERIOD, SESSIONS.code)
    table = np.array(layout.values, dtype=float)
    where = layout.index[Atom(PERIOD, SESSIONS.code, combos[0], "62003")]
    table[where] = 5.0  # the small number "reaches k"...
    if forgery == "negative":
        table[layout.index[Atom(PERIOD, SESSIONS.code, combos[1], "62003")]] = -3.0
    elif forgery == "fractional":
        table[where] = 5.5
    findings, audited = audit(counts, known, {small: 5}, {(PERIOD, SESSIONS.code)}, {small: table})
    assert audited == 1
    assert [(f.cell, f.low, f.high) for f in findings] == [(small, 2, 2)]


def test_a_witness_that_holds_clears_a_number_without_the_solver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counts = sessions_counts({"62003": [2, 9, 12]})
    combos = SESSIONS.combo_codes
    total = Cell(PERIOD, SESSIONS.code, TOTAL, "62003")
    known = {total: Known(total, counts.value(total), counts.value(total))}
    known |= {c: Known(c, counts.value(c), counts.value(c)) for c in cells(["62003"], combos[2:])}
    small = Cell(PERIOD, SESSIONS.code, combos[0], "62003")
    layout = counts.layout(PERIOD, SESSIONS.code)
    table = np.array(layout.values, dtype=float)
    table[layout.index[Atom(PERIOD, SESSIONS.code, combos[0], "62003")]] = 5.0
    table[layout.index[Atom(PERIOD, SESSIONS.code, combos[1], "62003")]] = 6.0  # 2 + 9 = 5 + 6
    asked: list[Cell] = []

    def reaching(_counts: Counts, _told: object, targets: list[Cell], _k: int) -> list[None]:
        asked.extend(targets)
        return [None] * len(targets)

    monkeypatch.setattr("app.disclosure.protection.reaching", reaching)
    findings, _audited = audit(counts, known, {small: 5}, {(PERIOD, SESSIONS.code)}, {small: table})
    assert findings == []
    assert asked == []


def test_a_number_withheld_under_a_larger_k_is_audited_to_that_k() -> None:
    # A review's attack: 6 sessions withheld under k = 7; protected again with k = 5 at both
    # levels together, the network's number would pin it. The audit holds the number to 7.
    rows = {"62003": [6, 10, 10, 20, 20], "62009": [20, 20, 20, 20, 20]}
    counts = sessions_counts(rows)
    everything = [*SESSIONS.combo_codes, TOTAL]
    first = protect(counts, cells(rows, everything), Earlier(), Method.SUPPRESS, 7, b"s")
    six = Cell(PERIOD, SESSIONS.code, SESSIONS.combo_codes[0], "62003")
    assert six in first.withheld and first.findings == ()
    both = cells([*rows, NETWORK], everything)
    second = protect(counts, both, remember(Earlier(), first, 7), Method.SUPPRESS, 5, b"s")
    assert six in {f.cell for f in second.findings}
    # Written apart from the audit: what the two publications tell does pin it.
    assert _highest_by_search(counts, {**first.known, **second.known}, six) == 6
