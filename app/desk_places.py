"""Where a desk may live: the personal folder (one OS account), the folder shared by the
accounts of a PC, and the places refused for a live desk (network shares, synced folders,
removable media).

The rules are plain code over the facts of a machine (`Machine`), so that the rules of
Windows, macOS and Linux all run in the tests on any OS; app/machine_facts.py gathers the
facts of the machine Havre runs on. Backups and exports are not checked here: they may go
on a network share or removable media.
"""

from __future__ import annotations

import enum
import ntpath
import posixpath
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from app.errors import (
    InSyncedFolder,
    OnNetworkShare,
    OnRemovableMedia,
    UnsafeDeskPlace,
    WorldWritableFolder,
)
from app.files import check_writable_folder, refuse_linked_desk_files
from app.i18n import _

DESK_FILE_NAME = "desk.havre"


class System(enum.Enum):
    WINDOWS = "windows"
    MACOS = "macos"
    LINUX = "linux"


# The OS group whose members may reach the shared desk (the installers create it).
SHARED_GROUP = {System.WINDOWS: "Havre users", System.MACOS: "havre", System.LINUX: "havre"}

# Windows drive types (GetDriveTypeW), as Volume.kind says them.
REMOTE_DRIVE, REMOVABLE_DRIVE, OPTICAL_DRIVE, FIXED_DRIVE = "remote", "removable", "cdrom", "fixed"

_LINUX_NETWORK = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ncpfs", "ceph", "glusterfs", "lustre"}
    | {"davfs", "sshfs", "9p"}
)
# FUSE file systems say what drives them after "fuse.": these reach over the network.
_LINUX_NETWORK_FUSE = frozenset(
    {"sshfs", "rclone", "gvfsd-fuse", "davfs2", "s3fs", "glusterfs", "cephfs", "smbnetfs"}
    | {"google-drive-ocamlfuse", "gcsfuse"}
)
# FUSE file systems of a cloud client, which keep a cloud service's folder.
_LINUX_CLOUD_FUSE = {"onedriver": "OneDrive", "dbxfs": "Dropbox"}
_MACOS_NETWORK = frozenset({"smbfs", "nfs", "afpfs", "webdav", "cifs", "ftp"})


@dataclass(frozen=True)
class Volume:
    """A mounted file system (POSIX: its mount point, type and device) or a drive letter
    (Windows: "C:", its drive type, and the name of its file system and its label)."""

    point: str
    kind: str
    device: str = ""


@dataclass(frozen=True)
class SyncRoot:
    """A folder a sync client keeps in step with the cloud, as the client records it."""

    service: str
    folder: str


def _no(_path: str) -> bool:
    return False


def _unknown(_path: str) -> int | None:
    return None


def _as_is(path: str) -> str:
    return path


@dataclass(frozen=True)
class Machine:
    """The facts the rules need. `resolve` follows links (the real machine's realpath);
    `exists` and `writable` ask the file system about a path, `folder_mode` for its mode
    (st_mode; None when it is not there)."""

    system: System
    environment: Mapping[str, str]
    home: str
    personal: str
    shared: str
    volumes: tuple[Volume, ...] = ()
    sync_roots: tuple[SyncRoot, ...] = ()
    removable_devices: frozenset[str] = frozenset()
    resolve: Callable[[str], str] = field(default=_as_is)
    exists: Callable[[str], bool] = field(default=_no)
    writable: Callable[[str], bool] = field(default=_no)
    folder_mode: Callable[[str], int | None] = field(default=_unknown)


# IT may keep the shared desk in another folder of the PC's own disk (it is checked as any
# desk's folder is); the tests point it into their own folders.
SHARED_FOLDER_VARIABLE = "HAVRE_SHARED_FOLDER"


def shared_folder_of(system: System, environment: Mapping[str, str]) -> str:
    """The folder shared by the accounts of a PC, which the installer (Windows, .deb) or IT
    (macOS) creates with its group's permissions."""
    chosen = environment.get(SHARED_FOLDER_VARIABLE, "").strip()
    if chosen:
        return chosen
    if system is System.WINDOWS:
        program_data = environment.get("ProgramData") or environment.get("PROGRAMDATA")
        return ntpath.join(program_data or r"C:\ProgramData", "Havre")
    if system is System.MACOS:
        return "/Users/Shared/Havre"
    return "/var/lib/havre"


