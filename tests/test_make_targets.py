"""The make targets as a newcomer types them: `help` lists every one, `migration` without a
message refuses (and passes EMPTY=1 on as db.migrate's flag), `build` installs the system
packages first and rebuilds when a source was removed, and `i18n` leaves the catalogues byte
for byte when no string changed."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def _make(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    assert MAKE is not None
    environment = {name: value for name, value in os.environ.items() if name != "MESSAGE"}
    return subprocess.run(
        [MAKE, "--no-print-directory", "-s", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=100,
    )


def test_help_lists_every_target() -> None:
    targets = set(re.findall(r"^([a-z0-9-]+):(?!=)", (ROOT / "Makefile").read_text(), re.M))
    listed = _make("help").stdout.splitlines()
    assert {line.split()[1] for line in listed if line.startswith("  make ")} == targets
    assert {"i18n", "smoke", "build", "migration", "translations"} <= targets


def test_migration_without_a_message_refuses_and_writes_nothing() -> None:
    versions = ROOT / "db" / "migrations" / "versions"
    before = sorted(versions.glob("*.py"))
    # No install step, and no Python to call: only the refusal can answer.
    refused = _make("migration", "STAMP=", "PY=false")
    assert refused.returncode != 0
    assert 'make migration MESSAGE="' in refused.stderr
    assert sorted(versions.glob("*.py")) == before


@pytest.mark.parametrize(
    ("empty", "flag"), [((), ""), (("EMPTY=1",), "--empty "), (("EMPTY=0",), "")]
)
def test_migration_passes_an_empty_revision_on_as_a_flag(empty: tuple[str, ...], flag: str) -> None:
    done = _make("migration", "MESSAGE=a data fix", *empty, "STAMP=", "PY=echo")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"-m db.migrate {flag}-- a data fix\n"


def test_build_installs_the_system_packages_first_and_sees_a_removed_source(
    tmp_path: Path,
) -> None:
    """On a copy of the Makefile over a small source tree, with a build newer than every
    source: only the system packages are checked (PyInstaller needs binutils), nothing is
    rebuilt; once a source file is removed, the build is out of date."""
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    sources = ["build.spec", "app/a.py", "app/b.py", "ui/c.py", "db/d.py", "resources/e.svg"]
    sources.append("translations/brochure/fr.toml")
    for name in sources:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    long_ago = 1_700_000_000
    for path in [*tmp_path.rglob("*")]:
        os.utime(path, (long_ago, long_ago))
    frozen = tmp_path / "dist" / "havre" / "havre"
    frozen.parent.mkdir(parents=True)
    frozen.write_text("built\n")
    os.utime(frozen, (long_ago + 60, long_ago + 60))

    def planned() -> str:
        done = _make("-n", "build", "STAMP=", "BIN=bin", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    up_to_date = planned()
    assert "binutils" in up_to_date and "dpkg -s" in up_to_date
    assert "pyinstaller" not in up_to_date
    (tmp_path / "app" / "b.py").unlink()
    rebuilt = planned()
    assert "binutils" in rebuilt
    assert rebuilt.index("binutils") < rebuilt.index("bin/pyinstaller")


@pytest.mark.slow
def test_i18n_leaves_the_catalogues_alone_when_no_string_changed(tmp_path: Path) -> None:
    for folder in ("app", "ui", "db", "translations"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    catalogues = [
        Path("translations/messages.pot"),
        *(p.relative_to(ROOT) for p in sorted(ROOT.glob("translations/*/LC_MESSAGES/*.po"))),
    ]

    def i18n() -> dict[Path, bytes]:
        done = _make("i18n", f"BIN={Path(sys.executable).parent}", "STAMP=", cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        return {name: (tmp_path / name).read_bytes() for name in catalogues}

    first = i18n()
    for name in catalogues:
        # The repository's catalogues follow the code's strings (and their comments, flags,
        # files); then `make i18n` leaves each one as it is, byte for byte.
        assert _entries(first[name]) == _entries((ROOT / name).read_bytes()), (
            f"{name} is out of date with the code's strings: run `make i18n` and commit it"
        )
        assert first[name] == (ROOT / name).read_bytes(), name

    # Later, on another day, after edits that moved every line but changed no string.
    earlier = rb'"POT-Creation-Date: 2026-01-01 08:00+0000\\n"'
    for name in catalogues:
        text = (tmp_path / name).read_bytes()
        (tmp_path / name).write_bytes(re.sub(rb'"POT-Creation-Date: [^"]*"', earlier, text))
    for source in [*(tmp_path / "app").rglob("*.py"), *(tmp_path / "ui").rglob("*.py")]:
        source.write_text("\n" + source.read_text("utf-8"), "utf-8")
    before = {name: (tmp_path / name).read_bytes() for name in catalogues}
    assert i18n() == before


def _entries(data: bytes) -> list[tuple[object, ...]]:
    return [
        (m.id, m.context, m.auto_comments, sorted(m.flags), sorted({f for f, _ in m.locations}))
        for m in read_po(io.BytesIO(data))
        if m.id
    ]
