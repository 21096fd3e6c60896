"""The derivations and bands of the intake, at their edges."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import safe_hours
from app.domain.binning import (
    AgeBand,
    DurationBand,
    ElapsedBand,
    age_band,
    duration_band,
    elapsed_band,
)
from app.domain.case_code import format_case_code, searches_a_code
from app.domain.classification import gbvims_type, violence_scope
from app.domain.codes import (
    AgeGroup,
    CallerRelation,
    Children,
    Coded,
    ContactMode,
    DatePrecision,
    GbvimsType,
    PersonRole,
    RecontactChannel,
    Relationship,
    Sex,
    SexualSubtype,
    ViolenceForm,
    ViolenceScope,
    YesNoUnknown,
    join_codes,
    split_codes,
)
from app.domain.intake import (
    ContactForm,
    IdentityForm,
    IntakeForm,
    PersonForm,
    SituationForm,
    parse_age,
    search_key,
    validate_intake,
)
from app.domain.periods import Month, months_between, nights_in
from app.domain.safe_hours import HourRange
from app.errors import ValidationError

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

F = ViolenceForm


@pytest.mark.parametrize(
    ("forms", "subtype", "expected"),
    [
        ({F.SEXUAL}, SexualSubtype.PENETRATION, GbvimsType.RAPE),
        ({F.SEXUAL, F.PHYSICAL}, SexualSubtype.PENETRATION, GbvimsType.RAPE),
        ({F.SEXUAL}, SexualSubtype.NO_PENETRATION, GbvimsType.SEXUAL_ASSAULT),
        ({F.SEXUAL}, SexualSubtype.UNKNOWN, GbvimsType.SEXUAL_ASSAULT),
        (
            {F.PHYSICAL, F.PSYCHOLOGICAL, F.ECONOMIC},
            SexualSubtype.UNKNOWN,
            GbvimsType.PHYSICAL_ASSAULT,
        ),
        ({F.FORCED_MARRIAGE, F.THREATS}, SexualSubtype.UNKNOWN, GbvimsType.FORCED_MARRIAGE),
        ({F.ECONOMIC, F.PSYCHOLOGICAL}, SexualSubtype.UNKNOWN, GbvimsType.DENIAL_OF_RESOURCES),
        ({F.ADMINISTRATIVE}, SexualSubtype.UNKNOWN, GbvimsType.DENIAL_OF_RESOURCES),
        ({F.COERCIVE_CONTROL}, SexualSubtype.UNKNOWN, GbvimsType.PSYCHOLOGICAL),
        ({F.STALKING, F.DIGITAL}, SexualSubtype.UNKNOWN, GbvimsType.PSYCHOLOGICAL),
        ({F.OTHER}, SexualSubtype.UNKNOWN, GbvimsType.NON_GBV),
        (set(), SexualSubtype.UNKNOWN, GbvimsType.NON_GBV),
    ],
)
def test_gbvims_type_follows_the_hierarchy(
    forms: set[ViolenceForm], subtype: SexualSubtype, expected: GbvimsType
) -> None:
    assert gbvims_type(forms, subtype) is expected


def test_penetration_without_sexual_violence_is_not_rape() -> None:
    assert gbvims_type({F.PHYSICAL}, SexualSubtype.PENETRATION) is GbvimsType.PHYSICAL_ASSAULT


@pytest.mark.parametrize(
    ("relationship", "scope"),
    [
        (Relationship.PARTNER_CURRENT, ViolenceScope.PARTNER),
        (Relationship.PARTNER_FORMER, ViolenceScope.PARTNER),
        (Relationship.PARENT_TO_CHILD, ViolenceScope.INTRAFAMILIAL),
        (Relationship.CHILD_TO_PARENT, ViolenceScope.INTRAFAMILIAL),
        (Relationship.SIBLING, ViolenceScope.INTRAFAMILIAL),
        (Relationship.OTHER_FAMILY, ViolenceScope.INTRAFAMILIAL),
        (Relationship.COHABITANT, ViolenceScope.OTHER),
        (Relationship.OTHER, ViolenceScope.OTHER),
        (Relationship.UNKNOWN, ViolenceScope.UNKNOWN),
    ],
)
def test_partner_and_intrafamilial_split(relationship: Relationship, scope: ViolenceScope) -> None:
    assert violence_scope(relationship) is scope


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.AGE_0_11),
        (11, AgeBand.AGE_0_11),
        (12, AgeBand.AGE_12_17),
        (17, AgeBand.AGE_12_17),
        (18, AgeBand.AGE_18_25),
        (25, AgeBand.AGE_18_25),
        (26, AgeBand.AGE_26_40),
        (40, AgeBand.AGE_26_40),
        (41, AgeBand.AGE_41_60),
        (60, AgeBand.AGE_41_60),
        (61, AgeBand.AGE_61_PLUS),
        (120, AgeBand.AGE_61_PLUS),
        (None, AgeBand.UNKNOWN),
    ],
)
def test_age_bands_at_their_edges(age: int | None, band: AgeBand) -> None:
    assert age_band(age) is band


@pytest.mark.parametrize("age", [-1, 121])
def test_impossible_ages_are_not_binned(age: int) -> None:
    with pytest.raises(ValueError, match="age out of range"):
        age_band(age)


CONTACT_DAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, ElapsedBand.DAYS_0_3),
        (3, ElapsedBand.DAYS_0_3),
        (4, ElapsedBand.DAYS_4_5),  # Primero puts day 4 in 0-3: not here
        (5, ElapsedBand.DAYS_4_5),
        (6, ElapsedBand.DAYS_6_14),
        (14, ElapsedBand.DAYS_6_14),
        (15, ElapsedBand.DAYS_15_30),
        (30, ElapsedBand.DAYS_15_30),
        (31, ElapsedBand.OVER_ONE_MONTH),
        (400, ElapsedBand.OVER_ONE_MONTH),
    ],
)
def test_elapsed_bands_at_their_edges(days: int, band: ElapsedBand) -> None:
    incident = CONTACT_DAY - timedelta(days=days)
    assert elapsed_band(incident, DatePrecision.DAY, CONTACT_DAY) is band


def test_elapsed_band_with_only_the_month_known() -> None:
    # The whole month must lie more than 30 days back, else the band is not guessed.
    # February 2026 ends on the 28th: 31 days before 31 March.
    assert elapsed_band(date(2026, 2, 1), DatePrecision.MONTH, date(2026, 3, 31)) is (
        ElapsedBand.OVER_ONE_MONTH
    )
    assert elapsed_band(date(2026, 2, 1), DatePrecision.MONTH, date(2026, 3, 30)) is (
        ElapsedBand.UNKNOWN
    )
    assert elapsed_band(date(2026, 3, 1), DatePrecision.MONTH, CONTACT_DAY) is (ElapsedBand.UNKNOWN)
    assert elapsed_band(None, DatePrecision.DAY, CONTACT_DAY) is ElapsedBand.UNKNOWN


def test_incident_after_contact_is_not_binned() -> None:
    with pytest.raises(ValueError, match="after the contact"):
        elapsed_band(CONTACT_DAY + timedelta(days=1), DatePrecision.DAY, CONTACT_DAY)


@pytest.mark.parametrize(
    ("minutes", "band"),
    [
        (0, DurationBand.UNDER_15),
        (14, DurationBand.UNDER_15),
        (15, DurationBand.FROM_15_TO_30),
        (30, DurationBand.FROM_15_TO_30),
        (31, DurationBand.FROM_30_TO_60),
        (60, DurationBand.FROM_30_TO_60),
        (61, DurationBand.OVER_60),
    ],
)
def test_duration_bands(minutes: int, band: DurationBand) -> None:
    assert duration_band(minutes) is band


def test_case_codes() -> None:
    assert format_case_code("SG", 2026, 42) == "SG-2026-0042"
    assert format_case_code("SECOVA", 2026, 12345) == "SECOVA-2026-12345"
    assert searches_a_code(" sg-2026-0042 ")
    assert searches_a_code("0042")
    assert not searches_a_code("Dupont")
    with pytest.raises(ValueError):
        format_case_code("SG", 2026, 0)


def test_every_code_has_a_label_and_multiple_answers_round_trip() -> None:
    for enum in Coded.__subclasses__():
        for member in enum:
            assert member.label
    stored = join_codes({F.THREATS, F.PHYSICAL})
    assert stored == "physical,threats"
    # A code this version does not know: under the list's catch-all, as it is counted.
    assert split_codes(ViolenceForm, stored + ",retired_code") == {F.PHYSICAL, F.THREATS, F.OTHER}
    assert ContactMode.parse("teleport") is None


def test_search_key_ignores_accents_and_case() -> None:
    assert search_key("  Hélène ÇELİK ") == search_key("helene celik")


@pytest.mark.parametrize("text", ["-3", "121", "abc", "12.5", "4 2"])
def test_impossible_ages_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError, match="from 0 to 120") as refused:
        parse_age(text)
    assert refused.value.field == "age"


def test_parse_age() -> None:
    assert parse_age(" 34 ") == 34
    assert parse_age("") is None


NOW = datetime(2026, 3, 31, 10, 0, tzinfo=UTC)


def _form(**changes: object) -> IntakeForm:
    values: dict[str, object] = {"id": "x", "contact": ContactForm(occurred_at=NOW)}
    values.update(changes)
    return IntakeForm(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (_form(contact=ContactForm(occurred_at=NOW + timedelta(hours=1))), "occurred_at"),
        (
            _form(situation=SituationForm(last_incident=date(2026, 4, 1))),
            "last_incident",
        ),
        (_form(identity=IdentityForm(pseudonym="Mia")), "anonymous"),
        (
            _form(person=PersonForm(), identity=IdentityForm(pseudonym="Mia\x07")),
            "pseudonym",
        ),
        (_form(person=PersonForm(), identity=IdentityForm(pseudonym="M" * 121)), "pseudonym"),
        (_form(person=PersonForm(), identity=IdentityForm(phone="call me")), "phone"),
        (_form(person=PersonForm(), identity=IdentityForm(email="mia@")), "email"),
        (_form(person=PersonForm(age=130)), "age"),
        (_form(person=PersonForm(municipality="99999")), "municipality"),
    ],
)
def test_bad_intakes_are_refused_with_the_field_named(form: IntakeForm, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_intake(form, NOW)
    assert refused.value.field == field


def test_incident_this_month_with_month_precision_is_accepted() -> None:
    form = _form(
        situation=SituationForm(last_incident=date(2026, 3, 28), precision=DatePrecision.MONTH)
    )
    assert validate_intake(form, NOW).situation.last_incident == date(2026, 3, 1)


def test_months_shift_across_years_and_parse_strictly() -> None:
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 11).shifted(-36) == Month(2023, 11)
    assert Month(2026, 11).shifted(3) == Month(2027, 2)
    assert len(months_between(Month(2025, 11), Month(2026, 10))) == 12
    assert (Month(2026, 2).days, Month(2028, 2).days) == (28, 29)
    assert Month.parse("2026-07").dhis2 == "202607" and Month(2026, 7).adx == "2026-07-01/P1M"
    for bad in ("2026-13", "26-07", "2026/07", "July"):
        with pytest.raises(ValidationError, match="write it as YYYY-MM"):
            Month.parse(bad)
    assert nights_in(date(2026, 2, 20), date(2026, 3, 11), Month(2026, 3)) == 10


def test_a_witness_says_who_the_victim_is_and_nothing_of_the_caller_is_kept() -> None:
    typed_as_victim = PersonForm(
        age=52, sex=Sex.MALE, children=Children.TWO, children_exposed=YesNoUnknown.YES
    )
    witness = ContactForm(
        occurred_at=NOW,
        role=PersonRole.WITNESS,
        relation=CallerRelation.NEIGHBOUR,
        victim_sex=Sex.FEMALE,
        victim_age=AgeGroup.AGE_26_40,
        note="  Speak only to her;\r\nnever to the husband.  ",
    )
    checked = validate_intake(_form(contact=witness, person=typed_as_victim), NOW)
    assert checked.person == PersonForm(municipality=typed_as_victim.municipality)
    assert checked.contact.relation is CallerRelation.NEIGHBOUR
    assert (checked.contact.victim_sex, checked.contact.victim_age) == (
        Sex.FEMALE,
        AgeGroup.AGE_26_40,
    )
    assert checked.contact.note == "Speak only to her;\nnever to the husband."
    # A relation left blank is "unknown", never missing, for every third-party role.
    for role in (PersonRole.RELATIVE, PersonRole.PROFESSIONAL):
        blank = validate_intake(_form(contact=ContactForm(occurred_at=NOW, role=role)), NOW)
        assert blank.contact.relation is CallerRelation.UNKNOWN
        assert blank.contact.victim_age is AgeGroup.UNKNOWN
    # The victim herself: what a witness would say of her is not kept, her own age is.
    victim = replace(witness, role=PersonRole.VICTIM)
    checked = validate_intake(_form(contact=victim, person=typed_as_victim), NOW)
    assert (checked.contact.relation, checked.contact.victim_sex) == (None, None)
    assert checked.person == typed_as_victim


def test_a_note_longer_than_500_characters_is_refused() -> None:
    assert validate_intake(_form(contact=ContactForm(occurred_at=NOW, note="n" * 500)), NOW)
    with pytest.raises(ValidationError, match="at most 500") as refused:
        validate_intake(_form(contact=ContactForm(occurred_at=NOW, note="n" * 501)), NOW)
    assert refused.value.field == "note"


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("", ()),
        ("10-12", ((10, 12),)),
        (" 8-9, 14-16 h", ((8, 9), (14, 16))),
        ("0–24", ((0, 24),)),
        ("18-20h;7-8", ((18, 20), (7, 8))),
    ],
)
def test_safe_hours_of_a_day_as_typed(text: str, ranges: tuple[tuple[int, int], ...]) -> None:
    parsed = safe_hours.parse_day(text, 1)
    assert [(r.weekday, r.start, r.end) for r in parsed] == [(1, s, e) for s, e in ranges]


@pytest.mark.parametrize("text", ["12-10", "10-10", "10-25", "10", "10-12 x", "1012", "-3-4"])
def test_safe_hours_out_of_order_or_range_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        safe_hours.parse_day(text, 3)
    assert refused.value.field == "safe_hours_3"


def test_safe_hours_are_checked_kept_only_with_recontact_and_stored_as_codes() -> None:
    tuesday = (HourRange(1, 14, 16), HourRange(1, 10, 12), HourRange(1, 10, 12))
    person = PersonForm(
        may_recontact=YesNoUnknown.YES, channel=RecontactChannel.PHONE, safe_hours=tuesday
    )
    checked = validate_intake(_form(person=person), NOW).person
    assert checked is not None
    assert checked.safe_hours == (HourRange(1, 10, 12), HourRange(1, 14, 16))
    assert safe_hours.join(checked.safe_hours) == "1:10-12,1:14-16"
    assert safe_hours.split("1:10-12,1:14-16,9:1-2,x") == checked.safe_hours
    refused_recontact = replace(person, may_recontact=YesNoUnknown.NO)
    assert validate_intake(_form(person=refused_recontact), NOW).person == PersonForm(
        may_recontact=YesNoUnknown.NO
    )
    with pytest.raises(ValidationError):
        validate_intake(_form(person=replace(person, safe_hours=(HourRange(1, 12, 10),))), NOW)