# Paths --------------------------------------------------------------------------------------


def _windows_path(path: str) -> PureWindowsPath:
    """One spelling for a Windows path: backslashes, no `\\\\?\\` or `\\\\.\\` prefix, no
    `..`, no trailing separator."""
    text = path.replace("/", "\\")
    folded = text.lower()
    if folded.startswith("\\\\?\\unc\\"):
        text = "\\\\" + text[8:]
    elif folded.startswith(("\\\\?\\", "\\\\.\\")):
        text = text[4:]
    return PureWindowsPath(ntpath.normpath(text))


def _posix_path(path: str) -> PurePosixPath:
    normal = posixpath.normpath(path)
    # POSIX keeps a leading "//" as it is; Linux and macOS read it as "/".
    return PurePosixPath("/" + normal.lstrip("/"))


def _path(machine: Machine, path: str) -> PurePath:
    if machine.system is System.WINDOWS:
        return _windows_path(path)
    return _posix_path(path)


def _parts(path: PurePath) -> tuple[str, ...]:
    # Windows compares names whatever their case.
    if isinstance(path, PureWindowsPath):
        return tuple(part.casefold() for part in path.parts)
    return path.parts


def is_inside(path: PurePath, folder: PurePath) -> bool:
    """`path` is `folder` or below it, at any depth (a neighbour with a longer name is not)."""
    inner, outer = _parts(path), _parts(folder)
    return len(outer) > 0 and inner[: len(outer)] == outer


# Rules ---------------------------------------------------------------------------------------


def _sync_roots(machine: Machine) -> Iterable[SyncRoot]:
    """The synced folders known by name: the clients' own records, and where each puts its
    folder."""
    yield from machine.sync_roots
    home = machine.home
    if machine.system is System.WINDOWS:
        for variable in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
            folder = _environment(machine.environment, variable)
            if folder:
                yield SyncRoot("OneDrive", folder)
        yield SyncRoot("iCloud", ntpath.join(home, "iCloudDrive"))
        yield SyncRoot("Google Drive", ntpath.join(home, "My Drive"))
        yield SyncRoot("Google Drive", ntpath.join(home, "Google Drive"))
    elif machine.system is System.MACOS:
        yield SyncRoot("iCloud", posixpath.join(home, "Library", "Mobile Documents"))
    else:
        # The folder abraunegg's OneDrive client syncs unless its config names another
        # (app/machine_facts.py reads those), and the one Insync keeps its accounts in.
        yield SyncRoot("OneDrive", posixpath.join(home, "OneDrive"))
        yield SyncRoot("Insync", posixpath.join(home, "Insync"))


def _environment(environment: Mapping[str, str], name: str) -> str:
    # Windows variables are case-insensitive.
    for key, value in environment.items():
        if key.casefold() == name.casefold():
            return value
    return ""


_CLOUD_SERVICES = (
    ("onedrive", "OneDrive"),
    ("sharepoint", "SharePoint"),
    ("dropbox", "Dropbox"),
    ("google", "Google Drive"),
    ("drivefs", "Google Drive"),
    ("icloud", "iCloud"),
)


def cloud_service(name: str) -> str:
    """The service a cloud client's own name for a folder stands for: macOS's
    ~/Library/CloudStorage holds a folder per provider ("OneDrive-Personal",
    "GoogleDrive-a@b.be", "Dropbox", "Box-Box"), Windows' SyncRootManager a key per provider
    ("OneDrive!S-1-5-…!Personal", "GoogleDriveFS!…")."""
    folded = name.casefold()
    for prefix, service in _CLOUD_SERVICES:
        if folded.startswith(prefix):
            return service
    return re.split(r"[-_ ]", name, maxsplit=1)[0] or name


