"""Someone tries to keep a live desk in a synced folder or on a network share anyway, by
spelling the path another way. Each spelling is refused as the plain one is."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from app import desk_places, machine_facts
from app.desk_places import Machine, System, Volume
from app.errors import UnsafeDeskPlace
from app.services.desk import create_desk
from tests.conftest import FAST_KDF, desk_setup

WINDOWS = Machine(
    system=System.WINDOWS,
    environment={"OneDrive": r"C:\Users\ana\OneDrive\\"},
    home=r"C:\Users\ana",
    personal=r"C:\Users\ana\AppData\Local\Havre",
    shared=r"C:\ProgramData\Havre",
    volumes=(Volume("C:", "fixed", "NTFS"), Volume("Z:", "remote")),
)


@pytest.mark.parametrize(
    "spelling",
    [
        r"C:\Users\ana\OneDrive\desk.havre",
        r"C:\Users\ana\OneDrive\\\\Havre\\desk.havre",
        r"C:/Users/ana/OneDrive/Havre/desk.havre",
        r"C:\Users\ana\Documents\..\OneDrive\desk.havre",
        r"C:\Users\ana\OneDrive\Havre\..\.\desk.havre",
        r"\\?\C:\Users\ana\OneDrive\desk.havre",
        r"\\.\C:\Users\ana\OneDrive\desk.havre",
        r"c:\users\ANA\onedrive\desk.havre",
        r"\\?\UNC\nas\share\desk.havre",
        r"\\nas\share\\desk.havre",
        r"//nas/share/desk.havre",
        r"\\NAS.local@SSL\DavWWWRoot\desk.havre",
        r"z:/desk.havre",
        r"\\?\Z:\desk.havre",
    ],
)
def test_windows_spellings_of_an_unsafe_place_are_refused(spelling: str) -> None:
    assert isinstance(desk_places.danger(WINDOWS, spelling), UnsafeDeskPlace)


def test_a_name_that_only_looks_like_it_is_not_a_way_out() -> None:
    """The checks compare whole names: these are other folders, and stay allowed."""
    for allowed in (r"C:\Users\ana\OneDrive.old\desk.havre", r"C:\Users\ana\OneDriveX"):
        assert desk_places.danger(WINDOWS, allowed) is None


def test_a_link_or_dots_on_this_machine_lead_to_the_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the real file system: a link to the share, and a path through it with "..", are
    followed before the check; nothing is made at the end of either."""
    share = tmp_path.resolve() / "share"
    share.mkdir()
    (tmp_path / "innocent").symlink_to(share, target_is_directory=True)
    (tmp_path / "local").mkdir()
    real = machine_facts.this_machine()
    machine = replace(real, volumes=(*real.volumes, Volume(str(share), "nfs4", "nas:/x")))
    monkeypatch.setattr(machine_facts, "this_machine", lambda: machine)
    for database in (
        tmp_path / "innocent" / "desk.havre",
        tmp_path / "local" / ".." / "share" / "desk.havre",
        Path(str(tmp_path / "innocent") + os.sep + os.sep + "desk.havre"),
    ):
        with pytest.raises(UnsafeDeskPlace, match="network share"):
            create_desk(desk_setup(database), kdf=FAST_KDF)
    assert list(share.iterdir()) == []
