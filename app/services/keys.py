"""The desk's public key file, the keys of other desks this desk trusts, and the recipient
its monthly counts are encrypted to.

A public key file holds no secret: the desk's code, name, Ed25519 public key and age
recipient. It is handed over in person or on a USB stick, and compared by its fingerprint
before trusting. Trusting a desk's key means accepting what it signed: the network
coordinator's directory packs at a desk, the desks' counts files at the network. Setting
a recipient (the network coordinator's age key) says who can open this desk's counts.

A desk is its key: a second key for a code or NIS code already trusted is refused, unless
its file carries the key-change statements signed by the key trusted so far
(app/domain/key_change.py); the old key then signs nothing any more."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app import clock, crypto
from app.domain import key_change, validation
from app.domain.key_change import KeyChange
from app.domain.roles import EVERY_ROLE, Role
from app.errors import TargetExists, ValidationError
from app.files import atomic_write, read_json_document
from app.i18n import _, format_date
from app.services import audit
from app.services.open_desk import OpenDesk
from db import directory_queries, repositories
from db.models import DeskAgeIdentity, DeskSigningKey, TrustedKey

PUBLIC_KEY_FORMAT = "havre-public-key"
PUBLIC_KEY_SUFFIX = ".havre-key"
# Version 1 (before counts files) had no age recipient, version 2 no NIS code nor key
# changes; both are still read.
PUBLIC_KEY_VERSION = 3
READABLE_KEY_VERSIONS = (1, 2, 3)
# A desk replacing its key every month for years would not reach this.
MAX_KEY_CHANGES = 100
RECIPIENT = "counts.recipient"
RECIPIENT_NAME = "counts.recipient_name"
MAX_KEY_FILE_BYTES = 64 * 1024
KEY_ROLES = (Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class PublicKeyInfo:
    desk_code: str
    desk_name: str
    public_key: bytes
    age_recipient: str | None = None
    nis_code: str | None = None
    # From the desk's first key to this one, each signed by the key it replaced.
    key_changes: tuple[KeyChange, ...] = ()

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.public_key)


@dataclass(frozen=True)
class Trusted:
    """What trusting a key did: `replaced` is the desk's key trusted until now, if any."""

    info: PublicKeyInfo
    replaced: PublicKeyInfo | None = None

    def replacement_note(self) -> str:
        """For people: which key this one took the place of, if any."""
        if self.replaced is None:
            return ""
        return _(
            "It replaces the key {code} signed with until now (fingerprint {old}), which "
            "signs nothing any more."
        ).format(code=self.info.desk_code, old=self.replaced.fingerprint)


@dataclass(frozen=True)
class Recipient:
    """Who this desk's counts files are encrypted to."""

    name: str
    age_recipient: str


def own_public_key(desk: OpenDesk) -> PublicKeyInfo:
    desk.require(EVERY_ROLE, "key.show")
    with desk.transaction() as session:
        rows = repositories.signing_keys(session)
        if not rows:
            raise ValidationError(_("This desk has no signing key."), field="key")
        changes = tuple(
            KeyChange(old.public_key, new.public_key, new.created_at, signature)
            for old, new in itertools.pairwise(rows)
            if (signature := new.change_signature) is not None
        )
        identity = age_identity(session)
        return PublicKeyInfo(
            desk.desk.code,
            desk.desk.name,
            rows[-1].public_key,
            identity.recipient,
            desk.desk.nis_code,
            changes,
        )


def replace_signing_key(session: Session) -> bytes:
    """Give the desk a new signing key, with the statement its old key signs; the old
    private key is wiped. Returns the new public key."""
    old = repositories.signing_key(session)
    if old is None:
        raise ValidationError(_("This desk has no signing key."), field="key")
    new = crypto.new_signing_key()
    now = clock.now()
    statement = key_change.statement_bytes(old.public_key, new.public_raw, now)
    session.add(
        DeskSigningKey(
            desk_id=old.desk_id,
            algorithm=old.algorithm,
            private_key=new.private_raw,
            public_key=new.public_raw,
            created_at=now,
            change_signature=crypto.sign(old.private_key, statement),
        )
    )
    old.private_key = b""
    session.flush()
    return new.public_raw


