"""The facts of the machine Havre runs on, for the rules of app/desk_places.py: its mounts
or drives, the folders its sync clients keep, its removable disks."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from app import paths
from app.desk_places import (
    FIXED_DRIVE,
    OPTICAL_DRIVE,
    REMOTE_DRIVE,
    REMOVABLE_DRIVE,
    Machine,
    SyncRoot,
    System,
    Volume,
    cloud_service,
    shared_folder_of,
)
from app.files import json_from_outside


def this_machine() -> Machine:
    system = this_system()
    environment = dict(os.environ)
    home = str(Path.home())
    if system is System.WINDOWS:
        volumes = _windows_drives()
        sync_roots = (
            *_onedrive_mount_points(),
            *_cloud_sync_roots(),
            *dropbox_roots(_windows_dropbox_infos()),
        )
        removable: frozenset[str] = frozenset()
    elif system is System.MACOS:
        volumes = parse_mount_output(_run(["/sbin/mount"]))
        sync_roots = tuple(dropbox_roots([Path(home, ".dropbox", "info.json")]))
        removable = frozenset()
    else:
        volumes = parse_proc_mounts(_read("/proc/self/mounts"))
        sync_roots = (
            *dropbox_roots([Path(home, ".dropbox", "info.json")]),
            *onedrive_roots(_onedrive_configs(environment, home), home),
        )
        removable = removable_devices(Path("/sys/block"))
    return Machine(
        system=system,
        environment=environment,
        home=home,
        personal=str(paths.default_data_dir()),
        shared=shared_folder_of(system, environment),
        volumes=tuple(volumes),
        sync_roots=tuple(sync_roots),
        removable_devices=removable,
        resolve=os.path.realpath,
        exists=os.path.exists,
        writable=_writable,
        folder_mode=_folder_mode,
    )


def this_system() -> System:
    if sys.platform == "win32":
        return System.WINDOWS
    if sys.platform == "darwin":
        return System.MACOS
    return System.LINUX


def _writable(folder: str) -> bool:
    """Whether this account can make files in `folder`, found by making one: Windows'
    os.access reads the read-only attribute only, not the folder's access list."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _folder_mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _run(command: list[str]) -> str:
    # Loaded here, on macOS only: every start reads the machine before its first window.
    import subprocess

    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _unescape_mount_field(text: str) -> str:
    # The kernel writes a space in a mount point as \040 (octal), a tab as \011.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def parse_proc_mounts(text: str) -> list[Volume]:
    """Linux's /proc/self/mounts: device, mount point, type, options..."""
    volumes = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            device, point, kind = fields[:3]
            volumes.append(
                Volume(_unescape_mount_field(point), kind, _unescape_mount_field(device))
            )
    return volumes


_MAC_MOUNT = re.compile(r"^(?P<device>.*) on (?P<point>/.*?) \((?P<kind>[^,)]+)")


def parse_mount_output(text: str) -> list[Volume]:
    """macOS's `mount`: "//me@nas/share on /Volumes/share (smbfs, nodev, nosuid, ...)"."""
    volumes = []
    for line in text.splitlines():
        found = _MAC_MOUNT.match(line)
        if found:
            volumes.append(Volume(found["point"], found["kind"].strip(), found["device"]))
    return volumes


def removable_devices(sys_block: Path) -> frozenset[str]:
    """The devices (disks and their partitions) the kernel says are removable, or that hang
    on a USB bus (external disks often say they are not removable)."""
    devices: set[str] = set()
    try:
        disks = list(sys_block.iterdir())
    except OSError:
        return frozenset()
    for disk in disks:
        flag = _read(str(disk / "removable")).strip()
        if flag != "1" and "/usb" not in os.path.realpath(disk):
            continue
        devices.add(f"/dev/{disk.name}")
        try:
            devices.update(
                f"/dev/{part.name}" for part in disk.iterdir() if part.name.startswith(disk.name)
            )
        except OSError:
            continue
    return frozenset(devices)


def dropbox_roots(infos: Iterable[Path]) -> Iterable[SyncRoot]:
    """Dropbox records its folders in info.json: {"personal": {"path": ...}, "business": ...}."""
    for info in infos:
        try:
            document = json_from_outside(info.read_bytes())
        except (OSError, ValueError):
            continue
        if not isinstance(document, dict):
            continue
        for account in document.values():
            if isinstance(account, dict) and isinstance(account.get("path"), str):
                yield SyncRoot("Dropbox", account["path"])


_SYNC_DIR = re.compile(r"""^\s*sync_dir\s*=\s*(["']?)(?P<folder>.*?)\1\s*$""")


