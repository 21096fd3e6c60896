"""`pip install .` gives a working Havre: the wheel, built from the source distribution as a
release would be, carries the compiled catalogues and every file the code reads beside it, and
its selfcheck passes from the installed files alone (no make, no source tree). Neither the wheel
nor the frozen build carries the developer tools (tools/: screenshots, benches)."""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a clone has that the build reads (the catalogues are compiled by the build itself).
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
FOLDERS = ("app", "ui", "db", "tools", "translations", "resources")
BUILD_SDIST = "from setuptools import build_meta; print(build_meta.build_sdist('sdist'))"
PIP_WHEEL = ("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir")
SIGN_IN = {"fr": "Se connecter", "nl": "Aanmelden", "en": "Sign in", "de": "Anmelden"}
# Every selfcheck step but the window's (it needs the GUI, which the frozen build's smoke
# run checks), from wherever Python finds Havre.
SELFCHECK = """
import sys
from app import paths, selfcheck
from db import migrate
print(paths.bundle_root())
print(migrate.MIGRATIONS_DIR)
sys.exit(0 if selfcheck.run(lambda: "not checked here") else 1)
"""


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _build_wheel(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, clone / name)
    for name in FOLDERS:
        ignored = shutil.ignore_patterns("__pycache__", "*.mo", "bundle")
        shutil.copytree(ROOT / name, clone / name, ignore=ignored)
    sdist = clone / "sdist" / _run([sys.executable, "-c", BUILD_SDIST], clone).split()[-1]
    _run([sys.executable, *PIP_WHEEL, "--wheel-dir", str(tmp_path / "wheel"), str(sdist)], clone)
    (wheel,) = (tmp_path / "wheel").glob("havre-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_carries_the_catalogues_and_the_files_beside_the_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(_build_wheel(tmp_path)) as wheel:
        names = set(wheel.namelist())
        wheel.extractall(site)  # a pure-Python wheel: what pip install puts in site-packages

    beside_the_code = [
        *(p.relative_to(ROOT) for p in _files(ROOT / "resources")),
        *(p.relative_to(ROOT) for p in _files(ROOT / "translations" / "brochure")),
    ]
    assert [p for p in beside_the_code if f"app/bundle/{p.as_posix()}" not in names] == []
    assert [name for name in names if name.startswith("tools/")] == []
    migrations = [p.relative_to(ROOT) for p in _files(ROOT / "db" / "migrations")]
    assert [p for p in migrations if p.suffix == ".py" and p.as_posix() not in names] == []
    for code, sign_in in SIGN_IN.items():
        compiled = site / "app" / "bundle" / "translations" / code / "LC_MESSAGES" / "messages.mo"
        with compiled.open("rb") as stream:
            assert gettext.GNUTranslations(stream).gettext("Sign in") == sign_in

    # The installed files alone: the repository is not on the path.
    environment = {**os.environ, "PYTHONPATH": str(site)}
    output = _run([sys.executable, "-c", SELFCHECK], tmp_path, env=environment)
    bundle_root, migrations_dir, *steps = output.splitlines()
    assert Path(bundle_root) == site / "app" / "bundle"
    assert Path(migrations_dir) == site / "db" / "migrations"
    assert [step.split(":")[0] for step in steps] == [
        f"ok   {step}"
        for step in (
            "version",
            "database",
            "pdf",
            "counts files",
            "catalogues",
            "files",
            "solver",
            "languages",
            "demo names",
            "window",
        )
    ]


def test_the_frozen_build_carries_qts_own_catalogues_for_every_language() -> None:
    from PyInstaller.utils.hooks.qt import pyside6_library_info

    _hidden, _binaries, datas = pyside6_library_info.collect_module("PySide6.QtCore")
    carried = {Path(source).name for source, _target in datas}
    assert {"qtbase_fr.qm", "qtbase_nl.qm", "qtbase_de.qm"} <= carried


# The product modules that are run as scripts: Havre itself, and the revision writer of
# `make migration` (it needs the models and the migrations, which ship).
ENTRY_POINTS = ["app/__main__.py", "db/migrate.py"]


def _runs_as_a_script(path: Path) -> bool:
    return any(
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
        for node in ast.parse(path.read_text("utf-8")).body
    )


def test_no_product_module_is_a_developer_tool() -> None:
    """The screenshots and the benches are scripts that make runs; kept in app/ or ui/, they
    went into the wheel and the frozen build with Havre. They live in tools/ now."""
    scripts = [
        path.relative_to(ROOT).as_posix()
        for package in ("app", "ui", "db")
        for path in sorted((ROOT / package).rglob("*.py"))
        if _runs_as_a_script(path)
    ]
    assert scripts == ENTRY_POINTS


def _analysis_list(argument: str) -> list[str]:
    """A list that build.spec gives PyInstaller's Analysis, as written there."""
    tree = ast.parse((ROOT / "build.spec").read_text("utf-8"))
    (analysis,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Analysis"
    ]
    (value,) = [keyword.value for keyword in analysis.keywords if keyword.arg == argument]
    assert isinstance(value, ast.List)
    return [ast.literal_eval(item) for item in value.elts]


def test_the_frozen_build_leaves_the_tools_out() -> None:
    """PyInstaller follows the imports from app/__main__.py; tools/ is excluded by name too, so
    that the build never carries it, even if an import of it slipped into the product (which
    tests/test_architecture.py forbids)."""
    assert "tools" in _analysis_list("excludes")
    assert [name for name in _analysis_list("hiddenimports") if name.split(".")[0] == "tools"] == []
