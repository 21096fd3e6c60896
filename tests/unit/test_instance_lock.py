from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import DatabaseInUse
from app.instance_lock import DeskLock


def test_a_second_holder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    with DeskLock(database):
        with pytest.raises(DatabaseInUse, match="already open"):
            DeskLock(database).acquire()
    with DeskLock(database) as again:
        assert again.held


@pytest.mark.slow
def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.instance_lock import DeskLock;"
            f"lock = DeskLock(Path({str(database)!r})); lock.acquire();"
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse):
            DeskLock(database).acquire()
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / "desk.havre.lock").exists()  # the stale file is still there...
    with DeskLock(database) as lock:  # ...and does not matter
        assert lock.held
