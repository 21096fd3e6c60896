"""Publication of the network's numbers (docs/disclosure-control.md): the months chosen,
at network or municipality level, protected together with everything the network
published before under the current register, audited, and written in the format asked
for; what was written goes into the register.
"""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app import __version__, clock, file_ops, i18n
from app.disclosure import model, protection
from app.disclosure.attacker import Inconsistent
from app.disclosure.model import NETWORK, Atom, Cell, Counts
from app.disclosure.protection import Revised
from app.domain import disclosure, indicators, municipalities
from app.domain.disclosure import Group, Level, Method
from app.domain.indicators import TOTAL
from app.domain.periods import Month, months_between
from app.domain.publication import Publication, PublishedGroup, Verdict
from app.errors import TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _, ngettext
from app.progress import Progress
from app.reports import adx, council_report_pdf, dhis2, publication_xlsx
from app.services import audit, counts, network, publication_register
from app.services.open_desk import OpenDesk
from db import repositories


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


NETWORK_ORG_UNIT = "publication.network_org_unit"
_DHIS2_CODE = re.compile(r"[A-Za-z0-9_.-]{1,50}")


def network_org_unit(desk: OpenDesk) -> tuple[str, str]:
    """The network's DHIS2 org unit: the code the coordinator set (the coordinating desk's
    code until then), named after the network."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        return _network_org_unit(session, desk)


def _network_org_unit(session: Session, desk: OpenDesk) -> tuple[str, str]:
    code = repositories.setting(session, NETWORK_ORG_UNIT) or desk.desk.code
    return code, desk.desk.network_name or desk.desk.name


def set_network_org_unit(desk: OpenDesk, code: str) -> None:
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        code = code.strip()
        if not _DHIS2_CODE.fullmatch(code):
            raise ValidationError(
                _(
                    "An org unit code is 1 to 50 letters, digits, dots, dashes or underscores, "
                    "as in DHIS2."
                ),
                field="org_unit",
            )
        repositories.put_setting(session, NETWORK_ORG_UNIT, code)
        audit.record(
            session, audit.COUNTS_PUBLISHED, desk.user.id, target_type="org_unit", target_id=code
        )


def publish(
    desk: OpenDesk,
    first: Month,
    last: Month,
    *,
    method: Method = Method.SUPPRESS,
    k: int = disclosure.DEFAULT_K,
    level: Level = Level.NETWORK,
    progress: Progress | None = None,
) -> Publication:
    """The numbers to publish, protected together with the register and audited; nothing is
    written here (`write` refuses a publication the audit failed), so it can be cancelled
    at any point."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        progress = progress or Progress()
        progress.phase(_("Working out what can be published…"), cancellable=True, total=4)
        check_k(k)
        if last < first:
            raise ValidationError(_("The last month comes before the first."), field="period")
        months = months_between(first, last)
        if len(months) > MAX_MONTHS:
            raise ValidationError(
                _("Publish at most {count} months at once.").format(count=MAX_MONTHS),
                field="period",
            )
        desks = network.desk_counts_in(session, months)
        if not desks:
            raise ValidationError(
                _("No counts file was imported for {first} to {last}: nothing to publish.").format(
                    first=first, last=last
                ),
                field="period",
            )
        progress.step(1, 4)
        progress.raise_if_cancelled()
        network_code, network_name = _network_org_unit(session, desk)
        atoms: dict[Atom, int] = {}
        places: dict[str, set[str]] = {}
        for d in desks:
            places.setdefault(str(d.period), set()).add(d.nis_code)
            for element_code, cells in d.values.items():
                for combo, value in cells.items():
                    atom = Atom(str(d.period), element_code, combo, d.nis_code)
                    atoms[atom] = atoms.get(atom, 0) + value
        true = Counts(atoms, {p: tuple(sorted(n)) for p, n in places.items()})
        periods = sorted(places)
        org_of = {NETWORK: network_code} | {nis: nis for ps in places.values() for nis in ps}
        if level is Level.NETWORK:
            org_units = {network_code: network_name}
        else:
            org_units = {
                nis: municipalities.municipality(nis).name(i18n.current_language())
                for ps in places.values()
                for nis in ps
            }

        def places_of(period: str) -> tuple[str, ...]:
            return (NETWORK,) if level is Level.NETWORK else true.municipalities[period]

        people = [
            cell
            for period in periods
            for element in indicators.ELEMENTS
            if element.about_people
            for cell in model.cells_of(element, period, places_of(period))
        ]
        register = publication_register.current(session, desk)
        publication_register.check_rules(session, register.id, method, k)
        earlier = publication_register.earlier(session, register.id, periods)
        secret = register.secret
        register_id = register.id
        # A municipality the register has numbers of but the counts no longer have: its desk's
        # files were replaced since.
        gone = [
            c
            for c in [*earlier.known, *earlier.withheld]
            if c.org_unit != NETWORK and c.org_unit not in true.municipalities.get(c.period, ())
        ]
        if gone:
            raise _changed_since(gone)
        progress.step(2, 4)
        progress.raise_if_cancelled()
        try:
            protected = protection.protect(true, people, earlier, method, k, secret)
        except Revised as revised:
            raise _changed_since(revised.cells) from None
        except Inconsistent:
            # The network's numbers published before no longer add up: a desk sent its first
            # file, or a revision, for a month published at the other level.
            raise _changed_since([*earlier.known, *earlier.withheld]) from None
        progress.step(3, 4)
        progress.raise_if_cancelled()
        values: dict[Cell, int | None] = dict(protected.values)
        for period in periods:
            for element in indicators.ELEMENTS:
                if element.about_people:
                    continue
                for cell in model.cells_of(element, period, places_of(period)):
                    values[cell] = true.value(cell)
        groups = _groups(values, org_of)
        sources = sorted(
            f"{r.desk_code} {r.period} r{r.revision}"
            for r in network.received_months_in(session)
            if r.period in months
        )
        told = {
            (c.period, c.element, c.combo, c.org_unit): (
                (values[c], protected.known[c].low, protected.known[c].high)
                if c in protected.known
                else None
            )
            for c in people
        }
        withheld = protected.withheld
        verdict = Verdict(
            sensitive=sum(1 for c in withheld if c in protected.primary),
            complementary=sum(1 for c in withheld if c not in protected.primary),
            audited=protected.audited,
            withheld_sum=protected.withheld_sum,
            published_sum=protected.published_sum,
            unprotected=[_describe(f.cell, org_of, f.low, f.high) for f in protected.findings],
        )
        progress.step(4, 4)
        return Publication(
            method,
            k,
            level,
            months,
            dict(sorted(org_units.items())),
            groups,
            sources,
            clock.now().replace(microsecond=0),
            verdict,
            told,
            register_id,
            frozenset(
                (c.period, c.element, c.combo, c.org_unit)
                for c in [*earlier.known, *earlier.withheld]
            ),
        )


