"""The partner directory: the seed, the search (words in four languages, local first,
filters) and its upkeep."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from pathlib import Path

import pytest

from app import clock
from app.domain.codes import ServiceType
from app.domain.directory import (
    DirectoryQuery,
    Hours,
    Slot,
    Source,
    Verification,
    entry_from_json,
    entry_to_json,
    source_from_line,
    source_line,
)
from app.domain.intake import search_key
from app.errors import AccessDenied, ValidationError
from app.services import directory
from app.services.desk import create_desk
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from tests.conftest import FAST_KDF, STAFF_PASSWORD, DeskFixture, desk_setup

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

# Saint-Gilles desk (the test desk's municipality is 21013).
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=clock.BRUSSELS)
SUNDAY_NIGHT = datetime(2026, 11, 29, 3, 0, tzinfo=clock.BRUSSELS)


def keys(desk: OpenDesk, query: DirectoryQuery, now: datetime = MONDAY_NOON) -> list[str]:
    return [hit.entry.key for hit in directory.search(desk, query, now).hits]


def test_the_seed_holds_the_sourced_services_and_the_local_partners() -> None:
    seed = {entry.key: entry for entry in load_seed()}
    assert len(seed) >= 50
    for key in (
        "ecoute-violences-conjugales",
        "hulplijn-1712",
        "cpvs-bruxelles",
        "police-101",
        "justice-de-proximite-saint-gilles",
        "sapv-zone-midi-saint-gilles",
        "stopp-vif",
        "police-secova",
    ):
        assert key in seed, key
    assert seed["ecoute-violences-conjugales"].phone == "0800 30 030"
    assert seed["ecoute-violences-conjugales"].hours.always_open
    assert seed["sapv-zone-midi-saint-gilles"].verification is Verification.TO_VERIFY
    assert all(e.sources and e.last_verified for e in seed.values())
    assert all(e.names.get("fr") and e.names.get("nl") for e in seed.values())
    # Numbers found only in third-party code are not shipped (docs/facts-and-sources.md).
    phones = {p for e in seed.values() for p in (e.phone, *e.other_phones)}
    assert not phones & {"0800 13 500", "02 559 81 36", "02 600 54 11", "0800 55 552"}
    assert seed["cpvcf"].confidential_address and seed["cpvcf"].shown_address() == ""
    # The seed goes through the same checks as a pack: writing it back changes nothing.
    assert all(entry_from_json(entry_to_json(e)) == e for e in seed.values())


def test_every_new_desk_has_the_seed(reception: OpenDesk) -> None:
    results = directory.search(reception, DirectoryQuery())
    assert results.total == len(load_seed())


@pytest.mark.parametrize("word", ["avocat", "advocaat", "lawyer", "Anwalt", "AVOCAT"])
def test_legal_aid_is_found_in_four_languages(reception: OpenDesk, word: str) -> None:
    hits = directory.search(reception, DirectoryQuery(text=word), MONDAY_NOON).hits
    assert hits and all(h.entry.service_type is ServiceType.LEGAL_AID for h in hits[:3])
    assert "avocat-gratuit-lva-bruxelles" in [h.entry.key for h in hits]


@pytest.mark.parametrize("word", ["viol", "verkrachting", "rape", "Vergewaltigung"])
def test_sexual_violence_care_centres_come_first_for_rape(reception: OpenDesk, word: str) -> None:
    found = keys(reception, DirectoryQuery(text=word))
    assert "cpvs-bruxelles" in found[:3], found[:5]


def test_accents_case_and_word_starts(reception: OpenDesk) -> None:
    first = keys(reception, DirectoryQuery(text="ecoute violences"))[0]
    assert first == "ecoute-violences-conjugales"
    assert keys(reception, DirectoryQuery(text="écoute viol"))[0] == "sos-viol"  # "viol" whole
    assert "cpvs-liege" in keys(reception, DirectoryQuery(text="LIEGE cpvs"))
    assert keys(reception, DirectoryQuery(text='"*')) == []
    assert keys(reception, DirectoryQuery(text="zzzz")) == []


def test_local_services_come_first(reception: OpenDesk) -> None:
    police = directory.search(reception, DirectoryQuery(text="police"), MONDAY_NOON).hits
    # The Midi zone's own services (its victim aid, its EVA team, its online platform).
    assert police[0].entry.key in {"sapv-zone-midi-saint-gilles", "eva-zone-midi", "chat-zone-midi"}
    assert police[0].closeness == 0
    closeness = [hit.closeness for hit in directory.search(reception, DirectoryQuery()).hits]
    assert closeness == sorted(closeness)


def test_filters(reception: OpenDesk) -> None:
    chaudfontaine = keys(reception, DirectoryQuery(municipality="62022"))
    assert "stopp-vif" in chaudfontaine and "cvfe" in chaudfontaine
    assert "sapv-zone-midi-saint-gilles" not in chaudfontaine
    assert chaudfontaine.index("stopp-vif") < chaudfontaine.index("cvfe")  # local first
    svcc = directory.search(reception, DirectoryQuery(service_type=ServiceType.SVCC)).hits
    assert svcc and all(h.entry.service_type is ServiceType.SVCC for h in svcc)
    german = directory.search(reception, DirectoryQuery(language="de")).hits
    assert {h.entry.key for h in german} == {
        "telefonhilfe-108",
        "prisma-frauenhaus-eupen",
        "justizhaus-eupen",
    }
    always = directory.search(reception, DirectoryQuery(always_open_only=True)).hits
    assert always and all(h.entry.hours.always_open for h in always)
    at_night = directory.search(reception, DirectoryQuery(open_now=True), SUNDAY_NIGHT).hits
    assert {h.entry.key for h in at_night} == {h.entry.key for h in always}
    at_noon = keys(reception, DirectoryQuery(open_now=True), MONDAY_NOON)
    assert "respect-seniors" in at_noon and "respect-seniors" not in [h.entry.key for h in at_night]


@pytest.mark.parametrize(
    "typed", ["Schaerbeek", "schaarbeek", "SCHAERBEEK", "1030", "  Schaerbeek  "]
)
def test_a_typed_municipality_finds_the_services_serving_it(
    reception: OpenDesk, typed: str
) -> None:
    """As the municipality filter does: local, regional and national services alike, not
    only the one with "Schaerbeek" in its description."""
    filtered = directory.search(reception, DirectoryQuery(municipality="21015"), MONDAY_NOON)
    found = directory.search(reception, DirectoryQuery(text=typed), MONDAY_NOON)
    assert found.total == filtered.total > 20
    assert {h.entry.key for h in found.hits} == {h.entry.key for h in filtered.hits}
    assert found.places == ("21015",)
    if typed.strip() != "1030":  # the one naming Schaerbeek in its own text comes first
        assert found.hits[0].entry.key == "eva-zone-nord"
    kinds_of_area = {(h.entry.area.national, bool(h.entry.area.regions)) for h in found.hits}
    assert {(True, False), (False, True)} <= kinds_of_area  # national and regional ones


def test_a_typed_municipality_combines_with_the_other_words_and_filters(
    reception: OpenDesk,
) -> None:
    lawyers = keys(reception, DirectoryQuery(text="avocat", municipality="21015"))
    assert keys(reception, DirectoryQuery(text="avocat Schaarbeek")) == lawyers
    assert keys(reception, DirectoryQuery(text="Schaerbeek avocat")) == lawyers
    assert "avocat-gratuit-lva-bruxelles" in lawyers
    # Sprimont is in Liège province: no Brussels service serves it.
    both = keys(reception, DirectoryQuery(text="Schaerbeek", municipality="62100"))
    assert both and all(
        directory.entry(reception, key).area.national
        or directory.entry(reception, key).area.closeness("21015") is not None
        for key in both
    )
    assert "cpvs-bruxelles" not in both and "cpvs-liege" not in both
    saint_josse = directory.search(reception, DirectoryQuery(text="Saint-Josse-ten-Noode"))
    assert saint_josse.places == ("21014",)
    assert directory.search(reception, DirectoryQuery(text="Sint-Joost")).places == ("21014",)
    assert directory.search(reception, DirectoryQuery(text="Brüssel")).places == ("21004",)
    # A name half typed is still searched as text.
    assert directory.search(reception, DirectoryQuery(text="Schaerb")).places == ()


def test_hours_know_when_a_service_is_open() -> None:
    hours = Hours(slots=(Slot(0, time(9), time(17)),))
    assert hours.is_open(datetime(2026, 11, 23, 9, 0))
    assert not hours.is_open(datetime(2026, 11, 23, 17, 0))
    assert not hours.is_open(datetime(2026, 11, 24, 10, 0))


def _entry_json(**changes: object) -> dict[str, object]:
    raw = entry_to_json(next(e for e in load_seed() if e.key == "respect-seniors"))
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "call me"}, "phone"),
        ({"names": {"fr": " ", "nl": ""}}, "names"),
        ({"hours": {"slots": [{"days": [0], "opens": "17:00", "closes": "09:00"}]}}, "hours"),
        (
            {
                "hours": {
                    "slots": [
                        {"days": [1], "opens": "09:00", "closes": "13:00"},
                        {"days": [1], "opens": "12:00", "closes": "17:00"},
                    ]
                }
            },
            "hours",
        ),
        ({"hours": {"slots": [{"days": [7], "opens": "09:00", "closes": "13:00"}]}}, "hours"),
        ({"area": {}}, "area"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"service_type": "spa"}, "service_type"),
        ({"key": "Not A Key"}, "key"),
        ({"sources": ["javascript:alert(1)"]}, "sources"),
        ({"sources": [{"url": "https://a.be", "dated": "2022-13"}]}, "sources"),
        ({"sources": [{"dated": "2022"}]}, "sources"),
    ],
)
def test_bad_entries_are_refused_at_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        entry_from_json(_entry_json(**changes))
    assert refused.value.field == field


def test_upkeep_by_the_coordinator_or_admin_only(reception: OpenDesk, admin_desk: OpenDesk) -> None:
    seniors = directory.entry(reception, "respect-seniors")
    new = replace(
        seniors, key="maison-des-femmes", names={"fr": "Maison des femmes", "nl": "Vrouwenhuis"}
    )
    with pytest.raises(AccessDenied):
        directory.save(reception, new, is_new=True)
    directory.save(admin_desk, new, is_new=True)
    assert keys(reception, DirectoryQuery(text="vrouwenhuis")) == ["maison-des-femmes"]
    with pytest.raises(ValidationError):  # the key is taken by another entry
        directory.save(admin_desk, replace(new, names={"fr": "Autre"}), is_new=True)

    directory.retire(admin_desk, "maison-des-femmes")
    assert keys(reception, DirectoryQuery(text="vrouwenhuis")) == []
    verified = directory.mark_verified(admin_desk, "sapv-zone-midi-saint-gilles")
    assert verified.verification is Verification.VERIFIED
    assert directory.entry(reception, verified.key).last_verified == clock.today()


def test_lists_follow_the_desk_language_whatever_the_screen_language(tmp_path: Path) -> None:
    # A Dutch-speaking desk, while the screen (and so the tests) are in English.
    created = create_desk(desk_setup(tmp_path / "nl.havre", language="nl"), kdf=FAST_KDF)
    opened = DeskFixture(created).unlock("rita", STAFF_PASSWORD)
    try:
        query = DirectoryQuery(service_type=ServiceType.SVCC)
        hits = directory.search(opened, query).hits
    finally:
        opened.close()
    elsewhere = [h for h in hits if h.closeness == 4]  # outside Brussels: by name only
    names = [search_key(h.entry.name("nl")) for h in elsewhere]
    assert len(names) > 5 and names == sorted(names)
    assert names != sorted(search_key(h.entry.name("en")) for h in elsewhere)


def test_an_entry_without_a_key_is_asked_for_one_in_words_not_field_names() -> None:
    raw = entry_to_json(load_seed()[0])
    raw["key"] = "  "
    with pytest.raises(ValidationError) as refused:
        entry_from_json(raw)
    assert refused.value.field == "key"
    assert "Give the entry a key" in str(refused.value)
    assert "field key" not in str(refused.value)


def test_a_source_may_carry_the_date_its_page_shows() -> None:
    dated = [
        "https://old.example.be/page",
        {"url": "https://a.be/x", "dated": "2022-10"},
        {"url": "https://b.be/y", "dated": None},
        {"url": "https://c.be/z", "dated": "2016"},
        {"url": "https://d.be/w", "dated": "2025-12-27"},
        " ",
    ]
    entry = entry_from_json(_entry_json(sources=dated))
    assert entry.sources == (
        Source("https://old.example.be/page"),
        Source("https://a.be/x", "2022-10"),
        Source("https://b.be/y"),
        Source("https://c.be/z", "2016"),
        Source("https://d.be/w", "2025-12-27"),
    )
    # Written back, an undated source is a plain address, as older packs and entries have it.
    assert entry_to_json(entry)["sources"][:3] == [
        "https://old.example.be/page",
        {"url": "https://a.be/x", "dated": "2022-10"},
        "https://b.be/y",
    ]
    assert entry_from_json(entry_to_json(entry)) == entry


@pytest.mark.parametrize("line", ["https://a.be/x 2022-10", "  https://a.be/x   2022-10 "])
def test_a_source_typed_on_one_line_keeps_its_date(line: str) -> None:
    source = source_from_line(line)
    assert source == Source("https://a.be/x", "2022-10")
    assert source_line(source) == "https://a.be/x 2022-10"
    assert source_line(source_from_line("https://a.be/x")) == "https://a.be/x"
