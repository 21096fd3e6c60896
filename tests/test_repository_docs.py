"""The repository stands on its own: no file points to notes kept outside it (the people
who get Havre never see them), and the licence that pyproject.toml names is shipped."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Names of working notes that live outside the repository. Case matters: docs/architecture.md
# is the project's own page, ARCHITECTURE.md is not.
OUTSIDE = (
    "../shared",
    "SPEC.md",
    "ARCHITECTURE.md",
    "reference/security.md",
    "belgium-facts",
    "anchors-domain",
    "anchors-architecture",
    "deployment-and-sync",
    "belgian-services-",
)
# This file has to name them to look for them.
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()


def _tracked_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [name for name in listed.decode("utf-8").split("\0") if name]


def _text(path: Path) -> str | None:
    """The file's text, or None for a binary file (or one deleted in the working tree)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def test_no_tracked_file_points_outside_the_repository() -> None:
    offences = []
    for name in _tracked_files():
        if name == THIS_FILE:
            continue
        text = _text(ROOT / name)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            offences += [f"{name}:{number}: {word}" for word in OUTSIDE if word in line]
    assert not offences, "files refer to notes outside the repository:\n" + "\n".join(offences)


def test_the_licence_is_the_gpl_3() -> None:
    licence = ROOT / "LICENSE"
    assert licence.is_file(), "pyproject.toml says GPL-3.0-or-later: LICENSE must hold it"
    head = licence.read_text("utf-8").lstrip().splitlines()[:2]
    assert [line.strip() for line in head] == [
        "GNU GENERAL PUBLIC LICENSE",
        "Version 3, 29 June 2007",
    ]
