"""Which numbers a suppressed publication withholds (docs/disclosure-control.md).

1. **Primary**: every number about people from 1 to k − 1, at every level, and the totals
   too.
2. **Complementary**, chosen by optimisation: for each withheld number that anyone could
   still prove to be below k from what is published (now and before, in the register),
   HiGHS picks the published numbers to withhold as well so that a table consistent with
   everything published exists in which that number reaches k: the fewest numbers, and
   among as few, the smallest (each number withheld costs 1 plus a fraction for its
   size). This is the single-cell protection model of Fischetti and Salazar that τ-ARGUS
   and sdcTable use, solved cell after cell: withholding more never undoes the
   protection of a cell already done.
3. A number withheld before stays withheld, and one published before stays published with
   the same value, so that publications can be read together without contradiction.

Zeros may be withheld as complementary numbers: a withheld number can be zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse import csr_array

from app.disclosure.attacker import Attacker
from app.disclosure.model import NETWORK, Block, Cell, Known
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


def suppress_block(
    block: Block,
    columns: Callable[[Cell], list[int]],
    new_cells: Sequence[Cell],
    earlier: Sequence[Known],
    withheld_earlier: frozenset[Cell],
    k: int,
) -> Pattern:
    value = {cell: sum(block.values[i] for i in columns(cell)) for cell in new_cells}
    published_earlier = {known.cell for known in earlier}
    primary = frozenset(c for c in new_cells if 1 <= value[c] < k)
    withheld = set(primary) | {c for c in new_cells if c in withheld_earlier}
    candidates = [c for c in new_cells if c not in withheld and c not in published_earlier]
    targets = sorted(
        (c for c in {*withheld, *withheld_earlier} if sum(block.values[i] for i in columns(c)) < k),
        key=lambda c: (sum(block.values[i] for i in columns(c)), c),
    )
    _no_single_withheld(
        [*new_cells, *published_earlier, *withheld_earlier],
        withheld,
        {c for c in candidates},
        value,
    )
    targets += sorted(c for c in withheld if c not in primary and value[c] < k)
    unprotected: set[Cell] = set()
    attacker = _attacker(block, columns, earlier, candidates, withheld, value)
    pending, fresh = targets, True
    while pending:
        if fresh:
            reached = attacker.reaching([columns(c) for c in pending], k)
            pending = [c for c, done in zip(pending, reached, strict=True) if not done]
            fresh = False
            continue
        target = pending.pop(0)
        highest = attacker.highest(columns(target))
        if highest is None or highest >= k:
            continue
        free = [c for c in candidates if c not in withheld]
        more = _protect(block, columns, target, k, earlier, free, value)
        if more is None:
            unprotected.add(target)
            continue
        withheld |= more
        # A number withheld to protect another needs protecting too when it is below k
        # (a withheld zero must not be pinned either).
        pending += sorted(c for c in more if value[c] < k)
        attacker = _attacker(block, columns, earlier, candidates, withheld, value)
        fresh = True
    return Pattern(frozenset(withheld), primary, frozenset(unprotected))


def _no_single_withheld(
    cells: Sequence[Cell], withheld: set[Cell], free: set[Cell], value: dict[Cell, int]
) -> None:
    """A quick start before the solver: where a published sum has exactly one withheld
    part, that part is the sum minus the others; withhold the smallest free part beside
    it (not a zero: a zero beside a published zero sum stays zero), until no sum has a
    single withheld part it can be given a partner for."""
    present = set(cells)
    sums: list[tuple[Cell, list[Cell]]] = []
    for cell in present:
        parts: list[Cell] = []
        if cell.combo == TOTAL:
            element = indicators.BY_CODE[cell.element]
            parts = [Cell(cell.period, cell.element, c, cell.org_unit) for c in element.combo_codes]
        elif cell.org_unit == NETWORK:
            parts = sorted(
                c
                for c in present
                if (c.period, c.element, c.combo) == (cell.period, cell.element, cell.combo)
                and c.org_unit != NETWORK
            )
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
            if len(hidden) != 1:
                continue
            partners = sorted(
                (value[p], p) for p in parts if p in free and p not in withheld and value[p]
            )
            if partners:
                withheld.add(partners[0][1])
                changed = True


def _attacker(
    block: Block,
    columns: Callable[[Cell], list[int]],
    earlier: Sequence[Known],
    candidates: Sequence[Cell],
    withheld: set[Cell],
    value: dict[Cell, int],
) -> Attacker:
    known = [(columns(k.cell), k.low, k.high) for k in earlier]
    known += [(columns(c), value[c], value[c]) for c in candidates if c not in withheld]
    return Attacker(len(block.atoms), block.equalities, known)


def _protect(
    block: Block,
    columns: Callable[[Cell], list[int]],
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
    n, m = len(block.atoms), len(free)
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
