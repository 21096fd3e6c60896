"""The hash chain of the audit log: each event's hash covers the previous event's hash and
the event itself, so that changing, removing or moving an event breaks the chain from
there on. SHA-256 over a canonical JSON of the stored fields; the first event follows
GENESIS. (Every account holds the data key, so a keyed chain would not keep an insider
out either; the head is anchored outside the database instead: in the key file and in
every signed counts export.)"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def event_hash(
    previous: str,
    occurred_at: datetime,
    user_id: str | None,
    action: str,
    target_type: str | None,
    target_id: str | None,
    outcome: str,
) -> str:
    fields = {
        "previous": previous,
        "occurred_at": occurred_at.astimezone(UTC)
        .replace(tzinfo=None)
        .isoformat(timespec="microseconds"),
        "user_id": user_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "outcome": outcome,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
