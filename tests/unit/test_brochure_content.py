"""The brochure text of each language: complete, in order, and saying the facts right."""

from __future__ import annotations

import json

import pytest

from app import paths
from app.domain.accounts import NewAccount
from app.domain.brochure import SECTION_ORDER, content_from_json
from app.domain.roles import Role
from app.errors import AccessDenied, ValidationError
from app.services import accounts, brochure_reviews
from app.services.brochure_content import available_languages, load_content
from app.services.open_desk import OpenDesk
from tests.conftest import DeskFixture

# What each language must say (docs/facts-and-sources.md): the numbers, the laws and dates,
# the Belgian names of the victim's procedural roles.
FACTS = {
    "fr": [
        "112",
        "101",
        "0800 30 030",
        "8 février 2006",
        "13 juillet 2023",
        "15 mai 2012",
        "1er janvier 2013",
        "10 jours",
        "3 mois",
        "1er février 2026",
        "28 janvier 2003",
        "personne lésée",
        "partie civile",
        "attestation de dépôt de plainte",
    ],
    "nl": [
        "112",
        "101",
        "1712",
        "8 februari 2006",
        "13 juli 2023",
        "15 mei 2012",
        "1 januari 2013",
        "10 dagen",
        "3 maanden",
        "1 februari 2026",
        "28 januari 2003",
        "benadeelde persoon",
        "burgerlijke partij",
        "attest van klachtneerlegging",
    ],
    "en": [
        "112",
        "101",
        "0800 30 030",
        "1712",
        "8 February 2006",
        "13 July 2023",
        "15 May 2012",
        "1 January 2013",
        "10 days",
        "3 months",
        "1 February 2026",
        "28 January 2003",
        "personne lésée / benadeelde persoon",
        "partie civile",
    ],
    "de": [
        "112",
        "101",
        "108",
        "8. Februar 2006",
        "13. Juli 2023",
        "15. Mai 2012",
        "1. Januar 2013",
        "10 Tage",
        "3 Monate",
        "1. Februar 2026",
        "28. Januar 2003",
        "geschädigte Person",
        "Zivilpartei",
    ],
    "es": [
        "112",
        "101",
        "0800 30 030",
        "8 de febrero de 2006",
        "13 de julio de 2023",
        "15 de mayo de 2012",
        "1 de enero de 2013",
        "10 días",
        "3 meses",
        "1 de febrero de 2026",
        "28 de enero de 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
    "pt": [
        "112",
        "101",
        "0800 30 030",
        "8 de fevereiro de 2006",
        "13 de julho de 2023",
        "15 de maio de 2012",
        "1 de janeiro de 2013",
        "10 dias",
        "3 meses",
        "1 de fevereiro de 2026",
        "28 de janeiro de 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
    "pl": [
        "112",
        "101",
        "0800 30 030",
        "8 lutego 2006",
        "13 lipca 2023",
        "15 maja 2012",
        "1 stycznia 2013",
        "10 dni",
        "3 miesięcy",
        "1 lutego 2026",
        "28 stycznia 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
    "ro": [
        "112",
        "101",
        "0800 30 030",
        "8 februarie 2006",
        "13 iulie 2023",
        "15 mai 2012",
        "1 ianuarie 2013",
        "10 zile",
        "3 luni",
        "1 februarie 2026",
        "28 ianuarie 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
    "tr": [
        "112",
        "101",
        "0800 30 030",
        "8 Şubat 2006",
        "13 Temmuz 2023",
        "15 Mayıs 2012",
        "1 Ocak 2013",
        "10 gün",
        "3 aya",
        "1 Şubat 2026",
        "28 Ocak 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
    "ar": [
        "112",
        "101",
        "0800 30 030",
        "8 فبراير 2006",
        "13 يوليو 2023",
        "15 مايو 2012",
        "1 يناير 2013",
        "10 أيام",
        "3 أشهر",
        "1 فبراير 2026",
        "28 يناير 2003",
        "personne lésée / benadeelde persoon",
        "partie civile / burgerlijke partij",
    ],
}


def test_the_languages_written_so_far_are_there() -> None:
    assert set(FACTS) <= set(available_languages())


@pytest.mark.parametrize("language", sorted(FACTS))
def test_each_language_is_complete_and_says_the_facts(language: str) -> None:
    content = load_content(language)
    assert tuple(s.id for s in content.sections) == SECTION_ORDER
    assert content.right_to_left == (language == "ar")
    text = content.all_text()
    missing = [fact for fact in FACTS[language] if fact not in text]
    assert missing == []
    assert len(content.section("glossary").terms) >= 6
    assert len(content.section("what_is_violence").items) >= 7


def test_a_language_without_text_or_a_damaged_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="no brochure text in xx"):
        load_content("xx")
    good = {"language": "fr", "direction": "ltr", "title": "T", "subtitle": "", "sections": []}
    with pytest.raises(ValidationError, match="damaged: sections"):
        content_from_json(good, "fr")
    with pytest.raises(ValidationError, match="damaged: language"):
        content_from_json(good, "nl")
    with pytest.raises(ValidationError, match="damaged: language"):
        content_from_json("not an object", "fr")
    raw = json.loads((paths.translations_dir() / "brochure" / "fr.json").read_text("utf-8"))
    raw["sections"][1]["items"].append("")
    with pytest.raises(ValidationError, match=r"damaged: rights\.items"):
        content_from_json(raw, "fr")
    raw["sections"][1]["items"].pop()
    raw["sections"][6]["terms"][0] = {"term": "PV"}
    with pytest.raises(ValidationError, match=r"damaged: glossary\.terms"):
        content_from_json(raw, "fr")


def test_a_coordinator_marks_languages_reviewed_by_the_service(
    desk: DeskFixture, admin_desk: OpenDesk, reception: OpenDesk
) -> None:
    account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), "lantern harbour willow 58")
    accounts.add_user(admin_desk, account)
    coordinator = desk.unlock("cora", "lantern harbour willow 58")
    try:
        assert brochure_reviews.reviewed_languages(coordinator) == frozenset()
        brochure_reviews.set_reviewed(coordinator, "ar", True)
        brochure_reviews.set_reviewed(coordinator, "fr", True)
        assert brochure_reviews.set_reviewed(coordinator, "ar", False) == {"fr"}
        with pytest.raises(ValidationError, match="no brochure text in xx"):
            brochure_reviews.set_reviewed(coordinator, "xx", True)
    finally:
        coordinator.close()
    with pytest.raises(AccessDenied):
        brochure_reviews.set_reviewed(reception, "nl", True)
    assert brochure_reviews.reviewed_languages(reception) == {"fr"}
