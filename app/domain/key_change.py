"""A key-change statement: a desk's old signing key vouches for its new one.

A desk is known to the others by its Ed25519 key, not by its code (anyone can type a
code). When the desk replaces its key (`rotate-key`), the old key signs

    {"format": "havre-key-change", "old_key", "new_key", "made_at"}

(canonical JSON), and the public key file of the new key carries every such statement
since the desk's first key. A desk that trusts the old key follows the statements from it
to the new one: nobody else can write that chain without the old key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

FORMAT = "havre-key-change"


@dataclass(frozen=True)
class KeyChange:
    old_key: bytes
    new_key: bytes
    made_at: datetime
    signature: bytes  # by old_key over signed_bytes()

    def signed_bytes(self) -> bytes:
        return statement_bytes(self.old_key, self.new_key, self.made_at)


def statement_bytes(old_key: bytes, new_key: bytes, made_at: datetime) -> bytes:
    statement = {
        "format": FORMAT,
        "old_key": old_key.hex(),
        "new_key": new_key.hex(),
        "made_at": made_at.astimezone(UTC).isoformat(timespec="seconds"),
    }
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def leads_to(
    known: bytes,
    target: bytes,
    changes: Sequence[KeyChange],
    valid: Callable[[bytes, bytes, bytes], bool],
) -> bool:
    """Whether `changes` lead from the key `known` to `target`, each signed by the key it
    replaces (`valid(public key, message, signature)` checks one signature)."""
    by_old = {change.old_key: change for change in changes}
    key, seen = known, {known}
    while key != target:
        change = by_old.get(key)
        if change is None or change.new_key in seen:
            return False
        if not valid(change.old_key, change.signed_bytes(), change.signature):
            return False
        key = change.new_key
        seen.add(key)
    return True
