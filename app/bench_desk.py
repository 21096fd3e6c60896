"""The large demo desk of the benchmarks (200 000 persons, about a million sessions, ten
years of activities and housing). It takes a few minutes to make; it is made once and kept
in .bench/ (synthetic data only, with a password written beside it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_FOLDER = Path(__file__).resolve().parent.parent / ".bench"
LARGE_DESK = BENCH_FOLDER / "large-demo.havre"
PASSWORD_FILE = BENCH_FOLDER / "large-demo.password"
NEW_PASSWORD = "bench large demo desk 2026"


def large_desk() -> tuple[Path, str]:
    """The large demo desk and its password, made now if it is not there yet (its files
    appear only once complete)."""
    if LARGE_DESK.exists():
        return LARGE_DESK, PASSWORD_FILE.read_text(encoding="utf-8").strip()
    BENCH_FOLDER.mkdir(exist_ok=True)
    PASSWORD_FILE.write_text(NEW_PASSWORD + "\n", encoding="utf-8")
    print("Making the large demo desk once (about three minutes)...", flush=True)
    with tempfile.TemporaryDirectory(dir=BENCH_FOLDER) as folder:
        database = Path(folder) / LARGE_DESK.name
        subprocess.run(
            [
                *(sys.executable, "-m", "app", "demo", "--db", str(database)),
                *("--scale", "large", "--password-file", str(PASSWORD_FILE)),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for made in Path(folder).iterdir():
            if made.suffix != ".lock":
                shutil.move(made, BENCH_FOLDER / made.name)
    return LARGE_DESK, NEW_PASSWORD
