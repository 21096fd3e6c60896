"""Publication of the network's numbers in every format, with the same withheld cells
everywhere and a manifest that lists them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest

from app import i18n
from app.domain import indicators as ind
from app.domain.disclosure import Group, Level, Method
from app.domain.periods import Month
from app.domain.publication import Publication, PublishedGroup
from app.errors import TargetExists, ValidationError
from app.progress import Cancelled, Progress, ProgressState
from app.reports import dhis2
from app.services import network, publication, publication_register
from app.services.open_desk import OpenDesk
from app.services.publication import Format
from db import publication_queries
from tests.counts_support import MARCH, TODAY, Network, intake_on
from tests.pdf_tools import pdf_language, pdf_text, pdf_title

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


@pytest.fixture
def published(net: Network) -> Publication:
    files = [net.export(MARCH.previous()), net.export(MARCH)]
    network.import_files(net.hub, files, TODAY)
    return publication.publish(net.hub, MARCH.previous(), MARCH, k=5)


def test_the_groups_follow_the_rules(published: Publication) -> None:
    assert published.org_units == {"NET": "Desk NET"}
    assert [str(m) for m in published.months] == ["2026-02", "2026-03"]
    march = published.value(ind.CONTACTS, "NET", MARCH)
    # Five victims' contacts and one witness: 1 < 5 is withheld, and the 5 with it.
    assert march.cells["VICTIM"] is None and march.cells["WITNESS"] is None
    assert march.cells["PERPETRATOR"] == 0
    assert march.total == 6  # each hidden cell could be anything from 0 to 6
    housing = published.value(ind.HOUSING, "NET", MARCH)
    assert housing.cells == {"AVAILABLE": 47, "OCCUPIED": 22}  # nights of people, both ≥ k
    suppressed = published.suppressed()
    assert ("PVIF_CONTACTS", "ROLE_WITNESS", "NET", "202603") in suppressed
    for g in published.groups:
        if g.element.about_people:
            assert all(v is None or v == 0 or v >= 5 for v in g.group.cells.values())


def test_dhis2_json_and_csv_leave_withheld_cells_out(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "pvif.json"
    written = publication.write(net.hub, published, Format.DHIS2_JSON, target)
    assert written == [target, tmp_path / "pvif.json.manifest.json"]
    document = json.loads(target.read_text())
    assert document["dataSet"] == "PVIF_M"
    values = document["dataValues"]
    assert {v["period"] for v in values} == {"202602", "202603"}
    assert {v["orgUnit"] for v in values} == {"NET"}
    keys = {(v["dataElement"], v.get("categoryOptionCombo"), v["period"]) for v in values}
    assert ("PVIF_CONTACTS", "ROLE_WITNESS", "202603") not in keys
    assert ("PVIF_CONTACTS", "ROLE_PERPETRATOR", "202603") in keys  # zeros are published
    occupied = next(
        v
        for v in values
        if v["dataElement"] == "PVIF_HOUSING_NIGHTS"
        and v["categoryOptionCombo"] == "NIGHTS_OCCUPIED"
        and v["period"] == "202603"
    )
    assert occupied["value"] == "22"
    manifest = json.loads(written[1].read_text())
    assert manifest["k"] == 5 and manifest["method"] == "suppress"
    listed = {
        (s["dataElement"], s["categoryOptionCombo"], s["period"]) for s in manifest["suppressed"]
    }
    assert ("PVIF_CONTACTS", "ROLE_WITNESS", "202603") in listed  # the codes of the data
    assert len(listed) == len(published.suppressed())
    expected = sum(1 for g in published.groups for v in g.group.cells.values() if v is not None)
    assert len(values) == expected
    csv_target = tmp_path / "pvif.csv"
    publication.write(net.hub, published, Format.DHIS2_CSV, csv_target)
    rows = list(csv.reader(io.StringIO(csv_target.read_text())))
    assert tuple(rows[0]) == dhis2.CSV_COLUMNS
    assert len(rows) - 1 == expected
    assert ["PVIF_HOUSING_NIGHTS", "202603", "NET", "NIGHTS_OCCUPIED", "", "22"] == rows[
        next(
            i
            for i, r in enumerate(rows)
            if r[:4] == ["PVIF_HOUSING_NIGHTS", "202603", "NET", "NIGHTS_OCCUPIED"]
        )
    ][:6]


def test_adx_groups_by_org_unit_and_month(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "pvif.xml"
    publication.write(net.hub, published, Format.ADX, target)
    root = ET.parse(target).getroot()
    assert root.tag == "{urn:ihe:qrph:adx:2015}adx"
    groups = root.findall("{urn:ihe:qrph:adx:2015}group")
    assert [(g.get("orgUnit"), g.get("period")) for g in groups] == [
        ("NET", "2026-02-01/P1M"),
        ("NET", "2026-03-01/P1M"),
    ]
    march = groups[1]
    values = march.findall("{urn:ihe:qrph:adx:2015}dataValue")
    occupied = [
        v.attrib
        for v in values
        if v.get("dataElement") == "PVIF_HOUSING_NIGHTS" and v.get("NIGHTS") == "NIGHTS_OCCUPIED"
    ]
    assert occupied == [
        {"dataElement": "PVIF_HOUSING_NIGHTS", "NIGHTS": "NIGHTS_OCCUPIED", "value": "22"}
    ]
    assert not [v for v in values if v.get("ROLE") == "ROLE_WITNESS"]
    for value in values:  # category attributes are valid XML names
        for name in value.attrib:
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name)


def test_the_metadata_package_names_every_code_the_payloads_use(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "metadata.json"
    # Codes and names only: written without a publication (no numbers needed).
    assert publication.write(net.hub, None, Format.DHIS2_METADATA, target) == [target]
    package = json.loads(target.read_text())
    assert [d["code"] for d in package["dataSets"]] == ["PVIF_M"]
    element_codes = {e["code"] for e in package["dataElements"]}
    coc_codes = {c["code"] for c in package["categoryOptionCombos"]}
    option_codes = [o["code"] for o in package["categoryOptions"]]
    assert len(option_codes) == len(set(option_codes))  # unique across the instance
    ids = [o["id"] for key in package for o in package[key]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{10}", i) for i in ids)
    for value in dhis2.data_values(published):
        assert value["dataElement"] in element_codes
        assert value.get("categoryOptionCombo") is None or value["categoryOptionCombo"] in coc_codes
    by_id = {c["id"]: c for c in package["categoryCombos"]}
    victims = next(e for e in package["dataElements"] if e["code"] == "PVIF_NEW_VICTIMS")
    assert by_id[victims["categoryCombo"]["id"]]["code"] == "SEX_AGE"
    assert (
        dhis2.uid("dataSet", "PVIF_M") == package["dataSets"][0]["id"]
    )  # ids fixed: re-import updates


def test_xlsx_has_one_sheet_per_table_and_marks_withheld_cells(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "pvif.xlsx"
    publication.write(net.hub, published, Format.XLSX, target)
    with zipfile.ZipFile(target) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert sheets == ["About"] + [e.code.removeprefix("PVIF_")[:31] for e in ind.ELEMENTS]
    assert "<t>x</t>" in strings
    assert "a number withheld to protect people; it may be zero" in strings
    assert "not zero" not in strings


def test_the_council_report_shows_tables_and_charts(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    publication.write(net.hub, published, Format.PDF, target)
    text = pdf_text(target.read_bytes())
    assert "Desk NET" in text
    assert "Monthly counts, 2026-02 to 2026-03" in text
    assert "Trend per month" in text and "Forms of violence" in text
    assert "Emergency housing" in text and "22" in text
    assert "Numbers from 1 to 4 withheld" in text
    pdf = target.read_bytes()
    assert pdf_title(pdf) == "Desk NET — Monthly counts, 2026-02 to 2026-03"
    assert pdf_language(pdf) == "en"
    i18n.set_language("fr")  # put back to English after each test
    french = publication.render(published, Format.PDF, "Desk NET")
    period = i18n._("Monthly counts, {first} to {last}").format(first="2026-02", last="2026-03")
    assert period != "Monthly counts, 2026-02 to 2026-03"  # translated
    assert pdf_title(french) == f"Desk NET — {period}" and pdf_language(french) == "fr"


def test_housing_nights_are_not_added_up(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    """Occupied nights are counted among the available ones: their sum (47 + 22) means
    nothing, so no total is published, in the file or in the council's report."""
    housing = published.value(ind.HOUSING, "NET", MARCH)
    assert housing.total is None
    target = tmp_path / "report.pdf"
    publication.write(net.hub, published, Format.PDF, target)
    text = pdf_text(target.read_bytes())
    section = text.split("Emergency housing")[-1].split("Recontact attempts")[0]
    assert "47" in section and "22" in section
    assert "Total" not in section and "69" not in section


