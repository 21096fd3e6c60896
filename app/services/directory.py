"""The partner directory of a desk: search while typing (FTS5 inside the encrypted
database), the details of an entry, and its upkeep by the coordinator (add, edit, retire,
mark verified, the entries due for review). Everyone signed in may search it: it holds
public information only.

When and by whom an entry was verified is never taken from a form: the service stamps it
with today and the signed-in account (its display name and desk) when someone says the
entry was checked against its live source, and audits it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time
from functools import cache, lru_cache
from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.domain import codes
from app.domain.areas import Province, Region, province_of, regions_of
from app.domain.codes import ServiceType
from app.domain.directory import (
    END_OF_DAY,
    SPOKEN,
    DirectoryEntry,
    DirectoryHit,
    DirectoryQuery,
    DirectoryResults,
    Origin,
    Verification,
    Verifier,
    VerifierKind,
    entry_from_json,
    entry_to_json,
)
from app.domain.directory_review import ReviewItem, review_cutoff
from app.domain.directory_review import due_for_review as due_items
from app.domain.intake import search_key
from app.domain.municipalities import MUNICIPALITIES
from app.domain.roles import Role
from app.errors import RecordNotFound, ValidationError
from app.i18n import _
from app.services import audit
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from db import directory_queries, fulltext, repositories
from db.directory_queries import EntryColumns, Place, SearchFilter

SEARCH_ROLES = (Role.RECEPTION, Role.COUNSELLOR, Role.COORDINATOR, Role.ADMIN)
UPKEEP_ROLES = (Role.COORDINATOR, Role.ADMIN)
SHOWN = 50
#: every match a search counts: a list sorted on a column holds them all
ALL = directory_queries.RELEVANCE_LIMIT


def search(
    desk: OpenDesk,
    query: DirectoryQuery,
    now: datetime | None = None,
    offset: int = 0,
    limit: int = SHOWN,
) -> DirectoryResults:
    """The entries matching `query`, best first (see directory_queries.search), `limit` at a
    time from `offset` (the list asks for more as it is scrolled); `now` is the desk's local
    time, for "open now"."""
    with desk.guarded(
        UPKEEP_ROLES if query.include_retired else SEARCH_ROLES, "directory.search"
    ) as session:
        moment = now or clock.local_now()
        typed = search_key(query.text)
        named, words = places_named(typed)
        # The municipality named filters on the area served, and ranks the services with its
        # name in their own ("CPVS Bruxelles") before the others.
        prefix = fulltext.prefix_query(" ".join(words), ranking_only=typed)
        if query.text.strip() and prefix is None and not named:
            return DirectoryResults(0, ())  # only punctuation typed
        chosen = [query.municipality] if query.municipality else []
        wanted = SearchFilter(
            prefix_query=prefix,
            exact_query=fulltext.whole_words_query(typed),
            service_type=query.service_type.value if query.service_type else None,
            serving=[place(nis) for nis in dict.fromkeys((*chosen, *named))],
            language=query.language,
            open_at=(moment.weekday(), moment.hour * 60 + moment.minute)
            if query.open_now
            else None,
            always_open_only=query.always_open_only,
            include_retired=query.include_retired,
        )
        total, rows = directory_queries.search(
            session, wanted, place(desk.desk.nis_code), min(limit, ALL), offset
        )
    hits = []
    for document, closeness in rows:
        entry = _stored(document)
        hits.append(DirectoryHit(entry, closeness, entry.hours.is_open(moment)))
    capped = total > directory_queries.RELEVANCE_LIMIT
    return DirectoryResults(
        min(total, directory_queries.RELEVANCE_LIMIT), tuple(hits), capped, tuple(named)
    )


def places_named(folded_text: str) -> tuple[list[str], list[str]]:
    """(NIS codes of the municipalities named in `folded_text`, the other words).

    A municipality typed in a search stands for the services that serve it, the way the
    municipality filter finds them (its own, its province's, its region's, the national
    ones), not for the few that have its name in their text. Any spelling counts (French,
    Dutch, German, a postal code); the longest name wins ("Saint-Josse-ten-Noode" over
    "Saint-Josse"), and only a whole name: a word still being typed is searched as text.
    """
    typed = fulltext.words(folded_text)
    spellings = _spellings()
    longest = max(len(words) for words in spellings)
    named: list[str] = []
    rest: list[str] = []
    start = 0
    while start < len(typed):
        for size in range(min(longest, len(typed) - start), 0, -1):
            nis = spellings.get(tuple(typed[start : start + size]))
            if nis is not None:
                named.append(nis)
                start += size
                break
        else:
            rest.append(typed[start])
            start += 1
    return list(dict.fromkeys(named)), rest


@cache
def _spellings() -> dict[tuple[str, ...], str]:
    """Every spelling of every municipality, as the words a search splits it into."""
    return {
        tuple(fulltext.words(search_key(spelling))): place.nis_code
        for place in MUNICIPALITIES
        for spelling in place.spellings()
    }


@lru_cache(maxsize=1024)
def _stored(document: str) -> DirectoryEntry:
    """An entry as stored (the same document is read again at nearly every keystroke)."""
    raw = json.loads(document)
    return entry_from_json(_as_this_version_reads(raw) if isinstance(raw, dict) else raw)


def _as_this_version_reads(raw: dict[str, Any]) -> dict[str, Any]:
    """A stored entry a newer Havre wrote opens (one entry must not close the directory): a
    code this version does not know is read as the least it claims (service type "other",
    still to verify, an entry of this desk's, which a pack never replaces), a language or
    a region it cannot name is left out. A pack still passes the gate of `entry_from_json`
    unchanged."""
    read = dict(raw)
    read["service_type"] = ServiceType.read(str(raw.get("service_type", ""))).value
    read["verification"] = codes.read_or(
        Verification, str(raw.get("verification", "")), Verification.TO_VERIFY
    ).value
    read["origin"] = codes.read_or(
        Origin, str(raw.get("origin", Origin.NETWORK.value)), Origin.LOCAL
    ).value
    verifier = raw.get("verified_by")
    if isinstance(verifier, dict) and verifier.get("kind") not in tuple(VerifierKind):
        read["verified_by"] = None  # who verified it is not known to this version
    languages = raw.get("languages")
    if isinstance(languages, list):
        read["languages"] = [code for code in languages if code in SPOKEN]
    area = raw.get("area")
    if isinstance(area, dict):
        read["area"] = {
            **area,
            **{
                name: sorted(codes.read_codes(kind, [str(c) for c in area[name]]))
                for name, kind in (("regions", Region), ("provinces", Province))
                if isinstance(area.get(name), list)
            },
        }
    return read


def entry(desk: OpenDesk, key: str) -> DirectoryEntry:
    with desk.guarded(SEARCH_ROLES, "directory.view") as session:
        return _entry(session, key)


def _entry(session: Session, key: str) -> DirectoryEntry:
    row = directory_queries.entry_by_key(session, key)
    if row is None:
        raise RecordNotFound()
    return _stored(row.document)


def all_entries(desk: OpenDesk) -> list[DirectoryEntry]:
    """Every entry, retired ones included (what is printed is chosen from them)."""
    with desk.guarded(SEARCH_ROLES, "directory.view") as session:
        return all_entries_in(session)


def all_entries_in(session: Session) -> list[DirectoryEntry]:
    """Inside the transaction of a service that checked its own role."""
    return [_stored(row.document) for row in directory_queries.entries(session)]


def save(desk: OpenDesk, new: DirectoryEntry, *, is_new: bool) -> DirectoryEntry:
    """Add or edit an entry (coordinator or admin); checked like an entry from a pack.

    The form does not say when or by whom the entry was verified: a new entry checked
    against its live source is verified today by the person adding it (one "to verify",
    never); an edit keeps the entry's last verification, unless it turns the entry from
    "to verify" to verified, which is a verification of its own."""
    with desk.guarded(UPKEEP_ROLES, "directory.edit") as session:
        row = directory_queries.entry_by_key(session, new.key)
        stored = _stored(row.document) if row is not None else None
        kept = stored if stored is not None and not is_new else None
        actions = [audit.DIRECTORY_EDITED]
        if new.to_verify and kept is None:
            new = replace(new, last_verified=None, verified_by=None)
        elif kept is not None and (new.to_verify or not kept.to_verify):
            new = replace(new, last_verified=kept.last_verified, verified_by=kept.verified_by)
        else:
            new = _verified_today(session, desk, new)
            actions.append(audit.DIRECTORY_VERIFIED)
        return _save(session, desk, new, is_new=is_new, actions=actions)


def retire(desk: OpenDesk, key: str, retired: bool = True) -> DirectoryEntry:
    with desk.guarded(UPKEEP_ROLES, "directory.edit") as session:
        current = _entry(session, key)
        return _save(session, desk, replace(current, retired=retired), is_new=False)


def mark_verified(desk: OpenDesk, key: str) -> DirectoryEntry:
    """Checked against the live source today by the signed-in person: verified, dated,
    signed with their name and desk, audited."""
    with desk.guarded(UPKEEP_ROLES, "directory.verify") as session:
        verified = _verified_today(session, desk, _entry(session, key))
        return _save(session, desk, verified, is_new=False, actions=[audit.DIRECTORY_VERIFIED])


def _verified_today(session: Session, desk: OpenDesk, entry: DirectoryEntry) -> DirectoryEntry:
    """`entry` verified today by the signed-in account, named as the database has it now."""
    user = repositories.user_by_id(session, desk.user.id)
    name = user.display_name if user is not None else desk.user.display_name
    verifier = Verifier(VerifierKind.PERSON, name, desk.desk.code, desk.desk.name)
    return replace(
        entry,
        verification=Verification.VERIFIED,
        last_verified=clock.today(),
        verified_by=verifier,
    )


def due_for_review(desk: OpenDesk) -> list[ReviewItem]:
    """The entries offered that were never verified, or not for twelve months (today is the
    desk's day in Brussels), the longest unverified first."""
    with desk.guarded(UPKEEP_ROLES, "directory.review") as session:
        today = clock.today()
        rows = directory_queries.due_for_review(session, review_cutoff(today))
        entries = [_stored(row.document) for row in rows]
    return due_items(entries, today)


def _save(
    session: Session,
    desk: OpenDesk,
    new: DirectoryEntry,
    *,
    is_new: bool,
    actions: list[str] | None = None,
) -> DirectoryEntry:
    checked = entry_from_json(entry_to_json(new))
    stored = directory_queries.entry_by_key(session, checked.key)
    exists = stored is not None
    if is_new and stored is not None and _same_entry(_stored(stored.document), checked):
        # The key is the one the person typed: a new entry's form saved again (the first
        # answer lost to a lock) finds what its first save wrote, and nothing changes.
        return checked
    if is_new and exists:
        raise ValidationError(
            _("There is already an entry with the key {key}.").format(key=checked.key),
            field="key",
        )
    if not is_new and not exists:
        raise RecordNotFound()
    store(session, checked, desk.desk.language, clock.now())
    for action in actions or [audit.DIRECTORY_EDITED]:
        audit.record(
            session, action, desk.user.id, target_type="directory_entry", target_id=checked.key
        )
    return checked


def _same_entry(stored: DirectoryEntry, typed: DirectoryEntry) -> bool:
    # Saved again on another day, a new entry is dated by its first save.
    return replace(stored, last_verified=None, verified_by=None) == replace(
        typed, last_verified=None, verified_by=None
    )


def install_seed(session: Session, language: str, now: datetime) -> None:
    """Load the shipped directory into a new desk whose language is `language`."""
    store_all(session, load_seed(), language, now)


def store_all(
    session: Session, entries_: Iterable[DirectoryEntry], language: str, now: datetime
) -> None:
    for item in entries_:
        store(session, item, language, now)


def store(session: Session, item: DirectoryEntry, language: str, now: datetime) -> None:
    """Write `item`; lists without typed words are in the alphabetical order of its name in
    `language`, the desk's (whoever writes it, in whatever language they work)."""
    area = item.area
    columns = EntryColumns(
        key=item.key,
        origin=item.origin.value,
        service_type=item.service_type.value,
        languages=item.languages,
        area_national=area.national,
        area_regions=sorted(area.regions),
        area_provinces=sorted(area.provinces),
        area_municipalities=sorted(area.municipalities),
        always_open=item.hours.always_open,
        verification=item.verification.value,
        retired=item.retired,
        sort_name=search_key(item.name(language)),
        last_verified=item.last_verified,
        document=json.dumps(entry_to_json(item), ensure_ascii=False, sort_keys=True),
    )
    openings = [
        (s.weekday, s.opens.hour * 60 + s.opens.minute, _minutes(s.closes))
        for s in item.hours.slots
    ]
    directory_queries.save_entry(session, columns, openings, item.search_text(), now)


def place(nis_code: str) -> Place:
    province = province_of(nis_code)
    return Place(nis_code, province.value if province else "", sorted(regions_of(nis_code)))


def _minutes(moment: time) -> int:
    return 24 * 60 if moment == END_OF_DAY else moment.hour * 60 + moment.minute
