"""Ten thousand mutated counts files: none crashes the import, none is half-merged, and
only files that are still valid (a mutation that changed nothing that matters) get in."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import crypto
from app.services import keys, network
from app.services.network import Outcome
from db.models import NetworkCount, ReceivedCounts
from tests.counts_support import MARCH, TODAY, Network, hub_secret

FILES = 10_000
NASTY_VALUES: list[Any] = [
    None,
    True,
    -1,
    2**63,
    1.5,
    "7",
    "",
    [],
    {},
    "2026-13",
    "0" * 5000,
    "\u202e",
    10**8,
]


def mutate_bytes(data: bytes, generator: random.Random) -> bytes:
    buffer = bytearray(data)
    kind = generator.randrange(5)
    if kind == 0 and buffer:
        for _ in range(generator.randint(1, 4)):
            buffer[generator.randrange(len(buffer))] ^= 1 << generator.randrange(8)
    elif kind == 1:
        buffer = buffer[: generator.randrange(len(buffer) + 1)]
    elif kind == 2:
        position = generator.randrange(len(buffer) + 1)
        buffer[position:position] = generator.randbytes(generator.randint(1, 16))
    elif kind == 3 and buffer:
        start = generator.randrange(len(buffer))
        del buffer[start : start + generator.randint(1, 64)]
    else:
        buffer += generator.randbytes(generator.randint(1, 64))
    return bytes(buffer)


def mutate_document(document: dict[str, Any], generator: random.Random) -> dict[str, Any]:
    """Change one thing deep in the JSON: a value, a key, a type."""
    node: Any = document
    path: list[Any] = []
    while isinstance(node, dict | list) and node and generator.random() < 0.8:
        key = (
            generator.choice(list(node))
            if isinstance(node, dict)
            else generator.randrange(len(node))
        )
        path.append(key)
        node = node[key]
    if not path:
        return {"format": "havre-counts", "version": generator.choice(NASTY_VALUES)}
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = generator.randrange(3)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[str(last) + "x"] = parent.pop(last)
    else:
        parent[last] = generator.choice(NASTY_VALUES)
    return document


def test_ten_thousand_mutated_files(net: Network, tmp_path: Path) -> None:
    good = net.export(MARCH)
    network.import_files(net.hub, [good], TODAY)
    with net.hub.transaction() as session:
        rows_before = session.scalar(select(func.count()).select_from(NetworkCount))
        files_before = session.scalar(select(func.count()).select_from(ReceivedCounts))
    snapshot = net.merged()
    plaintext = crypto.age_decrypt(hub_secret(net), good.read_bytes())
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    generator = random.Random(20261123)
    outcomes: dict[Outcome, int] = {}
    target = tmp_path / "mutant.havre-counts"
    started = time.monotonic()
    for index in range(FILES):
        if index % 2:
            content = mutate_bytes(good.read_bytes(), generator)
        elif index % 4 == 0:
            content = crypto.age_encrypt(recipient, mutate_bytes(plaintext, generator))
        else:
            document = mutate_document(json.loads(plaintext), generator)
            content = crypto.age_encrypt(recipient, json.dumps(document).encode())
        target.write_bytes(content)
        [result] = network.import_files(net.hub, [target], TODAY)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        assert result.message
        assert result.outcome in (Outcome.REFUSED, Outcome.UNCHANGED), (index, result)
    elapsed = time.monotonic() - started
    # Every mutant was refused or was the same file again; the merged numbers never moved.
    assert net.merged() == snapshot
    with net.hub.transaction() as session:
        assert session.scalar(select(func.count()).select_from(NetworkCount)) == rows_before
        assert session.scalar(select(func.count()).select_from(ReceivedCounts)) == files_before
    assert sum(outcomes.values()) == FILES
    assert outcomes[Outcome.REFUSED] > FILES * 0.9
    print(f"{FILES} mutated files in {elapsed:.1f} s: {outcomes}")
