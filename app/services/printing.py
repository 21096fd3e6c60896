"""Printed material for visitors: the information brochure (A4, or an A5 booklet), the
wallet card and the referral slip, in the visitor's language, with the help services taken
from the directory (the desk's, or the bundled one when there is no database). Nothing about
a person is ever printed. Each hand-out is counted, on the open case or at desk level."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from app import clock
from app.domain.codes import ContactLanguage
from app.domain.directory import DirectoryEntry
from app.domain.help_services import card_numbers, help_services, slip_service
from app.domain.municipalities import MUNICIPALITIES
from app.domain.roles import Role
from app.errors import TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _
from app.reports.brochure_pdf import a4_brochure, a5_booklet
from app.reports.referral_slip_pdf import referral_slip
from app.reports.wallet_card_pdf import wallet_card
from app.services import audit, brochure_content, case_records, directory
from app.services.directory_seed import load_seed
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from db import case_queries
from db.models import Handout, Person

# The people who hand material to visitors, and the coordinator who keeps its content.
PRINT_ROLES = (Role.RECEPTION, Role.COUNSELLOR, Role.COORDINATOR)
MAX_COPIES = 50
# The languages of Belgium a desk may work in, and so hand material out in by default.
VISITORS_DESK_LANGUAGES = (ContactLanguage.FR, ContactLanguage.NL, ContactLanguage.DE)


class Material(StrEnum):
    BROCHURE = "brochure"
    WALLET_CARD = "wallet_card"
    REFERRAL_SLIP = "referral_slip"


class Layout(StrEnum):
    """How the brochure is printed (the card and the slip have one size each)."""

    A4 = "a4"
    A5_BOOKLET = "a5-booklet"


@dataclass(frozen=True)
class PrintRequest:
    material: Material
    language: str
    municipality: str | None = None  # NIS code; None: the national services only
    layout: Layout = Layout.A4
    partner: str | None = None  # directory key of the service on a referral slip


@dataclass(frozen=True)
class PrintedMaterial:
    pdf: bytes
    #: services printed whose details are marked "to verify" in the directory (said in the
    #: print dialog; on the paper, the service's name or its card label is marked too)
    to_verify: tuple[str, ...]


@dataclass(frozen=True)
class StartingChoice:
    """What the printing page starts with: a language with brochure text, a municipality."""

    language: str
    municipality: str | None


def starting_choice(desk: OpenDesk, case_id: str | None = None) -> StartingChoice:
    """For the person of the open case: the language of the last brochure handed out in one
    of their sessions, else the language of their last contact, and the municipality they
    live in; whatever the case does not say (or has no brochure text), the desk's own."""
    with desk.guarded(PRINT_ROLES, "print.make") as session:
        languages = brochure_content.available_languages()
        # A desk run in English (the language of whoever set it up) still serves visitors of
        # municipalities where French is spoken: every one Havre knows (Brussels, Secova).
        language = desk.desk.language
        if language not in VISITORS_DESK_LANGUAGES:
            language = ContactLanguage.FR.value
        municipality: str | None = desk.desk.nis_code
        if case_id is None:
            return StartingChoice(language, municipality)
        desk.check(session, CASE_ROLES, "case.view")
        case = case_records.existing_case(session, case_id)
        sessions = sorted(case_queries.sessions_of(session, case_id), key=lambda r: r.held_at)
        contacts = sorted(case_queries.contacts_of(session, case_id), key=lambda r: r.occurred_at)
        chosen = [r.brochure_language for r in sessions if r.brochure_language in languages]
        spoken = [r.language for r in contacts if r.language in languages]
        person = session.get(Person, case.person_id) if case.person_id else None
        lives_in = person.municipality if person is not None else None
    language = (chosen or spoken or [language])[-1]
    if lives_in in _NIS_CODES:
        municipality = lives_in
    return StartingChoice(language, municipality)


_NIS_CODES = frozenset(m.nis_code for m in MUNICIPALITIES)


def make(request: PrintRequest, entries: Iterable[DirectoryEntry], today: date) -> PrintedMaterial:
    """The PDF of `request`, or a `ValidationError` saying what is missing (language without
    content, unknown municipality, nothing in the directory for it, unknown partner)."""
    content = brochure_content.load_content(request.language)
    entries = list(entries)
    if request.material is Material.REFERRAL_SLIP:
        entry = next((e for e in entries if e.key == request.partner), None)
        if entry is None:
            raise ValidationError(
                _("Choose the service to print on the referral slip."), field="partner"
            )
        service = slip_service(entry, request.language)
        unverified = (service.name,) if service.to_verify else ()
        return PrintedMaterial(referral_slip(content, service, today), unverified)
    services = help_services(entries, request.municipality, request.language)
    if request.material is Material.WALLET_CARD:
        numbers = card_numbers(services, request.language)
        printed = [s for s in (numbers.listening, numbers.contact) if s is not None]
        return PrintedMaterial(
            wallet_card(content, numbers), tuple(s.name for s in printed if s.to_verify)
        )
    build = a5_booklet if request.layout is Layout.A5_BOOKLET else a4_brochure
    return PrintedMaterial(
        build(content, services, today), tuple(s.name for s in services if s.to_verify)
    )


def make_for_desk(
    desk: OpenDesk, request: PrintRequest, today: date | None = None
) -> PrintedMaterial:
    """From the desk's own directory (its local entries and the network's packs)."""
    with desk.guarded(PRINT_ROLES, "print.make") as session:
        desk.check(session, directory.SEARCH_ROLES, "directory.view")
        entries = directory.all_entries_in(session)
    return make(request, entries, today or clock.today())


def make_without_desk(request: PrintRequest, today: date | None = None) -> PrintedMaterial:
    """From the directory bundled with Havre (the command line without a database)."""
    return make(request, load_seed(), today or clock.today())


def record_handout(
    desk: OpenDesk,
    request: PrintRequest,
    copies: int = 1,
    case_id: str | None = None,
    today: date | None = None,
) -> None:
    """Count `copies` of the material handed out, on `case_id` or at desk level."""
    with desk.guarded(PRINT_ROLES, "print.handout") as session:
        if not 1 <= copies <= MAX_COPIES:
            raise ValidationError(
                _("The number of copies must be between 1 and {most}.").format(most=MAX_COPIES),
                field="copies",
            )
        brochure_content.load_content(request.language)  # refuses a language without content
        if case_id is not None:
            case_records.existing_case(session, case_id)
        handout = Handout(
            id=str(uuid.uuid4()),
            handed_on=today or clock.today(),
            material=request.material.value,
            language=request.language,
            copies=copies,
            case_id=case_id,
            recorded_by=desk.user.id,
        )
        session.add(handout)
        audit.record(
            session,
            audit.HANDOUT_RECORDED,
            desk.user.id,
            target_type="case" if case_id else "handout",
            target_id=case_id or handout.id,
        )


def save_pdf(pdf: bytes, path: Path, *, replace: bool = False) -> None:
    """Write the PDF whole or not at all (never half a file beside the right name); an
    existing file is replaced only when the person said so."""
    if path.suffix.lower() != ".pdf":
        raise ValidationError(
            _("{name} does not end in .pdf: choose a name ending in .pdf.").format(name=path.name),
            field="out",
        )
    if path.is_dir():
        raise ValidationError(
            _("{path} is a folder: give the name of the PDF file to write.").format(path=path),
            field="out",
        )
    if path.exists() and not replace:
        raise TargetExists(path)
    atomic_write(path, pdf)
