"""The "help services" of a printed brochure: from the directory, the services that serve the
visitor's municipality, local ones first, then regional, then national, with what can be
printed about them. A confidential address is never part of it. Without a municipality, the
national services only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from app.domain.areas import Closeness
from app.domain.codes import ServiceType
from app.domain.directory import DirectoryEntry, Hours, Verification
from app.domain.intake import search_key
from app.domain.municipalities import municipality
from app.domain.phone_format import belgian_display, belgian_numbers_in
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
    service_type: ServiceType
    name: str
    description: str
    phone: str  # printed the Belgian way
    other_phones: tuple[str, ...]
    website: str
    hours: Hours
    address: str  # "" when confidential
    languages: tuple[str, ...]
    reach: Reach
    to_verify: bool


def help_services(
    entries: Iterable[DirectoryEntry], nis_code: str | None, language: str
) -> list[HelpService]:
    """The services for `nis_code`, ordered local → regional → national, then by name.

    Only services someone can reach (a phone number or a website) are listed; retired ones
    never. Refuses a municipality Havre does not know, and a directory with nothing for it.
    """
    place = municipality(nis_code) if nis_code else None
    listed = []
    for entry in entries:
        if place is None:
            closeness = Closeness.NATIONAL if entry.area.national else None
        else:
            closeness = entry.area.closeness(place.nis_code)
        if entry.retired or closeness is None or not (entry.phone or entry.website):
            continue
        listed.append(_printed(entry, _reach(closeness), language))
    if not listed:
        where = place.name(language) if place else _("Belgium")
        raise ValidationError(
            _(
                "The directory has no service for {municipality}: add one, or import the "
                "network's directory pack, before printing."
            ).format(municipality=where),
            field="municipality",
        )
    return sorted(listed, key=lambda s: (s.reach, search_key(s.name)))


def _reach(closeness: Closeness) -> Reach:
    if closeness is Closeness.MUNICIPALITY:
        return Reach.LOCAL
    if closeness is Closeness.NATIONAL:
        return Reach.NATIONAL
    return Reach.REGIONAL


def _printed(entry: DirectoryEntry, reach: Reach, language: str) -> HelpService:
    return HelpService(
        key=entry.key,
        service_type=entry.service_type,
        name=entry.name(language),
        description=belgian_numbers_in(entry.description(language)),
        phone=belgian_display(entry.phone) if entry.phone else "",
        other_phones=tuple(belgian_display(p) for p in entry.other_phones),
        website=entry.website,
        hours=entry.hours,
        address=entry.shown_address(),
        languages=entry.languages,
        reach=reach,
        to_verify=entry.verification is Verification.TO_VERIFY,
    )


# The helplines the wallet card may give, in order of preference: lines for partner violence
# (directory keys of the seed and of network packs).
CARD_LISTENING_LINES = ("ecoute-violences-conjugales", "hulplijn-1712")


@dataclass(frozen=True)
class CardNumbers:
    """What the wallet card lists besides 112 and 101 (each may be missing)."""

    listening: HelpService | None
    contact: HelpService | None


def card_numbers(services: list[HelpService], language: str) -> CardNumbers:
    """The partner-violence helpline serving the place (one that speaks `language` first) and
    the first local service with a phone number."""
    lines = [s for key in CARD_LISTENING_LINES for s in services if s.key == key and s.phone]
    lines.sort(key=lambda s: language not in s.languages)  # stable: keeps the preference
    local = [s for s in services if s.reach is Reach.LOCAL and s.phone]
    return CardNumbers(lines[0] if lines else None, local[0] if local else None)


def slip_service(entry: DirectoryEntry, language: str) -> HelpService:
    """One service as a referral slip prints it; a retired one is refused."""
    if entry.retired:
        raise ValidationError(
            _("{name} is retired from the directory: choose another service.").format(
                name=entry.name(language)
            ),
            field="partner",
        )
    return _printed(entry, Reach.LOCAL, language)  # the reach plays no part on a slip
