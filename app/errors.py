"""Expected failures, each carrying a clear, translated message for the person at the desk.

The GUI shows `str(error)` in a message box; the command line prints it on one line and
exits with status 1. Anything that is not a `HavreError` is a bug and goes to the crash
dialog.
"""

from __future__ import annotations

from pathlib import Path

from app.i18n import _, ngettext


class HavreError(Exception):
    """An expected failure with a message written for people, in their language."""


class ValidationError(HavreError):
    """A field or argument from outside is not acceptable."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class WrongCredentials(HavreError):
    def __init__(self) -> None:
        # One message for a wrong name and a wrong password: reveal nothing about which.
        super().__init__(_("The user name or the password is not correct."))


class TooManyAttempts(HavreError):
    def __init__(self, seconds: int) -> None:
        super().__init__(
            ngettext(
                "Too many failed attempts. Try again in {seconds} second.",
                "Too many failed attempts. Try again in {seconds} seconds.",
                seconds,
            ).format(seconds=seconds)
        )
        self.seconds = seconds


class AccountDisabled(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _("This account is disabled. Ask an administrator of the desk to enable it.")
        )


class AccessDenied(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _("Your account does not have the role needed for this. Ask an administrator.")
        )


class DeskLocked(HavreError):
    def __init__(self) -> None:
        super().__init__(_("The desk is locked. Sign in again to continue."))


class RecordNotFound(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _("This record no longer exists: it may have been purged. Search for it again.")
        )


class EditConflict(HavreError):
    """The record was changed by someone else since it was opened (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This case was changed by someone else since you opened it. Your changes "
                "were not saved: reload the case to see the other changes, then make yours "
                "again."
            )
        )


class ConsentRequired(ValidationError):
    """A referral without consent to share in force; `state` is where the person stands
    (refused, withdrawn, not_asked: app/domain/cases.SharingState), said as it is."""

    def __init__(self, state: str) -> None:
        messages = {
            "refused": _(
                "The person refused sharing with a partner service. To refer all the same, give "
                "the reason for referring without their consent."
            ),
            "withdrawn": _(
                "The person withdrew their consent to sharing with a partner service. Record "
                "their consent again first, or give the reason for referring without it."
            ),
        }
        not_asked = _(
            "The person has not been asked yet whether they agree to sharing with a partner "
            "service. Ask them and record their answer first, or give the reason for "
            "referring without their consent."
        )
        super().__init__(messages.get(state, not_asked), field="override_reason")
        self.state = state


class KeyFileError(HavreError):
    """The key file beside the database is missing, damaged, altered or foreign."""


class KeyFileMissing(KeyFileError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} is missing. Havre cannot open the desk without it: "
                "put back the key file from your backup, next to the database."
            ).format(path=path)
        )


class KeyFileDamaged(KeyFileError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} is damaged and cannot be read. "
                "Replace it with the copy from your backup."
            ).format(path=path)
        )


class NotesKeyMissing(HavreError):
    """A counsellor whose access to the notes has not been given yet."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Your access to the counselling notes has not been given yet. It is given "
                "by a colleague counsellor, who is asked at their next sign-in."
            )
        )


class NotesUnreadable(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "These notes do not open with your notes key: the notes or the key were "
                "changed outside Havre. Tell the administrator and the data protection officer."
            )
        )


class KeyFileTampered(KeyFileError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} was changed outside Havre, so Havre refuses to use it. "
                "Replace it with the copy from your backup and tell your administrator."
            ).format(path=path)
        )


class KeyFileMismatch(KeyFileError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} belongs to another desk. "
                "Put back the key file that was made with this database."
            ).format(path=path)
        )


class AuthorityChanged(KeyFileError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} names another authority key than the one this account was "
                "made with: someone changed it outside Havre, and the roles on this desk can no "
                "longer be trusted. Do not sign in; tell the administrator and the data "
                "protection officer, and restore the key file from a backup."
            ).format(path=path)
        )


class GrantsDamaged(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The desk's role grants were changed outside Havre and cannot be read, so no "
                "role can be trusted. Tell the administrator and the data protection officer; "
                "restore the desk from a backup."
            )
        )


class AuditLogDamaged(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The audit log holds events changed outside Havre that cannot be read, so "
                "nothing more can be recorded or checked. Tell the administrator and the data "
                "protection officer; restore the desk from a backup."
            )
        )


class DatabaseMissing(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _("There is no desk database at {path}. Choose another file or set up a desk.").format(
                path=path
            )
        )


class DeskNotReachable(HavreError):
    """The operating system refuses this account the desk's folder: on a desk shared by the
    PC's accounts, an account left out of the group."""

    def __init__(self, path: Path, group: str) -> None:
        super().__init__(
            _(
                "This account of the computer may not open {path}. If the desk is shared by the "
                "accounts of this PC, ask IT to add this account to the group {group}, then sign "
                "out and in again."
            ).format(path=path, group=group)
        )


