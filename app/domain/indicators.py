"""The data elements of the monthly counts (docs/counting-rules.md) and their
disaggregations, with the stable codes that travel in counts files and DHIS2 / ADX payloads.

A data element has at most two dimensions (to limit small cells). A cell is named by its
category option combo: the option codes of its dimensions joined by "_" ("FEMALE_A18_25"),
or "TOTAL" for an element without dimensions. Every file carries every cell, zeros
included, so a month without activity is an explicit zero file.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from app.domain import codes
from app.domain.binning import ElapsedBand
from app.i18n import N_, InContext, _, translate

SCHEMA_VERSION = 2
#: The options each schema added to a dimension. A file of an older schema has no cell
#: with them (its desk counted such activities under "other"): it is read with those
#: cells at zero, so the files of desks not yet upgraded still merge.
ADDED_OPTIONS: dict[int, dict[str, frozenset[str]]] = {
    2: {"KIND": frozenset({"DISCUSSION_GROUP", "SUPPORT_GROUP"})},
}
#: the schemas whose files this version reads
READ_SCHEMAS = (1, SCHEMA_VERSION)
DATA_SET = "PVIF_M"
TOTAL = "TOTAL"


@dataclass(frozen=True)
class Dimension:
    code: str  # an ADX attribute name: upper case, valid XML
    name: str  # untranslated label (N_)
    # (option code, label before translation: with its context where the words alone are
    # ambiguous, as "Other" of a form of violence)
    options: tuple[tuple[str, str | InContext], ...]

    @property
    def label(self) -> str:
        return _(self.name)

    def option_label(self, option: str) -> str:
        return translate(dict(self.options)[option])

    def global_option(self, option: str) -> str:
        """The option's code among all categories ("AGE_UNKNOWN", not "UNKNOWN"): DHIS2
        wants category option codes unique across the instance."""
        return dhis2_code(f"{self.code}_{option}")


@dataclass(frozen=True)
class DataElement:
    code: str
    name: str  # untranslated label (N_)
    dimensions: tuple[Dimension, ...]
    # Counts of people (or of what happened to them): published only under disclosure
    # control. Events and unit-nights (activities held, housing) are not about persons.
    about_people: bool = True
    # Whether the cells add up to a total: not when a case falls in several cells (forms of
    # violence), nor when one cell counts part of another (occupied nights among available).
    adds_up: bool = True

    @property
    def label(self) -> str:
        return _(self.name)

    @cached_property
    def combos(self) -> tuple[tuple[str, ...], ...]:
        """Every cell, as its option codes, in the order of the dimensions' options."""
        return tuple(
            itertools.product(*([code for code, _label in d.options] for d in self.dimensions))
        )

    @cached_property
    def combo_codes(self) -> tuple[str, ...]:
        return tuple(combo_code(combo) for combo in self.combos)

    def combo_codes_of_schema(self, version: int) -> tuple[str, ...]:
        """The cells a file of schema `version` carries: none with an option added later."""
        later: dict[str, set[str]] = {}
        for added_in, added in ADDED_OPTIONS.items():
            if added_in > version:
                for dimension, options in added.items():
                    later.setdefault(dimension, set()).update(options)
        return tuple(
            code
            for combo, code in zip(self.combos, self.combo_codes, strict=True)
            if not any(
                o in later.get(d.code, ()) for d, o in zip(self.dimensions, combo, strict=True)
            )
        )

    def options_of(self, combo: str) -> tuple[str, ...]:
        return self.combos[self.combo_codes.index(combo)]

    @property
    def has_total(self) -> bool:
        """A total is shown when there are cells to add up and they do add up."""
        return bool(self.dimensions) and self.adds_up

    @property
    def category_combo(self) -> str | None:
        """The DHIS2 category combo code, None for the default (no disaggregation)."""
        return "_".join(d.code for d in self.dimensions) or None

    def coc_code(self, combo: str) -> str | None:
        """The DHIS2 category option combo code of a cell, unique across the instance."""
        options = self.options_of(combo)
        joined = "_".join(d.global_option(o) for d, o in zip(self.dimensions, options, strict=True))
        return dhis2_code(joined) if joined else None

    def combo_label(self, combo: str) -> str:
        options = self.options_of(combo)
        return ", ".join(
            d.option_label(o) for d, o in zip(self.dimensions, options, strict=True)
        ) or _("Total")


DHIS2_CODE_LENGTH = 50


def dhis2_code(code: str) -> str:
    """`code` as DHIS2 takes it (at most 50 characters): a longer one keeps its first 41
    characters and a short fingerprint of the whole, so it stays unique and stable."""
    if len(code) <= DHIS2_CODE_LENGTH:
        return code
    fingerprint = hashlib.sha256(code.encode()).hexdigest()[:8].upper()
    return f"{code[: DHIS2_CODE_LENGTH - 9]}_{fingerprint}"


def combo_code(options: tuple[str, ...]) -> str:
    return "_".join(options) if options else TOTAL


def option(enum_value: str) -> str:
    """The option code of a stored enumeration code."""
    return enum_value.upper()


