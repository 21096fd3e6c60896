"""A publication protected together with everything published before it (the register),
and proven by the audit before anything is written (docs/disclosure-control.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.disclosure import rounding, shares
from app.disclosure.attacker import Attacker, consistent, reaching
from app.disclosure.model import Block, Cell, Counts, Known, blocks_of
from app.disclosure.suppression import Pattern, suppress
from app.domain.disclosure import Method

ROUNDED_SMALL = range(1, rounding.BASE)


@dataclass(frozen=True)
class Earlier:
    """What the register holds: the numbers published before (values, or the interval a
    rounded number leaves open) and the numbers withheld, each with the k it was withheld
    under."""

    known: Mapping[Cell, Known] = field(default_factory=dict)
    withheld: Mapping[Cell, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A number the audit could not protect: what anyone can prove of it."""

    cell: Cell
    value: int
    low: int
    high: int | None


@dataclass(frozen=True)
class Protected:
    values: dict[Cell, int | None]  # every number of the publication; None: withheld
    known: dict[Cell, Known]  # what it tells, for the register
    primary: frozenset[Cell]  # withheld because small
    findings: tuple[Finding, ...]  # the audit's failures: empty, or nothing may be written
    audited: int  # withheld or small numbers whose interval the audit computed
    withheld_sum: int  # the numbers withheld, added up (the information lost)
    published_sum: int

    @property
    def withheld(self) -> list[Cell]:
        return sorted(c for c, v in self.values.items() if v is None)


class Revised(Exception):
    """Numbers published before have changed since (a desk sent a new revision)."""

    def __init__(self, cells: Sequence[Cell]) -> None:
        super().__init__(cells)
        self.cells = list(cells)


def protect(
    counts: Counts,
    cells: Iterable[Cell],
    earlier: Earlier,
    method: Method,
    k: int,
    secret: bytes,
) -> Protected:
    """`cells` published with `method`, protected together with what the register holds
    (`earlier`) and audited. Suppression aims every withheld number at k; the audit holds a
    number withheld before to the larger of its own k and this one, so publishing under a
    smaller k than before can fail it (the publication service keeps one k per register).
    """
    cells = list(cells)
    values: dict[Cell, int | None] = {}
    known: dict[Cell, Known] = {}
    primary: set[Cell] = set()
    witnesses: dict[Cell, np.ndarray] = {}
    if method is Method.ROUND5:
        for cell in cells:
            atoms = counts.atoms_of(cell)
            value = sum(rounding.rounded(a, counts.atoms.get(a, 0), secret) for a in atoms)
            values[cell] = value
            spread = rounding.spread(len(atoms))
            known[cell] = Known(cell, max(0, value - spread), value + spread)
    else:
        grouped = blocks_of(cells)

        def suppressed(keys: list[tuple[str, str]]) -> Pattern:
            mine = set(keys)
            return suppress(
                counts,
                [cell for key in keys for cell in grouped[key]],
                [k for k in earlier.known.values() if (k.cell.period, k.cell.family) in mine],
                frozenset(c for c in earlier.withheld if (c.period, c.family) in mine),
                k,
            )

        withheld_now: set[Cell] = set()
        for pattern in shares.each(
            suppressed, shares.split({key: len(group) for key, group in grouped.items()})
        ):
            withheld_now |= pattern.withheld
            primary |= pattern.primary
            witnesses |= pattern.witnesses
        for cell in cells:
            if cell in withheld_now:
                values[cell] = None
            else:
                value = counts.value(cell)
                values[cell] = value
                known[cell] = Known(cell, value, value)
    revised = [
        cell
        for cell, now in known.items()
        if cell in earlier.known
        and (earlier.known[cell].low, earlier.known[cell].high) != (now.low, now.high)
    ]
    if revised:
        raise Revised(revised)
    withheld = {c: k for c, v in values.items() if v is None}
    findings, audited = audit(
        counts,
        {**earlier.known, **known},
        # A number withheld before keeps the larger of its k and this one.
        {
            c: max(earlier.withheld.get(c, 0), withheld.get(c, 0))
            for c in {*earlier.withheld, *withheld}
        },
        {(c.period, c.family) for c in cells},
        witnesses,
    )
    return Protected(
        values,
        known,
        frozenset(primary),
        tuple(findings),
        audited,
        sum(counts.value(c) for c in withheld),
        sum(v for v in values.values() if v is not None),
    )


