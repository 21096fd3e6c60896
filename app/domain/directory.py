"""The partner directory: services a desk refers people to, with what people need to reach
them (phone, hours, languages, area served) and how sure we are of it (source, last verified,
"to verify").

An entry travels as a plain JSON object: in the seed file (resources/directory/), in signed
directory packs and in the database. `entry_from_json` is the one gate every entry from
outside passes through; it refuses anything malformed with a message naming the field.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from app.domain.areas import Area, Province, Region
from app.domain.codes import ServiceType
from app.domain.validation import DESK_CODE, clean_lines, clean_text
from app.errors import ValidationError
from app.i18n import _, format_date

LANGUAGES = ("fr", "nl", "en", "de")
SPOKEN = ("fr", "nl", "en", "de", "ar", "es", "pt", "tr", "ro", "pl")
WEEKDAYS = 7
END_OF_DAY = time(23, 59, 59)
MAX_NAME = 160
MAX_DESCRIPTION = 1200
MAX_KEYWORDS = 40
MAX_VERIFIER_NAME = 120  # as long as an account's display name or a desk's name may be
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
# Embeddings, overrides and isolates: they change the order a name is shown in.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Belgian numbers as people write them: short numbers (101, 1712), 0800 lines, landlines and
# mobiles with spaces, dots or slashes, optionally +32.
_PHONE = re.compile(r"(\+32 ?|0)?[0-9][0-9 ./]{1,16}[0-9]")


class Verification(StrEnum):
    VERIFIED = "verified"
    TO_VERIFY = "to_verify"


class VerifierKind(StrEnum):
    PERSON = "person"  # an account of a desk checked the entry against its live source
    # The entries shipped with Havre: checked by the Havre team against archived copies of
    # the services' public pages (the seed's sources), not by a person of a desk.
    HAVRE_TEAM = "havre_team"


@dataclass(frozen=True)
class Verifier:
    """Who last verified an entry: the display name of the account and its desk (code and
    name, as they were that day), or the Havre team for the shipped entries."""

    kind: VerifierKind
    name: str = ""
    desk_code: str = ""
    desk_name: str = ""

    def text(self) -> str:
        """ "Anne Martin (desk SG, Permanence Saint-Gilles)", or the Havre team's words."""
        if self.kind is VerifierKind.HAVRE_TEAM:
            return _("Havre team (public sources)")
        desk = f"{self.desk_code}, {self.desk_name}" if self.desk_name else self.desk_code
        return _("{name} (desk {desk})").format(name=self.name, desk=desk)

    def short_text(self) -> str:
        """For a list: the person's name, or "Havre team"."""
        return _("Havre team") if self.kind is VerifierKind.HAVRE_TEAM else self.name


HAVRE_TEAM = Verifier(VerifierKind.HAVRE_TEAM)


@dataclass(frozen=True)
class Source:
    """A page an entry's facts were taken from, with the date the page shows ("2022",
    "2022-10", "2025-12-27"), or None when it shows none: an old page's number may have
    changed since."""

    url: str
    dated: str | None = None


class Origin(StrEnum):
    NETWORK = "network"  # from the seed or a network pack: replaced by newer packs
    LOCAL = "local"  # added by this desk: kept when a pack is imported


