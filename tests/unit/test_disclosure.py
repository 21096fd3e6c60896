"""Disclosure control: what an adversary can work out from a published group is computed by
solving for the withheld cells, and no withheld cell may come out as one value."""

from __future__ import annotations

import itertools
import random
import statistics

import pytest

from app.domain import disclosure
from app.domain.disclosure import Group


def feasible_values(group: Group) -> dict[str, set[int]]:
    """Every value each withheld cell can take given what is published: withheld cells are
    at least 1 (zeros are published), and with a total they add up to what it leaves.
    Solved by brute force over all assignments: small groups only."""
    hidden = group.suppressed
    if group.total is None:
        return {combo: {1, 2} for combo in hidden}  # no equation: at least two values each
    remainder = group.total - sum(v for v in group.cells.values() if v is not None)
    options: dict[str, set[int]] = {combo: set() for combo in hidden}
    for values in itertools.product(range(1, remainder + 1), repeat=len(hidden)):
        if sum(values) == remainder:
            for combo, value in zip(hidden, values, strict=True):
                options[combo].add(value)
    return options


def bounds(group: Group) -> dict[str, tuple[int, int]]:
    """The same by interval propagation on the one equation, for groups of any size."""
    hidden = group.suppressed
    if group.total is None:
        return {combo: (1, 10**9) for combo in hidden}
    remainder = group.total - sum(v for v in group.cells.values() if v is not None)
    low = dict.fromkeys(hidden, 1)
    high = dict.fromkeys(hidden, remainder)
    changed = True
    while changed:
        changed = False
        for combo in hidden:
            others_low = sum(low[c] for c in hidden if c != combo)
            others_high = sum(high[c] for c in hidden if c != combo)
            new_low, new_high = (
                max(low[combo], remainder - others_high),
                min(high[combo], remainder - others_low),
            )
            if (new_low, new_high) != (low[combo], high[combo]):
                low[combo], high[combo], changed = new_low, new_high, True
    return {combo: (low[combo], high[combo]) for combo in hidden}


def cells_of(values: list[int]) -> dict[str, int]:
    return {f"C{i}": v for i, v in enumerate(values)}


@pytest.mark.parametrize(
    ("values", "k", "withheld"),
    [
        ([0, 0, 12, 7], 5, []),  # nothing small: all published
        ([3, 0, 12, 7], 5, ["C0", "C3"]),  # one small cell, the next-smallest joins it
        ([1, 1, 20], 5, ["C0", "C1", "C2"]),  # 1 + 1 < 5: the 20 must go too
        ([2, 3, 9, 30], 5, ["C0", "C1"]),  # 2 + 3 = 5 ≥ k and > 2 cells: safe
        ([4, 0, 0], 5, ["C0"]),  # total 4 < k: withheld with the cell
        ([1, 1, 1, 1, 1, 1], 5, ["C0", "C1", "C2", "C3", "C4", "C5"]),  # sum 6 = 6 cells
    ],
)
def test_known_groups(values: list[int], k: int, withheld: list[str]) -> None:
    group = disclosure.suppress(cells_of(values), k, with_total=True)
    assert group.suppressed == withheld
    for combo, value in group.cells.items():
        assert value is None or value == 0 or value >= k or combo not in withheld
    if values == [1, 1, 1, 1, 1, 1] or sum(values) < k:
        assert group.total is None
    else:
        assert group.total == sum(values)


def test_zeros_are_published_and_a_group_without_total_keeps_its_big_cells() -> None:
    group = disclosure.suppress(cells_of([0, 2, 40]), 5, with_total=False)
    assert group.cells == {"C0": 0, "C1": None, "C2": 40}
    assert group.total is None


