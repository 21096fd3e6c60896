"""`make deb`: Havre's Debian package, from the frozen one-folder build (dist/havre/).

The staged tree is what dpkg installs: the program in /opt/havre/, /usr/bin/havre pointing
to it, the desktop entry, the icon at the usual sizes, AppStream metadata; DEBIAN/ holds the
control file and postinst, which makes the shared desk folder /var/lib/havre (root:havre,
2770) if it is missing. `dpkg-deb --root-owner-group --build` makes the package: no
debhelper, no root needed to build.

    python packaging/linux/deb.py FROZEN OUT --version V --released YYYY-MM-DD --depends "..."
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import icons

HERE = Path(__file__).resolve().parent
# app.APP_ID (the script is run without Havre on its path; a test keeps the two equal).
APP_ID = "be.havre.Havre"
PACKAGE = "havre"
PROGRAM = Path("opt", "havre")
SHARED_DESK = Path("/var/lib/havre")
SUMMARY = "offline desk for victim assistance services"
DESCRIPTION = """\
 Havre records the contacts, cases, listening sessions and referrals of a desk
 that helps victims of partner and intrafamilial violence in Belgium. Everything
 stays on the desk's computer, in an encrypted (SQLCipher) database.
 .
 The shared desk folder /var/lib/havre is reached by the members of the group
 havre; removing or purging the package keeps it and the desk in it."""


def icon_path(size: int) -> Path:
    return Path("usr", "share", "icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def control(version: str, architecture: str, depends: list[str], maintainer: str, kib: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {maintainer}\n"
        f"Installed-Size: {kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Description: {SUMMARY}\n"
        f"{DESCRIPTION}\n"
    )


def _size_kib(folder: Path) -> int:
    files = (path for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    return sum(path.stat().st_size for path in files) // 1024 + 1


def stage(
    frozen: Path,
    root: Path,
    *,
    version: str,
    released: date,
    depends: list[str],
    maintainer: str,
    architecture: str,
) -> Path:
    """The package's tree in `root` (emptied first), from the frozen build in `frozen`."""
    if not (frozen / "havre").is_file():
        raise FileNotFoundError(f"no frozen build in {frozen}: run `make build` first")
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(frozen, root / PROGRAM, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "havre").symlink_to(Path("/") / PROGRAM / "havre")

    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(HERE / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    metainfo = (HERE / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", released.isoformat())
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")

    made = icons.make_icons(root / "icons.tmp")
    for size in icons.SIZES:
        target = root / icon_path(size)
        target.parent.mkdir(parents=True)
        shutil.move(made[icons.png_name(size)], target)
    shutil.rmtree(root / "icons.tmp")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(icons.SVG, scalable / f"{APP_ID}.svg")

    debian = root / "DEBIAN"
    debian.mkdir()
    kib = _size_kib(root)
    (debian / "control").write_text(
        control(version, architecture, depends, maintainer, kib), encoding="utf-8"
    )
    shutil.copy(HERE / "postinst", debian / "postinst")
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            # What dpkg installs keeps these modes (the umask of the build does not leak).
            executable = path.is_dir() or path.stat().st_mode & 0o111
            path.chmod(0o755 if executable else 0o644)
    return root


def build(root: Path, out: Path) -> Path:
    """The .deb of the staged tree; zstd at a low level: `make test` builds it every time."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zzstd", "-z1", "--build", str(root), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Havre's Debian package from dist/havre/")
    parser.add_argument("frozen", type=Path, help="the frozen build (dist/havre)")
    parser.add_argument("out", type=Path, help="the .deb to write")
    parser.add_argument("--stage", type=Path, required=True, help="where to stage the tree")
    parser.add_argument("--version", required=True)
    parser.add_argument("--released", type=date.fromisoformat, required=True)
    parser.add_argument("--depends", required=True, help="the system packages, space-separated")
    parser.add_argument("--maintainer", required=True)
    parser.add_argument("--architecture", required=True)
    options = parser.parse_args(arguments)
    try:
        root = stage(
            options.frozen,
            options.stage,
            version=options.version,
            released=options.released,
            depends=options.depends.split(),
            maintainer=options.maintainer,
            architecture=options.architecture,
        )
    except FileNotFoundError as error:
        print(f"deb.py: {error}", file=sys.stderr)
        return 2
    print(build(root, options.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
