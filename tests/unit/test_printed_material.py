"""The printed material read back from the PDF, as a reader and a printer get it: every text
of the content in each language, the help services of the municipality, fonts embedded, the
booklet's pages in folding order, a wallet card that says nothing of what it is about, and a
refusal that leaves no file behind."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app import clock, paths
from app.domain.brochure import CARD_UNSAFE_WORDS, card_safe, content_from_json
from app.domain.codes import ContactLanguage
from app.domain.help_services import slip_service
from app.domain.intake import OUTSIDE_AREA, ContactForm, PersonForm
from app.domain.sessions import SessionForm
from app.errors import AccessDenied, RecordNotFound, StorageError, TargetExists, ValidationError
from app.reports.brochure_pdf import imposed_order
from app.services import auth, brochure_content, printing
from app.services.desk import create_desk
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintRequest
from db.models import AuditEvent, Handout
from tests.conftest import FAST_KDF, STAFF_PASSWORD, desk_setup
from tests.factories import named_intake
from tests.pdf_tools import (
    body_text,
    pdf_fonts,
    pdf_info,
    pdf_language,
    pdf_text,
    pdf_title,
    to_unicode_texts,
    words,
)

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

TODAY = date(2026, 11, 23)
SAINT_GILLES = "21013"
LANGUAGES = brochure_content.available_languages()


def make(material: Material, language: str = "fr", **more: object) -> bytes:
    request = PrintRequest(material, language, **more)  # type: ignore[arg-type]
    return printing.make(request, load_seed(), TODAY).pdf


def test_the_ten_languages_are_shipped() -> None:
    assert LANGUAGES == ["ar", "de", "en", "es", "fr", "nl", "pl", "pt", "ro", "tr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_brochure_is_printed_in_each_language(language: str) -> None:
    content = brochure_content.load_content(language)
    pdf = make(Material.BROCHURE, language, municipality=SAINT_GILLES)
    raw = body_text(pdf)
    printed = words(raw)
    texts = [content.title, content.subtitle]
    for section in content.sections:
        texts += [section.title, *section.paragraphs, *section.items]
        texts += [f"{term.term} {term.definition}" for term in section.terms]
    if not content.right_to_left:
        assert [t for t in texts if words(t) not in printed] == []
    else:
        # pdftotext puts numbers and Latin words of an Arabic line where they stand on the
        # page: every word is there, and a purely Arabic phrase reads in order.
        present = set(printed.split())
        assert [t for t in texts if not set(words(t).split()) <= present] == []
        assert words(content.title) in printed
        # A reader finds letters, not the joined forms drawn (see the search test below).
        assert not [c for c in raw if "\ufb50" <= c <= "\ufeff"]
    # The facts and numbers of docs/facts-and-sources.md, in every language.
    for fact in ("112", "101", "2006", "2012", "2026", "0800 30 030"):
        assert fact in printed, fact
    # The help services of Saint-Gilles, phone numbers written the Belgian way.
    for phone in ("02 559 85 74", "02 535 45 42", "0800 98 100"):
        assert phone in printed, phone


def test_help_services_come_local_first_then_regional_then_national() -> None:
    printed = words(body_text(make(Material.BROCHURE, "fr", municipality=SAINT_GILLES)))
    local = printed.index(words("Assistance policière aux victimes, zone Midi"))
    regional = printed.index(words("CPVS Bruxelles"))
    national = printed.index(words("Police secours 101"))
    assert local < regional < national
    assert printed.index(words("Près de chez vous")) < local
    assert printed.index(words("Partout en Belgique")) < national


def test_no_municipality_lists_the_national_services_only() -> None:
    printed = words(body_text(make(Material.BROCHURE, "nl")))
    assert words("Europees noodnummer 112") in printed
    assert words("CPVS Bruxelles") not in printed and "02 535 45 42" not in printed


def test_a_confidential_address_is_never_printed() -> None:
    seed = load_seed()
    hidden = replace(next(e for e in seed if e.key == "sos-viol"), confidential_address=True)
    entries = [hidden if e.key == "sos-viol" else e for e in seed]
    for request in (
        PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES),
        PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES, Layout.A5_BOOKLET),
        PrintRequest(Material.REFERRAL_SLIP, "fr", partner="sos-viol"),
    ):
        printed = words(pdf_text(printing.make(request, entries, TODAY).pdf))
        assert "0800 98 100" in printed
        assert words("Rue d'Albanie") not in printed


# Every shelter of the seed (confidential addresses), each given an address it must not print.
CONFIDENTIAL = sorted(e.key for e in load_seed() if e.confidential_address)
SECRET = "Rue du Refuge Caché 7"


def test_the_seed_shelters_are_all_covered() -> None:
    assert {"cpvcf", "cvfe", "prisma-frauenhaus-eupen", "le-tournesol-malmedy"} <= set(CONFIDENTIAL)


@pytest.mark.parametrize("key", CONFIDENTIAL)
def test_no_shelter_address_is_printed_on_a_slip(key: str) -> None:
    entries = [replace(e, address=SECRET) if e.key == key else e for e in load_seed()]
    shelter = next(e for e in entries if e.key == key)
    printed = words(
        pdf_text(
            printing.make(
                PrintRequest(Material.REFERRAL_SLIP, "fr", partner=key), entries, TODAY
            ).pdf
        )
    )
    assert words(shelter.name("fr")) in printed
    assert words(SECRET) not in printed and "refuge caché" not in printed


@pytest.mark.parametrize("layout", [Layout.A4, Layout.A5_BOOKLET])
@pytest.mark.parametrize("place", [SAINT_GILLES, "62032"])
def test_no_shelter_address_is_printed_in_a_brochure(layout: Layout, place: str) -> None:
    entries = [replace(e, address=SECRET) if e.confidential_address else e for e in load_seed()]
    request = PrintRequest(Material.BROCHURE, "fr", place, layout)
    printed = words(pdf_text(printing.make(request, entries, TODAY).pdf))
    # The shelters serving the place are listed (by their numbers), never where they are.
    listed = {"21013": "02 539 27 44", "62032": "080 64 37 34"}[place]
    assert listed in printed
    assert "refuge caché" not in printed


@pytest.mark.parametrize(
    "material,layout",
    [
        (Material.BROCHURE, Layout.A4),
        (Material.BROCHURE, Layout.A5_BOOKLET),
        (Material.WALLET_CARD, Layout.A4),
        (Material.REFERRAL_SLIP, Layout.A4),
    ],
)
@pytest.mark.parametrize("language", ["fr", "ar", "pl"])
def test_every_font_is_embedded(material: Material, layout: Layout, language: str) -> None:
    pdf = make(material, language, municipality=SAINT_GILLES, layout=layout, partner="cvfe")
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert all("DejaVu" in name for name, _embedded in fonts)


@pytest.mark.parametrize("layout", [Layout.A4, Layout.A5_BOOKLET])
def test_a_reader_searching_an_arabic_word_finds_it_each_time_it_is_printed(
    layout: Layout,
) -> None:
    content = brochure_content.load_content("ar")
    written = [content.title, content.subtitle]
    for section in content.sections:
        written += [section.title, *section.paragraphs, *section.items]
        written += [f"{term.term} {term.definition}" for term in section.terms]
    wanted = sum(text.count("العنف") for text in written)
    pdf = make(Material.BROCHURE, "ar", municipality=SAINT_GILLES, layout=layout)
    # As pdftotext (and a reader's search) gets it: no normalising of the joined forms.
    text = pdf_text(pdf)
    assert wanted >= 10 and text.count("العنف") == wanted
    assert "الأسرة" in text  # lam-alef is drawn as one ligature, read as its two letters
    assert content.sections[0].title in text  # a whole heading, in reading order
    # The letters are still drawn joined: each letter in its several joined forms.
    lams = [t for t in to_unicode_texts(pdf) if t == "ل"]
    assert len(lams) >= 4
    slip = pdf_text(make(Material.REFERRAL_SLIP, "ar", partner="sos-viol"))
    assert brochure_content.load_content("ar").labels.slip_title in slip
    card = pdf_text(make(Material.WALLET_CARD, "ar", municipality=SAINT_GILLES))
    assert brochure_content.load_content("ar").labels.card_title in card


@pytest.mark.parametrize(
    "material,layout",
    [
        (Material.BROCHURE, Layout.A4),
        (Material.BROCHURE, Layout.A5_BOOKLET),
        (Material.WALLET_CARD, Layout.A4),
        (Material.REFERRAL_SLIP, Layout.A4),
    ],
)
@pytest.mark.parametrize("language", ["fr", "nl", "de", "ar"])
def test_every_pdf_has_a_title_and_a_language(
    material: Material, layout: Layout, language: str
) -> None:
    pdf = make(material, language, municipality=SAINT_GILLES, layout=layout, partner="cvfe")
    labels = brochure_content.load_content(language).labels
    cvfe = next(e for e in load_seed() if e.key == "cvfe")
    title = {
        Material.BROCHURE: brochure_content.load_content(language).title,
        Material.WALLET_CARD: labels.card_title,  # as neutral as the card
        Material.REFERRAL_SLIP: f"{labels.slip_title} — {slip_service(cvfe, language).name}",
    }[material]
    assert pdf_title(pdf) == title
    assert pdf_language(pdf) == language


def test_imposition_puts_facing_pages_so_that_the_folded_stack_reads_in_order() -> None:
    assert imposed_order(4) == [(4, 1), (2, 3)]
    assert imposed_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    # Arabic: bound on the right, the cover on the left of the first side.
    assert imposed_order(8, right_to_left=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    for pages in (4, 8, 12, 16, 20):
        sides = imposed_order(pages)
        assert sorted(p for side in sides for p in side) == list(range(1, pages + 1))
        # On each side of a folded sheet the two pages add up to pages + 1.
        assert all(left + right == pages + 1 for left, right in sides)
        # The odd pages are on the right of the fold (the reader's right-hand pages).
        assert all(right % 2 == 1 for _left, right in sides[0::2])
        mirrored = imposed_order(pages, right_to_left=True)
        assert mirrored == [(right, left) for left, right in sides]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_a5_booklet_sheets_carry_the_pages_in_folding_order(language: str) -> None:
    pdf = make(Material.BROCHURE, language, municipality=SAINT_GILLES, layout=Layout.A5_BOOKLET)
    info = pdf_info(pdf)
    sheets = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert "841.89 x 595.276" in info  # A4 landscape
    assert sheets % 2 == 0
    pages = sheets * 2
    content = brochure_content.load_content(language)

    def number_at_foot(side: int, half: int) -> int | None:
        foot = pdf_text(
            pdf,
            "-f",
            str(side),
            "-l",
            str(side),
            "-x",
            str(half * 421),
            "-y",
            "560",
            "-W",
            "421",
            "-H",
            "35",
        ).split()
        return int(foot[0]) if foot else None

    found = []
    for side in range(1, sheets + 1):
        found.append((number_at_foot(side, 0), number_at_foot(side, 1)))
    expected = imposed_order(pages, content.right_to_left)
    for (left, right), (want_left, want_right) in zip(found, expected, strict=True):
        # The cover and padding pages carry no number.
        assert left in (want_left, None) and right in (want_right, None)
    numbered = [n for side in found for n in side if n is not None]
    assert len(numbered) >= pages - 4  # only the cover and the blank pages at the end
    # The cover is on the right of the first side (left in Arabic), the first section on page
    # 2, on the other half of the second side.
    cover_x, two_x = ("0", "421") if content.right_to_left else ("421", "0")
    cover = words(
        pdf_text(pdf, "-f", "1", "-l", "1", "-x", cover_x, "-y", "0", "-W", "421", "-H", "595")
    )
    assert words(content.title) in cover
    page_two = words(
        pdf_text(pdf, "-f", "2", "-l", "2", "-x", two_x, "-y", "0", "-W", "421", "-H", "595")
    )
    assert words(content.sections[0].title) in page_two


def test_the_wallet_card_is_card_sized_and_gives_the_numbers() -> None:
    pdf = make(Material.WALLET_CARD, "fr", municipality=SAINT_GILLES)
    info = pdf_info(pdf)
    assert "Pages:           2" in info
    width, height = (
        float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )  # type: ignore[union-attr]
    assert abs(width - 85.6 / 25.4 * 72) < 0.5 and abs(height - 54 / 25.4 * 72) < 0.5
    printed = words(pdf_text(pdf))
    for number in ("112", "101", "0800 30 030", "02 559 85 74"):
        assert number in printed
    # In Dutch, the Flemish helpline.
    assert "1712" in words(pdf_text(make(Material.WALLET_CARD, "nl", municipality=SAINT_GILLES)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wallet_card_never_says_what_it_is_about(language: str) -> None:
    text = pdf_text(make(Material.WALLET_CARD, language, municipality=SAINT_GILLES))
    assert card_safe(text), text
    # ... while the brochure of the same language does (the check would see it).
    assert not card_safe(pdf_text(make(Material.BROCHURE, language)))


def test_a_card_label_with_a_telling_word_is_refused_when_the_content_is_read() -> None:
    raw = json.loads((paths.translations_dir() / "brochure" / "fr.json").read_text("utf-8"))
    raw["print"]["card_listening"] = "Écoute Violences Conjugales"
    with pytest.raises(ValidationError, match="card_listening"):
        content_from_json(raw, "fr")
    assert "violen" in CARD_UNSAFE_WORDS


def test_the_referral_slip_gives_the_service_and_a_line_for_the_appointment() -> None:
    pdf = make(Material.REFERRAL_SLIP, "fr", partner="sos-viol")
    assert "297.638 x 419.528" in pdf_info(pdf)  # A6
    printed = words(pdf_text(pdf))
    for text in ("SOS Viol", "0800 98 100", "lun. ven. 08 00 18 00", "Rendez-vous le", "Avec"):
        assert words(text) in printed, text
    arabic = words(pdf_text(make(Material.REFERRAL_SLIP, "ar", partner="sos-viol")))
    assert "0800 98 100" in arabic and words("موعد يوم") in arabic


def test_bad_requests_are_refused_with_what_to_do() -> None:
    with pytest.raises(ValidationError, match="no brochure text in xx"):
        make(Material.BROCHURE, "xx")
    with pytest.raises(ValidationError, match="99999 is not the NIS code"):
        make(Material.BROCHURE, "fr", municipality="99999")
    with pytest.raises(ValidationError, match="no service for Saint-Gilles"):
        printing.make(PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES), [], TODAY)
    with pytest.raises(ValidationError, match="Choose the service"):
        make(Material.REFERRAL_SLIP, "fr", partner="no-such-service")
    retired = [replace(e, retired=True) if e.key == "cvfe" else e for e in load_seed()]
    with pytest.raises(ValidationError, match="retired"):
        printing.make(PrintRequest(Material.REFERRAL_SLIP, "fr", partner="cvfe"), retired, TODAY)


def test_a_pdf_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    pdf = make(Material.WALLET_CARD, "fr")
    target = tmp_path / "card.pdf"
    printing.save_pdf(pdf, target)
    assert target.read_bytes() == pdf
    with pytest.raises(TargetExists):
        printing.save_pdf(b"%PDF another", target)
    assert target.read_bytes() == pdf
    printing.save_pdf(b"%PDF another", target, replace=True)
    assert target.read_bytes() == b"%PDF another"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(StorageError, match="Choose a folder you can write to"):
        printing.save_pdf(pdf, blocked / "card.pdf")
    with pytest.raises(ValidationError, match=r"does not end in \.pdf"):
        printing.save_pdf(pdf, tmp_path / "card.txt")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(ValidationError, match="is a folder"):
        printing.save_pdf(pdf, tmp_path / "folder.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "card.pdf",
        "file-not-folder",
        "folder.pdf",
    ]


def test_hand_outs_are_counted_on_the_case_or_at_desk_level(reception: OpenDesk) -> None:
    from app.services import intake

    case_id = intake.record_intake(reception, named_intake("Nadia")).case_id
    request = PrintRequest(Material.BROCHURE, "ar", SAINT_GILLES, Layout.A5_BOOKLET)
    printing.record_handout(reception, request, copies=2, case_id=case_id, today=TODAY)
    printing.record_handout(reception, PrintRequest(Material.WALLET_CARD, "fr"), today=TODAY)
    with reception.transaction() as session:
        rows = sorted(
            (h.material, h.language, h.copies, h.case_id, h.handed_on)
            for h in session.query(Handout)
        )
        audited = session.query(AuditEvent).filter_by(action="print.handout").count()
    assert rows == [
        ("brochure", "ar", 2, case_id, TODAY),
        ("wallet_card", "fr", 1, None, TODAY),
    ]
    assert audited == 2
    with pytest.raises(ValidationError, match="between 1 and 50"):
        printing.record_handout(reception, request, copies=0)
    with pytest.raises(RecordNotFound):
        printing.record_handout(reception, request, case_id="no-such-case")
    with pytest.raises(ValidationError, match="no brochure text"):
        printing.record_handout(reception, PrintRequest(Material.BROCHURE, "xx"))
    with reception.transaction() as session:
        assert session.query(Handout).count() == 2


def test_material_starts_in_the_desks_language_of_belgium_never_english_by_accident(
    tmp_path: Path, reception: OpenDesk
) -> None:
    assert printing.starting_choice(reception) == printing.StartingChoice("fr", SAINT_GILLES)
    # A desk set up from an English terminal: its visitors still get French.
    english = create_desk(desk_setup(tmp_path / "en.havre", language="en"), kdf=FAST_KDF)
    opened = auth.unlock(english.database, "rita", STAFF_PASSWORD)
    try:
        assert printing.starting_choice(opened) == printing.StartingChoice("fr", SAINT_GILLES)
    finally:
        opened.close()
    dutch = create_desk(desk_setup(tmp_path / "nl.havre", language="nl"), kdf=FAST_KDF)
    opened = auth.unlock(dutch.database, "rita", STAFF_PASSWORD)
    try:
        assert printing.starting_choice(opened).language == "nl"
    finally:
        opened.close()


def test_material_for_a_case_speaks_its_language_for_its_municipality(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    from app.services import intake, sessions

    turkish_in_anderlecht = named_intake(
        "Nadia",
        contact=ContactForm(occurred_at=clock.now(), language=ContactLanguage.TR),
        person=PersonForm(age=30, municipality="21001"),
    )
    case_id = intake.record_intake(reception, turkish_in_anderlecht).case_id
    assert printing.starting_choice(reception, case_id) == printing.StartingChoice("tr", "21001")
    # A brochure given in a session says it best.
    sessions.add_session(
        counsellor,
        case_id,
        SessionForm(held_at=clock.now(), brochure_language=ContactLanguage.AR),
    )
    assert printing.starting_choice(reception, case_id).language == "ar"
    # Another language and a place outside the list: the desk's own.
    other = named_intake(
        "Lina",
        contact=ContactForm(occurred_at=clock.now(), language=ContactLanguage.OTHER),
        person=PersonForm(age=30, municipality=OUTSIDE_AREA),
    )
    other_id = intake.record_intake(reception, other).case_id
    assert printing.starting_choice(reception, other_id) == printing.StartingChoice(
        "fr", SAINT_GILLES
    )
    with pytest.raises(RecordNotFound):
        printing.starting_choice(reception, "no-such-case")


def test_the_desk_prints_from_its_own_directory(reception: OpenDesk) -> None:
    made = printing.make_for_desk(
        reception, PrintRequest(Material.BROCHURE, "fr", SAINT_GILLES), TODAY
    )
    printed = words(body_text(made.pdf))
    assert words("Justice de Proximité") in printed or "02 559 85 74" in printed
    assert made.to_verify  # the seed has services still to verify: the dialog says so


def test_the_administrator_does_not_hand_out_material(admin_desk: OpenDesk) -> None:
    request = PrintRequest(Material.WALLET_CARD, "fr")
    with pytest.raises(AccessDenied):
        printing.make_for_desk(admin_desk, request)
    with pytest.raises(AccessDenied):
        printing.record_handout(admin_desk, request)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bundled_fonts_have_every_glyph_of_the_language(language: str) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from app.reports.fonts import BOLD, REGULAR
    from app.reports.writing import printed, shaped

    text = (paths.translations_dir() / "brochure" / f"{language}.json").read_text("utf-8")
    needed = set(printed(text) + shaped(text)) | set("0123456789–·•—:/")
    for name in (REGULAR, BOLD):
        font = TTFont(name, str(paths.resources_dir() / "fonts" / f"{name}.ttf"))
        missing = sorted(c for c in needed if c >= " " and ord(c) not in font.face.charToGlyph)
        assert missing == [], (name, missing)


def test_right_to_left_paragraphs_break_in_reading_order_and_split_between_lines() -> None:
    from app.reports.styles import text_styles
    from app.reports.writing import RightToLeftParagraph, shaped, visual

    style = text_styles(10, right_to_left=True).body
    text = brochure_content.load_content("ar").section("rights").items[0]
    paragraph = RightToLeftParagraph(text, style)
    _width, height = paragraph.wrap(200, 1000)
    lines = paragraph.lines
    assert len(lines) > 2 and height == len(lines) * style.leading
    assert " ".join(lines) == " ".join(shaped(text).split())  # nothing lost, reading order
    assert lines[0].split()[0] == shaped(text).split()[0]  # the first word on the first line
    top, rest = paragraph.split(200, style.leading * 2)
    assert top.lines == lines[:2] and rest.lines == lines[2:]
    assert len(paragraph.wrap(400, 1000) and paragraph.lines) < len(lines)  # wider, fewer
    # Drawn from the right: the first word of the line ends up at its right end.
    assert visual("112 أو 101").endswith("112")
