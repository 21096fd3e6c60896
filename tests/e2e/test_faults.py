"""Crash and fault tests on real processes and real file systems: a writer killed with SIGKILL
200 times, each time after it acknowledged a save; a disk that fills up during a save, an
export and a backup; a read-only folder.

The small disks are tmpfs mounts, which need root: CI runs as root, so there they must work;
elsewhere those tests are skipped with the reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.errors import DiskFull, StorageError
from app.services import auth, backup, counts_export, intake, restore
from app.services.desk import create_desk
from app.services.open_desk import OpenDesk
from db.models import CaseFile, Contact, CountsExport
from tests.conftest import (
    ADMIN_PASSWORD,
    FAST_KDF,
    STAFF_PASSWORD,
    DeskFixture,
    clock_env,
    desk_setup,
)
from tests.counts_support import MARCH, TODAY
from tests.e2e.command_line import havre
from tests.factories import named_intake

ROOT = Path(__file__).resolve().parents[2]
KILLS = 200


def run_module(
    module: str, *arguments: str, timeout: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m module arguments…` in a process of its own, from the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clock_env(),
    )


def password_file(folder: Path) -> Path:
    path = folder / "password"
    path.write_text(STAFF_PASSWORD)
    return path


# The harness forks its writer (tests/crash_writer.py) and kills it with SIGKILL: Windows has
# neither. A writer killed on Windows is still tested, by the drafts' tests (tests/ui/).
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill harness forks its writer")


# No limit on speed: a round lasts as long as the machine needs. The harness fails a round
# only when the writer saves nothing at all for minutes (stuck, not slow).
@needs_fork
@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_a_writer_killed_200_times_loses_nothing_it_acknowledged(
    desk: DeskFixture, tmp_path: Path
) -> None:
    result = kill_harness(desk, tmp_path, KILLS)
    assert result["failure"] is None, result
    assert result["rounds"] == KILLS
    # Every kill fell on a writer that had acknowledged a save in its round: each round
    # wrote, and was killed while writing on.
    assert result["fewest"] >= 1, result
    assert result["confirmed"] >= KILLS
    opened = auth.unlock(desk.database, "rita", STAFF_PASSWORD)  # the real open path
    assert rows(opened, Contact) >= result["confirmed"]
    opened.close()


@needs_fork
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_kill_harness_catches_a_save_acknowledged_before_it_is_made(
    desk: DeskFixture, tmp_path: Path
) -> None:
    result = kill_harness(desk, tmp_path, 20, fault="report-early")
    assert result["failure"] is not None, result
    assert "acknowledged saves missing" in result["failure"], result


def kill_harness(desk: DeskFixture, folder: Path, rounds: int, fault: str = "") -> dict[str, Any]:
    arguments = (str(desk.database), str(password_file(folder)), str(rounds), "2026", "50")
    harness = run_module("tests.crash_writer", *arguments, *([fault] if fault else []))
    assert harness.returncode == 0, harness.stderr
    result: dict[str, Any] = json.loads(harness.stdout.splitlines()[-1])
    return result


def rows(desk: OpenDesk, model: type) -> int:
    with desk.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own, unmounted afterwards: its owner's alone (0700), as a
    desk's folder must be (tmpfs makes its top 1777, a folder every account writes to)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a small disk: {mounted.stderr.strip()}")
        pytest.skip(f"mounting a small disk needs root: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """Fill the disk holding `folder` until `leave` bytes are free."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave))
    return filler


def test_a_full_disk_refuses_the_save_clearly_and_keeps_everything_before(
    small_disk: Path,
) -> None:
    database = small_disk / "desk.havre"
    create_desk(desk_setup(database), kdf=FAST_KDF)
    desk = auth.unlock(database, "rita", STAFF_PASSWORD)
    key = desk.data_key()
    filler = fill(small_disk, 300_000)
    confirmed: list[str] = []
    with pytest.raises(DiskFull, match="is full: this was not saved") as refused:
        for number in range(10_000):
            form = named_intake(pseudonym=f"Full {number}")
            confirmed.append(intake.record_intake(desk, form).case_id)
    assert str(small_disk) in str(refused.value)
    assert confirmed, "the disk filled before a single save: leave more room"
    filler.unlink()
    confirmed.append(intake.record_intake(desk, named_intake(pseudonym="After")).case_id)
    desk.close()
    backup.verify_with_key(database, key)  # opens, both integrity checks
    reopened = auth.unlock(database, "rita", STAFF_PASSWORD)
    assert rows(reopened, CaseFile) == len(confirmed)
    reopened.close()


def test_a_full_disk_during_an_export_or_a_backup_writes_nothing(
    small_disk: Path, march_desk: OpenDesk, admin_desk: OpenDesk, net: object
) -> None:
    fill(small_disk, 0)
    before = sorted(p.name for p in small_disk.iterdir())
    target = small_disk / "SG_2026-03.havre-counts"
    with pytest.raises(StorageError, match="No space left on device"):
        counts_export.export_counts(march_desk, MARCH, target, today=TODAY)
    with pytest.raises(StorageError, match="No space left on device"):
        backup.make_backup(admin_desk, small_disk / "SG.havre")
    assert sorted(p.name for p in small_disk.iterdir()) == before
    assert rows(march_desk, CountsExport) == 0


def test_a_read_only_folder_is_named_as_such(small_disk: Path, tmp_path: Path) -> None:
    database = small_disk / "desk.havre"
    create_desk(desk_setup(database), kdf=FAST_KDF)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StorageError, match="Read-only file system"):
        auth.unlock(database, "rita", STAFF_PASSWORD)
    cli = havre(
        *("audit", "--db", str(database), "--user", "rita"),
        *("--password-file", str(password_file(tmp_path)), "verify"),
    )
    assert cli.returncode == 1
    assert "Read-only file system" in cli.stderr and "Traceback" not in cli.stderr


def test_a_backup_on_a_read_only_drive_restores(small_disk: Path, desk: DeskFixture) -> None:
    admin = desk.unlock()
    made = backup.make_backup(admin, small_disk / "SG.havre")
    admin.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    set_aside = restore.restore(made.database, desk.database, "admin", ADMIN_PASSWORD).set_aside
    assert set_aside is not None
    assert set_aside.exists()
    assert sorted(p.name for p in desk.database.parent.iterdir() if p.name.startswith(".")) == []
    auth.unlock(desk.database, "rita", STAFF_PASSWORD).close()
