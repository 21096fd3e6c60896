"""The network's register of what it has published (docs/disclosure-control.md): every
number published or withheld under the current register, with what anyone can tell of
it, so that each new publication is protected together with the earlier ones. Cells and
values only, never people."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import clock, crypto, i18n
from app.disclosure.model import NETWORK, Cell, Known
from app.disclosure.protection import Earlier
from app.domain import codes, disclosure, indicators, municipalities
from app.domain.disclosure import Level, Method
from app.domain.indicators import TOTAL
from app.domain.publication import Publication
from app.errors import TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _
from app.services import audit, counts
from app.services.open_desk import OpenDesk
from db import publication_queries
from db.models import PublicationRecord, PublicationRegister, PublishedCell, User


@dataclass(frozen=True)
class RegisterSummary:
    started_at: datetime
    publications: int
    published: int
    withheld: int


@dataclass(frozen=True)
class RegisteredPublication:
    published_at: datetime
    published_by: str  # the coordinator's full name
    first: str  # "2026-01"
    last: str
    level: Level
    method: Method
    k: int | None  # suppression's threshold; None for rounding
    format: str


@dataclass(frozen=True)
class RegisteredNumber:
    period: str
    element: str  # data element code
    table: str  # its name, for people
    cell: str  # the cell's name, or "Total"
    org_unit: str  # a municipality's NIS code, or NETWORK
    place: str  # the municipality's name, or "Network"
    value: int | None  # None: withheld
    low: int | None  # what anyone can tell of it (low == high == value when exact)
    high: int | None
    k: int | None  # the threshold it was withheld under


@dataclass(frozen=True)
class RegisterView:
    started_at: datetime
    publications: list[RegisteredPublication]
    numbers: list[RegisteredNumber]


REGISTER_COLUMNS = ("period", "dataElement", "cell", "orgUnit", "published", "low", "high", "k")


def summary(desk: OpenDesk) -> RegisterSummary | None:
    """The current register in a line, None before the first publication."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        register = publication_queries.current_register(session)
        if register is None:
            return None
        published, withheld = publication_queries.cell_counts(session, register.id)
        return RegisterSummary(
            register.started_at,
            len(publication_queries.records(session, register.id)),
            published,
            withheld,
        )


def view(desk: OpenDesk) -> RegisterView | None:
    """Every publication and every number of the current register, for the coordinator
    and the data protection officer; None before the first publication."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        language = i18n.current_language()
        register = publication_queries.current_register(session)
        if register is None:
            return None
        records = publication_queries.records(session, register.id)
        names = {r.published_by: _name_of(session, r.published_by) for r in records}
        publications = [
            RegisteredPublication(
                r.published_at,
                names[r.published_by],
                r.first_period,
                r.last_period,
                codes.read(Level, r.level),
                codes.read(Method, r.method),
                r.k,
                r.format,
            )
            for r in records
        ]
        numbers = [_number(c, language) for c in publication_queries.cells(session, register.id)]
        return RegisterView(register.started_at, publications, numbers)


def _name_of(session: Any, user_id: str) -> str:
    user = session.get(User, user_id)
    return user_id if user is None else user.display_name


def _number(row: PublishedCell, language: str) -> RegisteredNumber:
    element = indicators.BY_CODE.get(row.element)
    if element is None:  # a table a later version of Havre no longer publishes
        table, cell = row.element, row.combo
    else:
        table = element.label
        cell = _("Total") if row.combo == TOTAL else element.combo_label(row.combo)
    place = _("Network") if row.org_unit == NETWORK else _place(row.org_unit, language)
    return RegisteredNumber(
        row.period,
        row.element,
        table,
        cell,
        row.org_unit,
        place,
        row.value,
        row.low,
        row.high,
        row.k,
    )


def _place(nis_code: str, language: str) -> str:
    """The municipality's name; its NIS code when Havre no longer knows it (a merger)."""
    try:
        return municipalities.municipality(nis_code).name(language)
    except ValidationError:
        return nis_code


def export(desk: OpenDesk, target: Path, *, replace: bool = False) -> None:
    """The register as CSV, for the data protection officer: every number published or
    withheld (cells and values, never people), with what anyone can tell of it."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        if target.suffix.lower() != ".csv":
            raise ValidationError(_("The register is written as a .csv file."), field="target")
        if target.exists() and not replace:
            raise TargetExists(target)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REGISTER_COLUMNS)
        register = publication_queries.current_register(session)
        rows = [] if register is None else publication_queries.cells(session, register.id)
        for c in rows:
            writer.writerow((c.period, c.element, c.combo, c.org_unit, c.value, c.low, c.high, c.k))
        audit.record(
            session, audit.COUNTS_PUBLISHED, desk.user.id, target_type="register", target_id="csv"
        )
    atomic_write(target, out.getvalue().encode())


def start_new(desk: OpenDesk) -> None:
    """End the current register: later publications are protected only together with each
    other. What was published before is still out there: publishing the same months again
    at another level can then give numbers away."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.publish") as session:
        ended = publication_queries.current_register(session)
        if ended is not None:
            ended.ended_at = clock.now()
        session.flush()
        current(session, desk)
        audit.record(
            session, audit.COUNTS_PUBLISHED, desk.user.id, target_type="register", target_id="new"
        )


