"""The make targets as a newcomer types them: `help` lists every one, `migration` without a
message refuses, and `i18n` leaves the catalogues byte for byte when no string changed."""

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
        # Unless the code's strings (or their comments, flags, files) differ from the
        # repository's catalogue, the file is the repository's, byte for byte.
        if _entries(first[name]) == _entries((ROOT / name).read_bytes()):
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
