"""Which libraries of the Linux build are stripped (packaging/debug_symbols.py): those with a
symbol table, never one that auditwheel rewrote (stripping breaks those)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.scripts import load

debug_symbols = load("debug_symbols")

SECTIONS = "  [28] .symtab  SYMTAB  0000000000000000 e3f2a8 0259f8 18  29 4004  8\n"
ORIGIN = " 0x000000000000000f (RPATH)              Library rpath: [$ORIGIN/../pillow.libs]\n"


@pytest.mark.parametrize(
    ("readelf", "name", "stripped"),
    [
        (SECTIONS, "libpython3.11.so.1.0", True),
        (SECTIONS, "sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so", True),
        ("  [23] .dynsym  DYNSYM\n", "libpython3.11.so.1.0", False),
        (SECTIONS + ORIGIN, "PIL/_imaging.cpython-311-x86_64-linux-gnu.so", False),
        (SECTIONS, "numpy.libs/libscipy_openblas64_-32a4b2a6.so", False),
        ("", "havre.dat", False),
    ],
)
def test_only_libraries_with_symbols_and_untouched_by_auditwheel_are_stripped(
    readelf: str, name: str, stripped: bool
) -> None:
    assert debug_symbols.needs_stripping(readelf, name) is stripped


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("strip") is None,
    reason="binutils on Linux",
)
def test_a_stripped_copy_still_loads_and_the_original_is_untouched(tmp_path: Path) -> None:
    # A library of the system, copied: it carries a symbol table until stripped.
    source = tmp_path / "libsample.so"
    (tmp_path / "sample.c").write_text("int sample(void) { return 42; }\n", encoding="utf-8")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to make a library")
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(source), str(tmp_path / "sample.c")], check=True
    )
    before = source.read_bytes()
    ((name, copy, kind),) = debug_symbols.stripped(
        [("lib/libsample.so", str(source), "BINARY")], tmp_path / "stripped"
    )
    assert (name, kind) == ("lib/libsample.so", "BINARY")
    assert Path(copy) == tmp_path / "stripped" / "lib" / "libsample.so"
    assert source.read_bytes() == before
    assert ".symtab" not in debug_symbols._readelf(copy)
    import ctypes

    assert ctypes.CDLL(copy).sample() == 42
