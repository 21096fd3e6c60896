"""Imports flow one way: ui → app → db. The core never imports Qt or the GUI, so it runs
headless (command line, CI, tests) and the GUI can be replaced without touching it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"app": ("PySide6", "shiboken6", "ui"), "db": ("PySide6", "shiboken6", "ui", "app")}
# The entry point picks the front end by name for the two commands that need it.
ENTRY_POINT = ROOT / "app" / "__main__.py"
_DYNAMIC_IMPORTS = ("import_module", "__import__")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and path != ENTRY_POINT
        ):
            names.append(str(node.args[0].value))
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_core_packages_do_not_import_upwards(package: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert offences == []


def test_the_checker_sees_an_offence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\nimport ui.tasks\n")
    assert [n for n in _imports(sample) if n.split(".")[0] in FORBIDDEN["app"]] == [
        "PySide6.QtCore",
        "ui.tasks",
    ]
