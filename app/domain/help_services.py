"""The "help services" of a printed brochure: from the directory, the services that serve the
visitor's municipality, local ones first, then regional, then national, with what can be
printed about them. A confidential address is never part of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from app.domain.areas import Closeness
from app.domain.directory import DirectoryEntry, Hours, Verification
from app.domain.municipalities import municipality
from app.domain.phone_format import belgian_display
from app.errors import ValidationError
from app.i18n import _


class Reach(IntEnum):
    """The three sections of the list, in the order they are printed."""

    LOCAL = 0
    REGIONAL = 1
    NATIONAL = 2


@dataclass(frozen=True)
class HelpService:
    key: str
    name: str
    description: str
    phone: str  # printed the Belgian way
    other_phones: tuple[str, ...]
    website: str
    hours: Hours
    address: str  # "" when confidential
    reach: Reach
    to_verify: bool


def help_services(
    entries: Iterable[DirectoryEntry], nis_code: str, language: str
) -> list[HelpService]:
    """The services for `nis_code`, ordered local → regional → national, then by name.

    Only services someone can reach (a phone number or a website) are listed; retired ones
    never. Refuses a municipality Havre does not know, and a directory with nothing for it.
    """
    place = municipality(nis_code)
    listed = []
    for entry in entries:
        closeness = entry.area.closeness(place.nis_code)
        if entry.retired or closeness is None or not (entry.phone or entry.website):
            continue
        listed.append(_printed(entry, _reach(closeness), language))
    if not listed:
        raise ValidationError(
            _(
                "The directory has no service for {municipality}: add one, or import the "
                "network's directory pack, before printing."
            ).format(municipality=place.name(language)),
            field="municipality",
        )
    return sorted(listed, key=lambda s: (s.reach, s.name.casefold()))


def _reach(closeness: Closeness) -> Reach:
    if closeness is Closeness.MUNICIPALITY:
        return Reach.LOCAL
    if closeness is Closeness.NATIONAL:
        return Reach.NATIONAL
    return Reach.REGIONAL


def _printed(entry: DirectoryEntry, reach: Reach, language: str) -> HelpService:
    return HelpService(
        key=entry.key,
        name=entry.name(language),
        description=entry.description(language),
        phone=belgian_display(entry.phone) if entry.phone else "",
        other_phones=tuple(belgian_display(p) for p in entry.other_phones),
        website=entry.website,
        hours=entry.hours,
        address=entry.shown_address(),
        reach=reach,
        to_verify=entry.verification is Verification.TO_VERIFY,
    )
