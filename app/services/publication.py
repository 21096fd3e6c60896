"""Publication of the network's numbers (docs/disclosure-control.md): the months chosen, at
network or municipality level, under disclosure control, written in the format asked for.

Only one level is published at a time and no sums across months are published, so that
no number can be worked back by subtracting two published aggregates; within each group
(data element × org unit × month) the rules of app/domain/disclosure.py apply.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from app import __version__, clock, i18n
from app.domain import disclosure, indicators, municipalities
from app.domain.disclosure import Group, Method
from app.domain.periods import Month, months_between
from app.domain.publication import Level, Publication, PublishedGroup
from app.errors import TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _
from app.reports import adx, council_report_pdf, dhis2, publication_xlsx
from app.services import audit, counts, network
from app.services.open_desk import OpenDesk


class Format(StrEnum):
    DHIS2_JSON = "dhis2-json"
    DHIS2_CSV = "dhis2-csv"
    ADX = "adx"
    XLSX = "xlsx"
    PDF = "pdf"
    DHIS2_METADATA = "dhis2-metadata"


SUFFIXES = {
    Format.DHIS2_JSON: ".json",
    Format.DHIS2_CSV: ".csv",
    Format.ADX: ".xml",
    Format.XLSX: ".xlsx",
    Format.PDF: ".pdf",
    Format.DHIS2_METADATA: ".json",
}
# Formats that omit withheld cells carry the list of them in a manifest beside the file.
WITH_MANIFEST = (Format.DHIS2_JSON, Format.DHIS2_CSV, Format.ADX)
MAX_MONTHS = 36


def check_k(k: int) -> int:
    if not disclosure.MIN_K <= k <= disclosure.MAX_K:
        raise ValidationError(
            _("The threshold k must be between {low} and {high}.").format(
                low=disclosure.MIN_K, high=disclosure.MAX_K
            ),
            field="k",
        )
    return k


def network_org_unit(desk: OpenDesk) -> tuple[str, str]:
    """The network's org unit: the coordinating desk's code, named after the network."""
    return desk.desk.code, desk.desk.network_name or desk.desk.name


def publish(
    desk: OpenDesk,
    first: Month,
    last: Month,
    *,
    method: Method = Method.SUPPRESS,
    k: int = disclosure.DEFAULT_K,
    level: Level = Level.NETWORK,
) -> Publication:
    desk.require(counts.COUNTS_ROLES, "counts.publish")
    check_k(k)
    if last < first:
        raise ValidationError(_("The last month comes before the first."), field="period")
    months = months_between(first, last)
    if len(months) > MAX_MONTHS:
        raise ValidationError(
            _("Publish at most {count} months at once.").format(count=MAX_MONTHS), field="period"
        )
    desks = network.desk_counts(desk, months)
    if not desks:
        raise ValidationError(
            _("No counts file was imported for {first} to {last}: nothing to publish.").format(
                first=first, last=last
            ),
            field="period",
        )
    network_code, network_name = network_org_unit(desk)
    if level is Level.NETWORK:
        org_units = {network_code: network_name}
    else:
        org_units = {
            d.nis_code: municipalities.municipality(d.nis_code).name(i18n.current_language())
            for d in desks
        }

    def org_of(nis: str) -> str:
        return network_code if level is Level.NETWORK else nis

    sums: dict[tuple[str, Month], dict[str, dict[str, int]]] = {}
    sources: dict[tuple[str, Month], list[str]] = {}
    for d in desks:
        summed = sums.setdefault(
            (org_of(d.nis_code), d.period),
            {e.code: dict.fromkeys(e.combo_codes, 0) for e in indicators.ELEMENTS},
        )
        for code_of_element, desk_cells in d.values.items():
            for combo, value in desk_cells.items():
                summed[code_of_element][combo] += value
    for received in network.received_months(desk):
        if received.period in months:
            sources.setdefault((org_of(received.nis_code), received.period), []).append(
                f"{received.desk_code} {received.period} r{received.revision}"
            )
    groups: list[PublishedGroup] = []
    for (org, month), cells in sorted(sums.items(), key=lambda item: (item[0][1], item[0][0])):
        # The rounding draw of a cell depends on the files behind it: the same files
        # publish the same numbers, a new revision draws afresh.
        files = "|".join([org, str(month), *sorted(sources[(org, month)])])
        controlled = _controlled(cells, method, k, files)
        groups += [PublishedGroup(e, org, month, controlled[e.code]) for e in indicators.ELEMENTS]
    return Publication(
        method,
        k,
        level,
        months,
        dict(sorted(org_units.items())),
        groups,
        sorted(s for files in sources.values() for s in files),
        clock.now().replace(microsecond=0),
    )


def _controlled(
    cells: dict[str, dict[str, int]], method: Method, k: int, files: str
) -> dict[str, Group]:
    """Every table of one org unit and month under disclosure control; tables with the same
    total are treated together, so that none gives away what another withholds."""
    controlled: dict[str, Group] = {}
    for together in indicators.SAME_TOTAL:
        tables = {e.code: cells[e.code] for e in together}
        if method is Method.SUPPRESS:
            controlled.update(disclosure.suppress_together(tables, k))
        else:
            total_key = f"{files}|{together[0].code}"
            for code, table in tables.items():
                controlled[code] = disclosure.round_group(
                    table, f"{files}|{code}", with_total=True, total_key=total_key
                )
    for element in indicators.ELEMENTS:
        if element.code in controlled:
            continue
        table, with_total = cells[element.code], element.has_total
        if not element.about_people:
            controlled[element.code] = disclosure.exact(table, with_total=with_total)
        elif method is Method.ROUND5:
            key = f"{files}|{element.code}"
            controlled[element.code] = disclosure.round_group(table, key, with_total=with_total)
        else:
            controlled[element.code] = disclosure.suppress(table, k, with_total=with_total)
    return controlled


def render(publication: Publication, fmt: Format, title: str) -> bytes:
    """The file content of `publication` in `fmt` (the metadata package needs no numbers)."""
    if fmt is Format.DHIS2_JSON:
        return dhis2.data_value_set_json(publication)
    if fmt is Format.DHIS2_CSV:
        return dhis2.data_value_set_csv(publication)
    if fmt is Format.ADX:
        return adx.adx_xml(publication)
    if fmt is Format.XLSX:
        return publication_xlsx.publication_xlsx(publication, title)
    if fmt is Format.PDF:
        return council_report_pdf.council_report_pdf(publication, title)
    return dhis2.metadata_package()


def title_of(desk: OpenDesk) -> str:
    return desk.desk.network_name or desk.desk.name


def manifest(publication: Publication, payload: bytes, fmt: Format) -> dict[str, Any]:
    return {
        "format": "havre-publication-manifest",
        "schema_version": indicators.SCHEMA_VERSION,
        "app_version": __version__,
        "created_at": publication.created_at.isoformat(),
        "data_set": indicators.DATA_SET,
        "periods": [m.dhis2 for m in publication.months],
        "org_units": publication.org_units,
        "level": publication.level.value,
        "method": publication.method.value,
        "k": publication.k if publication.method is Method.SUPPRESS else None,
        "rounding_base": disclosure.BASE if publication.method is Method.ROUND5 else None,
        "rules": {
            "consent": "profile tables count only people who consented to statistics",
            "dedup": "cases already counted by another desk of the network are left out",
            "zeros": "zeros are published; a missing value is withheld, not zero",
        },
        "suppressed": [
            {"dataElement": e, "categoryOptionCombo": c, "orgUnit": o, "period": p}
            for e, c, o, p in publication.suppressed()
        ],
        "sources": publication.sources,
        "payload": {"format": fmt.value, "sha256": hashlib.sha256(payload).hexdigest()},
    }


def write(
    desk: OpenDesk,
    publication: Publication | None,
    fmt: Format,
    target: Path,
    *,
    replace: bool = False,
) -> list[Path]:
    """Write the payload (and its manifest), refusing to overwrite unless told; audited.
    The metadata package holds no numbers: it needs no publication."""
    desk.require(counts.COUNTS_ROLES, "counts.publish")
    if target.suffix.lower() != SUFFIXES[fmt]:
        raise ValidationError(
            _("A {format} file must end in {suffix}.").format(
                format=fmt.value, suffix=SUFFIXES[fmt]
            ),
            field="target",
        )
    written = [target]
    if fmt in WITH_MANIFEST:
        written.append(target.with_name(target.name + ".manifest.json"))
    for path in written:
        if path.is_dir():
            raise ValidationError(
                _("{path} is a folder: give a file name.").format(path=path), field="target"
            )
        if path.exists() and not replace:
            raise TargetExists(path)
    if publication is None:
        if fmt is not Format.DHIS2_METADATA:
            raise ValueError(f"{fmt.value} needs the numbers to publish")
        payload = dhis2.metadata_package()
    else:
        payload = render(publication, fmt, title_of(desk))
    new_payload = not target.exists()
    atomic_write(target, payload)
    if publication is not None and fmt in WITH_MANIFEST:
        text = json.dumps(manifest(publication, payload, fmt), indent=2, ensure_ascii=False)
        try:
            atomic_write(written[1], text.encode() + b"\n")
        except Exception:
            # Never a payload without the list of what it withholds.
            if new_payload:
                target.unlink(missing_ok=True)
            raise
    with desk.transaction() as session:
        audit.record(
            session, audit.COUNTS_PUBLISHED, desk.user.id, target_type="format", target_id=fmt.value
        )
    return written