def _synced_by(machine: Machine, path: PurePath) -> str | None:
    for root in _sync_roots(machine):
        if is_inside(path, _path(machine, root.folder)):
            return root.service
    if machine.system is System.MACOS:
        cloud = _posix_path(posixpath.join(machine.home, "Library", "CloudStorage"))
        inner = path.parts[len(cloud.parts) :]
        # A provider's folder, then the desk's file at some depth in it.
        if is_inside(path, cloud) and len(inner) >= 2:
            return cloud_service(inner[0])
    # Dropbox marks the top of each of its folders with a ".dropbox" file.
    for folder in path.parents:
        if machine.exists(str(folder / ".dropbox")):
            return "Dropbox"
    return None


def _volume_of(machine: Machine, path: PurePath) -> Volume | None:
    """The volume holding `path`: the drive of its letter (Windows), else the deepest mount
    point above it."""
    if isinstance(path, PureWindowsPath):
        drive = path.drive.casefold()
        for volume in machine.volumes:
            if _windows_path(volume.point).drive.casefold() == drive:
                return volume
        return None
    # Of two mounts on the same point (an automount, then the share on it), the later is
    # the one in use: the mount table lists them in the order they were made.
    holding = [
        (len(_posix_path(volume.point).parts), order, volume)
        for order, volume in enumerate(machine.volumes)
        if is_inside(path, _posix_path(volume.point))
    ]
    return max(holding, key=lambda found: found[:2])[2] if holding else None


def _network_kind(machine: Machine, kind: str) -> bool:
    if machine.system is System.MACOS:
        return kind in _MACOS_NETWORK
    return kind in _LINUX_NETWORK or kind.removeprefix("fuse.") in _LINUX_NETWORK_FUSE


def _windows_danger(machine: Machine, path: PureWindowsPath) -> UnsafeDeskPlace | None:
    shown = Path(str(path))
    if path.drive.startswith("\\\\"):
        return OnNetworkShare(shown)
    service = _synced_by(machine, path)
    if service is not None:
        return InSyncedFolder(shown, service)
    volume = _volume_of(machine, path)
    if volume is None:
        return None
    if volume.kind == REMOTE_DRIVE:
        return OnNetworkShare(shown)
    if volume.kind in (REMOVABLE_DRIVE, OPTICAL_DRIVE):
        return OnRemovableMedia(shown)
    # Google Drive for desktop shows My Drive as a drive letter of its own file system.
    if "google" in volume.device.casefold():
        return InSyncedFolder(shown, "Google Drive")
    return None


def _encrypted_source(volume: Volume) -> PurePosixPath | None:
    """The folder an encrypting FUSE file system (gocryptfs, CryFS, securefs...) keeps
    its ciphertext in, as the mount table names it ("/path" or "cryfs@/path"): a clear
    view of a synced folder is synced too."""
    if not volume.kind.startswith("fuse."):
        return None
    source = volume.device.split("@", 1)[1] if "@" in volume.device else volume.device
    return _posix_path(source) if source.startswith("/") else None


def _posix_danger(machine: Machine, path: PurePosixPath) -> UnsafeDeskPlace | None:
    shown = Path(str(path))
    volume = _volume_of(machine, path)
    if volume is not None and machine.system is System.LINUX:
        cloud = _LINUX_CLOUD_FUSE.get(volume.kind.removeprefix("fuse."))
        if cloud is not None:
            return InSyncedFolder(shown, cloud)
    if volume is not None and _network_kind(machine, volume.kind):
        return OnNetworkShare(shown)
    service = _synced_by(machine, path)
    source = None if volume is None else _encrypted_source(volume)
    if service is None and source is not None:
        service = _synced_by(machine, source)
    if service is not None:
        return InSyncedFolder(shown, service)
    if volume is not None and volume.device in machine.removable_devices:
        return OnRemovableMedia(shown)
    if machine.system is System.LINUX:
        for media in ("/media", "/run/media"):
            if is_inside(path, PurePosixPath(media)):
                return OnRemovableMedia(shown)
    elif volume is not None and is_inside(_posix_path(volume.point), PurePosixPath("/Volumes")):
        # Any volume under /Volumes is not the start-up disk (a link to it resolves to "/").
        name = _posix_path(volume.point).name
        if name.casefold().startswith("googledrive"):
            return InSyncedFolder(shown, "Google Drive")
        return OnRemovableMedia(shown)
    return _open_to_all(machine, path)