def onedrive_roots(configs: Iterable[Path], home: str) -> Iterable[SyncRoot]:
    """The folder abraunegg's OneDrive client for Linux syncs, from each of its configs
    (a line `sync_dir = "~/OneDrive"`; ~/OneDrive when none names it)."""
    for config in configs:
        try:
            lines = config.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            continue
        folder = "~/OneDrive"
        for line in lines:
            found = _SYNC_DIR.match(line)
            if found and found["folder"]:
                folder = found["folder"]
        if folder == "~" or folder.startswith("~/"):
            folder = home + folder[1:]
        if folder.startswith("/"):
            yield SyncRoot("OneDrive", folder)


def _onedrive_configs(environment: dict[str, str], home: str) -> list[Path]:
    """The client's config of each account: ~/.config/onedrive/config, and the folders
    named after it that a second account is given (--confdir ~/.config/onedrive-work)."""
    config_home = Path(environment.get("XDG_CONFIG_HOME") or Path(home, ".config"))
    try:
        return sorted(config_home.glob("onedrive*/config"))
    except OSError:
        return []


def _windows_dropbox_infos() -> list[Path]:
    return [
        Path(os.environ[variable], "Dropbox", "info.json")
        for variable in ("APPDATA", "LOCALAPPDATA")
        if variable in os.environ
    ]


if sys.platform == "win32":
    import ctypes
    import winreg

    _DRIVE_TYPES = {2: REMOVABLE_DRIVE, 3: FIXED_DRIVE, 4: REMOTE_DRIVE, 5: OPTICAL_DRIVE}

    def _windows_drives() -> list[Volume]:
        """Each drive letter with its type (GetDriveTypeW) and, for a local one, the name of
        its file system and its label (Google Drive's virtual drive says "Google Drive" in
        one or the other)."""
        kernel32 = ctypes.windll.kernel32
        mask = kernel32.GetLogicalDrives()
        volumes = []
        for index in range(26):
            if not mask >> index & 1:
                continue
            root = f"{chr(ord('A') + index)}:\\"
            kind = _DRIVE_TYPES.get(kernel32.GetDriveTypeW(root), "other")
            names = ""
            if kind == FIXED_DRIVE:
                label = ctypes.create_unicode_buffer(261)
                system_name = ctypes.create_unicode_buffer(261)
                if kernel32.GetVolumeInformationW(
                    root, label, 261, None, None, None, system_name, 261
                ):
                    names = f"{system_name.value} {label.value}"
            volumes.append(Volume(root[:2], kind, names))
        return volumes

    def _onedrive_mount_points() -> list[SyncRoot]:
        """The folders the OneDrive sync engine keeps: OneDrive (personal or work) and the
        SharePoint libraries synced or added as shortcuts."""
        roots = []
        base = r"Software\SyncEngines\Providers\OneDrive"
        for provider in _subkeys(winreg.HKEY_CURRENT_USER, base):
            mount_point = _registry_text(provider, "MountPoint")
            if mount_point:
                library = _registry_text(provider, "LibraryType")
                service = "SharePoint" if library == "teamsite" else "OneDrive"
                roots.append(SyncRoot(service, mount_point))
        return roots

    def _cloud_sync_roots() -> list[SyncRoot]:
        """The folders every cloud client registered with Windows' cloud files API keeps
        (OneDrive, Dropbox, Google Drive, iCloud, Box...), for each account of the PC: keys
        named "<provider>!<account SID>!<name>", each with the folders in UserSyncRoots."""
        roots = []
        base = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\SyncRootManager"
        for name, provider in _named_subkeys(winreg.HKEY_LOCAL_MACHINE, base):
            service = cloud_service(name.split("!", 1)[0])
            try:
                with winreg.OpenKey(provider, "UserSyncRoots") as users:
                    index = 0
                    while True:
                        try:
                            _sid, folder, _kind = winreg.EnumValue(users, index)
                        except OSError:
                            break
                        index += 1
                        if isinstance(folder, str) and folder:
                            roots.append(SyncRoot(service, folder))
            except OSError:
                continue
        return roots

    def _subkeys(root: int, path: str) -> Iterator[winreg.HKEYType]:
        for _name, key in _named_subkeys(root, path):
            yield key

    def _named_subkeys(root: int, path: str) -> Iterator[tuple[str, winreg.HKEYType]]:
        """Each subkey of `path` with its name, open while the caller looks at it; none when
        `path` is not there."""
        try:
            parent = winreg.OpenKey(root, path)
        except OSError:
            return
        with parent:
            index = 0
            while True:
                try:
                    name = winreg.EnumKey(parent, index)
                except OSError:
                    return
                index += 1
                try:
                    key = winreg.OpenKey(parent, name)
                except OSError:
                    continue
                with key:
                    yield name, key

    def _registry_text(key: winreg.HKEYType, name: str) -> str:
        try:
            value = winreg.QueryValueEx(key, name)[0]
        except OSError:
            return ""
        return value if isinstance(value, str) else ""

else:

    def _windows_drives() -> list[Volume]:
        return []

    def _onedrive_mount_points() -> list[SyncRoot]:
        return []

    def _cloud_sync_roots() -> list[SyncRoot]:
        return []
