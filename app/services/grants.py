"""Roles no insider can forge (docs/security-model.md).

Everyone signed in holds the data key, and with it could write any row: a `user_role` row
proves nothing. What gives a role is a grant: "this account, with this account key, holds
these roles", signed

- by the desk's authority key (made at set-up, its fingerprint on the printed recovery
  sheet, held by the recovery key only), or
- by the account key of an administrator whose own grant, the latest before this one,
  makes them an administrator and is valid in the same way.

An account's roles are those of its latest grant if that grant is valid, else none: an
inserted or altered row gives nothing. Account keys are sealed to the accounts' own slots
of the key file (app/keyfile.py), where only their passwords open them, and every slot
made since the authority exists binds the authority into its wrapping, so replacing the
authority to sign grants of one's own makes the other accounts' slots fail to open.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, crypto
from app.domain.roles import Role
from app.errors import GrantsDamaged
from app.i18n import _
from app.services import audit
from db import repositories
from db.models import RoleGrant, User

# A chain of administrators certifying administrators longer than this is not followed.
MAX_CHAIN = 64


@dataclass(frozen=True)
class Grant:
    id: int
    user_id: str
    account_key: bytes
    roles: frozenset[str]
    granted_by: str | None  # None: the authority key
    granted_at: datetime
    signature: bytes


@dataclass(frozen=True)
class Verified:
    """An account's roles as its latest valid grant gives them."""

    roles: frozenset[str]
    account_key: bytes
    granted_by: str | None
    granted_at: datetime


def signed_bytes(desk_id: str, grant: Grant) -> bytes:
    statement = {
        "format": "havre-role-grant",
        "desk_id": desk_id,
        "id": grant.id,
        "user_id": grant.user_id,
        "account_key": grant.account_key.hex(),
        "roles": sorted(grant.roles),
        "granted_by": grant.granted_by,
        "granted_at": grant.granted_at.astimezone(UTC).isoformat(timespec="seconds"),
    }
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def record(
    session: Session,
    desk_id: str,
    user_id: str,
    account_key: bytes,
    roles: Iterable[str],
    *,
    granted_by: str | None,
    signing_key: bytes,
) -> None:
    """Add a grant, signed with `signing_key` (the granting administrator's account key,
    or the authority key when `granted_by` is None)."""
    codes = ",".join(sorted(set(roles)))
    row = RoleGrant(
        user_id=user_id,
        account_key=account_key,
        roles=codes,
        granted_by=granted_by,
        granted_at=clock.now(),
        signature=b"",
    )
    session.add(row)
    session.flush()
    row.signature = crypto.sign(signing_key, signed_bytes(desk_id, _grant(row)))
    # In the audit log, signed by the granting administrator: a grant deleted later, to
    # bring back an older one, shows at `audit verify` (app/services/audit_log.py).
    audit.record(
        session,
        audit.GRANT_SIGNED,
        granted_by,
        target_type="grant",
        target_id=event_target(desk_id, _grant(row)),
    )


def event_target(desk_id: str, grant: Grant) -> str:
    """How the audit log names a grant: its number and a digest of all it says (account,
    key, roles, signer, time) and of its signature: moved to another account, changed or
    deleted, it no longer matches."""
    digest = hashlib.sha256(signed_bytes(desk_id, grant) + grant.signature).hexdigest()
    return f"{grant.id}:{digest[:32]}"


def changed_since_recorded(
    session: Session, desk_id: str, recorded: Iterable[tuple[int, str]]
) -> list[int]:
    """Of the (event, grant named) the audit log recorded, the events whose grant is gone
    or no longer the one signed."""
    held = {event_target(desk_id, grant) for grant in _all_grants(session)}
    return [event_id for event_id, target in recorded if target not in held]


