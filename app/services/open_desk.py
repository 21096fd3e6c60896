"""An unlocked desk: the open encrypted database, its data key and the signed-in user.

Every service takes one of these as the acting user. Locking closes it: the pool is
emptied, the WAL truncated and the key overwritten, after which any service call refuses
with `DeskLocked`. The data key is held once, in the desk's key holder: the engine's
connections read it there, so the wipe at lock leaves no copy of it with Havre.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app import crypto, keyfile
from app.domain.accounts import UserInfo
from app.domain.desk import DeskInfo
from app.domain.roles import Role
from app.errors import AccessDenied, DeskLocked, DiskFull, NotesKeyMissing, StorageError
from app.i18n import _
from app.services import audit, grants
from db import engine as db_engine
from db import repositories


class _Refused(AccessDenied):
    """A role check refused inside a transaction, which rolls back and then records it."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action


@dataclass(eq=False)
class OpenDesk:
    database: Path
    user: UserInfo
    desk: DeskInfo
    _engine: Engine | None = field(repr=False)
    _key: crypto.KeyHolder = field(repr=False)
    # Only in a slot the notes key was given to (counsellors); see app/keyfile.py.
    _notes_key: bytearray | None = field(default=None, repr=False)
    # The desk's authority key (app/services/grants.py), checked against the user's slot at
    # sign-in; None on a desk made before grants, until an administrator signs in.
    authority: bytes | None = None
    # The signed-in account's own signing key (grants it makes, its audit events).
    _account_key: bytearray | None = field(default=None, repr=False)
    # Its public half, worked out once: every role check compares it with the grant's.
    _account_public: bytes | None = field(default=None, init=False, repr=False)

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @property
    def key_file_path(self) -> Path:
        return keyfile.path_for(self.database)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed at the end, rolled back on error. A role
        check that refuses inside it (`check`) is recorded once the work is rolled back."""
        try:
            with self._session() as session:
                yield session
        except _Refused as refused:
            # The refused work left nothing behind; the refusal itself is kept, apart.
            with self._session() as session:
                audit.record(
                    session,
                    audit.ACCESS_DENIED,
                    self.user.id,
                    target_type=refused.action,
                    outcome=audit.DENIED,
                )
            raise AccessDenied() from None

    @contextmanager
    def guarded(self, role: Role | tuple[Role, ...], action: str) -> Iterator[Session]:
        """The one transaction of a service call, which first checks that the signed-in user
        holds `role` (see `check`): the role cannot be taken away between check and work."""
        with self.transaction() as session:
            self.check(session, role, action)
            yield session

    def check(self, session: Session, role: Role | tuple[Role, ...], action: str) -> None:
        """Inside a transaction: refuse unless the signed-in user holds `role` (or one of the
        roles) now, as its signed grant says: a role taken away since sign-in counts, a role
        row nobody signed does not. The transaction records the refusal after rolling back."""
        wanted = {role.value} if isinstance(role, Role) else {r.value for r in role}
        user = repositories.user_by_id(session, self.user.id)
        if user is None or not user.active or not wanted & self.roles_of(session, self.user.id):
            raise _Refused(action)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if self._engine is None:
            raise DeskLocked()
        signer = (
            {}
            if self._account_key is None
            else {audit.SIGNER: (self.user.id, bytes(self._account_key))}
        )
        try:
            with (
                Session(self._engine, expire_on_commit=False, info=signer) as session,
                session.begin(),
            ):
                yield session
        except OperationalError as exc:
            # The transaction was rolled back: say why in words, not SQLite's.
            failure = db_engine.storage_failure(exc)
            if failure == "full":
                raise DiskFull(self.database.parent) from exc
            if failure == "read-only":
                raise StorageError(self.database.parent, _("the disk is read-only")) from exc
            raise

    @contextmanager
    def driver_connection(self) -> Iterator[Any]:
        """The driver's own connection, outside any transaction (the engine begins one for
        every SQLAlchemy statement): for ATTACH, `sqlcipher_export` and DETACH."""
        if self._engine is None:
            raise DeskLocked()
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            yield raw

    def checkpoint(self) -> None:
        """Truncate the WAL after a purge, so nothing deleted lingers there."""
        if self._engine is None:
            raise DeskLocked()
        db_engine.checkpoint(self._engine)

    def data_key(self) -> bytes:
        if self._engine is None:
            raise DeskLocked()
        return bytes(self._key)

    def own_key(self, purpose: bytes) -> bytes | None:
        """A key only the signed-in person has, derived from their account key, for what is
        theirs alone (their drafts); None for an account that has no account key yet."""
        if self._engine is None:
            raise DeskLocked()
        if self._account_key is None:
            return None
        return crypto.purpose_key(bytes(self._account_key), purpose)

    @property
    def holds_notes_key(self) -> bool:
        return self._notes_key is not None

    def notes_key(self) -> bytes:
        if self._engine is None:
            raise DeskLocked()
        if self._notes_key is None:
            raise NotesKeyMissing()
        return bytes(self._notes_key)

    def roles_of(self, session: Session, user_id: str) -> set[str]:
        """The roles `user_id` holds: its valid grant's once the desk has an authority."""
        if self.authority is None:
            return repositories.roles_of(session, user_id)
        verified = self.grants(session).verified(user_id)
        if verified is None:
            return set()
        if user_id == self.user.id and self._account_public_key() != verified.account_key:
            return set()  # signed in through a slot that does not hold the granted key
        return set(verified.roles)

    def grants(self, session: Session) -> grants.Grants:
        if self.authority is None:
            raise AccessDenied()
        return grants.Grants(session, self.desk.id, self.authority)

    def take_authority(self, public_key: bytes, account_key: bytes) -> None:
        """The desk was just given its authority, and this account its account key."""
        self.authority = public_key
        self.use_account_key(account_key)

    def use_account_key(self, account_key: bytes) -> None:
        """This account's key was just replaced (and granted), without signing in again."""
        if self._account_key is not None:
            crypto.wipe(self._account_key)
        self._account_key = bytearray(account_key)
        self._account_public = None

    def _account_public_key(self) -> bytes | None:
        if self._account_key is None:
            return None
        if self._account_public is None:
            self._account_public = crypto.signing_public(bytes(self._account_key))
        return self._account_public

    @property
    def holds_account_key(self) -> bool:
        return self._account_key is not None

    def account_key(self) -> bytes:
        """The signed-in account's signing key (an account made before grants has none)."""
        if self._engine is None:
            raise DeskLocked()
        if self._account_key is None:
            raise AccessDenied()
        return bytes(self._account_key)

    def close(self) -> None:
        """Checkpoint and close the database, then overwrite the key held in memory."""
        if self._engine is None:
            return
        engine, self._engine = self._engine, None
        try:
            db_engine.close_database(engine)
        finally:
            self._key.wipe()
            for secret in (self._notes_key, self._account_key):
                if secret is not None:
                    crypto.wipe(secret)
