"""Someone keeps the live desk in a folder a cloud client syncs on Linux anyway: the OneDrive
client most Linux desks use (abraunegg's `onedrive`, which syncs ~/OneDrive or the folder
its config names), onedriver's FUSE mount, an rclone mount, a Dropbox folder in a home
encrypted with ecryptfs, or the clear view of an encrypted folder whose ciphertext sits in
Dropbox (gocryptfs, CryFS). Each is refused, from the facts the machine gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app import desk_places, machine_facts
from app.desk_places import Machine, SyncRoot, System
from app.errors import InSyncedFolder, OnNetworkShare
from app.machine_facts import parse_proc_mounts

LINUX = Machine(
    system=System.LINUX,
    environment={},
    home="/home/ana",
    personal="/home/ana/.local/share/Havre",
    shared="/var/lib/havre",
    volumes=tuple(
        parse_proc_mounts(
            "/dev/nvme0n1p2 / ext4 rw,relatime 0 0\n"
            "/home/.ecryptfs/ana/.Private /home/ana ecryptfs rw,relatime 0 0\n"
            "onedriver /home/ana/od fuse.onedriver rw,nosuid,nodev 0 0\n"
            "work: /home/ana/work-drive fuse.rclone rw,nosuid,nodev 0 0\n"
            "/home/ana/Dropbox/vault /home/ana/clear fuse.gocryptfs rw,nosuid 0 0\n"
            "cryfs@/home/ana/Dropbox/box /home/ana/box fuse.cryfs rw,nosuid 0 0\n"
        )
    ),
    sync_roots=(SyncRoot("Dropbox", "/home/ana/Dropbox"),),
)


@pytest.mark.parametrize(
    ("path", "refusal"),
    [
        ("/home/ana/OneDrive/Havre/desk.havre", InSyncedFolder),  # the client's default
        ("/home/ana/od/Havre/desk.havre", InSyncedFolder),  # onedriver
        ("/home/ana/work-drive/desk.havre", OnNetworkShare),  # rclone
        ("/home/ana/Dropbox/desk.havre", InSyncedFolder),  # in an ecryptfs home
        ("/home/ana/clear/desk.havre", InSyncedFolder),  # gocryptfs over Dropbox
        ("/home/ana/box/Havre/desk.havre", InSyncedFolder),  # CryFS over Dropbox
    ],
)
def test_linux_sync_places_are_refused(path: str, refusal: type[Exception]) -> None:
    assert isinstance(desk_places.danger(LINUX, path), refusal), path


def test_the_home_itself_and_its_other_folders_stay_allowed() -> None:
    """The encrypted home is the PC's own disk: only what a client syncs is refused."""
    for allowed in ("/home/ana/.local/share/Havre/desk.havre", "/home/ana/OneDrive.old/d.havre"):
        assert desk_places.danger(LINUX, allowed) is None, allowed


@pytest.mark.skipif(sys.platform != "linux", reason="the facts of a Linux machine")
def test_the_folder_the_onedrive_client_is_configured_to_sync_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """abraunegg's client syncs `sync_dir` from its config (one config folder per account:
    ~/.config/onedrive, ~/.config/onedrive-work...), read on this machine."""
    home = tmp_path / "home"
    (home / ".config" / "onedrive").mkdir(parents=True)
    (home / ".config" / "onedrive" / "config").write_text(
        '# sync_dir = "~/Nope"\nsync_dir = "~/Documents/Cloud"\nmonitor_interval = "300"\n'
    )
    (home / ".config" / "onedrive-work").mkdir()
    (home / ".config" / "onedrive-work" / "config").write_text(f"sync_dir='{tmp_path}/Work'\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    machine = machine_facts.this_machine()
    for synced in (home / "Documents" / "Cloud" / "desk.havre", tmp_path / "Work" / "desk.havre"):
        refusal = desk_places.danger(machine, synced)
        assert isinstance(refusal, InSyncedFolder) and "OneDrive" in str(refusal), synced
    assert desk_places.danger(machine, home / "Nope" / "desk.havre") is None
