"""Queries behind the partner directory: storing an entry with its search words and opening
slots, and the search itself (full text, filters, local services first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from db.models import DirectoryEntryRow, DirectoryOpening, TrustedKey

# Column weights of bm25 for (names, descriptions, keywords): a name or keyword match counts
# more than a word somewhere in a description.
_BM25 = "bm25(directory_search, 10.0, 1.0, 5.0)"
# Beyond this many matches (one or two letters typed) relevance says little and bm25 over
# every match costs more than a keystroke may: the order is then tier, closeness, name,
# and the matches are counted only up to here.
RELEVANCE_LIMIT = 500


@dataclass(frozen=True)
class EntryColumns:
    key: str
    origin: str
    service_type: str
    languages: Sequence[str]
    area_national: bool
    area_regions: Sequence[str]
    area_provinces: Sequence[str]
    area_municipalities: Sequence[str]
    always_open: bool
    verification: str
    retired: bool
    sort_name: str
    document: str
    last_verified: date | None = None


@dataclass(frozen=True)
class Place:
    """Where "local" is measured from: a municipality, its province and regions."""

    nis_code: str
    province: str
    regions: Sequence[str]


@dataclass(frozen=True)
class SearchFilter:
    prefix_query: str | None  # FTS5 query every entry found must match; None: no filter
    #: FTS5 query of every word typed whole, for the order only (a municipality named is a
    #: filter on the area served, but a service with its name in its own still comes first)
    exact_query: str | None
    service_type: str | None
    #: places every entry found must serve (chosen in the filter, or named in the text)
    serving: Sequence[Place]
    language: str | None
    open_at: tuple[int, int] | None  # (weekday, minute of the day)
    always_open_only: bool
    include_retired: bool = False


def listed(values: Sequence[str]) -> str:
    return "," + ",".join(values) + "," if values else ""


def entry_by_key(session: Session, key: str) -> DirectoryEntryRow | None:
    return session.scalars(select(DirectoryEntryRow).where(DirectoryEntryRow.key == key)).first()


def entries(session: Session, *, origin: str | None = None) -> Sequence[DirectoryEntryRow]:
    query = select(DirectoryEntryRow).order_by(DirectoryEntryRow.sort_name)
    if origin is not None:
        query = query.where(DirectoryEntryRow.origin == origin)
    return session.scalars(query).all()


def due_for_review(session: Session, verified_until: date) -> Sequence[DirectoryEntryRow]:
    """The entries offered (not retired) that were never verified, or last verified on
    `verified_until` or before."""
    query = select(DirectoryEntryRow).where(
        DirectoryEntryRow.retired.is_(False),
        or_(
            DirectoryEntryRow.last_verified.is_(None),
            DirectoryEntryRow.last_verified <= verified_until,
        ),
    )
    return session.scalars(query).all()


def save_entry(
    session: Session,
    columns: EntryColumns,
    openings: Sequence[tuple[int, int, int]],
    words: tuple[str, str, str],
    now: datetime,
) -> int:
    """Insert or replace the entry `columns.key`, its opening slots and its search words."""
    row = entry_by_key(session, columns.key)
    if row is None:
        row = DirectoryEntryRow(key=columns.key)
        session.add(row)
    row.origin = columns.origin
    row.service_type = columns.service_type
    row.languages = listed(columns.languages)
    row.area_national = columns.area_national
    row.area_regions = listed(columns.area_regions)
    row.area_provinces = listed(columns.area_provinces)
    row.area_municipalities = listed(columns.area_municipalities)
    row.always_open = columns.always_open
    row.verification = columns.verification
    row.last_verified = columns.last_verified
    row.retired = columns.retired
    row.sort_name = columns.sort_name
    row.document = columns.document
    row.updated_at = now
    session.flush()
    session.execute(delete(DirectoryOpening).where(DirectoryOpening.entry_id == row.id))
    session.add_all(
        DirectoryOpening(entry_id=row.id, weekday=d, opens_minute=o, closes_minute=c)
        for d, o, c in openings
    )
    connection = session.connection()
    connection.execute(text("DELETE FROM directory_search WHERE rowid = :id"), {"id": row.id})
    connection.execute(
        text(
            "INSERT INTO directory_search (rowid, names, descriptions, keywords) "
            "VALUES (:id, :names, :descriptions, :keywords)"
        ),
        {"id": row.id, "names": words[0], "descriptions": words[1], "keywords": words[2]},
    )
    return row.id


def search(
    session: Session, wanted: SearchFilter, near: Place, limit: int, offset: int = 0
) -> tuple[int, list[tuple[str, int]]]:
    """(number of matches, at most RELEVANCE_LIMIT + 1, [(document, closeness)] of the
    first `limit`), best first:
    entries whose name has every typed word whole, then those with every word whole
    anywhere, then the rest; within each, local before regional before national, then by
    relevance and name. Closeness: 0 municipality … 3 national, 4 elsewhere."""
    where = [] if wanted.include_retired else ["e.retired = 0"]
    params: dict[str, object] = {}
    source = "directory_entry e"
    if wanted.prefix_query:
        source = "directory_search s JOIN directory_entry e ON e.id = s.rowid"
        where.append("directory_search MATCH :prefix")
        params["prefix"] = wanted.prefix_query
    if wanted.service_type:
        where.append("e.service_type = :service_type")
        params["service_type"] = wanted.service_type
    for i, place in enumerate(wanted.serving):
        where.append(_closeness_sql(place, f"serving{i}", params) + " < 4")
    if wanted.language:
        where.append("instr(e.languages, :language)")
        params["language"] = f",{wanted.language},"
    if wanted.always_open_only:
        where.append("e.always_open = 1")
    if wanted.open_at is not None:
        where.append(
            "(e.always_open = 1 OR EXISTS (SELECT 1 FROM directory_opening o "
            "WHERE o.entry_id = e.id AND o.weekday = :weekday "
            "AND o.opens_minute <= :minute AND :minute < o.closes_minute))"
        )
        params["weekday"], params["minute"] = wanted.open_at
    condition = " AND ".join(where) or "1"
    # Counted up to just past RELEVANCE_LIMIT: an exact count of 10 000 matches is not
    # worth its time on every keystroke ("more than 500" says as much).
    total = int(
        session.execute(
            text(
                f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT :count_cap)"
            ),
            {**params, "count_cap": RELEVANCE_LIMIT + 1},
        ).scalar_one()
    )
    closeness = _closeness_sql(wanted.serving[0] if wanted.serving else near, "near", params)
    tier, relevance = "0", "0"
    if wanted.exact_query:
        # Every typed word whole in the name, then whole anywhere, then as a word start.
        whole = "e.id IN (SELECT rowid FROM directory_search WHERE directory_search MATCH :{})"
        params["named"] = f"names : ({wanted.exact_query})"
        params["exact"] = wanted.exact_query
        tier = (
            f"CASE WHEN {whole.format('named')} THEN 0 "
            f"WHEN {whole.format('exact')} THEN 1 ELSE 2 END"
        )
    if wanted.prefix_query:
        relevance = _BM25 if total <= RELEVANCE_LIMIT else "0"
    # Ordered on the slim columns first, then only the shown documents are read: carrying
    # every document through the sort cost a third of the time.
    rows = session.execute(
        text(
            "SELECT e.document, top.closeness FROM directory_entry e JOIN ("
            f"SELECT e.id AS id, {tier} AS tier, {closeness} AS closeness, "
            f"{relevance} AS relevance, e.sort_name AS name FROM {source} WHERE {condition} "
            "ORDER BY tier, closeness, relevance, name LIMIT :limit OFFSET :offset"
            ") top ON top.id = e.id ORDER BY top.tier, top.closeness, top.relevance, top.name"
        ),
        {**params, "limit": limit, "offset": offset},
    )
    return total, [(document, int(close)) for document, close in rows]


def _closeness_sql(place: Place, name: str, params: dict[str, object]) -> str:
    # instr() rather than LIKE: a plain substring test, evaluated for every match.
    params[f"{name}_nis"] = f",{place.nis_code},"
    cases = [f"WHEN instr(e.area_municipalities, :{name}_nis) THEN 0"]
    if place.province:  # Brussels-Capital is in no province
        params[f"{name}_province"] = f",{place.province},"
        cases.append(f"WHEN instr(e.area_provinces, :{name}_province) THEN 1")
    for i, region in enumerate(place.regions):
        params[f"{name}_region{i}"] = f",{region},"
        cases.append(f"WHEN instr(e.area_regions, :{name}_region{i}) THEN 2")
    cases.append("WHEN e.area_national = 1 THEN 3")
    return f"(CASE {' '.join(cases)} ELSE 4 END)"


def trusted_key(session: Session, public_key_hex: str) -> TrustedKey | None:
    return session.get(TrustedKey, public_key_hex)


def trusted_keys(session: Session) -> Sequence[TrustedKey]:
    return session.scalars(select(TrustedKey).order_by(TrustedKey.desk_code)).all()
