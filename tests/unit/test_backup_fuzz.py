"""Fuzzing the backup importer: 10 000 damaged backups (bytes flipped, cut, inserted; whole
pages zeroed, swapped, repeated, cut off) must each be refused by the verification with a
reason, never crash it, never pass; and a restore of a damaged backup changes nothing."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app import crypto, keyfile
from app.errors import HavreError
from app.services import backup, restore
from app.services.backup import BackupDamaged
from tests.conftest import ADMIN_PASSWORD, DeskFixture
from tests.mutations import FUZZ_TIMEOUT, fuzz, mutate_bytes

INPUTS = 10_000
PAGE = 4096


def mutate_pages(data: bytes, generator: random.Random) -> bytes:
    """Damage the way a failing drive or a cut copy does: whole pages at a time."""
    pages = [data[i : i + PAGE] for i in range(0, len(data), PAGE)]
    kind = generator.randrange(4)
    first = generator.randrange(len(pages))
    if kind == 0:
        pages[first] = bytes(PAGE)
    elif kind == 1:
        second = generator.randrange(len(pages))
        if second == first:
            second = (first + 1) % len(pages)
        pages[first], pages[second] = pages[second], pages[first]
    elif kind == 2:
        pages.insert(first, pages[generator.randrange(len(pages))])
    else:
        pages = pages[: max(1, first)]
    return b"".join(pages)


@pytest.fixture
def sound_backup(desk: DeskFixture, tmp_path: Path) -> tuple[Path, bytes]:
    admin = desk.unlock("admin", ADMIN_PASSWORD)
    made = backup.make_backup(admin, tmp_path / "usb" / "sound.havre")
    key = admin.data_key()
    admin.close()
    return made.database, key


@pytest.mark.slow
@pytest.mark.timeout(FUZZ_TIMEOUT)
def test_ten_thousand_damaged_backups_are_all_refused(
    sound_backup: tuple[Path, bytes], tmp_path: Path
) -> None:
    sound, key = sound_backup
    original = sound.read_bytes()
    damaged = tmp_path / "damaged" / "damaged.havre"
    damaged.parent.mkdir()
    shutil.copyfile(keyfile.path_for(sound), keyfile.path_for(damaged))
    reasons: Counter[str] = Counter()

    @fuzz(INPUTS)
    def one_damaged_backup(generator: random.Random) -> None:
        mutate = mutate_pages if generator.random() < 0.3 else mutate_bytes
        data = mutate(original, generator)
        if data == original:
            reasons["unchanged"] += 1
            return
        damaged.write_bytes(data)
        with pytest.raises(HavreError) as refused:
            backup.verify_with_key(damaged, key)
        assert isinstance(refused.value, BackupDamaged), refused.value
        reasons[str(refused.value).split("(")[1].split(")")[0]] += 1
        # SQLite may leave its journal files beside a file it could not read: never reused.
        for side in ("-wal", "-shm"):
            damaged.with_name(damaged.name + side).unlink(missing_ok=True)

    one_damaged_backup()
    print(f"{INPUTS} damaged backups: {dict(reasons)}")
    assert sum(reasons.values()) == INPUTS and reasons["unchanged"] < INPUTS * 0.01
    assert set(reasons) <= {
        "unchanged",
        "damaged encrypted pages",
        "damaged database structure",
        "it does not open with its key",
    }
    assert sound.read_bytes() == original
    backup.verify_with_key(sound, key)  # the harness is sound: the original passes


def test_restoring_a_damaged_backup_changes_nothing(
    desk: DeskFixture, sound_backup: tuple[Path, bytes], tmp_path: Path
) -> None:
    sound, _key = sound_backup
    original = sound.read_bytes()
    folder = desk.database.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    generator = random.Random(11)
    for _ in range(40):
        data = mutate_bytes(original, generator)
        if data == original:
            continue
        sound.write_bytes(data)
        with pytest.raises(HavreError):
            restore.restore(sound, desk.database, "admin", ADMIN_PASSWORD)
        after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        assert after == before


def _refuse_any_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def derive(*_args: object) -> bytes:
        raise AssertionError("a hostile key file reached the key derivation")

    monkeypatch.setattr(crypto, "derive_key", derive)


@pytest.mark.parametrize(
    "hostile",
    ["memory", "time", "lanes", "nested", "slots", "size"],
)
def test_a_backup_whose_key_file_is_hostile_is_refused_before_any_work(
    desk: DeskFixture,
    sound_backup: tuple[Path, bytes],
    monkeypatch: pytest.MonkeyPatch,
    hostile: str,
) -> None:
    """Issue 19, point 6: a backup key file asking for 2 GiB of Argon2 memory made one
    restore attempt take 21 s and 2 GiB. Costs, nesting, slot count and size are bounded
    before anything is derived, and the desk's folder is left as it was."""
    sound, _key = sound_backup
    key_path = keyfile.path_for(sound)
    document: dict[str, Any] = json.loads(key_path.read_bytes())
    if hostile in ("memory", "time", "lanes"):
        field, value = {
            "memory": ("memory_kib", 2 * 1024 * 1024),
            "time": ("time_cost", 100),
            "lanes": ("parallelism", 16),
        }[hostile]
        for slot in document["slots"]:
            slot["kdf"][field] = value
        key_path.write_text(json.dumps(document))
    elif hostile == "nested":
        key_path.write_bytes(b'{"slots": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    elif hostile == "slots":
        document["slots"] = document["slots"] * (keyfile.MAX_SLOTS // 2 + 1)
        key_path.write_text(json.dumps(document))
    else:
        key_path.write_bytes(b" " * (keyfile.MAX_BYTES + 1) + json.dumps(document).encode())
    folder = desk.database.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    _refuse_any_derivation(monkeypatch)
    with pytest.raises(BackupDamaged, match="key file is missing or damaged"):
        restore.restore(sound, desk.database, "admin", ADMIN_PASSWORD)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_a_restore_that_cannot_fit_is_refused_before_copying(
    desk: DeskFixture, sound_backup: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    sound, _key = sound_backup
    full = shutil.disk_usage(desk.database.parent)._replace(free=sound.stat().st_size)
    monkeypatch.setattr(restore.shutil, "disk_usage", lambda _folder: full)
    folder = desk.database.parent
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(HavreError, match="not enough free space for the backup"):
        restore.restore(sound, desk.database, "admin", ADMIN_PASSWORD)
    assert sorted(p.name for p in folder.iterdir()) == before
