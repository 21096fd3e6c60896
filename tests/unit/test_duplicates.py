"""Likely duplicates: the matching rules (app/domain/duplicates.py), then the search through
the service on a real encrypted desk."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.domain.duplicates import (
    DuplicateProbe,
    KnownPerson,
    MatchedField,
    Matcher,
    close_pseudonyms,
    email_key,
    phone_key,
)
from app.domain.intake import NOT_RECORDED, OUTSIDE_AREA, ContactForm, IdentityForm, PersonForm
from app.services import intake
from app.services.open_desk import OpenDesk
from tests.factories import named_intake


@pytest.mark.parametrize(
    "typed",
    [
        "0470 12 34 56",
        "0470/12.34.56",
        "+32 470 12 34 56",
        "0032470123456",
        "0470-12-34-56",
        "+32 (0)470 12 34 56",
        " 0470123456 ",
    ],
)
def test_a_phone_number_is_the_same_however_it_is_written(typed: str) -> None:
    assert phone_key(typed) == "470123456"


def test_other_numbers_and_half_typed_ones_are_not_the_same() -> None:
    assert phone_key("+33 6 12 34 56 78") != phone_key("06 12 34 56 78")
    assert phone_key("0470 12 34 57") != phone_key("0470 12 34 56")
    assert phone_key("0470 12") == ""  # not complete yet: compared with nothing
    assert phone_key("") == phone_key("   ") == phone_key("unknown") == ""


def test_an_e_mail_address_ignores_case_and_spaces_and_must_be_complete() -> None:
    assert email_key(" Nadia.D@Example.BE ") == email_key("nadia.d@example.be") != ""
    assert email_key("nadia.d@") == email_key("") == ""


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("Hélène", "helene"),  # accents and case
        ("Nad.", "Nadia"),  # a prefix with a dot is an abbreviation
        ("Nadia", "Nad."),
        ("Nadia", "Nadja"),  # one letter replaced
        ("Nadia", "Nadiia"),  # one letter more
        ("Mohamed", "Mohammed"),
        ("Sarah", "Sarha"),  # two neighbours swapped
        ("Marie", "Marie D."),  # the shorter's words are the other's first
        ("Marie D.", "Marie Dubois"),
    ],
)
def test_close_pseudonyms(typed: str, known: str) -> None:
    assert close_pseudonyms(typed, known)


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("Nadia", "Nadine"),  # two letters apart
        ("N.", "Nadia"),  # one letter before a dot says too little for a first word
        ("N. Dubois", "Nadia Dubois"),
        ("Nad", "Nadia"),  # without a dot, a prefix is another name
        ("Ana", "Ava"),  # a typo counts in words of four letters or more
        ("Nadia", "Madia"),  # the first letter must agree
        ("Marie Dubois", "Marie Durand"),
        ("", "Nadia"),
        ("", ""),
    ],
)
def test_pseudonyms_that_are_not_close(typed: str, known: str) -> None:
    assert not close_pseudonyms(typed, known)


def _known(**changes: object) -> KnownPerson:
    values: dict[str, object] = {
        "pseudonym": "Nadia",
        "phone": "",
        "email": "",
        "age": 34,
        "municipality": "21013",
        "opened_at": clock.now(),
    }
    values.update(changes)
    return KnownPerson(**values)  # type: ignore[arg-type]


def _matched(probe: DuplicateProbe, known: KnownPerson) -> frozenset[MatchedField]:
    return Matcher(probe, clock.today()).matched(known)


def test_strong_and_medium_matches() -> None:
    phone = DuplicateProbe(pseudonym="Nad.", phone="0470/12.34.56")
    assert _matched(phone, _known(pseudonym="Zoé", phone="+32 470 12 34 56")) == {
        MatchedField.PHONE
    }
    email = DuplicateProbe(email="NADIA@example.be")
    assert _matched(email, _known(email="nadia@example.be")) == {MatchedField.EMAIL}
    by_age = DuplicateProbe(pseudonym="Nad.", age=34)
    assert _matched(by_age, _known()) == {MatchedField.PSEUDONYM, MatchedField.BIRTH_YEAR}
    by_area = DuplicateProbe(pseudonym="nadja", municipality="21013")
    assert _matched(by_area, _known()) == {MatchedField.PSEUDONYM, MatchedField.MUNICIPALITY}
    # A pseudonym alone, or an age and a municipality alone, is not a likely duplicate.
    assert _matched(DuplicateProbe(pseudonym="Nadia"), _known()) == frozenset()
    assert _matched(DuplicateProbe(pseudonym="Zoé", age=34, municipality="21013"), _known()) == (
        frozenset()
    )


def test_an_age_is_compared_as_a_birth_year() -> None:
    three_years_ago = clock.now() - timedelta(days=3 * 365)
    probe = DuplicateProbe(pseudonym="Nadia", age=37)
    assert _matched(probe, _known(age=34, opened_at=three_years_ago)) == {
        MatchedField.PSEUDONYM,
        MatchedField.BIRTH_YEAR,
    }
    assert _matched(probe, _known(age=37, opened_at=three_years_ago)) == frozenset()


def test_empty_values_and_defaults_never_match() -> None:
    empty = _known(pseudonym="", phone="", email="", age=None, municipality=NOT_RECORDED)
    probe = DuplicateProbe(municipality=NOT_RECORDED)
    assert _matched(probe, empty) == frozenset()
    nothing_known = _known(age=None, municipality=NOT_RECORDED)
    assert _matched(DuplicateProbe(pseudonym="Nadia"), nothing_known) == frozenset()
    outside = _known(municipality=OUTSIDE_AREA, age=None)
    assert _matched(DuplicateProbe(pseudonym="Nadia", municipality=OUTSIDE_AREA), outside) == (
        frozenset()
    )


def test_nad_with_the_phone_of_a_known_case_is_found(reception: OpenDesk) -> None:
    """The issue's case: "Nad." with the phone of an existing case was saved unwarned."""
    known = intake.record_intake(reception, named_intake("Nadia", 34))
    found = intake.likely_duplicates(
        reception, DuplicateProbe(pseudonym="Nad.", phone="+32 470/12.34.56")
    )
    [candidate] = found
    assert candidate.case_code == known.case_code and candidate.pseudonym == "Nadia"
    assert candidate.matched == {MatchedField.PHONE} and candidate.strong
    assert candidate.last_contact is not None
    assert candidate.last_contact == candidate.opened_at  # its one contact so far