def _from_enum(enum: type[codes.Coded]) -> tuple[tuple[str, str | InContext], ...]:
    # The stable code, upper-cased, is the option code: "psychological_verbal" gives
    # "PSYCHOLOGICAL_VERBAL".
    return tuple((option(code), label) for code, label in codes.labels_of(enum))


class NewVictimAge(StrEnum):
    """The age bands of the new-victims table (docs/counting-rules.md): minors in one band."""

    A0_17 = "A0_17"
    A18_25 = "A18_25"
    A26_40 = "A26_40"
    A41_60 = "A41_60"
    A61_PLUS = "A61_PLUS"
    UNKNOWN = "UNKNOWN"


def new_victim_age(age: int | None) -> NewVictimAge:
    if age is None:
        return NewVictimAge.UNKNOWN
    for highest, band in (
        (17, NewVictimAge.A0_17),
        (25, NewVictimAge.A18_25),
        (40, NewVictimAge.A26_40),
        (60, NewVictimAge.A41_60),
    ):
        if age <= highest:
            return band
    return NewVictimAge.A61_PLUS


ELAPSED_OPTION = {
    ElapsedBand.DAYS_0_3: "D0_3",
    ElapsedBand.DAYS_4_5: "D4_5",
    ElapsedBand.DAYS_6_14: "D6_14",
    ElapsedBand.DAYS_15_30: "D15_30",
    ElapsedBand.OVER_ONE_MONTH: "M1_PLUS",
    ElapsedBand.UNKNOWN: "UNKNOWN",
}

ROLE = Dimension("ROLE", N_("Person's role"), _from_enum(codes.PersonRole))
SESSION_TYPE = Dimension("SESSION_TYPE", N_("Type of session"), _from_enum(codes.SessionType))
SEX = Dimension("SEX", N_("Sex"), _from_enum(codes.Sex))
AGE = Dimension(
    "AGE",
    N_("Age"),
    (
        (NewVictimAge.A0_17, N_("0–17")),
        (NewVictimAge.A18_25, N_("18–25")),
        (NewVictimAge.A26_40, N_("26–40")),
        (NewVictimAge.A41_60, N_("41–60")),
        (NewVictimAge.A61_PLUS, N_("61 and over")),
        (NewVictimAge.UNKNOWN, N_("Age unknown")),
    ),
)
CORE_TYPE = Dimension("CORE_TYPE", N_("GBVIMS type"), _from_enum(codes.GbvimsType))
FORM = Dimension("FORM", N_("Form of violence"), _from_enum(codes.ViolenceForm))
CONTEXT = Dimension("CONTEXT", N_("Relationship"), _from_enum(codes.Relationship))
SOURCE = Dimension("SOURCE", N_("Referred from"), _from_enum(codes.ReferredFrom))
SERVICE = Dimension("SERVICE", N_("Service"), _from_enum(codes.ServiceType))
STATUS = Dimension("STATUS", N_("Outcome"), _from_enum(codes.ReferralStatus))
ELAPSED = Dimension(
    "ELAPSED",
    N_("Time since the last incident"),
    (
        ("D0_3", N_("0–3 days")),
        ("D4_5", N_("4–5 days")),
        ("D6_14", N_("6–14 days")),
        ("D15_30", N_("15 days to 1 month")),
        ("M1_PLUS", N_("Over a month")),
        ("UNKNOWN", N_("Unknown")),
    ),
)
RISK = Dimension("RISK", N_("Risk level"), _from_enum(codes.RiskLevel))
EXPOSED = Dimension("EXPOSED", N_("Children exposed"), _from_enum(codes.YesNoUnknown))
MATERIAL = Dimension(
    "MATERIAL",
    N_("Material"),
    (
        ("BROCHURE", N_("Brochure")),
        ("WALLET_CARD", N_("Wallet card")),
        ("REFERRAL_SLIP", N_("Referral slip")),
    ),
)
LANGUAGE = Dimension(
    "LANGUAGE",
    N_("Language"),
    tuple(
        (code.upper(), label)
        for code, label in (
            ("fr", N_("French")),
            ("nl", N_("Dutch")),
            ("en", N_("English")),
            ("de", N_("German")),
            ("ar", N_("Arabic")),
            ("es", N_("Spanish")),
            ("pt", N_("Portuguese")),
            ("pl", N_("Polish")),
            ("ro", N_("Romanian")),
            ("tr", N_("Turkish")),
        )
    ),
)
KIND = Dimension("KIND", N_("Activity"), _from_enum(codes.ActivityKind))
AUDIENCE = Dimension("AUDIENCE", N_("Audience"), _from_enum(codes.Audience))
OUTCOME = Dimension("OUTCOME", N_("Outcome of the attempt"), _from_enum(codes.AttemptOutcome))
# The first set of protocols shipped with Havre; protocols a network adds count as "other"
# (their keys are the network's, not stable codes of the data set).
PROTOCOL = Dimension(
    "PROTOCOL",
    N_("Intervention protocol"),
    (
        ("IMMEDIATE_DANGER", N_("Immediate danger")),
        ("COMPLAINT", N_("The victim wants to file a complaint")),
        ("SEXUAL_VIOLENCE", N_("Sexual violence: care centre within the forensic window")),
        ("LEGAL_AID", N_("Legal aid")),
        ("CHILD_PRESENT", N_("A child is present or a minor discloses violence")),
        ("OTHER", N_("Other protocols of the network")),
    ),
)
PROTOCOL_OPTIONS = frozenset(code for code, _label in PROTOCOL.options)