@pytest.mark.parametrize("k", [3, 5, 11])
def test_no_withheld_cell_can_be_solved_for_small_groups(k: int) -> None:
    generator = random.Random(k)
    for _round in range(600):
        values = [
            generator.choice([0, 0, 1, 2, 3, 4, 5, 6, 9]) for _ in range(generator.randint(1, 4))
        ]
        group = disclosure.suppress(cells_of(values), k, with_total=True)
        for value in group.cells.values():
            if value is not None:
                assert value == 0 or value >= k, (values, group)
        if group.total is not None:
            assert group.total == 0 or group.total >= k
        for combo, options in feasible_values(group).items():
            assert len(options) >= 2, (values, k, group, combo, options)


@pytest.mark.parametrize("k", [3, 5, 7, 11])
def test_no_withheld_cell_can_be_solved_for_large_groups(k: int) -> None:
    generator = random.Random(100 + k)
    for _round in range(2000):
        size = generator.randint(1, 24)
        values = [generator.choice([0, 0, 0, 1, 1, 2, 3, 4, 6, 8, 15, 40]) for _ in range(size)]
        group = disclosure.suppress(cells_of(values), k, with_total=True)
        for combo, (low, high) in bounds(group).items():
            assert low < high, (values, k, group, combo)
            assert low <= dict(cells_of(values))[combo] <= high


def test_rounding_to_base_five_is_deterministic_unbiased_and_never_small() -> None:
    for value in range(0, 60):
        rounded = disclosure.round_to_base(value, f"key{value}")
        assert rounded % 5 == 0 and abs(rounded - value) < 5
        assert rounded == disclosure.round_to_base(value, f"key{value}")
        assert not 1 <= rounded <= 4
    draws = [disclosure.round_to_base(7, f"cell {i}") for i in range(4000)]
    assert set(draws) == {5, 10}
    assert statistics.mean(draws) == pytest.approx(7, abs=0.15)
    group = disclosure.round_group(cells_of([3, 0, 12]), "NET|2026-03|PVIF_X", with_total=True)
    assert group.cells["C1"] == 0
    assert all(v is not None and v % 5 == 0 for v in group.cells.values())
    assert group.total is not None and group.total % 5 == 0


def test_tables_of_the_same_people_never_give_away_each_others_cells() -> None:
    # Six situations, one of each of six types, but all with the same relationship: alone,
    # the relationship table would publish 6 and give away the six hidden ones.
    groups = disclosure.suppress_together(
        {"TYPE": cells_of([1, 1, 1, 1, 1, 1]), "CONTEXT": cells_of([6, 0])}, 5
    )
    assert groups["TYPE"].total is None and groups["CONTEXT"].total is None
    assert groups["CONTEXT"].cells == {"C0": None, "C1": 0}
    assert set(groups["TYPE"].cells.values()) == {None}


def solve_with_known_total(group: Group, total: int) -> dict[str, tuple[int, int]]:
    return bounds(Group(group.cells, total))


@pytest.mark.parametrize("k", [3, 5, 11])
def test_no_withheld_cell_can_be_solved_across_tables_of_the_same_total(k: int) -> None:
    """Two or three ways of splitting the same people: whatever one table publishes (its
    total, or all its cells) is used against the others, and still no withheld cell of any
    table comes out as one value."""
    generator = random.Random(7 * k)
    for _round in range(1500):
        total = generator.choice([0, 1, 2, 4, 5, 6, 7, 9, 12, 20, 40])
        tables = {}
        for name in ("A", "B", "C")[: generator.randint(2, 3)]:
            size = generator.randint(1, 8)
            split = [0] * size
            for _person in range(total):
                split[generator.randrange(size) if generator.random() < 0.7 else 0] += 1
            tables[name] = cells_of(split)
        groups = disclosure.suppress_together(tables, k)
        totals = {g.total for g in groups.values()}
        assert len(totals) == 1  # the same total, or withheld everywhere
        known = next(iter(totals))
        for group in groups.values():
            if known is None and None not in group.cells.values():
                known = sum(v for v in group.cells.values() if v is not None)
        for name, group in groups.items():
            for value in group.cells.values():
                assert value is None or value == 0 or value >= k
            if known is None:
                continue
            for combo, (low, high) in solve_with_known_total(group, known).items():
                assert low < high, (tables, k, name, group, combo)
