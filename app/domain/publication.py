"""A publication of the network's numbers, after disclosure control: what the formats
(app/reports) write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.disclosure import Group, Level, Method
from app.domain.indicators import DataElement
from app.domain.periods import Month
from app.i18n import _

# How a withheld number is shown in tables people read.
WITHHELD = "x"


@dataclass(frozen=True)
class PublishedGroup:
    element: DataElement
    org_unit: str
    period: Month
    group: Group


@dataclass(frozen=True)
class Verdict:
    """The audit of a publication (app/disclosure/protection.py), in the terms the
    coordinator reads: what is withheld and why, what is lost, what failed."""

    sensitive: int  # numbers withheld because they are small
    complementary: int  # numbers withheld to protect them
    audited: int  # withheld numbers whose interval the audit computed
    withheld_sum: int  # the withheld numbers added up
    published_sum: int  # the published numbers added up
    unprotected: list[str]  # what could not be protected, for people; empty: it passes

    @property
    def passed(self) -> bool:
        return not self.unprotected


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
    verdict: Verdict
    # What it tells of each number about people, for the register: (period, element,
    # combo or TOTAL, NIS code or "*" for the network) → (value published, lowest and
    # highest true value it leaves open), None when withheld.
    told: dict[tuple[str, str, str, str], tuple[int | None, int, int] | None]
    # The register it was protected together with, and the numbers of its months that
    # register held then: written later, it must not meet others.
    register_id: int
    protected_with: frozenset[tuple[str, str, str, str]]

    def suppressed(self) -> list[tuple[str, str | None, str, str]]:
        """(data element, category option combo, org unit, period) of every withheld cell,
        in the DHIS2 codes of the data (no combo for an element without disaggregation)."""
        return [
            (g.element.code, g.element.coc_code(combo), g.org_unit, g.period.dhis2)
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
        return _(
            "every number about people rounded to a multiple of 5 (no number from 1 to 4 is "
            "shown); totals and the network's numbers are the sums of the rounded numbers"
        )
    return _(
        "numbers from 1 to {below} withheld, and other numbers (zeros included) where they "
        "would let a withheld one be worked out, together with every earlier publication "
        "(k = {k})"
    ).format(below=publication.k - 1, k=publication.k)


def withheld_legend() -> str:
    return _("a number withheld to protect people; it may be zero")
