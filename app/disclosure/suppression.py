"""Which numbers a suppressed publication withholds (docs/disclosure-control.md).

1. **Primary**: every number about people from 1 to k − 1, at every level, and the totals
   too.
2. **Complementary**: every withheld number below k must be able to reach k in a table
   consistent with everything published (now and before, in the register).
   - A quick rule first, sum by sum: where a published sum has a single withheld part, or
     withheld parts that could not fall enough for one of them to rise to k, the smallest
     published part that makes up the difference is withheld too.
   - Then one program over every block lifts as many numbers to k as it can (its table is
     the number's witness, for the audit); for each number left, HiGHS picks the
     published numbers to withhold so that it can reach k: the fewest, and among as few
     the smallest (each costs 1 plus a fraction for its size). This is the single-cell
     protection model of Fischetti and Salazar that τ-ARGUS and sdcTable use, solved
     number after number: withholding more never undoes the protection of a number.
3. A number withheld before stays withheld, and one published before stays published with
   the same value, so that publications can be read together without contradiction.

Zeros may be withheld as complementary numbers: a withheld number can be zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse import csr_array

from app.disclosure.attacker import Attacker, reaching
from app.disclosure.model import NETWORK, Block, Cell, Counts, Known, blocks_of
from app.disclosure.solver import solve
from app.domain import indicators
from app.domain.indicators import TOTAL


@dataclass(frozen=True)
class Pattern:
    """The numbers of one block a publication withholds, and those it could not protect
    (the register or the structure leaves no way)."""

    withheld: frozenset[Cell]
    primary: frozenset[Cell]
    unprotected: frozenset[Cell]
    # For withheld numbers below k: a table consistent with what is published where the
    # number reaches k, for the audit to check.
    witnesses: dict[Cell, np.ndarray]


def suppress(
    counts: Counts,
    new_cells: Sequence[Cell],
    earlier: Sequence[Known],
    withheld_earlier: frozenset[Cell],
    k: int,
) -> Pattern:
    """The numbers of `new_cells` to withhold, given what was published (`earlier`) and
    withheld (`withheld_earlier`) before in their blocks."""
    value = {cell: counts.value(cell) for cell in {*new_cells, *withheld_earlier}}
    published_earlier = {known.cell for known in earlier}
    primary = frozenset(c for c in new_cells if 1 <= value[c] < k)
    withheld = set(primary) | {c for c in new_cells if c in withheld_earlier}
    candidates = [c for c in new_cells if c not in withheld and c not in published_earlier]
    targets = sorted(
        (c for c in {*withheld, *withheld_earlier} if value[c] < k),
        key=lambda c: (value[c], c),
    )
    _give_partners(
        [*new_cells, *published_earlier, *withheld_earlier], withheld, set(candidates), value, k
    )
    targets += sorted(c for c in withheld if c not in primary and value[c] < k)
    known_of: dict[tuple[str, str], list[Known]] = {}
    for known in earlier:
        known_of.setdefault((known.cell.period, known.cell.family), []).append(known)
    candidates_of = blocks_of(candidates)
    unprotected: set[Cell] = set()
    witnesses: dict[Cell, np.ndarray] = {}
    pending = targets
    while pending:
        # Every number a table consistent with what is published lifts to k is protected
        # (one program for every block); the others are looked at one by one, one per
        # block and round, and the solver withholds more where they can be proven small.
        told = [*earlier, *(Known(c, value[c], value[c]) for c in candidates if c not in withheld)]
        reached = reaching(counts, told, pending, k)
        left: list[Cell] = []
        changed: set[tuple[str, str]] = set()
        for target, witness in zip(pending, reached, strict=True):
            key = (target.period, target.family)
            if witness is not None:
                witnesses[target] = witness
                continue
            if key in changed:
                left.append(target)
                continue
            block = Block.of(counts, [key])
            before = known_of.get(key, [])
            free = [c for c in candidates_of.get(key, []) if c not in withheld]
            one = Attacker(block, [*before, *(Known(c, value[c], value[c]) for c in free)])
            highest = one.highest(block.columns(target))
            if highest is None or highest >= k:
                continue
            more = _protect(block, counts, target, k, before, free, value)
            if more is None:
                unprotected.add(target)
                continue
            withheld |= more
            changed.add(key)
            # A number withheld to protect another needs protecting too when it is below k
            # (a withheld zero must not be pinned either).
            left += sorted(c for c in more if value[c] < k)
        pending = left
    return Pattern(frozenset(withheld), primary, frozenset(unprotected), witnesses)


def _give_partners(
    cells: Sequence[Cell], withheld: set[Cell], free: set[Cell], value: dict[Cell, int], k: int
) -> None:
    """A quick start before the solver, sum by sum: where a published sum has a single
    withheld part, that part is the sum minus the others; where a withheld part below k
    could rise to k only if the other withheld parts fell by more than they hold, it is
    proven small. Withhold the smallest free part beside it that makes up the difference
    (the largest when none does; never a zero: a zero beside a published zero sum stays
    zero), until every sum is settled or has no part left to give. The solver then checks
    every number and withholds more where the sums' crossings still give one away."""
    present = set(cells)
    places: dict[tuple[str, str, str], list[Cell]] = {}
    for cell in sorted(present):
        if cell.org_unit != NETWORK:
            places.setdefault((cell.period, cell.element, cell.combo), []).append(cell)
    sums: list[tuple[Cell, list[Cell]]] = []
    for cell in sorted(present):
        parts: list[Cell] = []
        if cell.combo == TOTAL:
            element = indicators.BY_CODE[cell.element]
            parts = [Cell(cell.period, cell.element, c, cell.org_unit) for c in element.combo_codes]
        elif cell.org_unit == NETWORK:
            parts = places.get((cell.period, cell.element, cell.combo), [])
        parts = [p for p in parts if p in present]
        if len(parts) > 1:
            sums.append((cell, parts))
    changed = True
    while changed:
        changed = False
        for whole, parts in sums:
            if whole in withheld:
                continue
            hidden = [p for p in parts if p in withheld]
            if not hidden:
                continue
            room = sum(value[p] for p in hidden)
            # A single withheld part needs a partner; a part t below k needs the others
            # to be able to fall by k − t, that is the withheld parts to hold k together.
            need = 1 if len(hidden) == 1 else 0
            if any(value[p] < k for p in hidden):
                need = max(need, k - room)
            partners = sorted(
                (value[p], p) for p in parts if p in free and p not in withheld and value[p]
            )
            if need <= 0 or not partners:
                continue
            enough = [p for v, p in partners if v >= need]
            withheld.add(enough[0] if enough else partners[-1][1])
            changed = True


