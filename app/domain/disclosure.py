"""Disclosure control for publication (docs/disclosure-control.md), group by group: the
cells of one data element for one org unit and one month, and the group's total.

Suppression:
1. primary: a cell with 1 ≤ n < k is suppressed; zeros are published;
2. complementary: when the total is published, the suppressed cells' sum is known, so
   the next-smallest non-zero cells are suppressed too until no suppressed cell can be
   worked out: at least two of them, summing to at least k and to more than their number
   (each is at least 1, so n cells summing to n would all be 1);
3. the total is published only when it is 0 or ≥ k and the cells behind it stay hidden;
   otherwise it is suppressed as well;
4. tables that count the same people two ways (contacts by role and by referral source)
   share their total, so they are decided together (`suppress_together`).

Rounding (the other method): unbiased random rounding to base 5, made deterministic by a
key of the cell, so a re-publication gives the same numbers and cannot be averaged away;
no value from 1 to 4 is ever published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_K = 5
MIN_K = 3
MAX_K = 11
BASE = 5


class Method(StrEnum):
    SUPPRESS = "suppress"
    ROUND5 = "round5"


@dataclass(frozen=True)
class Group:
    """What is published of a group: None where a number is withheld."""

    cells: dict[str, int | None]
    total: int | None

    @property
    def suppressed(self) -> list[str]:
        return [combo for combo, value in self.cells.items() if value is None]


def suppress(cells: dict[str, int], k: int, *, with_total: bool) -> Group:
    """Primary and complementary suppression of one group. `with_total` is False for groups
    whose cells do not add up (several forms per situation): no total is published."""
    hidden = {combo for combo, value in cells.items() if 1 <= value < k}
    total = sum(cells.values())
    publish_total = with_total and (total == 0 or total >= k)
    if publish_total and hidden:
        while not _safe(cells, hidden, k):
            candidates = sorted(
                (value, combo)
                for combo, value in cells.items()
                if value > 0 and combo not in hidden
            )
            if not candidates:
                # Every non-zero cell is hidden and still the total would give them away.
                publish_total = False
                break
            hidden.add(candidates[0][1])
    return Group(
        {combo: None if combo in hidden else value for combo, value in cells.items()},
        total if publish_total else None,
    )


def suppress_together(tables: dict[str, dict[str, int]], k: int) -> dict[str, Group]:
    """Suppression of tables that count the same people in different ways (contacts by
    role and by referral source): their totals are equal, so what one publishes, all do.
    If one cannot keep its withheld cells hidden with the total known, the total could
    still be read from another table's cells: then every non-zero cell of every table of
    the set is withheld, and every total."""
    groups = {code: suppress(cells, k, with_total=True) for code, cells in tables.items()}
    if all(group.total is not None for group in groups.values()):
        return groups
    return {
        code: Group({c: None if v else 0 for c, v in cells.items()}, None)
        for code, cells in tables.items()
    }


def _safe(cells: dict[str, int], hidden: set[str], k: int) -> bool:
    hidden_sum = sum(cells[combo] for combo in hidden)
    return len(hidden) >= 2 and hidden_sum >= k and hidden_sum > len(hidden)


def round_to_base(value: int, key: str) -> int:
    """`value` rounded down or up to a multiple of 5, up with probability (value mod 5) / 5,
    the draw fixed by `key` (the cell's identity and the records counted in it)."""
    remainder = value % BASE
    if remainder == 0:
        return value
    digest = hashlib.sha256(key.encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64
    return value - remainder + (BASE if draw < remainder / BASE else 0)


def round_group(
    cells: dict[str, int], key: str, *, with_total: bool, total_key: str | None = None
) -> Group:
    """Every cell rounded; the total drawn with `total_key` when given, so that tables with
    the same total (the same people counted two ways) publish the same rounded total."""
    total = sum(cells.values())
    return Group(
        {combo: round_to_base(value, f"{key}|{combo}|{value}") for combo, value in cells.items()},
        round_to_base(total, f"{total_key or key}|TOTAL|{total}") if with_total else None,
    )


def exact(cells: dict[str, int], *, with_total: bool) -> Group:
    """Numbers that are not about people (activities held, unit-nights) are published as
    they are."""
    return Group(dict(cells), sum(cells.values()) if with_total else None)