def protocol_option(key: str) -> str:
    """The PROTOCOL option a protocol's key is counted under."""
    code = option(key)
    return code if code in PROTOCOL_OPTIONS else "OTHER"


NIGHTS = Dimension(
    "NIGHTS",
    N_("Unit-nights"),
    (("AVAILABLE", N_("Available")), ("OCCUPIED", N_("Occupied"))),
)

CONTACTS = DataElement("PVIF_CONTACTS", N_("Desk contacts"), (ROLE,))
SESSIONS = DataElement("PVIF_SESSIONS", N_("Listening and counselling sessions"), (SESSION_TYPE,))
NEW_VICTIMS = DataElement("PVIF_NEW_VICTIMS", N_("New victims (consented)"), (SEX, AGE))
SITUATIONS_CORE_TYPE = DataElement(
    "PVIF_SITUATIONS_CORE_TYPE", N_("New situations by GBVIMS type"), (CORE_TYPE,)
)
SITUATIONS_FORM = DataElement(
    "PVIF_SITUATIONS_FORM", N_("New situations by form of violence"), (FORM,), adds_up=False
)
SITUATIONS_CONTEXT = DataElement(
    "PVIF_SITUATIONS_CONTEXT", N_("New situations by relationship"), (CONTEXT,)
)
REFERRED_FROM = DataElement("PVIF_REFERRED_FROM", N_("Contacts by referral source"), (SOURCE,))
REFERRALS_MADE = DataElement("PVIF_REFERRALS_MADE", N_("Referrals made"), (SERVICE,))
REFERRAL_STATUS = DataElement("PVIF_REFERRAL_STATUS", N_("Referral outcomes"), (STATUS,))
ELAPSED_TIME = DataElement(
    "PVIF_ELAPSED", N_("Time from the last incident to the first contact"), (ELAPSED,)
)
RISK_SCREENS = DataElement("PVIF_RISK_SCREENS", N_("Risk screenings by result"), (RISK,))
CHILDREN_EXPOSED = DataElement(
    "PVIF_CHILDREN_EXPOSED", N_("New victims with children exposed"), (EXPOSED,)
)
PRINTED = DataElement("PVIF_PRINTED", N_("Printed material handed out"), (MATERIAL, LANGUAGE))
EXCLUDED_NO_CONSENT = DataElement(
    "PVIF_EXCL_NO_CONSENT", N_("New cases left out of the profile tables: no consent"), ()
)
EXCLUDED_COUNTED_ELSEWHERE = DataElement(
    "PVIF_EXCL_COUNTED_ELSEWHERE",
    N_("New cases left out: already counted by another desk"),
    (),
)
ACTIVITIES = DataElement(
    "PVIF_ACTIVITIES", N_("Activities held"), (KIND, AUDIENCE), about_people=False
)
PARTICIPANTS = DataElement("PVIF_PARTICIPANTS", N_("Activity participants"), (KIND, AUDIENCE))
# Nights in emergency housing are nights of people: protected like the other counts.
HOUSING = DataElement("PVIF_HOUSING_NIGHTS", N_("Emergency housing"), (NIGHTS,), adds_up=False)
RECONTACT_ATTEMPTS = DataElement(
    "PVIF_RECONTACT_ATTEMPTS", N_("Recontact attempts by outcome"), (OUTCOME,)
)
PROTOCOLS_USED = DataElement(
    "PVIF_PROTOCOLS_USED", N_("Intervention protocols followed during contacts"), (PROTOCOL,)
)

ELEMENTS: tuple[DataElement, ...] = (
    CONTACTS,
    SESSIONS,
    NEW_VICTIMS,
    SITUATIONS_CORE_TYPE,
    SITUATIONS_FORM,
    SITUATIONS_CONTEXT,
    REFERRED_FROM,
    REFERRALS_MADE,
    REFERRAL_STATUS,
    ELAPSED_TIME,
    RISK_SCREENS,
    CHILDREN_EXPOSED,
    PRINTED,
    EXCLUDED_NO_CONSENT,
    EXCLUDED_COUNTED_ELSEWHERE,
    ACTIVITIES,
    PARTICIPANTS,
    HOUSING,
    RECONTACT_ATTEMPTS,
    PROTOCOLS_USED,
)
BY_CODE = {element.code: element for element in ELEMENTS}
# Tables that count the same people (or events) in different ways: their totals are equal,
# so disclosure control treats them together (app/disclosure/model.py).
SAME_TOTAL: tuple[tuple[DataElement, ...], ...] = (
    (CONTACTS, REFERRED_FROM),
    (REFERRALS_MADE, REFERRAL_STATUS),
    (NEW_VICTIMS, CHILDREN_EXPOSED),
    (SITUATIONS_CORE_TYPE, SITUATIONS_CONTEXT, ELAPSED_TIME),
)