def test_the_councils_charts_never_add_around_a_withheld_number(
    published: Publication,
) -> None:
    """February's sessions and one form of violence in March withheld: the trend marks
    February and draws no sessions bar there; the forms of violence list the withheld form
    marked, without a bar, and draw the others."""
    forms = ind.SITUATIONS_FORM
    hidden, shown = forms.combo_codes[:2]

    def withhold(g: PublishedGroup) -> PublishedGroup:
        cells = dict(g.group.cells)
        if g.element in (ind.CONTACTS, ind.SESSIONS, ind.NEW_VICTIMS):  # the trend
            february = g.period == MARCH.previous()
            cells = dict.fromkeys(cells, None if february and g.element is ind.SESSIONS else 9)
        elif g.element is forms:
            cells = {hidden: None if g.period == MARCH else 7, shown: 9} | dict.fromkeys(
                forms.combo_codes[2:], 0
            )
        else:
            return g
        values = list(cells.values())
        total = None if None in values else sum(v or 0 for v in values)
        return dataclasses.replace(g, group=Group(cells, total))

    changed = dataclasses.replace(published, groups=[withhold(g) for g in published.groups])
    text = pdf_text(publication.render(changed, Format.PDF, "Report"))
    assert f"{forms.combo_label(hidden)} x" in text
    assert forms.combo_label(shown) in text and "18" in text  # 9 + 9, drawn
    assert f"{forms.combo_label(shown)} x" not in text
    assert "02/26 x" in text and "03/26 x" not in text