def _changed_since(cells: list[Cell]) -> ValidationError:
    return ValidationError(
        _(
            "The counts of {months} are no longer those published before: a desk has sent a "
            "new revision, or its first file, for a month already published. Publishing them "
            "again would let anyone subtract the two. Start a new register to publish these "
            "months again, or leave them out."
        ).format(months=", ".join(sorted({c.period for c in cells}))),
        field="period",
    )


def _groups(values: dict[Cell, int | None], org_of: dict[str, str]) -> list[PublishedGroup]:
    by_group: dict[tuple[str, str, str], dict[str, int | None]] = {}
    for cell, value in values.items():
        by_group.setdefault((cell.period, cell.element, cell.org_unit), {})[cell.combo] = value
    groups = []
    for (period, code, org), found in sorted(
        by_group.items(), key=lambda item: (item[0][0], org_of[item[0][2]])
    ):
        element = indicators.BY_CODE[code]
        cells = {combo: found[combo] for combo in element.combo_codes}
        total = found.get(TOTAL) if element.has_total else None
        groups.append(
            PublishedGroup(element, org_of[org], Month.parse(period), Group(cells, total))
        )
    order = {e.code: i for i, e in enumerate(indicators.ELEMENTS)}
    groups.sort(key=lambda g: (g.period, g.org_unit, order[g.element.code]))
    return groups


