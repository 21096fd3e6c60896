"""The large demo desk of the benchmarks (200 000 persons, about a million sessions, ten
years of activities and housing). It takes a few minutes to make; it is made once and kept
in .bench/ (synthetic data only, with a password written beside it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from app.services import demo

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
        # In a process of its own: the bench measures the peak memory of its own process,
        # which making 200 000 cases would set.
        subprocess.run([sys.executable, "-m", "tools.large_desk", str(database)], check=True)
        for made in Path(folder).iterdir():
            if made.suffix != ".lock":
                shutil.move(made, BENCH_FOLDER / made.name)
    return LARGE_DESK, NEW_PASSWORD


def make_large_desk(database: Path) -> None:
    """The large demo desk at `database`, without the backup a demo desk gets: a verified
    copy of a gigabyte takes minutes, and the bench never uses it."""
    demo.create_demo_desk(database, NEW_PASSWORD, scale="large", backup=False)


if __name__ == "__main__":
    make_large_desk(Path(sys.argv[1]))
