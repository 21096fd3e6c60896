"""An insider with one OS account in the shared desk's group can make files in the desk's
folder. Before the desk is next opened, she makes the names of its side files (write-ahead
log, shared memory, lock, key file, sign-in attempts, the copies a rotation, a restore, a
backup or an upgrade writes) links to a file of the account that runs Havre, hoping Havre
overwrites it, truncates it, or gives it the folder's group permissions (then she reads it).

Simulated with one OS account: the "victim" file stands for a file of the Havre account
outside the desk's folder, which the insider cannot reach herself.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from app import files, instance_lock, keyfile, rotation_swap
from app.errors import DeskFileLinked, HavreError
from app.instance_lock import DeskLock
from app.services import auth, backup, key_rotation, restore
from app.services import database as desk_database
from app.services.desk import create_desk
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, DeskFixture, desk_setup

SECRET = b"the Havre account's own private notes\n"


def _shared(desk: DeskFixture) -> Path:
    """The desk's folder made a group's shared folder (setgid, group read-write: 2770)."""
    folder = desk.database.parent
    folder.chmod(0o2770)
    return folder


def _victim(tmp_path: Path) -> Path:
    private = tmp_path.parent / f"{tmp_path.name}-private"
    private.mkdir(mode=0o700, exist_ok=True)
    victim = private / "secret.txt"
    victim.write_bytes(SECRET)
    victim.chmod(0o600)
    return victim


def _untouched(victim: Path) -> bool:
    return victim.read_bytes() == SECRET and stat.S_IMODE(victim.stat().st_mode) == 0o600


@pytest.mark.parametrize("suffix", ["-wal", "-shm", ".lock", ".attempts", ".rotating.keys"])
def test_a_side_file_made_a_link_refuses_the_sign_in(
    desk: DeskFixture, tmp_path: Path, suffix: str
) -> None:
    _shared(desk)
    victim = _victim(tmp_path)
    planted = desk.database.with_name(desk.database.name + suffix)
    planted.unlink(missing_ok=True)  # the folder lets her delete what is there
    planted.symlink_to(victim)
    with pytest.raises(DeskFileLinked, match="link"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    assert _untouched(victim)
    assert planted.is_symlink()  # refused, not "repaired" behind anyone's back


def test_the_key_file_moved_away_and_linked_back_is_refused(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """She moves the key file into a place of her choosing and links it back: Havre would
    read it through the link and give its target the group's permissions."""
    _shared(desk)
    key_path = keyfile.path_for(desk.database)
    elsewhere = _victim(tmp_path).with_name("desk.keys")
    shutil.move(key_path, elsewhere)
    elsewhere.chmod(0o600)
    key_path.symlink_to(elsewhere)
    with pytest.raises(DeskFileLinked):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o600


