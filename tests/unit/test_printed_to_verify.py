"""A service whose details the directory marks "to verify" is marked so on the paper too, in
the visitor's language: after its name in the brochure's help services and on the referral
slip, after the label of its number on the wallet card (which never names a service)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.brochure import card_safe
from app.domain.directory import DirectoryEntry, Verification
from app.services import brochure_content, printing
from app.services.directory_seed import load_seed
from app.services.printing import Layout, Material, PrintRequest
from tests.pdf_tools import body_text, pdf_text, words

pytestmark = pytest.mark.dates

TODAY = date(2026, 11, 23)
SAINT_GILLES = "21013"
TO_VERIFY = "sapv-zone-midi-saint-gilles"  # set to verify by the tests below
VERIFIED = "cpvs-bruxelles"  # set verified


def _seed(**to_verify: bool) -> list[DirectoryEntry]:
    """The shipped directory, with the entries named (dashes as underscores) set as asked."""
    marks = {key.replace("_", "-"): on for key, on in to_verify.items()}
    return [
        replace(e, verification=Verification.TO_VERIFY if marks[e.key] else Verification.VERIFIED)
        if e.key in marks
        else e
        for e in load_seed()
    ]


def _made(request: PrintRequest, entries: list[DirectoryEntry] | None = None) -> tuple[str, int]:
    made = printing.make(request, load_seed() if entries is None else entries, TODAY)
    text = body_text(made.pdf) if request.material is Material.BROCHURE else pdf_text(made.pdf)
    return words(text), len(made.to_verify)


@pytest.mark.parametrize("language", brochure_content.available_languages())
@pytest.mark.parametrize("layout", [Layout.A4, Layout.A5_BOOKLET])
def test_the_brochure_marks_each_service_to_verify_in_the_visitors_language(
    language: str, layout: Layout
) -> None:
    mark = words(brochure_content.load_content(language).labels.to_verify)
    request = PrintRequest(Material.BROCHURE, language, SAINT_GILLES, layout)
    printed, to_verify = _made(request)
    # Once every service is verified, no mark is left: what the marks add is the mark's
    # longest word once per service to verify (one word: an Arabic line puts the Latin name
    # of a service between the mark's words when it wraps, and pdftotext glues an Arabic
    # word to a Latin one starting with an accent).
    verified = [replace(e, verification=Verification.VERIFIED) for e in load_seed()]
    plain, none = _made(request, verified)
    assert to_verify > 0 and none == 0
    word = max(mark.split(), key=len)
    # One more for the line under the list that says what the mark means.
    assert printed.count(word) - plain.count(word) == to_verify + 1


def _name(key: str, language: str) -> str:
    return next(e for e in load_seed() if e.key == key).name(language)


def test_the_mark_follows_the_name_of_the_service_it_is_about() -> None:
    entries = _seed(sapv_zone_midi_saint_gilles=True, cpvs_bruxelles=False)
    printed, _count = _made(PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES), entries)
    assert words(f"{_name(TO_VERIFY, 'fr')} (à vérifier)") in printed
    assert words(f"{_name(VERIFIED, 'fr')} (à vérifier)") not in printed
    assert words(_name(VERIFIED, "fr")) in printed


@pytest.mark.parametrize(
    ("language", "mark"),
    [("fr", "(à vérifier)"), ("nl", "(na te kijken)"), ("ar", "(يُرجى التحقق)")],
)
def test_the_referral_slip_of_a_service_to_verify_says_so(language: str, mark: str) -> None:
    entries = _seed(sapv_zone_midi_saint_gilles=True, cpvs_bruxelles=False)
    slip = PrintRequest(Material.REFERRAL_SLIP, language, partner=TO_VERIFY)
    printed, count = _made(slip, entries)
    # An Arabic slip sets the Latin name apart from the mark: the mark alone is looked for.
    name = "" if language == "ar" else _name(TO_VERIFY, language)
    assert count == 1 and words(f"{name} {mark}") in printed
    slip = PrintRequest(Material.REFERRAL_SLIP, language, partner=VERIFIED)
    printed, count = _made(slip, entries)
    assert count == 0 and words(mark) not in printed


def test_the_wallet_card_marks_a_number_to_verify_and_still_says_nothing_telling() -> None:
    request = PrintRequest(Material.WALLET_CARD, "fr", SAINT_GILLES)
    entries = _seed(ecoute_violences_conjugales=True)
    printed, count = _made(request, entries)
    assert count >= 1
    assert words("Écoute gratuite et anonyme (à vérifier) 0800 30 030") in printed
    assert card_safe(pdf_text(printing.make(request, entries, TODAY).pdf))
    printed, _count = _made(request, _seed(ecoute_violences_conjugales=False))
    assert words("Écoute gratuite et anonyme 0800 30 030") in printed


@pytest.mark.parametrize("language", brochure_content.available_languages())
def test_what_the_mark_means_is_printed_under_the_services_only_when_one_is_marked(
    language: str,
) -> None:
    labels = brochure_content.load_content(language).labels
    note = words(labels.to_verify_note)
    assert note.startswith(words(labels.to_verify))  # the mark it explains, the same words
    marked = _seed(sapv_zone_midi_saint_gilles=True, cpvs_bruxelles=False)
    verified = [replace(e, verification=Verification.VERIFIED) for e in load_seed()]
    brochure = PrintRequest(Material.BROCHURE, language, SAINT_GILLES)
    slip = PrintRequest(Material.REFERRAL_SLIP, language, partner=TO_VERIFY)
    # The note's longest word not in the mark, counted as the test above counts the mark's
    # (an Arabic line may wrap around a Latin name): the same list or slip, marked or not.
    word = max((w for w in note.split() if w not in words(labels.to_verify)), key=len)
    for request in (brochure, slip):
        with_mark, without = _made(request, marked)[0], _made(request, verified)[0]
        assert with_mark.count(word) - without.count(word) == 1, request.material


def test_the_note_under_the_french_list_reads_whole() -> None:
    marked = _seed(sapv_zone_midi_saint_gilles=True)
    printed, _count = _made(PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES), marked)
    assert (
        words(
            "(à vérifier) : information tirée de sources publiques, pas encore confirmée par "
            "le service. Appelez avant de vous déplacer."
        )
        in printed
    )


def test_dutch_paper_uses_the_screens_word_for_to_verify() -> None:
    labels = brochure_content.load_content("nl").labels
    assert labels.to_verify == "(na te kijken)"
    assert "te controleren" not in labels.to_verify_note


@pytest.mark.parametrize("language", ["fr", "nl", "en", "de"])
def test_the_staff_note_stays_on_screen_and_the_slip_speaks_to_the_person(language: str) -> None:
    """Le Tournesol's two doubtful numbers: the slip gives its description and numbers,
    marked; what the staff must check before giving them (its note) is never printed."""
    shelter = next(e for e in load_seed() if e.key == "le-tournesol-malmedy")
    slip = PrintRequest(Material.REFERRAL_SLIP, language, partner=shelter.key)
    printed, count = _made(slip)
    assert count == 1 and words(shelter.description(language)) in printed
    note = words(shelter.hours_note[language])
    assert note and note not in printed
    for staff_words in (
        "vérifier avant",
        "oude bronnen",
        "check before",
        "vor der Weitergabe",
    ):
        assert words(staff_words) not in printed
