"""The place of a live desk is checked wherever a desk is created, opened or restored, on
this machine: nothing is written where it is refused. And a desk file takes its folder's
group permissions."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app import desk_places, files, machine_facts
from app.desk_places import Machine, System, Volume
from app.errors import OnNetworkShare
from app.instance_lock import DeskLock
from app.services import auth
from app.services.desk import create_desk
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, desk_setup
from tests.e2e.command_line import havre
from tests.e2e.test_cli import PASSWORD, init_args


@pytest.fixture
def nas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of the test's that this machine's facts say is an SMB share."""
    share = tmp_path.resolve() / "nas"
    share.mkdir()
    machine = Machine(
        system=System.LINUX,
        environment={},
        home=str(tmp_path / "home"),
        personal=str(tmp_path / "home" / "Havre"),
        shared=str(tmp_path / "shared"),
        volumes=(Volume("/", "ext4", "/dev/sda1"), Volume(str(share), "cifs", "//nas/desk")),
        resolve=os.path.realpath,
        exists=os.path.exists,
    )
    monkeypatch.setattr(machine_facts, "this_machine", lambda: machine)
    return share


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def test_init_on_a_network_share_is_refused_and_makes_nothing(nas: Path) -> None:
    result = havre(*init_args(nas / "Havre" / "desk.havre"), stdin=PASSWORD + "\n")
    assert result.returncode == 1
    assert "network share" in result.stderr and "own disk" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(nas) == []


def test_demo_on_a_network_share_is_refused_and_makes_nothing(nas: Path) -> None:
    result = havre("demo", "--db", str(nas / "demo.havre"), "--password-stdin", stdin=PASSWORD)
    assert result.returncode == 1 and "network share" in result.stderr
    result = havre("demo", "--network", str(nas / "net"), "--password-stdin", stdin=PASSWORD)
    assert result.returncode == 1 and "network share" in result.stderr
    assert _files(nas) == []


def test_a_desk_moved_onto_a_share_is_not_opened_nor_written(
    nas: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local" / "desk.havre"
    create_desk(desk_setup(local), kdf=FAST_KDF)
    for path in local.parent.iterdir():
        path.rename(nas / path.name)
    before = {path: path.stat().st_mtime_ns for path in _files(nas)}
    moved = nas / "desk.havre"
    with pytest.raises(OnNetworkShare):
        auth.unlock(moved, "admin", ADMIN_PASSWORD)
    with pytest.raises(OnNetworkShare):
        DeskLock(moved).acquire()
    result = havre(
        "keys",
        "--db",
        str(moved),
        "--user",
        "admin",
        "--password-stdin",
        "show",
        stdin=ADMIN_PASSWORD,
    )
    assert result.returncode == 1 and "network share" in result.stderr
    assert {path: path.stat().st_mtime_ns for path in _files(nas)} == before


def test_restoring_onto_a_share_is_refused(nas: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "desk.havre"
    create_desk(desk_setup(other), kdf=FAST_KDF)
    result = havre(
        "restore",
        "--from",
        str(other),
        "--db",
        str(nas / "desk.havre"),
        "--user",
        "admin",
        "--authority",
        "x",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert result.returncode == 1 and "network share" in result.stderr, result.stderr
    assert _files(nas) == []


@pytest.fixture
def havre_umask() -> Iterator[None]:
    """Havre's own umask (app/cli.py owner_only), as the desk's program runs with it."""
    old = os.umask(0o077)
    yield
    os.umask(old)


def _modes(folder: Path) -> dict[str, int]:
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()}


@pytest.mark.usefixtures("havre_umask")
@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o2770, 0o660), (0o700, 0o600)])
def test_a_desk_file_takes_its_folders_group_permissions(
    tmp_path: Path, folder_mode: int, file_mode: int
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    folder.chmod(folder_mode)
    database = folder / "desk.havre"
    create_desk(desk_setup(database), kdf=FAST_KDF)
    with DeskLock(database):
        desk = auth.unlock(database, "admin", ADMIN_PASSWORD)
        try:
            opened = _modes(folder)
        finally:
            desk.close()
    names = {"desk.havre", "desk.havre.keys", "desk.havre.lock", "desk.havre-wal", "desk.havre-shm"}
    assert names <= set(opened), opened
    assert {name: opened[name] for name in names} == dict.fromkeys(names, file_mode)


@pytest.mark.usefixtures("havre_umask")
def test_a_copy_made_with_the_owners_mode_joins_the_shared_desk_when_opened(
    tmp_path: Path,
) -> None:
    """A restored or re-keyed copy lands with the owner's mode: opening it settles that."""
    folder = tmp_path / "desk"
    folder.mkdir()
    folder.chmod(0o2770)
    database = folder / "desk.havre"
    create_desk(desk_setup(database), kdf=FAST_KDF)
    database.chmod(0o600)
    auth.unlock(database, "admin", ADMIN_PASSWORD).close()
    assert stat.S_IMODE(database.stat().st_mode) == 0o660


def test_the_place_check_runs_on_this_machine_without_facts_given(tmp_path: Path) -> None:
    assert desk_places.danger(machine_facts.this_machine(), tmp_path / "desk.havre") is None


@pytest.mark.usefixtures("havre_umask")
@pytest.mark.parametrize(("macos", "file_mode"), [(False, 0o600), (True, 0o660)])
def test_a_group_folder_without_setgid_is_shared_only_where_it_gives_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, macos: bool, file_mode: int
) -> None:
    """On Linux a file in a 0770 folder gets its maker's own group, which may be everyone's:
    it stays 0600; on macOS it gets the folder's group, as in a setgid folder."""
    monkeypatch.setattr(files, "FOLDERS_GIVE_THEIR_GROUP", macos)
    folder = tmp_path / "desk"
    folder.mkdir()
    folder.chmod(0o770)
    files.atomic_write(folder / "desk.havre.attempts", b"{}")
    assert stat.S_IMODE((folder / "desk.havre.attempts").stat().st_mode) == file_mode


def test_the_shared_folder_of_this_machine_is_ready_once_this_account_can_write_there(
    tmp_path: Path,
) -> None:
    real = machine_facts.this_machine()
    machine = replace(real, shared=str(tmp_path / "shared"))
    assert not desk_places.shared_folder(machine).ready
    (tmp_path / "shared").mkdir()
    assert desk_places.shared_folder(machine).ready
    assert list((tmp_path / "shared").iterdir()) == []


def test_an_account_left_out_of_the_shared_desks_group_is_told_what_to_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder of a desk shared by the PC's accounts is closed to the accounts outside its
    group: the operating system refuses even to say whether the desk is there. The tests run
    as root, whom nothing is refused, so the refusal is the one an outsider's account gets."""
    shared = tmp_path / "shared"
    shared.mkdir()
    database = shared / "desk.havre"
    real_stat = Path.stat

    def refused(path: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if path.is_relative_to(shared) and path != shared:
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", refused)
    result = havre("audit", "--db", str(database), "--user", "admin", "--password-stdin",
                   "verify", stdin=PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert "may not open" in result.stderr and "group havre" in result.stderr
