"""Ten thousand mutated key files: signing in refuses each one with a message (damaged,
changed outside Havre, wrong credentials, wait), never crashes, and never changes the
database; only a mutation that changes nothing that matters still opens the desk."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from app import crypto, keyfile
from app.errors import HavreError, KeyFileDamaged
from app.services import auth
from tests.conftest import ADMIN_PASSWORD, DeskFixture
from tests.mutations import FUZZ_TIMEOUT, fuzz, mutate_bytes, mutate_document

FILES = 10_000


@pytest.mark.slow
@pytest.mark.timeout(FUZZ_TIMEOUT)
def test_ten_thousand_mutated_key_files(desk: DeskFixture, tmp_path: Path) -> None:
    path = keyfile.path_for(desk.database)
    original = path.read_bytes()
    reference = tmp_path / "reference.keys"
    reference.write_bytes(original)
    slots = keyfile.read(reference).slots
    document: dict[str, Any] = json.loads(original)
    refused: dict[str, int] = {}
    opened = 0

    @fuzz(FILES)
    def one_mutant(generator: random.Random) -> None:
        nonlocal opened
        if generator.random() < 0.5:
            mutant = mutate_bytes(original, generator)
        else:
            mutant = json.dumps(mutate_document(document, generator)).encode()
        path.write_bytes(mutant)
        # A fresh attempt log each time: the growing delay is tested elsewhere, and here
        # every mutant must reach the key file's own checks.
        for attempts in desk.database.parent.glob("*.attempts*"):
            attempts.unlink()
        before = _stamp(desk.database)
        try:
            opened_desk = auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
        except HavreError as refusal:
            refused[type(refusal).__name__] = refused.get(type(refusal).__name__, 0) + 1
            assert str(refusal)
            assert _stamp(desk.database) == before  # a refusal writes nothing
        else:
            opened += 1
            opened_desk.close()
            # Still the key file Havre wrote, in substance: the same slots, the MAC holds.
            assert keyfile.read(path).slots == slots

    one_mutant()
    path.write_bytes(original)
    assert sum(refused.values()) + opened == FILES
    assert opened < FILES * 0.05
    print(f"{FILES} mutated key files: {refused}, {opened} unchanged in substance")


def _stamp(database: Path) -> tuple[tuple[int, int], ...]:
    """Size and modification time of the database and its WAL: any write changes them."""
    files = (database, database.with_name(database.name + "-wal"))
    return tuple((f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists())


@pytest.mark.parametrize(
    ("field", "value"),
    [("memory_kib", 2 * 1024 * 1024), ("time_cost", 100), ("parallelism", 16)],
)
def test_a_key_file_asking_for_more_work_than_havre_ever_does_is_refused_before_any(
    desk: DeskFixture, tmp_path: Path, field: str, value: int
) -> None:
    """Issue 19, point 6: a key file whose Argon2 cost was raised (2 GiB made one restore
    attempt take 21 s) is refused as damaged before anything is derived."""
    document: dict[str, Any] = json.loads(keyfile.path_for(desk.database).read_bytes())
    for slot in document["slots"]:
        slot["kdf"][field] = value
    hostile = tmp_path / "hostile.keys"
    hostile.write_text(json.dumps(document))
    # Reading comes before any derivation (signing in, restoring): it refuses the file.
    with pytest.raises(KeyFileDamaged):
        keyfile.read(hostile)
    assert crypto.MAX_MEMORY_KIB == 64 * 1024 and crypto.MAX_TIME_COST == 40
