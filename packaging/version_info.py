"""The Windows version resource of havre.exe and havre-cli.exe, made from `app.__version__`.

Explorer's Details tab, installers and IT's inventory tools read it: without it the program
has no product name, no version and no publisher. It is written in the text form PyInstaller
reads (`EXE(version=path)`): PyInstaller's own classes only import on Windows.
"""

from __future__ import annotations

import re
from pathlib import Path

COMPANY = "Havre"
COPYRIGHT = "Havre contributors, GNU GPL 3.0"
# U.S. English (0x0409) and the Unicode code page (1200, 0x04B0): the pair Windows reads first.
LANGUAGE, CODEPAGE = 0x0409, 1200


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps of a version ("0.1.0" -> 0.1.0.0); a pre-release
    suffix ("1.2.0rc1") is dropped, as the fixed part holds numbers only."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        raise ValueError(f"not a version: {version!r}")
    first, second, third, fourth = (int(part or 0) for part in match.groups())
    return first, second, third, fourth


def version_text(product: str, version: str, executable: str, description: str) -> str:
    """The resource of one executable (`executable` is its file name, e.g. havre-cli.exe)."""
    numbers = numeric_version(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": executable.removesuffix(".exe"),
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": executable,
        "ProductName": product,
        "ProductVersion": version,
    }
    table = ",\n".join(
        f"          StringStruct({name!r}, {value!r})" for name, value in strings.items()
    )
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers!r}, prodvers={numbers!r}),
  kids=[
    StringFileInfo([
      StringTable('{LANGUAGE:04X}{CODEPAGE:04X}', [
{table}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [{LANGUAGE}, {CODEPAGE}])])
  ]
)
"""


def write_version_file(
    folder: Path, product: str, version: str, executable: str, description: str
) -> Path:
    """The resource's text in `folder` (PyInstaller's work folder), for `EXE(version=...)`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{executable}.version.txt"
    path.write_text(version_text(product, version, executable, description), encoding="utf-8")
    return path
