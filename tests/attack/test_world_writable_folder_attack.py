"""Any account of the PC, outside the desk's group, looks for a desk in a folder every
account may write to (/tmp, /Users/Shared itself, a folder someone made 0777): there she
could delete the desk's files, replace them with her own, or make their names links. Havre
refuses to create, open or restore a live desk in such a folder, or below a folder where
anyone may rename what it holds (world-writable without the sticky bit).

Simulated with one OS account: what matters is the folder's mode, whoever runs Havre."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app import desk_places
from app.desk_places import Machine, System
from app.errors import WorldWritableFolder
from app.services import auth, backup, restore
from app.services.desk import create_desk
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, DeskFixture, desk_setup

OPEN_TO_ALL = 0o777
TMP_LIKE = 0o1777  # world-writable, but only a name's owner may delete or rename it


def _folder(tmp_path: Path, name: str, mode: int) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    folder.chmod(mode)
    return folder


@pytest.mark.parametrize("mode", [OPEN_TO_ALL, TMP_LIKE, 0o2777, 0o703])
def test_a_desk_is_not_created_in_a_folder_every_account_writes_to(
    tmp_path: Path, mode: int
) -> None:
    folder = _folder(tmp_path, "open", mode)
    with pytest.raises(WorldWritableFolder, match="Every account") as refused:
        create_desk(desk_setup(folder / "desk.havre"), kdf=FAST_KDF)
    assert str(folder) in str(refused.value)
    assert list(folder.iterdir()) == []


def test_a_desk_whose_folder_was_opened_to_all_is_refused_at_sign_in(desk: DeskFixture) -> None:
    desk.database.parent.chmod(OPEN_TO_ALL)
    before = sorted(p.name for p in desk.database.parent.iterdir())
    with pytest.raises(WorldWritableFolder, match="chmod"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    assert sorted(p.name for p in desk.database.parent.iterdir()) == before


def test_a_private_folder_below_one_where_anyone_renames_is_refused(tmp_path: Path) -> None:
    """The desk's own folder is the owner's, but its parent lets anyone move it away and
    put a folder of hers in its place."""
    parent = _folder(tmp_path, "open", OPEN_TO_ALL)
    folder = _folder(parent, "mine", 0o700)
    with pytest.raises(WorldWritableFolder) as refused:
        create_desk(desk_setup(folder / "desk.havre"), kdf=FAST_KDF)
    assert str(parent) in str(refused.value)


def test_a_private_folder_in_a_sticky_folder_like_tmp_is_allowed(tmp_path: Path) -> None:
    """/tmp/x made by the owner (0700): nobody else can rename it away, nor write in it."""
    parent = _folder(tmp_path, "tmp", TMP_LIKE)
    folder = _folder(parent, "x", 0o700)
    created = create_desk(desk_setup(folder / "desk.havre"), kdf=FAST_KDF)
    auth.unlock(created.database, "admin", ADMIN_PASSWORD).close()


def test_a_restore_into_a_folder_open_to_all_is_refused(desk: DeskFixture, tmp_path: Path) -> None:
    opened = desk.unlock()
    try:
        saved = backup.make_backup(opened, tmp_path / "saved.havre").database
    finally:
        opened.close()
    folder = _folder(tmp_path, "open", OPEN_TO_ALL)
    with pytest.raises(WorldWritableFolder):
        restore.restore(
            saved,
            folder / "desk.havre",
            "admin",
            ADMIN_PASSWORD,
            authority_fingerprint="0000",
        )
    assert list(folder.iterdir()) == []


def _machine(system: System, modes: dict[str, int]) -> Machine:
    return Machine(
        system=system,
        environment={},
        home="/home/ana",
        personal="/home/ana/.local/share/Havre",
        shared="/var/lib/havre",
        folder_mode=lambda path: modes.get(path),
    )


DIRECTORY = stat.S_IFDIR


@pytest.mark.parametrize("system", [System.LINUX, System.MACOS])
def test_the_rule_over_a_machines_facts(system: System) -> None:
    """The same rule on macOS: /Users/Shared is 1777, the folder IT makes in it is not."""
    modes = {
        "/": DIRECTORY | 0o755,
        "/Users": DIRECTORY | 0o755,
        "/Users/Shared": DIRECTORY | TMP_LIKE,
        "/Users/Shared/Havre": DIRECTORY | 0o2770,
        "/srv": DIRECTORY | OPEN_TO_ALL,
        "/srv/desk": DIRECTORY | 0o700,
    }
    machine = _machine(system, modes)
    assert desk_places.danger(machine, "/Users/Shared/Havre/desk.havre") is None
    assert desk_places.danger(machine, "/Users/Shared/new-folder/desk.havre") is None
    for refused in ("/Users/Shared/desk.havre", "/srv/desk/desk.havre", "/srv/desk.havre"):
        assert isinstance(desk_places.danger(machine, refused), WorldWritableFolder), refused


def test_windows_folders_keep_their_access_lists() -> None:
    """Windows has no such mode: its folders' rights are their ACLs (the MSI sets them)."""
    machine = Machine(
        system=System.WINDOWS,
        environment={},
        home=r"C:\Users\ana",
        personal=r"C:\Users\ana\AppData\Local\Havre",
        shared=r"C:\ProgramData\Havre",
        folder_mode=lambda _path: DIRECTORY | OPEN_TO_ALL,
    )
    assert desk_places.danger(machine, r"C:\ProgramData\Havre\desk.havre") is None