class Grants:
    """Every grant of the desk, read once, checked against the authority on demand."""

    def __init__(
        self, session: Session, desk_id: str, authority: bytes, *, skip_damaged: bool = False
    ) -> None:
        """`skip_damaged`: leave out rows whose values are not of their types (they are not
        valid anyway) instead of refusing them all, to read what a damaged desk still says."""
        self.desk_id = desk_id
        self.authority = authority
        self._by_user: dict[str, list[Grant]] = defaultdict(list)
        grants = _readable_grants(session) if skip_damaged else _all_grants(session)
        for grant in grants:
            self._by_user[grant.user_id].append(grant)
        self._valid: dict[int, bool] = {}

    def verified(self, user_id: str) -> Verified | None:
        """The roles of `user_id` if its latest grant is valid; None otherwise."""
        grants = self._by_user.get(user_id)
        if not grants or not self._is_valid(grants[-1], 0):
            return None
        latest = grants[-1]
        return Verified(latest.roles, latest.account_key, latest.granted_by, latest.granted_at)

    def last_held_roles(self, user_id: str) -> frozenset[str]:
        """The roles of the latest valid grant that gave any: what a disabled account (its
        latest grant gives none) held before, to enable it again with."""
        for grant in reversed(self._by_user.get(user_id, [])):
            if grant.roles and self._is_valid(grant, 0):
                return grant.roles
        return frozenset()

    def latest_valid(self, user_id: str) -> Grant | None:
        """The latest valid grant of `user_id`, even when a newer row (valid or not) follows
        it: its key is what a grant taking every role away must name, so that deleting that
        newer row brings nothing back; its roles are what a recovery reset gives back."""
        for grant in reversed(self._by_user.get(user_id, [])):
            if self._is_valid(grant, 0):
                return grant
        return None

    def notes_givers(self, session: Session) -> set[bytes]:
        """Who may have given a notes key: the authority, and every key a valid grant gave a
        counsellor of now (a key replaced by a password reset included). A key whose
        counsellor role was taken back gives nothing; a counsellor signs the key again with
        their own key at each sign-in, so a colleague who leaves after that strands nobody.
        A counsellor not yet given the key by a colleague is among them: the role is the
        administrator's signed word that they may hold it (docs/security-model.md)."""
        givers = {self.authority}
        for user in repositories.all_users(session):
            verified = self.verified(user.id) if user.active else None
            if verified is not None and Role.COUNSELLOR.value in verified.roles:
                givers |= self.account_keys(user.id)
        return givers

    def account_keys(self, user_id: str, role: str | None = None) -> set[bytes]:
        """Every key a valid grant ever gave `user_id` (with `role`, if given): what its
        audit events are signed with."""
        return {
            g.account_key
            for g in self._by_user.get(user_id, [])
            if (role is None or role in g.roles) and self._is_valid(g, 0)
        }

    def _is_valid(self, grant: Grant, depth: int) -> bool:
        known = self._valid.get(grant.id)
        if known is not None:
            return known
        valid = depth <= MAX_CHAIN and self._check(grant, depth)
        self._valid[grant.id] = valid
        return valid

    def _check(self, grant: Grant, depth: int) -> bool:
        message = signed_bytes(self.desk_id, grant)
        if grant.granted_by is None:
            return crypto.signature_valid(self.authority, message, grant.signature)
        earlier = [g for g in self._by_user.get(grant.granted_by, []) if g.id < grant.id]
        if not earlier:
            return False
        signer = earlier[-1]  # what the granter was when signing
        return (
            Role.ADMIN.value in signer.roles
            and self._is_valid(signer, depth + 1)
            and crypto.signature_valid(signer.account_key, message, grant.signature)
        )


def granter_name(session: Session, verified: Verified) -> str:
    """Who signed a grant, for people: an administrator's name, or the desk's authority."""
    if verified.granted_by is None:
        return _("the desk's authority key (set-up or recovery key)")
    user = session.get(User, verified.granted_by)
    return verified.granted_by if user is None else user.display_name


def _all_grants(session: Session) -> list[Grant]:
    """Every grant, in order. A row whose values are not of their types (written outside
    Havre) makes the whole list unreadable: refused in words, not with a traceback."""
    try:
        return [_grant(row) for row in session.scalars(select(RoleGrant).order_by(RoleGrant.id))]
    except (ValueError, TypeError, AttributeError) as exc:
        raise GrantsDamaged() from exc


def _readable_grants(session: Session) -> list[Grant]:
    readable = []
    for grant_id in session.scalars(select(RoleGrant.id).order_by(RoleGrant.id)):
        try:
            row = session.scalars(select(RoleGrant).where(RoleGrant.id == grant_id)).one()
            readable.append(_grant(row))
        except (ValueError, TypeError, AttributeError):
            continue
    return readable


def _grant(row: RoleGrant) -> Grant:
    values = (row.account_key, row.signature, row.roles, row.user_id, row.granted_at)
    kinds = (bytes, bytes, str, str, datetime)
    if not all(isinstance(v, k) for v, k in zip(values, kinds, strict=True)):
        raise TypeError("role grant")
    if row.granted_by is not None and not isinstance(row.granted_by, str):
        raise TypeError("role grant")
    return Grant(
        row.id,
        row.user_id,
        row.account_key,
        frozenset(code for code in row.roles.split(",") if code),
        row.granted_by,
        row.granted_at,
        row.signature,
    )
