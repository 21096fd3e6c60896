"""A directory entry stored by a newer Havre (a pack of a newer network coordinator, then
this desk went back a version) with codes this version does not know: the directory still
opens, the entry reads as the least it claims, and the log names the list, never the value."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select, update

from app.domain.codes import count_afresh
from app.domain.directory import DirectoryQuery, Origin, Verification
from app.services import directory
from app.services.open_desk import OpenDesk
from db.models import DirectoryEntryRow
from tests.unknown_codes_support import NEWER


def _rewrite(desk: OpenDesk, change: dict[str, object]) -> str:
    with desk.transaction() as session:
        row = session.scalars(select(DirectoryEntryRow).limit(1)).one()
        document = json.loads(row.document)
        area = {**document.get("area", {}), **change.pop("area", {})}  # type: ignore[dict-item]
        document.update(change, area=area)
        session.execute(
            update(DirectoryEntryRow)
            .where(DirectoryEntryRow.key == row.key)
            .values(document=json.dumps(document))
        )
        return row.key


@pytest.mark.parametrize(
    "change",
    [
        {"verification": NEWER},
        {"origin": NEWER},
        {"languages": ["fr", NEWER]},
        {"area": {"regions": ["wallonia", NEWER], "provinces": [NEWER]}},
        {"service_type": NEWER},
        {"verified_by": {"kind": NEWER, "name": "Notaire"}},
    ],
    ids=["verification", "origin", "languages", "area", "service type", "verifier"],
)
def test_an_entry_with_a_code_of_a_newer_version_opens(
    reception: OpenDesk, change: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    count_afresh()
    caplog.set_level(logging.WARNING)
    key = _rewrite(reception, dict(change))
    entries = {entry.key: entry for entry in directory.all_entries(reception)}
    assert key in entries
    entry = entries[key]
    assert directory.search(reception, DirectoryQuery()).hits  # the search opens too
    if "verification" in change:
        assert entry.verification is Verification.TO_VERIFY
    if "origin" in change:
        assert entry.origin is Origin.LOCAL  # never replaced or dropped by a pack
    if "languages" in change:
        assert entry.languages == ("fr",)
    if "area" in change:
        assert {r.value for r in entry.area.regions} <= {"wallonia"}
        assert not entry.area.provinces
    if "verified_by" in change:
        assert entry.verified_by is None  # by whom: not known to this version
    assert NEWER not in "\n".join(record.getMessage() for record in caplog.records)
