"""The Windows version resource of havre.exe and havre-cli.exe, read back by PyInstaller's own
loader (the one `EXE(version=path)` uses on Windows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import APP_NAME, __version__
from tests.packaging.scripts import load

version_info = load("version_info")


def _read_back(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    # PyInstaller's module imports pywin32 at the top, for the functions that write a
    # resource into an .exe; its classes and its text loader are plain Python.
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    from PyInstaller.utils.win32 import versioninfo

    info = versioninfo.load_version_info_from_text_file(str(path))
    assert isinstance(info, versioninfo.VSVersionInfo)
    return info


def _strings(info: Any) -> dict[str, str]:
    (table,) = info.kids[0].kids
    return {string.name: string.val for string in table.kids}


@pytest.mark.parametrize(
    ("executable", "description"),
    [("havre.exe", "Havre, victim assistance desk"), ("havre-cli.exe", "Havre, command line")],
)
def test_the_resource_names_the_product_its_version_and_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executable: str, description: str
) -> None:
    path = version_info.write_version_file(
        tmp_path / "work", APP_NAME, __version__, executable, description
    )
    info = _read_back(path, monkeypatch)
    strings = _strings(info)
    assert strings["ProductName"] == "Havre"
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["CompanyName"] == "Havre"
    assert strings["FileDescription"] == description
    assert strings["OriginalFilename"] == executable
    assert strings["InternalName"] == executable.removesuffix(".exe")
    major, minor, patch, build = version_info.numeric_version(__version__)
    assert info.ffi.fileVersionMS == info.ffi.productVersionMS == (major << 16) | minor
    assert info.ffi.fileVersionLS == info.ffi.productVersionLS == (patch << 16) | build
    # The language and code page of the string table, as the Translation entry says.
    assert info.kids[0].kids[0].name == "040904B0"
    assert info.kids[1].kids[0].kids == [0x0409, 1200]


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("2.13", (2, 13, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0))],
)
def test_windows_keeps_four_numbers_of_a_version(
    version: str, numbers: tuple[int, int, int, int]
) -> None:
    assert version_info.numeric_version(version) == numbers


def test_a_version_without_numbers_is_refused() -> None:
    with pytest.raises(ValueError, match="not a version"):
        version_info.numeric_version("dev")