def test_rounding_publishes_multiples_of_five_the_same_each_time(net: Network) -> None:
    network.import_files(net.hub, [net.export(MARCH)], TODAY)
    first = publication.publish(net.hub, MARCH, MARCH, method=Method.ROUND5)
    again = publication.publish(net.hub, MARCH, MARCH, method=Method.ROUND5)
    assert [g.group for g in first.groups] == [g.group for g in again.groups]
    for g in first.groups:
        if g.element.about_people:
            assert all(v is not None and v % 5 == 0 for v in g.group.cells.values())


def test_municipality_level_uses_the_nis_codes(net: Network) -> None:
    network.import_files(net.hub, [net.export(MARCH)], TODAY)
    by_place = publication.publish(net.hub, MARCH, MARCH, level=Level.MUNICIPALITY)
    assert list(by_place.org_units) == ["21013"]
    assert {g.org_unit for g in by_place.groups} == {"21013"}


def test_bad_publication_requests_are_refused(net: Network, tmp_path: Path) -> None:
    for k in (2, 12):
        with pytest.raises(ValidationError, match="between 3 and 11"):
            publication.publish(net.hub, MARCH, MARCH, k=k)
    with pytest.raises(ValidationError, match="nothing to publish"):
        publication.publish(net.hub, MARCH, MARCH)
    with pytest.raises(ValidationError, match="comes before"):
        publication.publish(net.hub, MARCH, MARCH.previous())
    network.import_files(net.hub, [net.export(MARCH)], TODAY)
    ready = publication.publish(net.hub, MARCH, MARCH)
    existing = tmp_path / "pvif.json"
    existing.write_text("keep")
    with pytest.raises(TargetExists):
        publication.write(net.hub, ready, Format.DHIS2_JSON, existing)
    assert existing.read_text() == "keep"
    assert not (tmp_path / "pvif.json.manifest.json").exists()
    with pytest.raises(ValidationError, match=r"must end in \.xlsx"):
        publication.write(net.hub, ready, Format.XLSX, tmp_path / "pvif.xls")
    publication.write(net.hub, ready, Format.DHIS2_JSON, existing, replace=True)
    assert json.loads(existing.read_text())["dataSet"] == "PVIF_M"
    assert Month(2026, 3) in ready.months


def _written_cells(net: Network) -> list[tuple[str, str, str, str, int | None]]:
    with net.hub.transaction() as session:
        register = publication_queries.current_register(session)
        assert register is not None
        return [
            (c.period, c.element, c.combo, c.org_unit, c.value)
            for c in publication_queries.cells(session, register.id)
        ]