def _describe(cell: Cell, org_of: dict[str, str], low: int, high: int | None) -> str:
    element = indicators.BY_CODE[cell.element]
    what = _("Total") if cell.combo == TOTAL else element.combo_label(cell.combo)
    return _("{element} – {what}, {org}, {month}: anyone can prove it lies in {low}–{high}").format(
        element=element.label,
        what=what,
        org=org_of.get(cell.org_unit, cell.org_unit),
        month=cell.period,
        low=low,
        high=high,
    )


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
    """What a receiver needs beside the numbers, in the same DHIS2 codes as the data."""
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
            "withheld": "a value missing from the data is withheld, not zero; a withheld "
            "value may be zero (zeros are withheld where that protects others)",
            "register": "protected together with every earlier publication of the "
            "network's current publication register",
        },
        "exact": {
            e.code: "counts events, not people: published exactly"
            for e in indicators.ELEMENTS
            if not e.about_people
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
    progress: Progress | None = None,
) -> list[Path]:
    """Write the payload (and its manifest), refusing to overwrite unless told and refusing
    a publication the audit failed; what it tells goes into the register; audited. The
    metadata package holds no numbers: it needs no publication. A cancel before the files
    are written leaves no file and nothing in the register."""
    made: list[Path] = []
    try:
        with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
            progress = progress or Progress()
            if target.suffix.lower() != SUFFIXES[fmt]:
                raise ValidationError(
                    _("A {format} file must end in {suffix}.").format(
                        format=fmt.value, suffix=SUFFIXES[fmt]
                    ),
                    field="target",
                )
            if publication is not None and not publication.verdict.passed:
                raise ValidationError(refusal(publication), field="k")
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
            progress.phase(_("Preparing the publication's file…"), cancellable=True)
            if publication is None:
                if fmt is not Format.DHIS2_METADATA:
                    raise ValueError(f"{fmt.value} needs the numbers to publish")
                payload = dhis2.metadata_package()
            else:
                payload = render(publication, fmt, title_of(desk))
            contents = [payload]
            if publication is not None and fmt in WITH_MANIFEST:
                text = json.dumps(manifest(publication, payload, fmt), indent=2, ensure_ascii=False)
                contents.append(text.encode() + b"\n")
            progress.phase(_("Writing the publication…"))
            # The register and the files together: the files are written before the register
            # is committed, and a failure on either side leaves no new file behind (never a
            # payload without the list of what it withholds, never a file the register lacks).
            if publication is not None:
                publication_register.remember(session, desk, publication, fmt.value)
            audit.record(
                session,
                audit.COUNTS_PUBLISHED,
                desk.user.id,
                target_type="format",
                target_id=fmt.value,
            )
            for path, content in zip(written, contents, strict=True):
                if not path.exists():
                    made.append(path)
                atomic_write(path, content)
    except Exception:
        file_ops.discard(*made)
        raise
    return written


def refusal(publication: Publication) -> str:
    """Why a publication cannot be written, and what to do, for the coordinator."""
    shown = publication.verdict.unprotected[:5]
    more = len(publication.verdict.unprotected) - len(shown)
    return (
        ngettext(
            "This publication is not written: together with what the network published "
            "before, {count} withheld number could still be worked out:",
            "This publication is not written: together with what the network published "
            "before, {count} withheld numbers could still be worked out:",
            len(publication.verdict.unprotected),
        ).format(count=len(publication.verdict.unprotected))
        + "\n"
        + "\n".join(f"• {line}" for line in shown)
        + ("\n" + _("… and {count} more.").format(count=more) if more > 0 else "")
        + "\n"
        + _(
            "Publish the network level instead of municipalities, a longer span of months "
            "in one publication, or a larger k."
        )
    )
