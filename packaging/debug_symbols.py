"""Linux: the symbol tables and debug sections of the libraries the frozen build carries,
left out, as Debian's packages do (`strip --strip-unneeded`: what loading needs stays).

libpython (17 MB of them), SQLCipher's driver (13 MB), cryptography's and SQLAlchemy's
compiled parts are shipped with them, of no use on a desk. PyInstaller's own `strip=True` strips
every library, which breaks those that auditwheel rewrote with patchelf (NumPy's OpenBLAS
then fails to load: "ELF load command address/offset not page-aligned"); these are left as
they are: they sit in a wheel's `<name>.libs` folder or point there with an `$ORIGIN` path.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePath

Entry = tuple[str, str, str]


def needs_stripping(readelf_output: str, name: str) -> bool:
    """From `readelf -S -d --wide`: a symbol table, and no trace of auditwheel's rewrite."""
    if any(part.endswith(".libs") for part in PurePath(name).parts[:-1]):
        return False
    return ".symtab" in readelf_output and "$ORIGIN" not in readelf_output


def _readelf(path: str) -> str:
    done = subprocess.run(
        ["readelf", "-S", "-d", "--wide", path], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def stripped(binaries: Iterable[Entry], folder: Path) -> list[Entry]:
    """The Analysis' binaries, those that `needs_stripping` copied into `folder` and stripped
    there (the originals in the virtual environment stay as they are)."""
    entries = []
    for name, source, kind in binaries:
        if needs_stripping(_readelf(source), name):
            copy = folder / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
            subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
            source = str(copy)
        entries.append((name, source, kind))
    return entries