def _open_to_all(machine: Machine, path: PurePosixPath) -> UnsafeDeskPlace | None:
    """A folder every account may write to holds no live desk: any of them could delete
    the desk's files, replace them, or make their names links. The sticky bit (/tmp,
    /Users/Shared) keeps others from deleting or renaming what is not theirs, not from
    making the names the desk's files would take: the desk's own folder must not be
    writable by all at all, a folder above it not without the sticky bit (or its folder
    could be moved away and another put in its place). A folder not made yet is made with
    Havre's own mode."""
    folder = path.parent
    mode = machine.folder_mode(str(folder))
    if mode is not None and mode & stat.S_IWOTH:
        return WorldWritableFolder(Path(str(folder)))
    for above in folder.parents:
        mode = machine.folder_mode(str(above))
        if mode is not None and mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            return WorldWritableFolder(Path(str(above)))
    return None


def danger(machine: Machine, database: Path | str) -> UnsafeDeskPlace | None:
    """Why a live desk may not be kept at `database`, or None when it may."""
    path = _path(machine, machine.resolve(str(database)))
    if isinstance(path, PureWindowsPath):
        return _windows_danger(machine, path)
    assert isinstance(path, PurePosixPath)
    return _posix_danger(machine, path)


def refuse_unsafe(database: Path, machine: Machine | None = None) -> None:
    """Raise the reason a live desk may not be created, opened or restored at `database`:
    called before anything is written there."""
    if machine is None:
        from app.machine_facts import this_machine

        machine = this_machine()
    reason = danger(machine, database)
    if reason is not None:
        raise reason


def check_desk_folder(database: Path, machine: Machine | None = None) -> None:
    """Refuse `database` for a live desk in an unsafe place, with a file of the desk that is
    a link, then in a folder Havre cannot write to: creating, opening and restoring a desk
    all start here."""
    refuse_unsafe(database, machine)
    refuse_linked_desk_files(database)
    check_writable_folder(database.parent)


# The usual places ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedFolder:
    folder: Path
    problem: str | None  # what IT must do before this OS account can use it; None: ready

    @property
    def ready(self) -> bool:
        return self.problem is None


def shared_folder(machine: Machine) -> SharedFolder:
    """The folder shared by the PC's accounts, and whether this OS account can use it."""
    folder = machine.shared
    group = SHARED_GROUP[machine.system]
    if not machine.exists(folder):
        if machine.system is System.WINDOWS:
            problem = _(
                "The shared folder {folder} does not exist. Ask IT to install Havre for all "
                "accounts of this PC: the installer creates it for the group {group}."
            )
        elif machine.system is System.MACOS:
            problem = _(
                "The shared folder {folder} does not exist. Ask IT to create it with the "
                "commands in the administrators' section of Havre's README, for the group "
                "{group}."
            )
        else:
            problem = _(
                "The shared folder {folder} does not exist. Ask IT to install Havre's "
                "package: it creates the folder for the group {group}."
            )
        return SharedFolder(Path(folder), problem.format(folder=folder, group=group))
    if not machine.writable(folder):
        problem = _(
            "This account cannot write to the shared folder {folder}. Ask IT to add it to "
            "the group {group}; then sign out and in again."
        )
        return SharedFolder(Path(folder), problem.format(folder=folder, group=group))
    return SharedFolder(Path(folder), None)


def desk_at_start(machine: Machine, last: Path | None) -> Path | None:
    """The desk to open when none is named: the last one used, else the shared desk, else
    the personal one; None when there is none yet (the set-up wizard)."""
    shared = Path(machine.shared) / DESK_FILE_NAME
    personal = Path(machine.personal) / DESK_FILE_NAME
    for candidate in (last, shared, personal):
        if candidate is not None and machine.exists(str(candidate)):
            return candidate
    return None