@dataclass(frozen=True)
class Slot:
    """Open on `weekday` (0 = Monday) from `opens` to `closes`, the same day."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Hours:
    always_open: bool = False
    slots: tuple[Slot, ...] = ()

    @property
    def unknown(self) -> bool:
        return not self.always_open and not self.slots

    def is_open(self, moment: datetime) -> bool:
        """`moment` is local (Belgian) time; public holidays are not known here."""
        if self.always_open:
            return True
        now = moment.time()
        return any(s.weekday == moment.weekday() and s.opens <= now < s.closes for s in self.slots)


@dataclass(frozen=True)
class DirectoryEntry:
    key: str
    service_type: ServiceType
    names: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    phone: str = ""
    other_phones: tuple[str, ...] = ()
    website: str = ""
    email: str = ""
    hours: Hours = field(default_factory=Hours)
    hours_note: Mapping[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    area: Area = field(default_factory=Area)
    address: str = ""
    confidential_address: bool = False
    sources: tuple[Source, ...] = ()
    last_verified: date | None = None
    verified_by: Verifier | None = None  # None: not recorded (entries made before it was)
    verification: Verification = Verification.VERIFIED
    origin: Origin = Origin.NETWORK
    retired: bool = False

    def name(self, language: str) -> str:
        return _in(self.names, language)

    def description(self, language: str) -> str:
        return _in(self.descriptions, language)

    @property
    def to_verify(self) -> bool:
        return self.verification is Verification.TO_VERIFY

    def verified_text(self) -> str:
        """When and by whom it was last verified, in a sentence."""
        if self.last_verified is None:
            return _("Never verified.")
        day = format_date(self.last_verified)
        if self.verification is Verification.TO_VERIFY:
            return self._read_again_text(day)
        if self.verified_by is None:
            return _("Verified on {date} (by whom was not recorded).").format(date=day)
        return _("Verified by {who} on {date}.").format(who=self.verified_by.text(), date=day)

    def _read_again_text(self, day: str) -> str:
        """An entry still to verify was only read again: "verified" beside "TO VERIFY"
        would read as a contradiction."""
        if self.verified_by is None:
            return _(
                "Read again on {date} (by whom was not recorded); to confirm with the service."
            ).format(date=day)
        if self.verified_by.kind is VerifierKind.HAVRE_TEAM:
            return _(
                "Sources read again by the Havre team on {date}; to confirm with the service."
            ).format(date=day)
        return _("Read again by {who} on {date}; to confirm with the service.").format(
            who=self.verified_by.text(), date=day
        )

    def shown_address(self) -> str:
        """The address, unless it must stay secret (shelters): never shown, copied or printed."""
        return "" if self.confidential_address else self.address

    def search_text(self) -> tuple[str, str, str]:
        """Names, descriptions and keywords in every language, for the full-text index."""
        keywords = [word for words in self.keywords.values() for word in words]
        keywords += [self.service_type.value.replace("_", " ")]
        return (
            " ".join(self.names.values()),
            " ".join(self.descriptions.values()),
            " ".join(keywords),
        )


def _in(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else French, Dutch, English, German: the first one given."""
    for code in (language, *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return ""


# -- from and to JSON ---------------------------------------------------------------------


def entry_from_json(raw: Any) -> DirectoryEntry:
    """An entry checked field by field; raises `ValidationError` naming the field at fault."""
    if not isinstance(raw, dict):
        raise ValidationError(_("A directory entry must be an object."), field="entry")
    key = _str(raw, "key", required=False)
    if not key:
        raise ValidationError(
            _("Give the entry a key: lower-case letters, digits and dashes, e.g. cvfe-liege."),
            field="key",
        )
    if not _KEY.fullmatch(key):
        raise ValidationError(
            _("The entry key {key} is not valid (lower-case letters, digits, dashes).").format(
                key=key
            ),
            field="key",
        )
    names = _texts(raw, "names", MAX_NAME, single_line=True)
    if not any(names.values()):
        raise ValidationError(_("Give the service a name."), field="names")
    hours = hours_from_json(raw.get("hours", {}))
    service_type = ServiceType(
        _choice(_str(raw, "service_type"), tuple(ServiceType), "service_type")
    )
    return DirectoryEntry(
        key=key,
        service_type=service_type,
        names=names,
        descriptions=_texts(raw, "descriptions", MAX_DESCRIPTION, single_line=False),
        keywords=_keywords(raw.get("keywords", {})),
        phone=phone_number(_str(raw, "phone", required=False)),
        other_phones=tuple(phone_number(p) for p in _strs(raw, "other_phones")),
        website=_web(_str(raw, "website", required=False)),
        email=clean_text(_str(raw, "email", required=False), "email", _("E-mail"), 160, False),
        hours=hours,
        hours_note=_texts(raw, "hours_note", 240, single_line=True),
        languages=tuple(_choice(code, SPOKEN, "languages") for code in _strs(raw, "languages")),
        area=_area(raw.get("area", {})),
        address=clean_text(
            _str(raw, "address", required=False), "address", _("Address"), 240, False
        ),
        confidential_address=_bool(raw, "confidential_address"),
        sources=_sources(raw.get("sources", [])),
        last_verified=_date(raw, "last_verified"),
        verified_by=verifier_from_json(raw.get("verified_by")),
        verification=Verification(
            _choice(_str(raw, "verification"), tuple(Verification), "verification")
        ),
        origin=Origin(_choice(raw.get("origin", Origin.NETWORK.value), tuple(Origin), "origin")),
        retired=_bool(raw, "retired"),
    )


def entry_to_json(entry: DirectoryEntry) -> dict[str, Any]:
    area = entry.area
    return {
        "key": entry.key,
        "service_type": entry.service_type.value,
        "names": dict(entry.names),
        "descriptions": dict(entry.descriptions),
        "keywords": {code: list(words) for code, words in entry.keywords.items()},
        "phone": entry.phone,
        "other_phones": list(entry.other_phones),
        "website": entry.website,
        "email": entry.email,
        "hours": hours_to_json(entry.hours),
        "hours_note": dict(entry.hours_note),
        "languages": list(entry.languages),
        "area": {
            "national": area.national,
            "regions": sorted(area.regions),
            "provinces": sorted(area.provinces),
            "municipalities": sorted(area.municipalities),
        },
        "address": entry.address,
        "confidential_address": entry.confidential_address,
        "sources": [source_to_json(source) for source in entry.sources],
        "last_verified": entry.last_verified.isoformat() if entry.last_verified else None,
        "verified_by": verifier_to_json(entry.verified_by),
        "verification": entry.verification.value,
        "origin": entry.origin.value,
        "retired": entry.retired,
    }


def verifier_from_json(raw: Any) -> Verifier | None:
    """{"kind": "havre_team"}, or {"kind": "person", "name": …, "desk_code": …,
    "desk_name": …}; absent or null: not recorded (older packs and entries)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationError(
            _("The field verified_by must say who verified the entry (kind, name, desk)."),
            field="verified_by",
        )
    kind = VerifierKind(_choice(raw.get("kind"), tuple(VerifierKind), "verified_by"))
    if kind is VerifierKind.HAVRE_TEAM:
        return HAVRE_TEAM
    name = clean_text(
        _verifier_text(raw, "name"), "verified_by", _("The verifier's name"), MAX_VERIFIER_NAME
    )
    desk_code = _verifier_text(raw, "desk_code").strip()
    if not DESK_CODE.fullmatch(desk_code):
        raise ValidationError(
            _(
                "The desk of the verifier, {code}, is not a desk code (2 to 8 capital letters "
                "or digits, starting with a letter)."
            ).format(code=desk_code[:20]),
            field="verified_by",
        )
    desk_name = clean_text(
        _verifier_text(raw, "desk_name"),
        "verified_by",
        _("The verifier's desk name"),
        MAX_VERIFIER_NAME,
        required=False,
    )
    return Verifier(kind, name, desk_code, desk_name)


def _verifier_text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise ValidationError(
            _("The field verified_by.{name} must be text.").format(name=name), field="verified_by"
        )
    if _BIDI_OVERRIDES.search(value):
        # "Ada\u202enimdA" shows as another name: who verified must read as it is.
        raise ValidationError(
            _("The field verified_by.{name} holds characters that turn text around.").format(
                name=name
            ),
            field="verified_by",
        )
    return value


def verifier_to_json(verifier: Verifier | None) -> dict[str, str] | None:
    if verifier is None:
        return None
    if verifier.kind is VerifierKind.HAVRE_TEAM:
        return {"kind": verifier.kind.value}
    return {
        "kind": verifier.kind.value,
        "name": verifier.name,
        "desk_code": verifier.desk_code,
        "desk_name": verifier.desk_name,
    }


def source_to_json(source: Source) -> str | dict[str, str]:
    """An undated source as a plain web address, the way entries without dates were
    written: an entry that has none reads and compares as it always did."""
    return {"url": source.url, "dated": source.dated} if source.dated else source.url


def hours_from_json(raw: Any) -> Hours:
    """{"always_open": true}, or
    {"slots": [{"days": [0, 1], "opens": "09:00", "closes": "17:00"}]} (0 is Monday)."""
    if not isinstance(raw, dict):
        raise ValidationError(_("The opening hours are not valid."), field="hours")
    if raw.get("always_open") is True:
        return Hours(always_open=True)
    slots: list[Slot] = []
    for item in raw.get("slots", []):
        if not isinstance(item, dict) or not isinstance(item.get("days"), list):
            raise ValidationError(_("The opening hours are not valid."), field="hours")
        opens, closes = _clock(item.get("opens")), _clock(item.get("closes"))
        for day in item["days"]:
            if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day < WEEKDAYS:
                raise ValidationError(_("The opening hours are not valid."), field="hours")
            slots.append(Slot(day, opens, closes))
    return checked_hours(Hours(slots=tuple(sorted(slots, key=lambda s: (s.weekday, s.opens)))))


def checked_hours(hours: Hours) -> Hours:
    """Refuse hours that end before they start or overlap on the same day."""
    for slot in hours.slots:
        if slot.closes <= slot.opens:
            raise ValidationError(
                _("Opening hours must end after they start ({opens}–{closes}).").format(
                    opens=clock_text(slot.opens), closes=clock_text(slot.closes)
                ),
                field="hours",
            )
    ordered = sorted(hours.slots, key=lambda s: (s.weekday, s.opens))
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise ValidationError(_("Two opening hours overlap on the same day."), field="hours")
    return Hours(hours.always_open, tuple(ordered))


def hours_to_json(hours: Hours) -> dict[str, Any]:
    if hours.always_open:
        return {"always_open": True}
    return {
        "slots": [
            {
                "days": [slot.weekday],
                "opens": clock_text(slot.opens),
                "closes": clock_text(slot.closes),
            }
            for slot in hours.slots
        ]
    }


def clock_text(moment: time) -> str:
    """ "HH:MM"; midnight at the end of a day (kept as 23:59:59) is "24:00"."""
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


def phone_number(text: str) -> str:
    """A Belgian phone number as written, or "" when none; refuses anything else."""
    text = " ".join(text.split())
    if text and not _PHONE.fullmatch(text):
        raise ValidationError(
            _("{phone} is not a phone number (digits, spaces, dots or slashes, +32).").format(
                phone=text
            ),
            field="phone",
        )
    return text


def dialable(phone: str) -> str:
    """The digits to dial (what the phone number copy puts on the clipboard)."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    return "0" + digits[3:] if digits.startswith("+32") else digits


# -- checks of single fields ----------------------------------------------------------------


def _str(raw: Mapping[str, Any], name: str, required: bool = True) -> str:
    value = raw.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(
            _("The field {name} is missing or not text.").format(name=name), field=name
        )
    return value.strip()


def _strs(raw: Mapping[str, Any], name: str) -> list[str]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(
            _("The field {name} must be a list of texts.").format(name=name), field=name
        )
    return [v.strip() for v in value if v.strip()]


def _bool(raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError(
            _("The field {name} must be true or false.").format(name=name), field=name
        )
    return value


def _choice(value: Any, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise ValidationError(
            _("{value} is not allowed in {name}.").format(value=value, name=name), field=name
        )
    return str(value)


def _texts(raw: Mapping[str, Any], name: str, limit: int, *, single_line: bool) -> dict[str, str]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ValidationError(
            _("The field {name} must give a text per language.").format(name=name), field=name
        )
    texts: dict[str, str] = {}
    for code, text in value.items():
        _choice(code, LANGUAGES, name)
        if not isinstance(text, str):
            raise ValidationError(
                _("The field {name} must give a text per language.").format(name=name),
                field=name,
            )
        clean = clean_text if single_line else clean_lines
        if text.strip():
            texts[code] = clean(text, name, name, limit)
    return texts


def _keywords(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise ValidationError(_("The keywords must be given per language."), field="keywords")
    words: dict[str, tuple[str, ...]] = {}
    for code, items in raw.items():
        _choice(code, LANGUAGES, "keywords")
        listed = _strs({"keywords": items}, "keywords")
        if len(listed) > MAX_KEYWORDS:
            raise ValidationError(_("Too many keywords."), field="keywords")
        words[code] = tuple(clean_text(w, "keywords", "keywords", 60) for w in listed)
    return words


def _area(raw: Any) -> Area:
    if not isinstance(raw, dict):
        raise ValidationError(_("The area served is not valid."), field="area")
    municipalities = _strs(raw, "municipalities")
    if not all(re.fullmatch(r"[0-9]{5}", nis) for nis in municipalities):
        raise ValidationError(_("A municipality code must have five digits."), field="area")
    area = Area(
        national=_bool(raw, "national"),
        regions=frozenset(Region(_choice(r, tuple(Region), "area")) for r in _strs(raw, "regions")),
        provinces=frozenset(
            Province(_choice(p, tuple(Province), "area")) for p in _strs(raw, "provinces")
        ),
        municipalities=frozenset(municipalities),
    )
    if area.is_empty:
        raise ValidationError(_("Say where the service works."), field="area")
    return area


def _date(raw: Mapping[str, Any], name: str) -> date | None:
    value = raw.get(name)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            _("The field {name} is not a date (YYYY-MM-DD).").format(name=name), field=name
        ) from None


def _clock(value: Any) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", value):
        raise ValidationError(_("The opening hours are not valid."), field="hours")
    if value == "24:00":
        return END_OF_DAY
    hour, minute = int(value[:2]), int(value[3:])
    if hour > 23:
        raise ValidationError(_("The opening hours are not valid."), field="hours")
    return time(hour, minute)


def _web(url: str, name: str = "website") -> str:
    if url and not re.fullmatch(r"https?://[^\s]{3,300}", url):
        raise ValidationError(
            _("{url} is not a web address (https://…).").format(url=url), field=name
        )
    return url


def _sources(raw: Any) -> tuple[Source, ...]:
    """A list of web addresses, each a plain text (older packs, a desk's own entries) or
    {"url": "https://…", "dated": "2022-10" | null}."""
    if not isinstance(raw, list):
        raise ValidationError(_("The sources must be a list of web addresses."), field="sources")
    return tuple(_source(item) for item in raw if not (isinstance(item, str) and not item.strip()))


def _source(item: Any) -> Source:
    if isinstance(item, str):
        return Source(_web(item.strip(), "sources"))
    url = item.get("url") if isinstance(item, dict) else None
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(
            _("A source must give its web address (https://…)."),
            field="sources",
        )
    url = _web(url.strip(), "sources")
    dated = item.get("dated")
    if dated is not None and not (isinstance(dated, str) and _page_date(dated)):
        raise ValidationError(
            _(
                "The date of the source {url} is not valid: write it as 2022, 2022-10 or "
                "2022-10-04, or leave it empty when the page shows none."
            ).format(url=url),
            field="sources",
        )
    return Source(url, dated)


def _page_date(text: str) -> bool:
    """A year, a month (YYYY-MM) or a day (YYYY-MM-DD) that exists."""
    if not re.fullmatch(r"[12][0-9]{3}(-[0-9]{2}(-[0-9]{2})?)?", text):
        return False
    try:
        date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
    except ValueError:
        return False
    return True


# -- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    service_type: ServiceType | None = None
    municipality: str | None = None  # NIS code of a municipality the service must serve
    language: str | None = None
    open_now: bool = False
    always_open_only: bool = False
    include_retired: bool = False  # the upkeep: to find a retired entry and restore it


@dataclass(frozen=True)
class DirectoryHit:
    entry: DirectoryEntry
    #: 0 this municipality, 1 its province, 2 its region, 3 national
    closeness: int
    open_now: bool


@dataclass(frozen=True)
class DirectoryResults:
    #: how many entries match; with `more`, at least that many
    total: int
    hits: tuple[DirectoryHit, ...]
    more: bool = False
    #: NIS codes of the municipalities named in the text: entries found serve them
    places: tuple[str, ...] = ()


# -- hours as people type and read them ------------------------------------------------------


def day_slots_text(hours: Hours, weekday: int) -> str:
    """ "09:00-12:00, 13:00-17:00" for `weekday`, "" when closed."""
    return ", ".join(
        f"{clock_text(s.opens)}-{clock_text(s.closes)}" for s in hours.slots if s.weekday == weekday
    )


def parse_day_slots(text: str, weekday: int) -> tuple[Slot, ...]:
    """The slots typed for one day ("09:00-12:00, 13:00-17:00"; empty: closed)."""
    slots = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        bounds = [b.strip() for b in part.replace("–", "-").split("-")]
        if len(bounds) != 2:
            raise ValidationError(
                _("Write the hours as 09:00-17:00, several separated by commas."),
                field=f"hours_{weekday}",
            )
        try:
            slots.append(Slot(weekday, _clock(_padded(bounds[0])), _clock(_padded(bounds[1]))))
        except ValidationError:
            raise ValidationError(
                _("Write the hours as 09:00-17:00, several separated by commas."),
                field=f"hours_{weekday}",
            ) from None
    return tuple(slots)


def source_line(source: Source) -> str:
    """A source as the upkeep form shows it: "https://… 2022-10", or the address alone."""
    return f"{source.url} {source.dated}" if source.dated else source.url


def source_from_line(line: str) -> Source:
    """A source typed on one line of the form: the address, then the date its page shows
    if it shows one. Checked when the entry is saved (`entry_from_json`)."""
    words = line.split()
    if len(words) == 2:
        return Source(words[0], words[1])
    return Source(" ".join(words))


def _padded(clock: str) -> str:
    """ "9:00" and "9h00" as "09:00"."""
    clock = clock.lower().replace("h", ":")
    if clock.endswith(":"):
        clock += "00"
    return clock.zfill(5)