def age_identity(session: Session) -> DeskAgeIdentity:
    """The desk's age identity; a desk set up before counts files gets one on first need."""
    identity = repositories.age_identity(session)
    if identity is None:
        new = crypto.new_age_identity()
        identity = DeskAgeIdentity(
            identity=new.secret, recipient=new.recipient, created_at=clock.now()
        )
        session.add(identity)
        session.flush()
    return identity


def public_key_file(desk: OpenDesk) -> bytes:
    """The desk's public key file, to give to the desks that must trust it."""
    desk.require(KEY_ROLES, "key.show")
    info = own_public_key(desk)
    document = {
        "format": PUBLIC_KEY_FORMAT,
        "version": PUBLIC_KEY_VERSION,
        "desk_code": info.desk_code,
        "desk_name": info.desk_name,
        "nis_code": info.nis_code,
        "signing_key": info.public_key.hex(),
        "age_recipient": info.age_recipient,
        "key_changes": [_change_json(change) for change in info.key_changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode() + b"\n"


def write_public_key_file(desk: OpenDesk, target: Path, *, replace: bool = False) -> None:
    """Write the desk's public key file to `target`, whole or not at all; an existing file
    is replaced only when the person said so."""
    desk.require(KEY_ROLES, "key.show")
    if target.is_dir():
        raise ValidationError(
            _("{path} is a folder: give a file name.").format(path=target), field="target"
        )
    if target.exists() and not replace:
        raise TargetExists(target)
    atomic_write(target, public_key_file(desk))


def read_public_key_file(path: Path) -> PublicKeyInfo:
    """Parse a public key file; refuse anything else with the reason."""
    refused = ValidationError(
        _("{path} is not a Havre public key file.").format(path=path.name), field="key_file"
    )
    document = read_json_document(path, PUBLIC_KEY_FORMAT, MAX_KEY_FILE_BYTES)
    if document is None:
        raise refused
    if document.get("version") not in READABLE_KEY_VERSIONS:
        raise ValidationError(
            _("{path} was made by another version of Havre.").format(path=path.name),
            field="key_file",
        )
    try:
        public_key = bytes.fromhex(str(document["signing_key"]))
        code = validation.desk_code(str(document["desk_code"]))
        name = validation.clean_text(str(document["desk_name"]), "desk_name", _("Desk"), 120)
        recipient = document.get("age_recipient")
        nis = document.get("nis_code")
        changes = tuple(_change(item) for item in _listed(document.get("key_changes")))
    except (KeyError, ValueError, TypeError):
        raise refused from None
    if len(public_key) != crypto.KEY_BYTES:
        raise refused
    if recipient is not None and not (
        isinstance(recipient, str) and crypto.is_age_recipient(recipient)
    ):
        raise refused
    if nis is not None and not (isinstance(nis, str) and len(nis) == 5 and nis.isdigit()):
        raise refused
    return PublicKeyInfo(code, name, public_key, recipient, nis, changes)


def _change_json(change: KeyChange) -> dict[str, str]:
    return {
        "old_key": change.old_key.hex(),
        "new_key": change.new_key.hex(),
        "made_at": change.made_at.isoformat(timespec="seconds"),
        "signature": change.signature.hex(),
    }


def _listed(value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_KEY_CHANGES:
        raise ValueError("key_changes")
    return value


def _change(item: object) -> KeyChange:
    """One statement of a public key file; ValueError or TypeError if malformed."""
    if not isinstance(item, dict):
        raise ValueError("key change")
    old, new, signature = (
        bytes.fromhex(str(item[name])) for name in ("old_key", "new_key", "signature")
    )
    made_at = datetime.fromisoformat(str(item["made_at"]))
    if len(old) != crypto.KEY_BYTES or len(new) != crypto.KEY_BYTES or len(signature) != 64:
        raise ValueError("key change")
    if made_at.tzinfo is None:
        raise ValueError("key change")
    return KeyChange(old, new, made_at, signature)


def trust(desk: OpenDesk, info: PublicKeyInfo) -> Trusted:
    """Trust the key of `info` (a desk's, or the network coordinator's) from now on, in
    place of the key its desk had if `info` carries the change signed by that key; audited."""
    desk.require(KEY_ROLES, "key.trust")
    own = own_public_key(desk)
    if info.public_key == own.public_key:
        raise ValidationError(_("This is this desk's own key."), field="key_file")
    if info.desk_code == own.desk_code:
        raise ValidationError(
            _(
                "This key (fingerprint {fingerprint}) claims this desk's own code {code}: "
                "it is not trusted."
            ).format(fingerprint=info.fingerprint, code=info.desk_code),
            field="key_file",
        )
    hex_key = info.public_key.hex()
    with desk.transaction() as session:
        row = directory_queries.trusted_key(session, hex_key)
        if row is not None and row.replaced_by is not None:
            raise ValidationError(
                _(
                    "This key of {code} (fingerprint {fingerprint}) was replaced by the desk "
                    "on {day}: it signs nothing any more."
                ).format(
                    code=row.desk_code,
                    fingerprint=info.fingerprint,
                    day=format_date(row.replaced_at or row.added_at),
                ),
                field="key_file",
            )
        if row is not None and (row.desk_code, row.nis_code) != (info.desk_code, info.nis_code):
            # A desk's key is its identity: the same key under another code or NIS code is
            # either a desk that changed them or a file made to look like another desk.
            raise ValidationError(
                _(
                    "This key (fingerprint {fingerprint}) is already trusted as {code} (NIS "
                    "{nis}), but this file names {new_code} (NIS {new_nis}). Nothing was "
                    "changed. Ask the desk which is right, in person."
                ).format(
                    fingerprint=info.fingerprint,
                    code=row.desk_code,
                    nis=row.nis_code or "?",
                    new_code=info.desk_code,
                    new_nis=info.nis_code or "?",
                ),
                field="key_file",
            )
        replaced = None
        if row is None:
            replaced = _replaced_key(session, info)
            session.add(
                TrustedKey(
                    public_key=hex_key,
                    desk_code=info.desk_code,
                    desk_name=info.desk_name,
                    nis_code=info.nis_code,
                    added_at=clock.now(),
                )
            )
        audit.record(session, audit.KEY_TRUSTED, desk.user.id, target_type="key", target_id=hex_key)
        return Trusted(info, None if replaced is None else _info(replaced))


def _replaced_key(session: Session, info: PublicKeyInfo) -> TrustedKey | None:
    """The key trusted so far for the desk of `info`, now marked replaced; None for a desk
    not known yet. A second key for a known code or NIS code without the desk's signed
    key change is refused: one desk must never pass for another."""
    same = [
        row
        for row in directory_queries.trusted_keys(session)
        if row.replaced_by is None
        and (
            row.desk_code == info.desk_code
            or (info.nis_code is not None and row.nis_code == info.nis_code)
        )
    ]
    if not same:
        return None
    [known, *others] = same
    if not others and key_change.leads_to(
        bytes.fromhex(known.public_key), info.public_key, info.key_changes, crypto.signature_valid
    ):
        known.replaced_by = info.public_key.hex()
        known.replaced_at = clock.now()
        return known
    raise ValidationError(
        _(
            "{code} (NIS {nis}) is already trusted with another key: fingerprint {known}. "
            "This file's key, fingerprint {fingerprint}, does not carry a key change signed "
            "by it, so it may be another desk claiming the same code. If the desk did replace "
            "its key, ask for the public key file written after its key rotation; otherwise "
            "compare fingerprints with the desk in person."
        ).format(
            code=known.desk_code,
            nis=known.nis_code or "?",
            known=crypto.fingerprint(bytes.fromhex(known.public_key)),
            fingerprint=info.fingerprint,
        ),
        field="key_file",
    )


def _info(row: TrustedKey) -> PublicKeyInfo:
    return PublicKeyInfo(
        row.desk_code, row.desk_name, bytes.fromhex(row.public_key), nis_code=row.nis_code
    )


def is_trusted(desk: OpenDesk, public_key: bytes) -> PublicKeyInfo | None:
    """The desk of `public_key` if this desk trusts it (and its desk has not replaced it)."""
    desk.require(EVERY_ROLE, "key.list")
    with desk.transaction() as session:
        row = directory_queries.trusted_key(session, public_key.hex())
        if row is None or row.replaced_by is not None:
            return None
        return _info(row)


def trusted_keys(desk: OpenDesk) -> list[PublicKeyInfo]:
    """The desks this desk trusts, by code (keys their desks replaced left out)."""
    desk.require(KEY_ROLES, "key.list")
    with desk.transaction() as session:
        return [
            _info(row) for row in directory_queries.trusted_keys(session) if row.replaced_by is None
        ]


def read_recipient(path: Path) -> Recipient:
    """The recipient in a public key file, or in a file holding one plain age public key
    (`age1...`, as `age-keygen` prints it)."""
    try:
        head = path.read_bytes()[:MAX_KEY_FILE_BYTES]
    except OSError as exc:
        raise ValidationError(
            _("Cannot read {path}: {reason}.").format(path=path.name, reason=exc.strerror),
            field="key_file",
        ) from exc
    text = head.decode("utf-8", "replace")
    if "AGE-SECRET-KEY-" in text.upper():
        # An identity file (as age-keygen writes it) also names its public key: taking it
        # would work, but a secret key has left the coordinator's hands. Say so.
        raise ValidationError(
            _(
                "{path} holds a secret age key: it must never leave the network coordinator. "
                "Ask them for the public key only (the line starting with age1)."
            ).format(path=path.name),
            field="key_file",
        )
    words = [w for w in text.split() if w.startswith("age1")]
    if head.lstrip().startswith(b"{"):
        info = read_public_key_file(path)
        if info.age_recipient is None:
            raise ValidationError(
                _(
                    "{path} has no age recipient: it was made by an older Havre. Ask for a new "
                    "public key file."
                ).format(path=path.name),
                field="key_file",
            )
        return Recipient(f"{info.desk_code} ({info.desk_name})", info.age_recipient)
    if len(words) == 1 and crypto.is_age_recipient(words[0]):
        return Recipient(words[0][:16] + "…", words[0])
    raise ValidationError(
        _(
            "{path} holds no age public key (a line starting with age1) nor a Havre public key "
            "file. Ask the network coordinator for their public key."
        ).format(path=path.name),
        field="key_file",
    )


def set_recipient(desk: OpenDesk, recipient: Recipient) -> None:
    """Encrypt this desk's counts files to `recipient` from now on; audited."""
    desk.require(KEY_ROLES, "key.recipient")
    if not crypto.is_age_recipient(recipient.age_recipient):
        raise ValidationError(_("This is not an age public key."), field="key_file")
    with desk.transaction() as session:
        repositories.put_setting(session, RECIPIENT, recipient.age_recipient)
        repositories.put_setting(session, RECIPIENT_NAME, recipient.name)
        audit.record(
            session,
            audit.RECIPIENT_SET,
            desk.user.id,
            target_type="key",
            target_id=recipient.age_recipient[:36],
        )


def recipient(desk: OpenDesk) -> Recipient | None:
    desk.require(EVERY_ROLE, "key.recipient")
    with desk.transaction() as session:
        key = repositories.setting(session, RECIPIENT)
        name = repositories.setting(session, RECIPIENT_NAME)
    return None if key is None else Recipient(name or key, key)
