"""The directory shipped with Havre, checked as a whole: every entry says where its facts
come from (a web page, with the date the page shows), and every phone number a screen, a
slip or a brochure gives is written the Belgian way. Each check is proven on a spoilt copy
of the seed too, so it cannot pass by finding nothing to look at."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import time
from urllib.parse import urlsplit

import pytest

from app.domain.codes import ServiceType
from app.domain.directory import DirectoryEntry, Slot, Source, Verification
from app.domain.help_services import slip_service
from app.domain.phone_format import belgian_numbers_in
from app.services.directory_seed import load_seed

# How a Belgian number is printed (app/domain/phone_format.py): a short number; an 0800 or
# 090x line; a landline of a one-digit zone (Brussels 02, Liège 04, Antwerp 03, Ghent 09) or
# of a two-digit zone (080 is Malmedy's); a mobile. A subscriber's number never starts with 0.
BELGIAN = re.compile(
    r"\d{3,4}"
    r"|0800 \d\d \d{3}|090\d \d\d \d{3}"
    r"|0[2349] [1-9]\d\d \d\d \d\d"
    r"|0[15-8]\d [1-9]\d \d\d \d\d"
    r"|04[5-9]\d \d\d \d\d \d\d"
)
# A number inside a printed text: 0 or +32 and at least eight more digits, however grouped.
NUMBER_IN_TEXT = re.compile(r"(?<![\d+])(?:\+32|0)\d(?:[ ./]?\d){7,8}(?!\d)")
SOURCE_DATE = re.compile(r"[12]\d{3}(-(0[1-9]|1[0-2])(-\d\d)?)?")


def without_a_source(entries: Iterable[DirectoryEntry]) -> list[str]:
    """The entries that name no page, or a page that is not a web address."""
    return [
        entry.key
        for entry in entries
        if not entry.sources or not all(_is_web_page(source) for source in entry.sources)
    ]


def _is_web_page(source: Source) -> bool:
    parts = urlsplit(source.url)
    dated = source.dated is None or SOURCE_DATE.fullmatch(source.dated) is not None
    return parts.scheme in ("http", "https") and "." in parts.netloc and dated


def printed_phones(entry: DirectoryEntry, language: str) -> list[str]:
    """Every number a referral slip (and the details pane, the same way) gives for `entry`:
    its numbers, and those in its description and its hours note."""
    printed = slip_service(replace(entry, retired=False), language)
    texts = [printed.description, belgian_numbers_in(entry.hours_note.get(language, ""))]
    in_text = [found.group() for text in texts for found in NUMBER_IN_TEXT.finditer(text)]
    return [phone for phone in (printed.phone, *printed.other_phones) if phone] + in_text


def not_belgian(entries: Iterable[DirectoryEntry]) -> list[tuple[str, str]]:
    return [
        (entry.key, phone)
        for entry in entries
        for language in ("fr", "nl", "en", "de")
        for phone in printed_phones(entry, language)
        if not BELGIAN.fullmatch(phone)
    ]


def test_every_entry_names_its_sources_as_web_pages() -> None:
    seed = load_seed()
    assert without_a_source(seed) == []
    # A copy with an entry that lost its sources, and one whose source is not a web page.
    spoilt = [
        replace(e, sources=()) if e.key == "cvfe" else e for e in seed if e.key != "cpvs-liege"
    ]
    spoilt.append(replace(seed[0], key="bad-source", sources=(Source("www.example.org"),)))
    spoilt.append(replace(seed[0], key="bad-date", sources=(Source("https://a.be", "2022-13"),)))
    assert without_a_source(spoilt) == ["cvfe", "bad-source", "bad-date"]


def test_every_phone_shown_or_printed_is_written_the_belgian_way() -> None:
    seed = load_seed()
    assert not_belgian(seed) == []
    assert sum(len(printed_phones(e, "fr")) for e in seed) >= 50  # it looked at the numbers
    spoilt = {e.key: e for e in seed}
    spoilt["cpvs-liege"] = replace(spoilt["cpvs-liege"], phone="04 284 35 1")  # a digit lost
    spoilt["prisma-frauenhaus-eupen"] = replace(
        spoilt["prisma-frauenhaus-eupen"], other_phones=("0032 87 554077",)
    )
    spoilt["respect-seniors"] = replace(
        spoilt["respect-seniors"],
        descriptions={**spoilt["respect-seniors"].descriptions, "fr": "Appeler le 02 535 45 421."},
    )
    assert {key for key, _phone in not_belgian(spoilt.values())} == {
        "cpvs-liege",
        "prisma-frauenhaus-eupen",
        "respect-seniors",
    }


def test_new_numbers_are_stored_the_way_they_are_printed() -> None:
    """What the research pass added is written as printed, each digit as its source has it
    (the sources write "0800/98.100", "+32 4 / 222 10 12", "0032 87 554077")."""
    seed = {e.key: e for e in load_seed()}
    assert seed["sos-viol"].phone == "0800 98 100"
    assert seed["baj-liege"].phone == "04 222 10 12"
    assert seed["prisma-frauenhaus-eupen"].phone == "087 55 40 77"
    assert seed["rainbowhouse-brussels"].phone == "0492 40 84 84"
    assert seed["le-tournesol-malmedy"].phone == "080 64 37 34"
    assert seed["police-secova-aywaille"].phone == "04 364 23 00"


def test_every_shelter_keeps_its_address_out_of_the_seed() -> None:
    seed = load_seed()
    shelters = [e for e in seed if e.service_type is ServiceType.SHELTER]
    assert {"cvfe", "prisma-frauenhaus-eupen", "le-tournesol-malmedy"} <= {e.key for e in shelters}
    assert all(e.confidential_address and not e.address for e in shelters)
    assert all(not e.address for e in seed if e.confidential_address)


def test_sources_carry_the_date_their_page_shows() -> None:
    seed = {e.key: e for e in load_seed()}
    assert Source("https://bx1.be/?p=596608", "2022-10") in seed["sos-viol"].sources
    assert Source("https://prisma-zentrum.be/angebote/frauenhaus") in (
        seed["prisma-frauenhaus-eupen"].sources
    )
    dated = [s for e in seed.values() for s in e.sources if s.dated]
    assert len(dated) > 30


@pytest.mark.parametrize(
    ("key", "doubtful"),
    [
        ("cpvs-liege", "2020"),  # its number comes from 2020 lists
        ("sos-viol", "17"),  # two articles say no. 117, one says no. 17
        ("cpvs-tournai", "2026"),  # opening announced for 1 January 2026
        ("police-secova-aywaille", "2018"),  # the Aywaille station's number
        ("le-tournesol-malmedy", "2015"),  # two old numbers that disagree
        ("commission-aide-financiere", "2016"),  # an address from a 2016 page
    ],
)
def test_an_entry_with_a_doubtful_fact_is_to_verify_and_says_which(key: str, doubtful: str) -> None:
    entry = next(e for e in load_seed() if e.key == key)
    assert entry.verification is Verification.TO_VERIFY
    for language in ("fr", "nl", "en", "de"):
        assert doubtful in entry.hours_note[language], language


# Words about the research behind an entry, meant for the staff (its hours note, shown on
# screen only): a description is printed for the person, on the slip and in the brochure.
STAFF_WORDS = re.compile(
    r"vérifi|\bà confirmer|\bsources?\b|\bpresse\b|\btrouvée?s?\b|divergent"
    r"|na te kijken|\bbronn?e?n?\b|\bpers(bron)?\b|gevonden|controler"
    r"|\bcheck|\bverif|\bpress\b|\bfound\b|\bdisagree"
    r"|prüf|\bQuellen?\b|\bPresse\b|gefunden|widersprüch",
    re.IGNORECASE,
)


def staff_words_in_descriptions(entries: Iterable[DirectoryEntry]) -> list[tuple[str, str]]:
    return [
        (entry.key, language)
        for entry in entries
        for language, text in entry.descriptions.items()
        if STAFF_WORDS.search(text)
    ]


def test_descriptions_speak_to_the_person_and_staff_notes_stay_in_the_hours_note() -> None:
    seed = load_seed()
    assert staff_words_in_descriptions(seed) == []
    tournesol = next(e for e in seed if e.key == "le-tournesol-malmedy")
    assert all(STAFF_WORDS.search(note) for note in tournesol.hours_note.values())
    spoilt = [
        replace(tournesol, descriptions={**tournesol.descriptions, language: note})
        for language, note in tournesol.hours_note.items()
    ]
    assert staff_words_in_descriptions(spoilt) == [
        ("le-tournesol-malmedy", language) for language in ("fr", "nl", "en", "de")
    ]


def test_the_baj_of_verviers_gives_the_days_its_hours_table_gives() -> None:
    """Its page: the BAJ's own desk Tuesday and Friday 11-12 (the hours table); first-line
    advice Monday and Wednesday at the courthouse, Friday at the House of Justice."""
    baj = next(e for e in load_seed() if e.key == "baj-verviers")
    assert baj.hours.slots == (Slot(1, time(11), time(12)), Slot(4, time(11), time(12)))
    assert "Permanences du BAJ mardi et vendredi 11-12 h" in baj.descriptions["fr"]
    assert "premier conseil lundi" not in baj.descriptions["fr"]  # no longer the BAJ's hours
    assert "dinsdag en vrijdag 11-12 u" in baj.descriptions["nl"]
    assert "Tuesday and Friday 11-12" in baj.descriptions["en"]
    assert "Dienstag und Freitag 11-12 Uhr" in baj.descriptions["de"]


# "(in het Frans)" says which language a service speaks: after an address or an income it
# reads as if that were in French.
LANGUAGE_AFTER_THE_WRONG_WORD = re.compile(
    r"(adres|inkomen|address|income|Adresse|Einkommen) \((in het Frans|in French|auf Französisch)\)"
)


def test_the_language_of_a_service_is_never_said_of_its_address_or_income() -> None:
    seed = load_seed()
    assert [
        (e.key, language)
        for e in seed
        for language, text in e.descriptions.items()
        if LANGUAGE_AFTER_THE_WRONG_WORD.search(text)
    ] == []
    tournesol = next(e for e in seed if e.key == "le-tournesol-malmedy")
    assert tournesol.descriptions["nl"].startswith("Franstalig opvanghuis")
