"""A publication of the network's numbers, after disclosure control: what the formats
(app/reports) write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.disclosure import Group, Method
from app.domain.indicators import DataElement
from app.domain.periods import Month
from app.i18n import _

# How a withheld number is shown in tables people read.
WITHHELD = "x"


class Level(StrEnum):
    NETWORK = "network"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class PublishedGroup:
    element: DataElement
    org_unit: str
    period: Month
    group: Group


@dataclass(frozen=True)
class Publication:
    method: Method
    k: int
    level: Level
    months: list[Month]
    org_units: dict[str, str]  # code → name
    groups: list[PublishedGroup]
    sources: list[str]  # "desk period revision", the files behind the numbers
    created_at: datetime

    def suppressed(self) -> list[tuple[str, str, str, str]]:
        """(data element, category option combo, org unit, period) of every withheld cell."""
        return [
            (g.element.code, combo, g.org_unit, g.period.dhis2)
            for g in self.groups
            for combo in g.group.suppressed
        ]

    def value(self, element: DataElement, org_unit: str, period: Month) -> Group:
        for g in self.groups:
            if (g.element, g.org_unit, g.period) == (element, org_unit, period):
                return g.group
        raise KeyError((element.code, org_unit, str(period)))


def method_text(publication: Publication) -> str:
    """The disclosure control applied, for the people reading the tables."""
    if publication.method is Method.ROUND5:
        return _("every number rounded to a multiple of 5 (no number from 1 to 4 is shown)")
    return _(
        "numbers from 1 to {below} withheld, and other numbers where they would let a "
        "withheld one be worked out (k = {k})"
    ).format(below=publication.k - 1, k=publication.k)
