"""Failed sign-in attempts, kept beside the database so that the growing delay survives a
restart. The file holds no personal data: names appear only as the key file's salted hashes.

Failures cannot be written into the encrypted database (it is locked), so they wait here
and become audit events at the next successful unlock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.files import atomic_write

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300
MAX_PENDING = 500


@dataclass(frozen=True)
class FailedAttempt:
    at: float
    slot_id: str | None  # the account tried, when the name matched one


def path_for(database: Path) -> Path:
    return database.with_name(database.name + ".attempts")


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` failed attempts in a row: 0, 0, 0, 1, 2, 4 … 300."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS))


class AttemptLog:
    def __init__(self, database: Path) -> None:
        self.path = path_for(database)

    def seconds_to_wait(self, name_hash: str, now: float) -> int:
        entry = self._load()["names"].get(name_hash)
        if entry is None:
            return 0
        remaining = entry["last"] + delay_after(entry["failures"]) - now
        return max(0, int(remaining + 0.999))

    def record_failure(self, name_hash: str, slot_id: str | None, now: float) -> None:
        state = self._load()
        entry = state["names"].setdefault(name_hash, {"failures": 0, "last": now})
        entry["failures"] += 1
        entry["last"] = now
        state["pending"] = [*state["pending"], {"at": now, "slot": slot_id}][-MAX_PENDING:]
        self._save(state)

    def succeeded(self, name_hash: str) -> list[FailedAttempt]:
        """Reset this name's delay; hand over (and forget) every failure not yet audited."""
        state = self._load()
        pending = [FailedAttempt(float(p["at"]), p["slot"]) for p in state["pending"]]
        if pending or name_hash in state["names"]:
            state["names"].pop(name_hash, None)
            state["pending"] = []
            self._save(state)
        return pending

    def _load(self) -> dict[str, Any]:
        try:
            state = json.loads(self.path.read_text("utf-8"))
            names, pending = state["names"], state["pending"]
            if isinstance(names, dict) and isinstance(pending, list):
                return {"names": names, "pending": pending}
        except (OSError, ValueError, KeyError, TypeError):
            pass
        # Missing or unreadable: start afresh. Deleting the file only resets the delay; the
        # Argon2 cost of every guess stays.
        return {"names": {}, "pending": []}

    def _save(self, state: dict[str, Any]) -> None:
        atomic_write(self.path, json.dumps(state, sort_keys=True).encode())
