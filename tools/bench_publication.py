"""Bench of disclosure control (`make bench`): a network of 20 desks, each in its own
municipality, publishes twelve months at both levels; every month and level is protected
together with what was published before and audited. Also the generator of such networks
for the tests (numbers drawn like a desk's: a few dozen people a month spread over the
cells, many small cells)."""

from __future__ import annotations

import random
import sys
import time

from app.disclosure.model import NETWORK, Atom, Cell, Counts, cells_of
from app.disclosure.protection import Earlier, Protected, protect
from app.domain import indicators
from app.domain.disclosure import DEFAULT_K, Method
from app.domain.periods import Month

BUDGET_SECONDS = 10.0
FIRST_NIS = 62000


def network_counts(desks: int, months: list[str], seed: int, people: int = 30) -> Counts:
    """Counts of `desks` municipalities: per month about `people` people per desk, split
    over every table's cells with uneven weights; tables with the same total split the same
    number."""
    draw = random.Random(seed)
    places = tuple(str(FIRST_NIS + 3 * i) for i in range(desks))
    atoms: dict[Atom, int] = {}
    weights = {
        e.code: [draw.expovariate(1.0) ** 2 for _combo in e.combo_codes]
        for e in indicators.ELEMENTS
    }
    for period in months:
        for nis in places:
            for together in indicators.SAME_TOTAL:
                total = max(0, round(draw.gauss(people, people / 3)))
                for element in together:
                    _split(atoms, draw, element, period, nis, total, weights[element.code])
            grouped = {e.code for together in indicators.SAME_TOTAL for e in together}
            for element in indicators.ELEMENTS:
                if element.code in grouped or not element.about_people:
                    continue
                total = max(0, round(draw.gauss(people / 3, people / 6)))
                _split(atoms, draw, element, period, nis, total, weights[element.code])
    return Counts(atoms, dict.fromkeys(months, places))


def _split(
    atoms: dict[Atom, int],
    draw: random.Random,
    element: indicators.DataElement,
    period: str,
    nis: str,
    total: int,
    weights: list[float],
) -> None:
    for combo in draw.choices(element.combo_codes, weights=weights, k=total):
        atom = Atom(period, element.code, combo, nis)
        atoms[atom] = atoms.get(atom, 0) + 1


def publication_cells(counts: Counts, periods: list[str], network: bool) -> list[Cell]:
    """The cells of every table about people, for `periods`, at one level."""
    return [
        cell
        for period in periods
        for element in indicators.ELEMENTS
        if element.about_people
        for cell in cells_of(
            element, period, [NETWORK] if network else counts.municipalities[period]
        )
    ]


def remember(earlier: Earlier, done: Protected, k: int) -> Earlier:
    """The register after `done` is published."""
    return Earlier(
        {**earlier.known, **done.known},
        {**earlier.withheld, **{c: k for c in done.withheld}},
    )


def main() -> int:
    months = [str(Month(2026, 1).shifted(i)) for i in range(12)]
    counts = network_counts(20, months, seed=2026)
    started = time.perf_counter()
    earlier = Earlier()
    withheld = findings = 0
    for network in (True, False):
        done = protect(
            counts,
            publication_cells(counts, months, network),
            earlier,
            Method.SUPPRESS,
            DEFAULT_K,
            b"bench",
        )
        earlier = remember(earlier, done, DEFAULT_K)
        withheld += len(done.withheld)
        findings += len(done.findings)
    elapsed = time.perf_counter() - started
    verdict = "ok" if elapsed <= BUDGET_SECONDS and not findings else "MISSED"
    print(
        f"publication: 20 desks × 12 months, network then municipalities, protected "
        f"together and audited: {elapsed:.1f} s (budget {BUDGET_SECONDS:.0f} s), "
        f"{len(earlier.known) + len(earlier.withheld)} numbers, {withheld} withheld, "
        f"{findings} unprotected: {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