def test_the_lock_taken_on_its_own_does_not_follow_a_link(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """The lock is taken before the desk opens (the window takes it first): a link put
    there is refused as well, and its target keeps its mode."""
    _shared(desk)
    victim = _victim(tmp_path)
    instance_lock.path_for(desk.database).unlink(missing_ok=True)
    instance_lock.path_for(desk.database).symlink_to(victim)
    with pytest.raises(DeskFileLinked), DeskLock(desk.database):
        pass
    assert _untouched(victim)


def test_modes_are_set_without_following_a_link_made_after_the_check(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """She wins the race: the link appears after the check, as Havre sets a file's mode."""
    folder = _shared(desk)
    victim = _victim(tmp_path)
    late = folder / "desk.havre-wal"
    late.symlink_to(victim)
    files.fit_mode_to_folder(late)
    assert _untouched(victim)


def test_a_new_desk_is_not_made_through_a_dangling_link(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o2770)
    target = _victim(tmp_path).with_name("made-through-the-link")
    (folder / "desk.havre").symlink_to(target)
    with pytest.raises(DeskFileLinked):
        create_desk(desk_setup(folder / "desk.havre"), kdf=FAST_KDF)
    assert not target.exists()


def test_a_staged_key_file_that_is_a_link_is_not_put_in_place(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """The staged key file of a rotation "interrupted during the swap" is a link to her own
    key file: finishing the swap must not make the desk's key file that link."""
    forged = _victim(tmp_path).with_name("forged.keys")
    shutil.copyfile(keyfile.path_for(desk.database), forged)
    rotation_swap.staged_key_file(desk.database).symlink_to(forged)
    rotation_swap.finish_interrupted(desk.database)
    assert not keyfile.path_for(desk.database).is_symlink()
    assert not os.path.lexists(rotation_swap.staged_key_file(desk.database))


def test_a_staged_database_that_is_a_dangling_link_is_cleared_before_the_rotation(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the administrator rotates the key, she makes the staged database's name a
    link to a file she wants written (not there yet): the rotation clears its staging
    names without following links, and writes its own files."""
    target = _victim(tmp_path).with_name("written-through-the-link")
    real_backup = backup.make_backup

    def backup_then_plant(*args: object, **kwargs: object) -> backup.BackupMade:
        made = real_backup(*args, **kwargs)  # type: ignore[arg-type]
        rotation_swap.staged_database(desk.database).symlink_to(target)
        return made

    monkeypatch.setattr(backup, "make_backup", backup_then_plant)
    key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path / "before.havre")
    assert not target.exists()
    auth.unlock(desk.database, "admin", ADMIN_PASSWORD).close()


def test_the_restore_copy_is_not_written_through_a_link(desk: DeskFixture, tmp_path: Path) -> None:
    opened = desk.unlock()
    try:
        saved = backup.make_backup(opened, tmp_path.parent / f"{tmp_path.name}-b.havre").database
    finally:
        opened.close()
    victim = _victim(tmp_path)
    incoming = desk.database.with_name(f".{desk.database.name}.restoring")
    incoming.symlink_to(victim)
    keyfile.path_for(incoming).symlink_to(victim)
    try:
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    except HavreError:
        pass  # refusing is an answer too; following the link is not
    assert _untouched(victim)


def test_the_backup_key_copy_is_not_written_through_a_link_made_in_time(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """She plants the link between the backup's clean-up of its staging names and its copy
    of the key file (the database copy is the moment she waits for)."""
    victim = _victim(tmp_path)
    target = tmp_path / "saved.havre"
    real_export = backup.db_engine.export_copy

    def export_then_plant(raw: object, partial: Path, key: object) -> None:
        real_export(raw, partial, key)  # type: ignore[arg-type]
        keyfile.path_for(partial).symlink_to(victim)

    monkeypatch.setattr(backup.db_engine, "export_copy", export_then_plant)
    opened = desk.unlock()
    try:
        with pytest.raises(HavreError):
            backup.make_backup(opened, target)
    finally:
        opened.close()
    assert _untouched(victim)
    assert not target.exists()


def test_the_copy_before_an_upgrade_is_not_written_through_links(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """The copy's name is known ahead (revision and time): she plants its staging names."""
    victim = _victim(tmp_path)
    opened = desk.unlock()
    key = bytes(opened.data_key())
    opened.close()
    stamp = desk_database.clock.now().strftime("%Y%m%dT%H%M%SZ")
    copy_name = f"{desk.database.name}.before-upgrade-rev-{stamp}{backup.SUFFIX}"
    partial = desk.database.with_name(f".{copy_name}.partial")
    partial.symlink_to(victim)
    keyfile.path_for(partial).symlink_to(victim)
    try:
        desk_database.keep_copy_before_upgrade(desk.database, bytearray(key), "rev")
    except HavreError:
        pass
    assert _untouched(victim)


def test_the_backup_copy_is_not_written_through_a_link_made_after_the_clean_up(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """She plants a link at the backup's staging name just after the backup deleted what
    was there, before SQLite makes the copy, to a file she wants made (not there yet):
    SQLite would write the copy of the desk through it."""
    wanted = _victim(tmp_path).with_name("written-through-the-link")
    target = tmp_path / "saved.havre"
    partial = target.with_name(f".{target.name}.partial")
    real_discard = backup.file_ops.discard

    def discard_then_plant(*paths: Path) -> None:
        real_discard(*paths)
        if partial in paths and not os.path.lexists(partial):
            partial.symlink_to(wanted)

    monkeypatch.setattr(backup.file_ops, "discard", discard_then_plant)
    opened = desk.unlock()
    try:
        with pytest.raises(HavreError):
            backup.make_backup(opened, target)
    finally:
        opened.close()
    assert not wanted.exists()


@pytest.mark.parametrize("suffix", ["-wal", ".lock"])
def test_a_hard_link_to_her_target_is_refused_too(
    desk: DeskFixture, tmp_path: Path, suffix: str
) -> None:
    """Where the system lets anyone hard-link a file she cannot read (macOS has no
    protection against it), the side file's name can be a second name of the victim's
    file: Havre would truncate it (the WAL) or give it the folder's mode (the lock)."""
    _shared(desk)
    victim = _victim(tmp_path)
    planted = desk.database.with_name(desk.database.name + suffix)
    planted.unlink(missing_ok=True)
    os.link(victim, planted)
    with pytest.raises(DeskFileLinked):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    files.fit_mode_to_folder(planted)  # and had she made it after the check
    assert _untouched(victim)
