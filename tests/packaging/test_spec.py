"""build.spec's branches for each OS, run here with PyInstaller's building blocks recorded
instead of built: Windows gets havre.exe and havre-cli.exe with the .ico and a version
resource each, macOS one executable and Havre.app with its bundle id, Linux one executable;
every OS gets the same filtered Analysis. The real builds: `make build` here, CI elsewhere."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app import APP_ID, __version__
from tests.packaging.scripts import FOLDER, ROOT


@dataclass
class Built:
    """What the spec asked PyInstaller for: each block's arguments, in order."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def of(self, kind: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        return [(args, kwargs) for name, args, kwargs in self.calls if name == kind]


class _Analysis:
    def __init__(self, built: Built, *args: Any, **kwargs: Any) -> None:
        built.calls.append(("Analysis", args, kwargs))
        self.scripts = [("__main__", "app/__main__.py", "PYSOURCE")]
        self.pure = [
            ("faker.providers.person.fr_BE", "x.py", "PYMODULE"),
            ("faker.providers.person.ja_JP", "x.py", "PYMODULE"),
        ]
        self.datas = [
            ("babel/locale-data/nl_BE.dat", "x", "DATA"),
            ("babel/locale-data/ja.dat", "x", "DATA"),
        ]
        self.binaries = [
            ("PySide6/Qt/lib/libQt6Widgets.so.6", "/nonexistent/libQt6Widgets.so.6", "BINARY"),
            ("PySide6/Qt/lib/libQt6Quick.so.6", "/nonexistent/libQt6Quick.so.6", "BINARY"),
        ]


def _run_spec(platform: str, work: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    built = Built()

    def block(kind: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> str:
            built.calls.append((kind, args, kwargs))
            return f"{kind}:{kwargs.get('name', '')}"

        return record

    namespace = {
        "SPECPATH": str(ROOT),
        "workpath": str(work),
        "Analysis": lambda *a, **k: _Analysis(built, *a, **k),
        **{kind: block(kind) for kind in ("PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts its folders first
    source = (ROOT / "build.spec").read_text("utf-8")
    exec(compile(source, str(ROOT / "build.spec"), "exec"), namespace)
    return built


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_os_gets_the_same_lean_analysis(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _run_spec(platform, tmp_path, monkeypatch)
    ((_, analysis),) = built.of("Analysis")
    assert {"pysqlite2", "MySQLdb", "PySide6.QtQml", "tools"} <= set(analysis["excludes"])
    (((pure,), _),) = built.of("PYZ")
    assert [name for name, *_ in pure] == ["faker.providers.person.fr_BE"]
    ((collect_args, collect),) = built.of("COLLECT")
    binaries, datas = collect_args[-2:]
    assert [name for name, *_ in datas] == ["babel/locale-data/nl_BE.dat"]
    assert [name for name, *_ in binaries] == ["PySide6/Qt/lib/libQt6Widgets.so.6"]
    assert collect["name"] == "havre"
    assert str(FOLDER) in sys.path and str(ROOT) == sys.path[0]


def test_windows_gets_a_windowed_and_a_console_executable_each_identified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _run_spec("win32", tmp_path, monkeypatch)
    executables = {kwargs["name"]: kwargs for _, kwargs in built.of("EXE")}
    assert sorted(executables) == ["havre", "havre-cli"]
    assert executables["havre"]["console"] is False
    assert executables["havre-cli"]["console"] is True
    for name, kwargs in executables.items():
        assert kwargs["icon"].endswith("havre.ico") and Path(kwargs["icon"]).is_file()
        resource = Path(kwargs["version"]).read_text("utf-8")
        assert f"StringStruct('OriginalFilename', '{name}.exe')" in resource
        assert f"StringStruct('ProductVersion', '{__version__}')" in resource
    ((collect_args, _),) = built.of("COLLECT")
    assert collect_args[:2] == ("EXE:havre", "EXE:havre-cli")
    assert built.of("BUNDLE") == []


def test_macos_gets_havre_app_with_its_id_version_and_icon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _run_spec("darwin", tmp_path, monkeypatch)
    ((_, executable),) = built.of("EXE")
    assert executable["icon"].endswith("havre.icns") and executable["version"] is None
    (((folder,), bundle),) = built.of("BUNDLE")
    assert folder == "COLLECT:havre"
    assert bundle["name"] == "Havre.app"
    assert bundle["bundle_identifier"] == APP_ID
    assert bundle["icon"] == executable["icon"]
    plist = bundle["info_plist"]
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["NSHighResolutionCapable"] is True


def test_linux_gets_one_executable_without_icon_or_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _run_spec("linux", tmp_path, monkeypatch)
    ((_, executable),) = built.of("EXE")
    assert executable["name"] == "havre"
    assert executable["icon"] is None and executable["version"] is None
    assert built.of("BUNDLE") == []
