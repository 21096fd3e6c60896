"""A publication protected together with everything published before it (the register),
and proven by the audit before anything is written (docs/disclosure-control.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.disclosure import rounding
from app.disclosure.attacker import Attacker
from app.disclosure.model import Block, Cell, Counts, Known, blocks_of
from app.disclosure.suppression import suppress_block
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
    cells = list(cells)
    values: dict[Cell, int | None] = {}
    known: dict[Cell, Known] = {}
    primary: set[Cell] = set()
    if method is Method.ROUND5:
        for cell in cells:
            atoms = counts.atoms_of(cell)
            value = sum(rounding.rounded(a, counts.atoms.get(a, 0), secret) for a in atoms)
            values[cell] = value
            spread = rounding.spread(len(atoms))
            known[cell] = Known(cell, max(0, value - spread), value + spread)
    else:
        for (period, family), group in blocks_of(cells).items():
            block = Block.of(counts, period, family)
            in_block = [
                known
                for known in earlier.known.values()
                if (known.cell.period, known.cell.family) == (period, family)
            ]
            pattern = suppress_block(
                block,
                lambda cell, block=block: block.columns(counts, cell),  # type: ignore[misc]
                group,
                in_block,
                frozenset(c for c in earlier.withheld if (c.period, c.family) == (period, family)),
                k,
            )
            primary |= pattern.primary
            for cell in group:
                if cell in pattern.withheld:
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
        {**earlier.withheld, **withheld},
        {(c.period, c.family) for c in cells},
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
) -> tuple[list[Finding], int]:
    """Every withheld number below its k must be able to reach k, and no rounded number
    from 1 to 4 may be proven to lie in 1 … 4, given everything published in its block."""
    findings: list[Finding] = []
    audited = 0
    for period, family in sorted(set(blocks)):
        block = Block.of(counts, period, family)

        def columns(cell: Cell, block: Block = block) -> list[int]:
            return block.columns(counts, cell)

        rows = [
            (columns(k.cell), k.low, k.high)
            for k in known.values()
            if (k.cell.period, k.cell.family) == (period, family)
        ]
        attacker = Attacker(len(block.atoms), block.equalities, rows)
        below = [
            (cell, threshold)
            for cell, threshold in sorted(withheld.items())
            if (cell.period, cell.family) == (period, family) and counts.value(cell) < threshold
        ]
        audited += len(below)
        for threshold in sorted({t for _cell, t in below}):
            cells = [cell for cell, t in below if t == threshold]
            reached = attacker.reaching([columns(c) for c in cells], threshold)
            for cell, done in zip(cells, reached, strict=True):
                if done:
                    continue
                high = attacker.highest(columns(cell))
                if high is not None and high < threshold:
                    findings.append(
                        Finding(cell, counts.value(cell), attacker.lowest(columns(cell)), high)
                    )
        for cell, told in sorted(known.items()):
            if (cell.period, cell.family) != (period, family) or told.low == told.high:
                continue
            value = counts.value(cell)
            if value not in ROUNDED_SMALL:
                continue
            audited += 1
            high = attacker.highest(columns(cell))
            if high is not None and high < rounding.BASE:
                low = attacker.lowest(columns(cell))
                if low >= 1:
                    findings.append(Finding(cell, value, low, high))
    return findings, audited