class DatabaseExists(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "A desk database already exists at {path}. "
                "Choose another folder or file name; Havre never overwrites a desk."
            ).format(path=path)
        )


class NotAHavreDatabase(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is not a Havre desk database, or it does not match its key file. "
                "Check that you chose the right file."
            ).format(path=path)
        )


class DatabaseTooNew(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The database {path} was made by a newer version of Havre. "
                "Install that version (or a later one) to open it; nothing was changed."
            ).format(path=path)
        )


class UpgradeCopyNotVerified(HavreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            _(
                "This Havre must upgrade the desk {path}, but the copy it makes first did not "
                "pass its checks ({reason}). The desk was not changed. Free some disk space "
                "or check the disk, then sign in again."
            ).format(path=path, reason=reason)
        )


class DatabaseInUse(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The desk {path} is already open in another Havre window or command, perhaps "
                "in another account of this PC. Close it there first, or sign that account out."
            ).format(path=path)
        )


class EncryptionProfileError(HavreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "The encryption library does not have the expected settings ({detail}). "
                "Havre refuses to open the desk: reinstall Havre."
            ).format(detail=detail)
        )


class DiskFull(HavreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The disk holding the desk ({path}) is full: this was not saved, and nothing "
                "saved before is lost. Free some space on that disk, then save again."
            ).format(path=path)
        )


class StorageError(HavreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            _("Havre cannot write to {path}: {reason}. Choose a folder you can write to.").format(
                path=path, reason=reason
            )
        )


class TargetExists(HavreError):
    """The file to write is already there: the person must say whether to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _("{path} already exists. Choose another name, or confirm that it is replaced.").format(
                path=path
            )
        )
        self.path = path


class FileBusy(HavreError):
    """A file Havre must open, rename or delete stayed held by another program past the
    retries (app/file_ops.py, db/engine.py)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "Havre could not open, rename or delete {path}: another program is using it "
                "(often an antivirus checking it), or you may not change files in its folder. "
                "Wait a moment, then try again; if it keeps happening, ask your IT support."
            ).format(path=path)
        )
        self.path = path


class UnsafeDeskPlace(HavreError):
    """A live desk refused where it could be damaged: SQLite's locks do not hold on a
    network share, sync tools copy its files half-written, removable media get pulled out."""


class OnNetworkShare(UnsafeDeskPlace):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is on a network share, where the desk's files can be damaged. Choose "
                "a folder on this PC's own disk; backups may go on a network share or on "
                "removable media."
            ).format(path=path)
        )


class InSyncedFolder(UnsafeDeskPlace):
    def __init__(self, path: Path, service: str) -> None:
        super().__init__(
            _(
                "{path} is in a folder synced by {service}, which makes conflicting copies of "
                "an open desk and can damage it. Choose a folder on this PC's own disk, "
                "outside {service}; backups may go on removable media."
            ).format(path=path, service=service)
        )


class DeskFileLinked(UnsafeDeskPlace):
    """A file of the desk is a link: another account able to make files in the desk's
    folder could have made it to have Havre write, truncate or expose the file it names."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is a link to another file. Havre does not follow links among a desk's "
                "files: another account may have made it to have Havre overwrite or expose "
                "that file. Nothing was changed. Ask IT to delete the link and to check who "
                "made it, then try again."
            ).format(path=path)
        )
        self.path = path


class WorldWritableFolder(UnsafeDeskPlace):
    """Every account of the PC may write to `folder` (or rename what it holds): any of them
    could delete or replace the desk's files."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            _(
                "Every account of this PC can write to the folder {folder}, so any of them "
                "could delete or replace the desk's files. Choose a folder only your account "
                "can write to (for instance a new folder made with chmod 700), or the shared "
                "folder IT made for the desk's group."
            ).format(folder=folder)
        )


class OnRemovableMedia(UnsafeDeskPlace):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "{path} is on removable media (a USB stick, a memory card or an external "
                "disk), which can be pulled out while the desk is open. Choose a folder on "
                "this PC's own disk; backups may go on removable media."
            ).format(path=path)
        )
