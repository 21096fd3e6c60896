"""The Debian package's staged tree (packaging/linux/deb.py): where each file goes, its mode,
the desktop entry's keys, AppStream's version, the control file and what postinst does.
`make deb-check` installs the real package and runs it."""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest

from app import APP_ID, __version__
from tests.packaging.scripts import load

deb = load("linux/deb")

RELEASED = date(2027, 1, 6)
DEPENDS = ["libegl1", "libxcb-cursor0"]


def _frozen(folder: Path) -> Path:
    """A stand-in for dist/havre/: an executable and a library beside it."""
    (folder / "_internal").mkdir(parents=True)
    (folder / "havre").write_bytes(b"\x7fELF stand-in")
    (folder / "havre").chmod(0o700)
    (folder / "_internal" / "libpython3.11.so.1.0").write_bytes(b"library")
    (folder / "_internal" / "libpython3.11.so.1.0").chmod(0o600)
    return folder


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deb")
    staged: Path = deb.stage(
        _frozen(folder / "frozen"),
        folder / "root",
        version=__version__,
        released=RELEASED,
        depends=DEPENDS,
        maintainer="Havre contributors <havre@havre.invalid>",
        architecture="amd64",
    )
    return staged


def test_the_package_names_its_files_by_havres_application_id() -> None:
    assert deb.APP_ID == APP_ID == "be.havre.Havre"


def test_the_program_lives_in_opt_and_usr_bin_points_there(root: Path) -> None:
    assert (root / "opt" / "havre" / "havre").is_file()
    assert (root / "opt" / "havre" / "_internal" / "libpython3.11.so.1.0").is_file()
    link = root / "usr" / "bin" / "havre"
    assert link.is_symlink() and os.readlink(link) == "/opt/havre/havre"


def test_modes_are_the_packages_not_the_builds(root: Path) -> None:
    mode = {
        path: stat.S_IMODE(path.stat().st_mode) for path in root.rglob("*") if not path.is_symlink()
    }
    assert mode[root / "opt" / "havre" / "havre"] == 0o755
    assert mode[root / "opt" / "havre" / "_internal" / "libpython3.11.so.1.0"] == 0o644
    assert mode[root / "DEBIAN" / "postinst"] == 0o755
    assert {mode[path] for path in mode if path.is_dir()} == {0o755}


def test_the_icon_at_the_usual_sizes_and_as_a_drawing(root: Path) -> None:
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (deb.icons.SVG).read_bytes()
    assert not (root / "icons.tmp").exists()


def _desktop_entry(root: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(root / "usr" / "share" / "applications" / f"{APP_ID}.desktop", encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_desktop_entry_starts_havre_with_its_icon_in_four_languages(root: Path) -> None:
    entry = _desktop_entry(root)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Havre"
    assert entry["Exec"] == "havre"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    for language in ("fr", "nl", "de"):
        assert entry[f"Comment[{language}]"] not in ("", entry["Comment"])
        assert entry[f"GenericName[{language}]"] not in ("", entry["GenericName"])
    assert "permanence" in entry["GenericName[fr]"].lower()
    assert "permanentie" in entry["GenericName[nl]"].lower()
    assert "Stelle" in entry["GenericName[de]"]


def test_appstream_names_this_version_and_its_desktop_entry(root: Path) -> None:
    path = root / "usr" / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
    component = ElementTree.parse(path).getroot()
    assert component.findtext("id") == APP_ID
    (release,) = component.iter("release")
    assert release.get("version") == __version__
    assert release.get("date") == "2027-01-06"
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("project_license") == "GPL-3.0-or-later"
    assert component.find("content_rating") is not None
    languages = {p.get("{http://www.w3.org/XML/1998/namespace}lang") for p in component.iter("p")}
    assert languages == {None, "fr", "nl", "de"}


def test_the_control_file(root: Path) -> None:
    fields = dict(
        line.split(": ", 1)
        for line in (root / "DEBIAN" / "control").read_text("utf-8").splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "havre"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == "amd64"
    assert fields["Depends"] == "libegl1, libxcb-cursor0"
    assert int(fields["Installed-Size"]) >= 1


def test_postinst_makes_the_shared_desk_folder_and_nothing_removes_it(root: Path) -> None:
    postinst = (root / "DEBIAN" / "postinst").read_text("utf-8")
    assert "groupadd --system havre" in postinst
    assert "install -d -o root -g havre -m 2770 /var/lib/havre" in postinst
    assert "rm " not in postinst
    assert sorted(path.name for path in (root / "DEBIAN").iterdir()) == ["control", "postinst"]


def test_no_frozen_build_is_a_clear_refusal(tmp_path: Path) -> None:
    code = deb.main(
        [
            *(str(tmp_path / "nothing"), str(tmp_path / "havre.deb")),
            *("--stage", str(tmp_path / "root"), "--version", "0.1.0"),
            *("--released", "2027-01-06", "--depends", "libegl1"),
            *("--maintainer", "Havre <havre@havre.invalid>", "--architecture", "amd64"),
        ]
    )
    assert code == 2
    assert not (tmp_path / "root").exists() and not (tmp_path / "havre.deb").exists()


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_the_package_belongs_to_root_whoever_builds_it(root: Path, tmp_path: Path) -> None:
    package = deb.build(root, tmp_path / "havre.deb")
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(package)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert {line.split()[1] for line in listing} == {"root/root"}
    assert any(line.endswith("./usr/bin/havre -> /opt/havre/havre") for line in listing)


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None or shutil.which("appstreamcli") is None,
    reason="desktop-file-utils or appstream is not installed (make test-system-deps)",
)
def test_the_desktop_entry_and_appstream_data_are_valid(root: Path) -> None:
    share = root / "usr" / "share"
    for command in (
        ["desktop-file-validate", str(share / "applications" / f"{APP_ID}.desktop")],
        [
            "appstreamcli",
            "validate",
            "--no-net",
            str(share / "metainfo" / f"{APP_ID}.metainfo.xml"),
        ],
    ):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_window_names_the_desktop_entry_it_belongs_to(tmp_path: Path) -> None:
    """A Wayland desktop shows the window with the entry's icon and name through this id."""
    script = (
        "from ui.application import HavreApplication\n"
        "print(HavreApplication(['havre']).desktopFileName())\n"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == [APP_ID]
