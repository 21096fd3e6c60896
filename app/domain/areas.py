"""Where a service works: the whole country, regions, provinces, or a list of municipalities,
and how close that is to a desk (local services are offered first).

Regions and provinces follow from a municipality's NIS code: its first digits name the
province (Statbel's REFNIS numbering), 21 is Brussels-Capital, and the nine municipalities of
the German-speaking Community are listed by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from app.i18n import N_


class Region(StrEnum):
    BRUSSELS = "brussels"
    FLANDERS = "flanders"
    WALLONIA = "wallonia"
    GERMAN_COMMUNITY = "german_community"


class Province(StrEnum):
    ANTWERP = "antwerp"
    FLEMISH_BRABANT = "flemish_brabant"
    WALLOON_BRABANT = "walloon_brabant"
    WEST_FLANDERS = "west_flanders"
    EAST_FLANDERS = "east_flanders"
    HAINAUT = "hainaut"
    LIEGE = "liege"
    LIMBURG = "limburg"
    LUXEMBOURG = "luxembourg"
    NAMUR = "namur"


REGION_LABELS = {
    Region.BRUSSELS: N_("Brussels-Capital Region"),
    Region.FLANDERS: N_("Flanders"),
    Region.WALLONIA: N_("Wallonia"),
    Region.GERMAN_COMMUNITY: N_("German-speaking Community"),
}

PROVINCE_LABELS = {
    Province.ANTWERP: N_("Antwerp"),
    Province.FLEMISH_BRABANT: N_("Flemish Brabant"),
    Province.WALLOON_BRABANT: N_("Walloon Brabant"),
    Province.WEST_FLANDERS: N_("West Flanders"),
    Province.EAST_FLANDERS: N_("East Flanders"),
    Province.HAINAUT: N_("Hainaut"),
    Province.LIEGE: N_("Liège"),
    Province.LIMBURG: N_("Limburg"),
    Province.LUXEMBOURG: N_("Luxembourg"),
    Province.NAMUR: N_("Namur"),
}

_PROVINCE_BY_PREFIX = {
    "1": Province.ANTWERP,
    "23": Province.FLEMISH_BRABANT,
    "24": Province.FLEMISH_BRABANT,
    "25": Province.WALLOON_BRABANT,
    "3": Province.WEST_FLANDERS,
    "4": Province.EAST_FLANDERS,
    "5": Province.HAINAUT,
    "6": Province.LIEGE,
    "7": Province.LIMBURG,
    "8": Province.LUXEMBOURG,
    "9": Province.NAMUR,
}
_FLEMISH_PROVINCES = {
    Province.ANTWERP,
    Province.FLEMISH_BRABANT,
    Province.WEST_FLANDERS,
    Province.EAST_FLANDERS,
    Province.LIMBURG,
}
GERMAN_COMMUNITY_NIS = frozenset(
    {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
)


def province_of(nis_code: str) -> Province | None:
    """None for Brussels-Capital, which is no province."""
    if nis_code.startswith("21"):
        return None
    return _PROVINCE_BY_PREFIX.get(nis_code[:2]) or _PROVINCE_BY_PREFIX.get(nis_code[:1])


def regions_of(nis_code: str) -> frozenset[Region]:
    """A municipality of the German-speaking Community is also in Wallonia."""
    if nis_code.startswith("21"):
        return frozenset({Region.BRUSSELS})
    province = province_of(nis_code)
    if province is None:
        return frozenset()
    if province in _FLEMISH_PROVINCES:
        return frozenset({Region.FLANDERS})
    if nis_code in GERMAN_COMMUNITY_NIS:
        return frozenset({Region.WALLONIA, Region.GERMAN_COMMUNITY})
    return frozenset({Region.WALLONIA})


class Closeness(IntEnum):
    """How close a service's area is to a municipality: smaller is closer."""

    MUNICIPALITY = 0
    PROVINCE = 1
    REGION = 2
    NATIONAL = 3


@dataclass(frozen=True)
class Area:
    national: bool = False
    regions: frozenset[Region] = frozenset()
    provinces: frozenset[Province] = frozenset()
    municipalities: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.regions or self.provinces or self.municipalities)

    def closeness(self, nis_code: str) -> Closeness | None:
        """How close this area is to `nis_code`, or None when it does not serve it."""
        if nis_code in self.municipalities:
            return Closeness.MUNICIPALITY
        if province_of(nis_code) in self.provinces:
            return Closeness.PROVINCE
        if regions_of(nis_code) & self.regions:
            return Closeness.REGION
        if self.national:
            return Closeness.NATIONAL
        return None
