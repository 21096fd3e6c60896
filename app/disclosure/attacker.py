"""What anyone can prove about a block from what has been published: for a number, the
smallest and largest value it can take given every published interval, that the atoms are
whole numbers ≥ 0, and that tables counting the same people have the same totals. This is
the audit step of statistical offices (τ-ARGUS, sdcTable), solved with HiGHS.

A linear program is solved first; when its optimum is already in whole numbers it is the
integer optimum (the tables' sums make most vertices integral), otherwise the integer
program is solved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse import csr_array, hstack

from app.disclosure.model import Block, Cell, Counts, Known
from app.disclosure.solver import solve

_INTEGRAL = 1e-6


class Inconsistent(Exception):
    """What is published cannot all be true: the counts changed since."""


class Attacker:
    """What is proven of the atoms of `block` by the intervals `told` of its numbers."""

    def __init__(self, block: Block, told: Iterable[Known]) -> None:
        self.block = block
        self.size = block.size
        rows: list[int] = []
        columns: list[int] = []
        data: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        for plus, minus in block.equalities:
            rows += [len(lower)] * (len(plus) + len(minus))
            columns += plus
            columns += minus
            data += [1.0] * len(plus) + [-1.0] * len(minus)
            lower.append(0.0)
            upper.append(0.0)
        for known in told:
            cells = block.columns(known.cell)
            rows += [len(lower)] * len(cells)
            columns += cells
            data += [1.0] * len(cells)
            lower.append(float(known.low))
            upper.append(float(known.high))
        count = len(lower)
        self.constraints = (
            [
                LinearConstraint(
                    csr_array((data, (rows, columns)), shape=(count, self.size)),
                    np.array(lower),
                    np.array(upper),
                )
            ]
            if count
            else []
        )
        self._bounds = Bounds(np.zeros(self.size), np.full(self.size, np.inf))

    def lift(self, targets: Sequence[Sequence[int]], k: int) -> np.ndarray | None:
        """A whole-number table consistent with everything published that lifts as many
        targets (sums of atoms) as it can to k, each counted up to k; None when the solver
        finds none. It proves each target it lifts can reach k; another target may still
        reach k in another table."""
        count = len(targets)
        cost = np.concatenate([np.zeros(self.size), -np.ones(count)])
        rows: list[int] = []
        columns: list[int] = []
        data: list[float] = []
        for row, target in enumerate(targets):
            rows.append(row)
            columns.append(self.size + row)
            data.append(1.0)
            for column in target:
                rows.append(row)
                columns.append(column)
                data.append(-1.0)
        lift = LinearConstraint(
            csr_array((data, (rows, columns)), shape=(count, self.size + count)),
            np.full(count, -np.inf),
            np.zeros(count),
        )
        constraints = [
            LinearConstraint(hstack([c.A, csr_array((c.A.shape[0], count))]).tocsr(), c.lb, c.ub)
            for c in self.constraints
        ]
        bounds = Bounds(
            np.zeros(self.size + count),
            np.concatenate([np.full(self.size, np.inf), np.full(count, float(k))]),
        )
        for integral in (0, 1):
            result = solve(
                cost,
                constraints=[*constraints, lift],
                bounds=bounds,
                integrality=np.concatenate([np.full(self.size, integral), np.zeros(count)]),
            )
            if result.status == 2:
                raise Inconsistent
            if result.x is None:
                return None
            x = result.x[: self.size]
            if integral or np.all(np.abs(x - np.round(x)) < _INTEGRAL):
                break
        table: np.ndarray = np.round(x)
        return table

    def highest(self, columns: Sequence[int]) -> int | None:
        """The largest value the sum of `columns` can take; None when nothing bounds it."""
        found = self._optimum(columns, -1.0)
        return None if found is None else -found

    def lowest(self, columns: Sequence[int]) -> int:
        found = self._optimum(columns, 1.0)
        assert found is not None  # atoms are ≥ 0
        return found

    def _optimum(self, columns: Sequence[int], sign: float) -> int | None:
        cost = np.zeros(self.size)
        cost[list(columns)] = sign
        for integral in (False, True):
            result = solve(
                cost,
                constraints=self.constraints,
                bounds=self._bounds,
                integrality=np.full(self.size, 1 if integral else 0),
            )
            if result.status == 3:
                return None
            if result.status == 2:
                raise Inconsistent
            if result.status != 0 or result.x is None:
                raise RuntimeError(f"HiGHS: {result.message}")
            x = result.x
            if integral or np.all(np.abs(x - np.round(x)) < _INTEGRAL):
                return round(float(result.fun))
        raise AssertionError("unreachable")


def reaching(
    counts: Counts, told: Sequence[Known], targets: Sequence[Cell], k: int
) -> list[np.ndarray | None]:
    """For each target, a whole-number table of its block, consistent with what is `told`,
    where it reaches k (its witness), or None if none is found. One program over the
    blocks of every target lifts most of them; the others are asked again in a program of
    their own blocks, while some are lifted. A target left None may still reach k:
    `Attacker.highest` decides."""
    told_in: dict[tuple[str, str], list[Known]] = {}
    for known in told:
        told_in.setdefault((known.cell.period, known.cell.family), []).append(known)
    witnesses: list[np.ndarray | None] = [None] * len(targets)
    left = list(range(len(targets)))
    while left:
        keys = {(targets[i].period, targets[i].family) for i in left}
        block = Block.of(counts, keys)
        attacker = Attacker(block, (known for key in keys for known in told_in.get(key, ())))
        table = attacker.lift([block.columns(targets[i]) for i in left], k)
        if table is None:
            break
        lifted = [i for i in left if table[block.columns(targets[i])].sum() >= k]
        if not lifted:
            break
        for i in lifted:
            key = (targets[i].period, targets[i].family)
            start = block.offsets[key]
            witnesses[i] = table[start : start + len(counts.layout(*key).values)]
        left = [i for i in left if witnesses[i] is None]
    return witnesses


def consistent(
    counts: Counts, key: tuple[str, str], tables: Sequence[np.ndarray], told: Sequence[Known]
) -> list[bool]:
    """Whether each table of the atoms of block `key` could be the truth: whole numbers ≥ 0,
    tables counting the same people with the same totals, every published number within
    what was told of it. A table that passes is a proof, checked without the solver."""
    if not tables:
        return []
    attacker = Attacker(Block.of(counts, [key]), told)
    candidates = np.column_stack(tables)
    whole = np.all(candidates >= 0, axis=0) & np.all(candidates == np.round(candidates), axis=0)
    for constraint in attacker.constraints:
        found = constraint.A @ candidates
        lower = constraint.lb[:, None] - _INTEGRAL
        upper = constraint.ub[:, None] + _INTEGRAL
        whole &= np.all((found >= lower) & (found <= upper), axis=0)
    return [bool(b) for b in whole]