def _protect(
    block: Block,
    counts: Counts,
    target: Cell,
    k: int,
    earlier: Sequence[Known],
    free: Sequence[Cell],
    value: dict[Cell, int],
) -> set[Cell] | None:
    """The cheapest published numbers to withhold so that `target` can reach k: a change y
    of the atoms (whole numbers, atoms stay ≥ 0) that raises `target` to k, leaves every
    number still published as it is, and keeps equal totals equal; a number may change
    only if it is withheld (z = 1)."""
    n, m = block.size, len(free)

    def columns(cell: Cell) -> list[int]:
        return block.columns(cell)

    values = np.array(block.values, dtype=float)
    step = float(k)
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add(entries: list[tuple[int, float]], low: float, high: float) -> None:
        row = len(lower)
        for column, coefficient in entries:
            rows.append(row)
            cols.append(column)
            data.append(coefficient)
        lower.append(low)
        upper.append(high)

    target_columns = columns(target)
    add(
        [(i, 1.0) for i in target_columns],
        k - float(values[target_columns].sum()),
        np.inf,
    )
    for plus, minus in block.equalities:
        add([(i, 1.0) for i in plus] + [(i, -1.0) for i in minus], 0.0, 0.0)
    for known in earlier:
        known_columns = columns(known.cell)
        now = float(values[known_columns].sum())
        add([(i, 1.0) for i in known_columns], known.low - now, known.high - now)
    total = 1.0 + sum(value[c] for c in free)
    cost = np.zeros(n + m)
    for j, cell in enumerate(free):
        cell_columns = columns(cell)
        bound = step * len(cell_columns)
        entries = [(i, 1.0) for i in cell_columns]
        add([*entries, (n + j, -bound)], -np.inf, 0.0)
        add([*entries, (n + j, bound)], 0.0, np.inf)
        cost[n + j] = 1.0 + value[cell] / total
    matrix = csr_array((data, (rows, cols)), shape=(len(lower), n + m))
    result = solve(
        cost,
        constraints=[LinearConstraint(matrix, np.array(lower), np.array(upper))],
        bounds=Bounds(
            np.concatenate([np.maximum(-values, -step), np.zeros(m)]),
            np.concatenate([np.full(n, step), np.ones(m)]),
        ),
        integrality=np.ones(n + m),
    )
    if result.status == 2:
        return None
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"HiGHS: {result.message}")
    return {cell for j, cell in enumerate(free) if result.x[n + j] > 0.5}
