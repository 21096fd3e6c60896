"""Where a desk may live, on the facts of a Windows, a macOS and a Linux machine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app import desk_places, machine_facts
from app.desk_places import Machine, SyncRoot, System, Volume
from app.errors import InSyncedFolder, OnNetworkShare, OnRemovableMedia
from app.machine_facts import parse_mount_output, parse_proc_mounts

WINDOWS = Machine(
    system=System.WINDOWS,
    environment={
        "OneDrive": r"C:\Users\ana\OneDrive",
        "OneDriveCommercial": r"C:\Users\ana\OneDrive - Commune de Saint-Gilles",
        "ProgramData": r"C:\ProgramData",
    },
    home=r"C:\Users\ana",
    personal=r"C:\Users\ana\AppData\Local\Havre",
    shared=r"C:\ProgramData\Havre",
    volumes=(
        Volume("C:", "fixed", "NTFS"),
        Volume("E:", "removable", ""),
        Volume("D:", "cdrom", ""),
        Volume("H:", "remote", ""),
        Volume("G:", "fixed", "FAT32 Google Drive"),
    ),
    sync_roots=(
        SyncRoot("SharePoint", r"C:\Users\ana\Commune de Saint-Gilles\Prevention - Documents"),
        SyncRoot("Dropbox", r"C:\Users\ana\Dropbox (Asbl)"),
    ),
)

MACOS = Machine(
    system=System.MACOS,
    environment={},
    home="/Users/ana",
    personal="/Users/ana/Library/Application Support/Havre",
    shared="/Users/Shared/Havre",
    volumes=tuple(
        parse_mount_output(
            "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
            "/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)\n"
            "//ana@nas/desk on /Volumes/desk (smbfs, nodev, nosuid, mounted by ana)\n"
            "nas:/export on /Users/ana/nfs (nfs, nodev, nosuid)\n"
            "/dev/disk4s1 on /Volumes/USB KEY (msdos, local, nodev, nosuid, noowners)\n"
            "GoogleDrive@2 on /Volumes/GoogleDrive (macfuse, nodev, nosuid, synchronous)\n"
            "webdav on /Volumes/cloud (webdav, nodev, noexec)\n"
        )
    ),
)

LINUX = Machine(
    system=System.LINUX,
    environment={},
    home="/home/ana",
    personal="/home/ana/.local/share/Havre",
    shared="/var/lib/havre",
    volumes=tuple(
        parse_proc_mounts(
            "/dev/nvme0n1p2 / ext4 rw,relatime 0 0\n"
            "//nas/desk /mnt/desk cifs rw,vers=3.1.1 0 0\n"
            "nas:/export /mnt/nfs nfs4 rw 0 0\n"
            "ana@host:/data /home/ana/remote fuse.sshfs rw 0 0\n"
            "gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw 0 0\n"
            "drive: /home/ana/cloud fuse.rclone rw 0 0\n"
            "/dev/sdb1 /srv/usb\\040key vfat rw 0 0\n"
            "systemd-1 /srv/nas autofs rw 0 0\n"
            "//nas/team /srv/nas cifs rw 0 0\n"
        )
    ),
    removable_devices=frozenset({"/dev/sdb", "/dev/sdb1"}),
    sync_roots=(SyncRoot("Dropbox", "/home/ana/Dropbox"),),
)


@pytest.mark.parametrize(
    ("path", "refusal", "service"),
    [
        (r"\\nas\desk\desk.havre", OnNetworkShare, None),
        (r"//nas/desk/desk.havre", OnNetworkShare, None),
        (r"\\?\UNC\nas\desk\desk.havre", OnNetworkShare, None),
        (r"H:\Havre\desk.havre", OnNetworkShare, None),
        (r"E:\desk.havre", OnRemovableMedia, None),
        (r"D:\desk.havre", OnRemovableMedia, None),
        (r"C:\Users\ana\OneDrive\Havre\desk.havre", InSyncedFolder, "OneDrive"),
        (r"C:\Users\ana\OneDrive - Commune de Saint-Gilles\a\b\desk.havre", InSyncedFolder, None),
        (
            r"C:\Users\ana\Commune de Saint-Gilles\Prevention - Documents\desk.havre",
            InSyncedFolder,
            "SharePoint",
        ),
        (r"C:\Users\ana\Dropbox (Asbl)\desk.havre", InSyncedFolder, "Dropbox"),
        (r"C:\Users\ana\iCloudDrive\desk.havre", InSyncedFolder, "iCloud"),
        (r"C:\Users\ana\My Drive\desk.havre", InSyncedFolder, "Google Drive"),
        (r"G:\My Drive\desk.havre", InSyncedFolder, "Google Drive"),
    ],
)
def test_windows_refuses_each_unsafe_place_with_its_own_message(
    path: str, refusal: type[Exception], service: str | None
) -> None:
    found = desk_places.danger(WINDOWS, path)
    assert isinstance(found, refusal)
    assert "this PC's own disk" in str(found)
    if service is not None:
        assert service in str(found)


@pytest.mark.parametrize(
    ("path", "refusal", "service"),
    [
        ("/Volumes/desk/Havre/desk.havre", OnNetworkShare, None),
        ("/Users/ana/nfs/desk.havre", OnNetworkShare, None),
        ("/Volumes/cloud/desk.havre", OnNetworkShare, None),
        ("/Volumes/USB KEY/desk.havre", OnRemovableMedia, None),
        ("/Volumes/GoogleDrive/My Drive/desk.havre", InSyncedFolder, "Google Drive"),
        (
            "/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/desk.havre",
            InSyncedFolder,
            "iCloud",
        ),
        (
            "/Users/ana/Library/CloudStorage/OneDrive-Personal/desk.havre",
            InSyncedFolder,
            "OneDrive",
        ),
        ("/Users/ana/Library/CloudStorage/Dropbox/x/desk.havre", InSyncedFolder, "Dropbox"),
        (
            "/Users/ana/Library/CloudStorage/GoogleDrive-ana@x.be/desk.havre",
            InSyncedFolder,
            "Google Drive",
        ),
        ("/Users/ana/Library/CloudStorage/Box-Box/desk.havre", InSyncedFolder, "Box"),
    ],
)
def test_macos_refuses_each_unsafe_place(
    path: str, refusal: type[Exception], service: str | None
) -> None:
    found = desk_places.danger(MACOS, path)
    assert isinstance(found, refusal)
    if service is not None:
        assert service in str(found)


@pytest.mark.parametrize(
    ("path", "refusal"),
    [
        ("/mnt/desk/desk.havre", OnNetworkShare),
        ("/mnt/nfs/a/desk.havre", OnNetworkShare),
        ("/home/ana/remote/desk.havre", OnNetworkShare),
        ("/run/user/1000/gvfs/smb-share:server=nas,share=desk/desk.havre", OnNetworkShare),
        ("/home/ana/cloud/desk.havre", OnNetworkShare),
        ("/srv/nas/desk.havre", OnNetworkShare),
        ("/srv/usb key/desk.havre", OnRemovableMedia),
        ("/media/ana/KEY/desk.havre", OnRemovableMedia),
        ("/run/media/ana/KEY/desk.havre", OnRemovableMedia),
        ("/home/ana/Dropbox/desk.havre", InSyncedFolder),
    ],
)
def test_linux_refuses_each_unsafe_place(path: str, refusal: type[Exception]) -> None:
    assert isinstance(desk_places.danger(LINUX, path), refusal)


@pytest.mark.parametrize(
    ("machine", "path"),
    [
        (WINDOWS, r"C:\Users\ana\AppData\Local\Havre\desk.havre"),
        (WINDOWS, r"C:\ProgramData\Havre\desk.havre"),
        (WINDOWS, r"C:\Users\ana\OneDriveStuff\desk.havre"),
        (WINDOWS, r"C:\Users\ana\Dropbox (Asbl) old\desk.havre"),
        (MACOS, "/Users/ana/Library/Application Support/Havre/desk.havre"),
        (MACOS, "/Users/Shared/Havre/desk.havre"),
        (MACOS, "/Users/ana/nfs-notes/desk.havre"),
        (LINUX, "/home/ana/.local/share/Havre/desk.havre"),
        (LINUX, "/var/lib/havre/desk.havre"),
        (LINUX, "/home/ana/Dropboxes/desk.havre"),
        (LINUX, "/mnt/desktop/desk.havre"),
        (LINUX, "/home/ana/mediatheque/desk.havre"),
    ],
)
def test_the_usual_places_and_neighbours_with_similar_names_are_accepted(
    machine: Machine, path: str
) -> None:
    assert desk_places.danger(machine, path) is None


def test_windows_names_match_whatever_their_case() -> None:
    assert isinstance(
        desk_places.danger(WINDOWS, r"c:\USERS\Ana\onedrive\desk.havre"), InSyncedFolder
    )
    assert isinstance(desk_places.danger(WINDOWS, r"h:\desk.havre"), OnNetworkShare)
    onedrive = replace(WINDOWS, environment={"ONEDRIVE": r"C:\Users\ana\OneDrive"})
    assert isinstance(desk_places.danger(onedrive, r"C:\Users\ana\OneDrive\x"), InSyncedFolder)


def test_a_link_into_a_network_mount_is_followed() -> None:
    links = {"/home/ana/desk/desk.havre": "/mnt/desk/desk.havre"}
    machine = replace(LINUX, resolve=lambda path: links.get(path, path))
    assert isinstance(desk_places.danger(machine, "/home/ana/desk/desk.havre"), OnNetworkShare)


def test_a_folder_marked_by_dropbox_is_refused_at_any_depth() -> None:
    machine = replace(LINUX, exists=lambda path: path == "/srv/team/.dropbox")
    assert isinstance(desk_places.danger(machine, "/srv/team/a/b/desk.havre"), InSyncedFolder)
    assert desk_places.danger(machine, "/srv/teams/desk.havre") is None


def test_the_shared_folder_of_each_system() -> None:
    assert desk_places.shared_folder_of(System.WINDOWS, {"ProgramData": r"D:\PD"}) == r"D:\PD\Havre"
    assert desk_places.shared_folder_of(System.WINDOWS, {}) == r"C:\ProgramData\Havre"
    assert desk_places.shared_folder_of(System.MACOS, {}) == "/Users/Shared/Havre"
    assert desk_places.shared_folder_of(System.LINUX, {}) == "/var/lib/havre"
    chosen = {"HAVRE_SHARED_FOLDER": "/srv/havre", "ProgramData": r"D:\PD"}
    assert desk_places.shared_folder_of(System.LINUX, chosen) == "/srv/havre"
    assert desk_places.shared_folder_of(System.WINDOWS, chosen) == "/srv/havre"


@pytest.mark.parametrize(
    ("machine", "group", "action"),
    [
        (WINDOWS, "Havre users", "install Havre for all accounts"),
        (MACOS, "havre", "README"),
        (LINUX, "havre", "package"),
    ],
)
def test_a_missing_shared_folder_says_what_it_must_do(
    machine: Machine, group: str, action: str
) -> None:
    shared = desk_places.shared_folder(machine)
    assert not shared.ready
    assert shared.problem is not None
    assert group in shared.problem and action in shared.problem and "IT" in shared.problem


def test_a_shared_folder_this_account_cannot_write_to_names_the_group() -> None:
    there = replace(WINDOWS, exists=lambda path: path == WINDOWS.shared)
    shared = desk_places.shared_folder(there)
    assert shared.problem is not None and "add it to the group Havre users" in shared.problem
    ready = replace(there, writable=lambda path: path == WINDOWS.shared)
    assert desk_places.shared_folder(ready).ready


def test_the_desk_at_start_is_the_last_then_the_shared_then_the_personal(tmp_path: Path) -> None:
    machine = replace(
        LINUX,
        shared=str(tmp_path / "shared"),
        personal=str(tmp_path / "mine"),
        exists=lambda p: Path(p).exists(),
    )
    last = tmp_path / "last.havre"
    assert desk_places.desk_at_start(machine, last) is None
    for folder in ("shared", "mine"):
        (tmp_path / folder).mkdir()
    (tmp_path / "mine" / "desk.havre").write_bytes(b"x")
    assert desk_places.desk_at_start(machine, last) == tmp_path / "mine" / "desk.havre"
    (tmp_path / "shared" / "desk.havre").write_bytes(b"x")
    assert desk_places.desk_at_start(machine, last) == tmp_path / "shared" / "desk.havre"
    last.write_bytes(b"x")
    assert desk_places.desk_at_start(machine, last) == last


def test_the_removable_disks_of_linux_are_read_from_sys_block(tmp_path: Path) -> None:
    """A disk the kernel says is removable, or one on a USB bus (external disks often say
    they are not), with its partitions; not the internal disk."""
    devices = tmp_path / "devices"
    for path, removable in (("pci/nvme0n1", "0"), ("pci/sdb", "1"), ("pci/usb2/2-1/sdc", "0")):
        disk = devices / path
        (disk / f"{disk.name}p1" if disk.name.startswith("nvme") else disk / f"{disk.name}1").mkdir(
            parents=True
        )
        (disk / "removable").write_text(removable + "\n")
    sys_block = tmp_path / "block"
    sys_block.mkdir()
    for path in ("pci/nvme0n1", "pci/sdb", "pci/usb2/2-1/sdc"):
        (sys_block / Path(path).name).symlink_to(devices / path)
    assert machine_facts.removable_devices(sys_block) == {
        "/dev/sdb",
        "/dev/sdb1",
        "/dev/sdc",
        "/dev/sdc1",
    }


def test_the_folders_dropbox_keeps_are_read_from_its_info_file(tmp_path: Path) -> None:
    info = tmp_path / "info.json"
    info.write_text(
        '{"personal": {"path": "/home/ana/Dropbox"},'
        ' "business": {"path": "/home/ana/Dropbox (Asbl)"}}'
    )
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{")
    roots = list(machine_facts.dropbox_roots([info, damaged, tmp_path / "absent.json"]))
    assert roots == [
        SyncRoot("Dropbox", "/home/ana/Dropbox"),
        SyncRoot("Dropbox", "/home/ana/Dropbox (Asbl)"),
    ]


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("OneDrive-Personal", "OneDrive"),
        ("OneDrive", "OneDrive"),
        ("GoogleDrive-ana@x.be", "Google Drive"),
        ("GoogleDriveFS", "Google Drive"),
        ("iCloudDrive", "iCloud"),
        ("Dropbox", "Dropbox"),
        ("Box-Box", "Box"),
        ("Nextcloud", "Nextcloud"),
    ],
)
def test_a_cloud_clients_own_name_says_the_service(name: str, service: str) -> None:
    """The folder names of macOS's CloudStorage, the provider part of the keys of Windows'
    SyncRootManager."""
    assert desk_places.cloud_service(name) == service