def test_what_is_written_goes_into_the_register_and_a_new_register_starts_empty(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    publication.write(net.hub, published, Format.XLSX, tmp_path / "a.xlsx")
    cells = _written_cells(net)
    withheld = [c for c in cells if c[4] is None]
    assert ("2026-03", "PVIF_CONTACTS", "WITNESS", "*", None) in withheld
    assert ("2026-03", "PVIF_CONTACTS", "TOTAL", "*", 6) in cells
    assert len(withheld) == published.verdict.sensitive + published.verdict.complementary
    # Written twice in another format: the same numbers, nothing new in the register.
    publication.write(net.hub, published, Format.DHIS2_JSON, tmp_path / "a.json")
    assert _written_cells(net) == cells
    publication_register.start_new(net.hub)
    assert _written_cells(net) == []


def test_publishing_reports_progress_and_a_cancel_writes_nothing(
    net: Network, tmp_path: Path
) -> None:
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    seen: list[ProgressState] = []
    ready = publication.publish(
        net.hub, MARCH.previous(), MARCH, k=5, progress=Progress(seen.append)
    )
    assert all(s.cancellable for s in seen) and (seen[-1].done, seen[-1].total) == (4, 4)

    def cancel_at(halfway: int) -> Progress:
        def told(state: ProgressState) -> None:
            if state.done == halfway:
                stopping.cancel()

        stopping = Progress(told)
        return stopping

    with pytest.raises(Cancelled):
        publication.publish(net.hub, MARCH.previous(), MARCH, k=5, progress=cancel_at(2))
    stopping = Progress()
    stopping.phase("", cancellable=True)
    stopping.cancel()  # before the file is written: the person cancelled while it rendered
    target = tmp_path / "out" / "a.xlsx"
    target.parent.mkdir()
    with pytest.raises(Cancelled):
        publication.write(net.hub, ready, Format.XLSX, target, progress=stopping)
    assert list(target.parent.iterdir()) == [] and _written_cells(net) == []

    seen.clear()
    publication.write(net.hub, ready, Format.XLSX, target, progress=Progress(seen.append))
    assert target.exists() and not seen[-1].cancellable


def test_the_next_publication_is_protected_together_with_the_register(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    publication.write(net.hub, published, Format.XLSX, tmp_path / "a.xlsx")
    again = publication.publish(net.hub, MARCH.previous(), MARCH, k=5)
    # Withheld before, withheld again; published before, the same value again.
    assert again.suppressed() == published.suppressed()
    assert [g.group for g in again.groups] == [g.group for g in published.groups]
    places = publication.publish(net.hub, MARCH, MARCH, level=Level.MUNICIPALITY)
    assert places.verdict.passed
    victims = places.value(ind.CONTACTS, "21013", MARCH)
    assert victims.cells["WITNESS"] is None and victims.total == 6


def test_a_publication_that_fails_its_audit_is_not_written(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    failing = dataclasses.replace(
        published,
        verdict=dataclasses.replace(published.verdict, unprotected=["Desk contacts – Witness"]),
    )
    target = tmp_path / "refused.json"
    with pytest.raises(ValidationError, match="not written") as raised:
        publication.write(net.hub, failing, Format.DHIS2_JSON, target)
    assert "a larger k" in str(raised.value)
    assert not target.exists()
    with net.hub.transaction() as session:
        register = publication_queries.current_register(session)
        assert register is not None
        assert publication_queries.records(session, register.id) == []


def test_the_manifest_names_withheld_cells_with_the_codes_of_the_data(
    net: Network, published: Publication, tmp_path: Path
) -> None:
    target = tmp_path / "pvif.json"
    publication.write(net.hub, published, Format.DHIS2_JSON, target)
    meta = tmp_path / "metadata.json"
    publication.write(net.hub, None, Format.DHIS2_METADATA, meta)
    package = json.loads(meta.read_text())
    coc_codes = {c["code"] for c in package["categoryOptionCombos"]}
    manifest = json.loads((tmp_path / "pvif.json.manifest.json").read_text())
    assert manifest["suppressed"]
    for entry in manifest["suppressed"]:
        assert entry.get("categoryOptionCombo") in coc_codes | {None}
    assert {
        "dataElement": "PVIF_CONTACTS",
        "categoryOptionCombo": "ROLE_WITNESS",
        "orgUnit": "NET",
        "period": "202603",
    } in manifest["suppressed"]
    assert manifest["exact"] == {"PVIF_ACTIVITIES": "counts events, not people: published exactly"}
    assert "may be zero" in manifest["rules"]["withheld"]


def test_the_metadata_package_keeps_to_dhis2s_limits(tmp_path: Path, net: Network) -> None:
    meta = tmp_path / "metadata.json"
    publication.write(net.hub, None, Format.DHIS2_METADATA, meta)
    package = json.loads(meta.read_text())
    limits = {"code": 50, "name": 230, "shortName": 50}
    for kind, objects in package.items():
        for item in objects:
            for field, limit in limits.items():
                assert len(item.get(field, "")) <= limit, (kind, field, item.get(field))
    training = next(
        c for c in ind.ACTIVITIES.combo_codes if c == "PROFESSIONAL_TRAINING_NETWORK_REFERENTS"
    )
    code = ind.ACTIVITIES.coc_code(training)
    assert code is not None and len(code) == 50 and code.startswith("KIND_PROFESSIONAL_TRAINING")


def test_the_coordinator_sets_the_networks_org_unit(net: Network, tmp_path: Path) -> None:
    network.import_files(net.hub, [net.export(MARCH)], TODAY)
    publication.set_network_org_unit(net.hub, "OU_SECOVA")
    done = publication.publish(net.hub, MARCH, MARCH)
    assert list(done.org_units) == ["OU_SECOVA"]
    target = tmp_path / "pvif.json"
    publication.write(net.hub, done, Format.DHIS2_JSON, target)
    assert {v["orgUnit"] for v in json.loads(target.read_text())["dataValues"]} == {"OU_SECOVA"}
    for bad in ("", "has space", "x" * 51):
        with pytest.raises(ValidationError, match="1 to 50"):
            publication.set_network_org_unit(net.hub, bad)


def test_a_revised_month_published_before_is_refused_until_a_new_register(
    net: Network, reception: OpenDesk, tmp_path: Path
) -> None:
    network.import_files(net.hub, [net.export(MARCH)], TODAY)
    first = publication.publish(net.hub, MARCH, MARCH)
    publication.write(net.hub, first, Format.XLSX, tmp_path / "a.xlsx")
    intake_on(reception, date(2026, 3, 20))
    network.import_files(net.hub, [net.export(MARCH, name="revised.havre-counts")], TODAY)
    with pytest.raises(ValidationError, match="new revision"):
        publication.publish(net.hub, MARCH, MARCH)
    # At the other level, the network's numbers published before no longer add up.
    with pytest.raises(ValidationError, match="new revision, or its first file"):
        publication.publish(net.hub, MARCH, MARCH, level=Level.MUNICIPALITY)
    publication_register.start_new(net.hub)
    assert publication.publish(net.hub, MARCH, MARCH).verdict.passed


def test_a_register_keeps_to_one_method_and_one_k(net: Network, tmp_path: Path) -> None:
    """An attacker who knows each rounded number lies within 4 of a multiple of 5 reads
    more than the audit's intervals, and a number withheld under one k may be published
    under a smaller one: publications read together follow the same rules."""
    files = [net.export(MARCH.previous()), net.export(MARCH)]
    network.import_files(net.hub, files, TODAY)
    done = publication.publish(net.hub, MARCH, MARCH, k=5)
    publication.write(net.hub, done, Format.DHIS2_JSON, tmp_path / "withheld.json")
    with pytest.raises(ValidationError, match="must follow the same rules") as refused:
        publication.publish(net.hub, MARCH.previous(), MARCH, method=Method.ROUND5)
    assert "with numbers from 1 to 4 withheld (k = 5)" in str(refused.value)
    with pytest.raises(ValidationError, match="withheld under another k"):
        publication.publish(net.hub, MARCH.previous(), MARCH, k=3)
    assert publication.publish(net.hub, MARCH.previous(), MARCH, k=5).verdict.passed
    publication_register.start_new(net.hub)
    rounded = publication.publish(net.hub, MARCH.previous(), MARCH, method=Method.ROUND5)
    assert rounded.verdict.passed
    publication.write(net.hub, rounded, Format.DHIS2_JSON, tmp_path / "rounded.json")
    with pytest.raises(ValidationError, match="rounded to multiples of 5"):
        publication.publish(net.hub, MARCH, MARCH, k=5)


def test_a_publication_prepared_before_another_was_written_is_prepared_again(
    net: Network, tmp_path: Path
) -> None:
    """Two levels prepared side by side (two previews), then both written: the second was
    protected without the first, and is refused until prepared again."""
    network.import_files(net.hub, [net.export(MARCH.previous()), net.export(MARCH)], TODAY)
    whole = publication.publish(net.hub, MARCH.previous(), MARCH)
    places = publication.publish(net.hub, MARCH.previous(), MARCH, level=Level.MUNICIPALITY)
    publication.write(net.hub, whole, Format.DHIS2_JSON, tmp_path / "network.json")
    publication.write(net.hub, whole, Format.XLSX, tmp_path / "network.xlsx")  # same numbers
    target = tmp_path / "places.json"
    with pytest.raises(ValidationError, match="Prepare it again"):
        publication.write(net.hub, places, Format.DHIS2_JSON, target)
    assert not target.exists() and not (tmp_path / "places.json.manifest.json").exists()
    again = publication.publish(net.hub, MARCH.previous(), MARCH, level=Level.MUNICIPALITY)
    publication.write(net.hub, again, Format.DHIS2_JSON, target)
    publication_register.start_new(net.hub)
    with pytest.raises(ValidationError, match="Prepare it again"):
        publication.write(net.hub, again, Format.XLSX, tmp_path / "places.xlsx")