def test_every_likely_case_is_found_best_first_with_its_last_contact(
    reception: OpenDesk,
) -> None:
    now = clock.now()
    by_phone = intake.record_intake(
        reception,
        named_intake(
            "Zoé",
            50,
            contact=ContactForm(occurred_at=now - timedelta(days=40)),
            person=PersonForm(age=50),
        ),
    )
    by_name = intake.record_intake(
        reception,
        named_intake(
            "Nadja",
            34,
            identity=IdentityForm(pseudonym="Nadja", email="n@example.be"),
            contact=ContactForm(occurred_at=now - timedelta(days=9)),
        ),
    )
    # A second contact on the case found by its name: its last contact is that one.
    later = now - timedelta(days=2)
    intake.record_intake(
        reception,
        named_intake(link_case_id=by_name.case_id, contact=ContactForm(occurred_at=later)),
    )
    intake.record_intake(
        reception,
        named_intake("Nadia", 60, identity=IdentityForm("Nadia"), person=PersonForm(age=60)),
    )
    intake.record_intake(reception, named_intake("Sam", 34, identity=IdentityForm("Sam")))
    probe = DuplicateProbe(pseudonym="nadia", phone="0470 12 34 56", age=34, municipality="21013")
    found = intake.likely_duplicates(reception, probe)
    assert [c.case_code for c in found] == [by_phone.case_code, by_name.case_code]
    assert found[0].strong and found[0].matched == {MatchedField.PHONE}
    assert found[1].matched == {
        MatchedField.PSEUDONYM,
        MatchedField.BIRTH_YEAR,
        MatchedField.MUNICIPALITY,
    }
    assert found[1].last_contact is not None and abs(found[1].last_contact - later) < timedelta(
        seconds=1
    )
    by_email = intake.likely_duplicates(reception, DuplicateProbe(email="N@Example.be"))
    assert [c.case_code for c in by_email] == [by_name.case_code]


def test_nothing_typed_finds_nothing_even_among_empty_identities(reception: OpenDesk) -> None:
    intake.record_intake(
        reception,
        named_intake(identity=IdentityForm(), person=PersonForm()),
    )
    assert intake.likely_duplicates(reception, DuplicateProbe()) == []
    assert (
        intake.likely_duplicates(reception, DuplicateProbe(pseudonym="", phone=" ", email=" "))
        == []
    )


def test_an_e_mail_with_like_wildcards_matches_only_itself(reception: OpenDesk) -> None:
    intake.record_intake(
        reception, named_intake(identity=IdentityForm("Ana", email="ana.b@example.be"))
    )
    assert intake.likely_duplicates(reception, DuplicateProbe(email="ana_b@example.be")) == []
    assert intake.likely_duplicates(reception, DuplicateProbe(email="%@example.be")) == []
