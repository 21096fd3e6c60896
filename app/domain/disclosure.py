"""Disclosure control for publication (docs/disclosure-control.md): the methods, their
threshold, and what is published of one table for one org unit and one month. The rules
themselves are in app/disclosure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_K = 5
MIN_K = 3
MAX_K = 11
BASE = 5


class Method(StrEnum):
    SUPPRESS = "suppress"
    ROUND5 = "round5"


class Level(StrEnum):
    """How finely the numbers are published: for the whole network, or per municipality."""

    NETWORK = "network"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class Group:
    """What is published of a group: None where a number is withheld."""

    cells: dict[str, int | None]
    total: int | None

    @property
    def suppressed(self) -> list[str]:
        return [combo for combo, value in self.cells.items() if value is None]
