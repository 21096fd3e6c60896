"""Write the WiX file list of a one-folder build: `python harvest.py dist/havre files.wxs`.

One component per file, under directories that mirror the build, in the component group
`HavreFiles` that havre.wxs installs. The ids and GUIDs are derived from each file's path in
the build, so the same file keeps the same component from one version to the next, and the
list is the same on every machine (compared in tests, compiled by wixl here and by WiX on
Windows). `havre.exe` and `havre-cli.exe` keep readable ids, for the shortcut and the icon.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import quoteattr

# Fixed forever: changing it would give every file a new component GUID.
NAMESPACE = uuid.UUID("6f1d3c2a-8b4e-4f5a-9c7d-2e1f0a9b8c7d")
NAMED_FILES = {"havre.exe": "HavreExe", "havre-cli.exe": "HavreCliExe"}
WIX_NS = "http://schemas.microsoft.com/wix/2006/wi"


def _id(kind: str, relative: PurePosixPath) -> str:
    """A WiX id (letters, digits, at most 72 characters) that names the path."""
    return kind + hashlib.sha1(str(relative).encode()).hexdigest()[:32]


def _lines(source: Path, folder: Path, depth: int) -> list[str]:
    indent = "  " * depth
    lines: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        relative = PurePosixPath(entry.relative_to(source).as_posix())
        if entry.is_dir():
            lines.append(
                f"{indent}<Directory Id={quoteattr(_id('d', relative))} "
                f"Name={quoteattr(entry.name)}>"
            )
            lines.extend(_lines(source, entry, depth + 1))
            lines.append(f"{indent}</Directory>")
            continue
        file_id = NAMED_FILES.get(str(relative), _id("f", relative))
        guid = str(uuid.uuid5(NAMESPACE, str(relative))).upper()
        lines.append(
            f'{indent}<Component Id={quoteattr(_id("c", relative))} Guid="{guid}" Win64="yes">'
        )
        lines.append(
            f'{indent}  <File Id={quoteattr(file_id)} KeyPath="yes" '
            f"Source={quoteattr('$(var.SourceDir)/' + str(relative))}/>"
        )
        lines.append(f"{indent}</Component>")
    return lines


def file_list(source: Path) -> str:
    """The WiX fragment that installs every file under `source` into INSTALLDIR."""
    body = _lines(source, source, 3)
    components = [line.split('"')[1] for line in body if line.lstrip().startswith("<Component ")]
    refs = [f'      <ComponentRef Id="{component}"/>' for component in components]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<Wix xmlns="{WIX_NS}">',
            "  <Fragment>",
            '    <DirectoryRef Id="INSTALLDIR">',
            *body,
            "    </DirectoryRef>",
            '    <ComponentGroup Id="HavreFiles">',
            *refs,
            "    </ComponentGroup>",
            "  </Fragment>",
            "</Wix>",
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: harvest.py BUILD_FOLDER OUTPUT.wxs", file=sys.stderr)
        return 2
    source, output = Path(argv[0]), Path(argv[1])
    missing = [name for name in NAMED_FILES if not (source / name).is_file()]
    if missing:
        print(
            f"harvest.py: {source} is not a Windows build of Havre: no {', '.join(missing)}",
            file=sys.stderr,
        )
        return 1
    output.write_text(file_list(source), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