def audit(
    counts: Counts,
    known: Mapping[Cell, Known],
    withheld: Mapping[Cell, int],
    blocks: Iterable[tuple[str, str]],
    witnesses: Mapping[Cell, np.ndarray] | None = None,
) -> tuple[list[Finding], int]:
    """Every withheld number below its k must be able to reach k, and no rounded number
    from 1 to 4 may be proven to lie in 1 … 4, given everything published in its block.
    A number is cleared by a table of its block consistent with everything published in
    which it reaches k (or 5): the `witnesses` the protection found, checked again here
    without the solver, or tables HiGHS finds."""
    told = blocks_of(k.cell for k in known.values())
    weights = {key: len(told.get(key, ())) + 1 for key in set(blocks)}
    done = shares.each(
        lambda keys: _audit(counts, known, withheld, set(keys), witnesses or {}),
        shares.split(weights),
    )
    findings = sorted((f for found, _count in done for f in found), key=lambda f: f.cell)
    return findings, sum(count for _found, count in done)


def _audit(
    counts: Counts,
    known: Mapping[Cell, Known],
    withheld: Mapping[Cell, int],
    keys: set[tuple[str, str]],
    witnesses: Mapping[Cell, np.ndarray],
) -> tuple[list[Finding], int]:
    """The audit of some blocks: the witnesses checked block by block, then one program
    over all the blocks for the numbers left, then each number still left bounded in its
    own block."""
    told: dict[tuple[str, str], list[Known]] = {}
    for k in known.values():
        if (k.cell.period, k.cell.family) in keys:
            told.setdefault((k.cell.period, k.cell.family), []).append(k)
    below = sorted(
        (threshold, cell)
        for cell, threshold in withheld.items()
        if (cell.period, cell.family) in keys and counts.value(cell) < threshold
    )
    cleared = _checked(counts, told, below, witnesses)
    small = sorted(
        k.cell
        for mine in told.values()
        for k in mine
        if k.low != k.high and counts.value(k.cell) in ROUNDED_SMALL
    )
    # (threshold, cells, rounded): a withheld number fails if it is proven below its k, a
    # rounded one if it is proven to lie in 1 … 4.
    questions = [
        (t, [c for t2, c in below if t2 == t and c not in cleared], False)
        for t in sorted({t for t, _c in below})
    ]
    questions.append((rounding.BASE, small, True))
    everything = [k for mine in told.values() for k in mine]
    findings: list[Finding] = []
    for threshold, asked, rounded in questions:
        reached = reaching(counts, everything, asked, threshold)
        for cell, witness in zip(asked, reached, strict=True):
            if witness is not None:
                continue
            key = (cell.period, cell.family)
            one = Attacker(Block.of(counts, [key]), told.get(key, []))
            columns = one.block.columns(cell)
            high = one.highest(columns)
            if high is None or high >= threshold:
                continue
            low = one.lowest(columns)
            if not rounded or low >= 1:
                findings.append(Finding(cell, counts.value(cell), low, high))
    return findings, len(below) + len(small)


def _checked(
    counts: Counts,
    told: Mapping[tuple[str, str], Sequence[Known]],
    below: Sequence[tuple[int, Cell]],
    witnesses: Mapping[Cell, np.ndarray],
) -> set[Cell]:
    """The numbers whose witness is a table that could be the truth and where the number
    reaches its k."""
    offered: dict[tuple[str, str], list[tuple[int, Cell]]] = {}
    for threshold, cell in below:
        if cell in witnesses:
            offered.setdefault((cell.period, cell.family), []).append((threshold, cell))
    cleared: set[Cell] = set()
    for key, asked in offered.items():
        tables: dict[int, np.ndarray] = {}
        for _threshold, cell in asked:
            tables.setdefault(id(witnesses[cell]), witnesses[cell])
        verdicts = consistent(counts, key, list(tables.values()), told.get(key, []))
        holds = dict(zip(tables, verdicts, strict=True))
        for threshold, cell in asked:
            table = witnesses[cell]
            if holds[id(table)] and table[list(counts.columns(cell))].sum() >= threshold:
                cleared.add(cell)
    return cleared