def current(session: Any, desk: OpenDesk) -> PublicationRegister:
    """The current register, started (with its rounding secret) if there is none."""
    register = publication_queries.current_register(session)
    if register is None:
        register = PublicationRegister(
            started_at=clock.now(), started_by=desk.user.id, secret=crypto.new_secret()
        )
        session.add(register)
        session.flush()
    return register


def earlier(session: Any, register_id: int, periods: list[str]) -> Earlier:
    """What the register holds of these months, for the protection."""
    known: dict[Cell, Known] = {}
    withheld: dict[Cell, int] = {}
    for row in publication_queries.cells_of_periods(session, register_id, periods):
        cell = Cell(row.period, row.element, row.combo, row.org_unit)
        if row.low is None or row.high is None:
            withheld[cell] = row.k or disclosure.DEFAULT_K
        else:
            known[cell] = Known(cell, row.low, row.high)
    return Earlier(known, withheld)


def check_rules(session: Any, register_id: int, method: Method, k: int) -> None:
    """Publications read together follow the same rules: once the register holds one, the
    next ones use its method and k. Someone who knows a rounded number lies within 4 of a
    multiple of 5 learns more than the audit's intervals, and a number withheld under one k
    may be published under a smaller one."""
    # Compared as stored: a method this version does not know is never the same rule.
    rule = (method.value, k if method is Method.SUPPRESS else None)
    used = {(r.method, r.k) for r in publication_queries.records(session, register_id)}
    if not used - {rule}:
        return
    stored_method, other_k = min(used - {rule}, key=str)
    other_method = codes.read(Method, stored_method)
    made = (
        _("rounded to multiples of 5")
        if other_method is Method.ROUND5
        else _("with numbers from 1 to {below} withheld (k = {k})").format(
            below=(other_k or disclosure.DEFAULT_K) - 1, k=other_k
        )
    )
    raise ValidationError(
        _(
            "The register holds publications {made}. Publications read together must "
            "follow the same rules: a number rounded in one and withheld in another, or "
            "withheld under another k, could be proven small. Publish the same way, or "
            "start a new register for months not published yet."
        ).format(made=made),
        field="method" if other_method is not method else "k",
    )


def remember(session: Any, desk: OpenDesk, publication: Publication, fmt: str) -> None:
    """A publication written in format `fmt`, and every number it tells, into the
    register."""
    register = current(session, desk)
    periods = sorted({period for period, _e, _c, _o in publication.told})
    recorded = publication_queries.cells_of_periods(session, register.id, periods)
    _check_unchanged(register, recorded, publication)
    record = PublicationRecord(
        register_id=register.id,
        published_at=clock.now(),
        published_by=desk.user.id,
        level=publication.level.value,
        method=publication.method.value,
        k=publication.k if publication.method is Method.SUPPRESS else None,
        first_period=str(publication.months[0]),
        last_period=str(publication.months[-1]),
        format=fmt,
    )
    session.add(record)
    session.flush()
    known = {(c.period, c.element, c.combo, c.org_unit) for c in recorded}
    session.add_all(
        PublishedCell(
            register_id=register.id,
            period=period,
            element=element,
            combo=combo,
            org_unit=org,
            record_id=record.id,
            value=None if told is None else told[0],
            low=None if told is None else told[1],
            high=None if told is None else told[2],
            k=publication.k if told is None else None,
        )
        for (period, element, combo, org), told in publication.told.items()
        # A number in the register already was published the same way before.
        if (period, element, combo, org) not in known
    )


MISSING = object()  # a number the publication does not tell


def _check_unchanged(
    register: PublicationRegister, recorded: Sequence[PublishedCell], publication: Publication
) -> None:
    """A publication is written only into the register it was protected together with,
    and only if what the register gained since tells nothing it did not: the same
    publication written in another format, or the same numbers published the same way."""
    changed = ValidationError(
        _(
            "The register has changed since this publication was prepared: another "
            "publication was written, or a new register started. Prepare it again: it "
            "must be protected together with what is out now."
        ),
        field="period",
    )
    if register.id != publication.register_id:
        raise changed
    for c in recorded:
        key = (c.period, c.element, c.combo, c.org_unit)
        if key in publication.protected_with:
            continue
        now = None if c.low is None or c.high is None else (c.value, c.low, c.high)
        if publication.told.get(key, MISSING) != now:
            raise changed
