"""The directory shipped with Havre (resources/directory/seed.json), drawn from sourced
public facts (docs/facts-and-sources.md): loaded into every new desk, and readable without
any database (the printed material uses it). The Havre team checked its entries against
archived copies of the services' public pages: that is who verified them, unless an entry
says otherwise (`verified_by`)."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

from app import paths
from app.domain.directory import HAVRE_TEAM, DirectoryEntry, entry_from_json

SEED_FORMAT = "havre-directory-seed"


@cache
def load_seed() -> tuple[DirectoryEntry, ...]:
    """Every entry of the seed; a malformed seed is a bug of the release and raises."""
    document = json.loads((paths.resources_dir() / "directory" / "seed.json").read_text("utf-8"))
    if document.get("format") != SEED_FORMAT:
        raise ValueError("resources/directory/seed.json is not a directory seed")
    entries = (entry_from_json(raw) for raw in document["entries"])
    return tuple(
        replace(entry, verified_by=HAVRE_TEAM)
        if entry.verified_by is None and entry.last_verified
        else entry
        for entry in entries
    )
