"""The linear model of what a network publishes (docs/disclosure-control.md).

The finest numbers anyone may ever publish are the *atoms*: one cell of one table for one
municipality and one month (the desks of a municipality added together). Every published
number is a sum of atoms: a municipality's cell is one atom, its total the atoms of its
row, the network's cell the atoms of every municipality that sent counts that month. What
a publication tells about a number is an interval (a value: the interval of one point; a
rounded value: the interval the rounding leaves open); a withheld number tells nothing.

Months are never added together and tables are only tied to the tables counting the same
people, so the model falls apart into independent *blocks*: one month × one set of tables
with the same total. What is proven of a block holds whatever the others say, so many
blocks go into one program when one question is asked of all of them (HiGHS answers one
large program much faster than many small ones), and into a program of their own when a
question is about one number.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain import indicators
from app.domain.indicators import TOTAL, DataElement

# The org unit of the network as a whole, before it is given its DHIS2 code.
NETWORK = "*"


@dataclass(frozen=True, order=True)
class Cell:
    """A number a publication can carry."""

    period: str  # "2026-07"
    element: str  # data element code
    combo: str  # category option combo code, or TOTAL for the table's total
    org_unit: str  # a municipality's NIS code, or NETWORK

    @property
    def family(self) -> str:
        return family_of(self.element)


@dataclass(frozen=True, order=True)
class Atom:
    period: str
    element: str
    combo: str
    nis: str


@dataclass(frozen=True)
class Known:
    """What has been published of a cell: low ≤ value ≤ high (low == high: the value)."""

    cell: Cell
    low: int
    high: int


_FAMILY = {e.code: together[0].code for together in indicators.SAME_TOTAL for e in together}


def family_of(element: str) -> str:
    """The tables decided together: the set of tables with the same total, by its first."""
    return _FAMILY.get(element, element)


def cells_of(element: DataElement, period: str, org_units: Iterable[str]) -> list[Cell]:
    """The cells one table publishes for one month: each combo, and the total when the
    combos add up."""
    combos = [*element.combo_codes, *([TOTAL] if element.has_total else [])]
    return [Cell(period, element.code, combo, org) for org in org_units for combo in combos]


@dataclass(frozen=True)
class Layout:
    """One month × one family: its atoms numbered from 0 (`index`), their values, and the
    equalities of the tables with the same total."""

    values: tuple[int, ...]
    equalities: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    index: dict[Atom, int]


@dataclass
class Counts:
    """The true numbers behind a publication: every atom, and which municipalities the
    network had counts from in each month. Not changed once made: what is worked out of
    them is remembered."""

    atoms: dict[Atom, int]
    municipalities: dict[str, tuple[str, ...]]  # period → NIS codes
    _layouts: dict[tuple[str, str], Layout] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _columns: dict[Cell, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def atoms_of(self, cell: Cell) -> tuple[Atom, ...]:
        element = indicators.BY_CODE[cell.element]
        combos = element.combo_codes if cell.combo == TOTAL else (cell.combo,)
        places = (
            self.municipalities.get(cell.period, ())
            if cell.org_unit == NETWORK
            else (cell.org_unit,)
        )
        return tuple(Atom(cell.period, cell.element, c, nis) for nis in places for c in combos)

    def value(self, cell: Cell) -> int:
        return sum(self.atoms.get(atom, 0) for atom in self.atoms_of(cell))

    def layout(self, period: str, family: str) -> Layout:
        key = (period, family)
        if key not in self._layouts:
            atoms = tuple(
                Atom(period, e.code, c, nis)
                for e in indicators.ELEMENTS
                if family_of(e.code) == family
                for nis in self.municipalities.get(period, ())
                for c in e.combo_codes
            )
            index = {atom: i for i, atom in enumerate(atoms)}
            equalities = tuple(
                (tuple(index[a] for a in first), tuple(index[a] for a in other))
                for first, other in self.same_totals(period, family)
            )
            values = tuple(self.atoms.get(a, 0) for a in atoms)
            self._layouts[key] = Layout(values, equalities, index)
        return self._layouts[key]

    def columns(self, cell: Cell) -> tuple[int, ...]:
        """Where the atoms of `cell` are in the layout of its month and family."""
        if cell not in self._columns:
            index = self.layout(cell.period, cell.family).index
            self._columns[cell] = tuple(index[a] for a in self.atoms_of(cell))
        return self._columns[cell]

    def same_totals(self, period: str, family: str) -> list[tuple[list[Atom], list[Atom]]]:
        """The tables of a family count the same people: per municipality their totals are
        equal. Only equalities that hold in the true numbers are returned (a desk's file
        where they do not is the desk's matter, and an attacker who assumed them would be
        wrong)."""
        equal: list[tuple[list[Atom], list[Atom]]] = []
        together = next((t for t in indicators.SAME_TOTAL if t[0].code == family), ())
        for nis in self.municipalities.get(period, ()):
            rows = [[Atom(period, e.code, c, nis) for c in e.combo_codes] for e in together]
            for first, other in itertools.pairwise(rows):
                if sum(self.atoms.get(a, 0) for a in first) == sum(
                    self.atoms.get(a, 0) for a in other
                ):
                    equal.append((first, other))
        return equal


@dataclass
class Block:
    """Blocks of one month × one family side by side in one program: their atoms numbered
    one after the other, and the equalities between them. Blocks share no atom, so one
    program over several answers for each of them."""

    counts: Counts
    offsets: dict[tuple[str, str], int]  # (period, family) → where its atoms start
    values: list[int]
    equalities: list[tuple[list[int], list[int]]]

    @classmethod
    def of(cls, counts: Counts, keys: Iterable[tuple[str, str]]) -> Block:
        offsets: dict[tuple[str, str], int] = {}
        values: list[int] = []
        equalities: list[tuple[list[int], list[int]]] = []
        for key in sorted(set(keys)):
            layout = counts.layout(*key)
            start = offsets[key] = len(values)
            values += layout.values
            equalities += [
                ([start + i for i in first], [start + i for i in other])
                for first, other in layout.equalities
            ]
        return cls(counts, offsets, values, equalities)

    @property
    def size(self) -> int:
        return len(self.values)

    def columns(self, cell: Cell) -> list[int]:
        start = self.offsets[(cell.period, cell.family)]
        return [start + i for i in self.counts.columns(cell)]


def blocks_of(cells: Iterable[Cell]) -> dict[tuple[str, str], list[Cell]]:
    """Cells by the block they belong to: (period, family)."""
    grouped: dict[tuple[str, str], list[Cell]] = {}
    for cell in cells:
        grouped.setdefault((cell.period, cell.family), []).append(cell)
    return grouped
