"""The desk's public key file, the keys of other desks this desk trusts, and the recipient
its monthly counts are encrypted to.

A public key file holds no secret: the desk's code, name, Ed25519 public key and age
recipient. It is handed over in person or on a USB stick, and compared by its fingerprint
before trusting. Trusting a desk's key means accepting what it signed: the network
coordinator's directory packs at a desk, the desks' counts files at the network. Setting
a recipient (the network coordinator's age key) says who can open this desk's counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock, crypto
from app.domain import validation
from app.domain.roles import Role
from app.errors import ValidationError
from app.files import read_json_document
from app.i18n import _
from app.services import audit
from app.services.open_desk import OpenDesk
from db import directory_queries, repositories
from db.models import DeskAgeIdentity, TrustedKey

PUBLIC_KEY_FORMAT = "havre-public-key"
# Version 1 (before counts files) had no age recipient; it is still read.
PUBLIC_KEY_VERSION = 2
READABLE_KEY_VERSIONS = (1, 2)
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

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.public_key)


@dataclass(frozen=True)
class Recipient:
    """Who this desk's counts files are encrypted to."""

    name: str
    age_recipient: str


def own_public_key(desk: OpenDesk) -> PublicKeyInfo:
    with desk.transaction() as session:
        key = repositories.signing_key(session)
        if key is None:
            raise ValidationError(_("This desk has no signing key."), field="key")
        identity = age_identity(session)
        return PublicKeyInfo(desk.desk.code, desk.desk.name, key.public_key, identity.recipient)


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
        "signing_key": info.public_key.hex(),
        "age_recipient": info.age_recipient,
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode() + b"\n"


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
    except (KeyError, ValueError):
        raise refused from None
    if len(public_key) != crypto.KEY_BYTES:
        raise refused
    if recipient is not None and not (
        isinstance(recipient, str) and crypto.is_age_recipient(recipient)
    ):
        raise refused
    return PublicKeyInfo(code, name, public_key, recipient)


def trust(desk: OpenDesk, info: PublicKeyInfo) -> None:
    """Trust the key of `info` (a network coordinator's) from now on; audited."""
    desk.require(KEY_ROLES, "key.trust")
    if info.public_key == own_public_key(desk).public_key:
        raise ValidationError(_("This is this desk's own key."), field="key_file")
    with desk.transaction() as session:
        hex_key = info.public_key.hex()
        if directory_queries.trusted_key(session, hex_key) is None:
            session.add(
                TrustedKey(
                    public_key=hex_key,
                    desk_code=info.desk_code,
                    desk_name=info.desk_name,
                    added_at=clock.now(),
                )
            )
        audit.record(session, audit.KEY_TRUSTED, desk.user.id, target_type="key", target_id=hex_key)


def is_trusted(desk: OpenDesk, public_key: bytes) -> PublicKeyInfo | None:
    with desk.transaction() as session:
        row = directory_queries.trusted_key(session, public_key.hex())
        if row is None:
            return None
        return PublicKeyInfo(row.desk_code, row.desk_name, public_key)


def trusted_keys(desk: OpenDesk) -> list[PublicKeyInfo]:
    """The desks this desk trusts, by code."""
    desk.require(KEY_ROLES, "key.list")
    with desk.transaction() as session:
        return [
            PublicKeyInfo(row.desk_code, row.desk_name, bytes.fromhex(row.public_key))
            for row in directory_queries.trusted_keys(session)
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
    with desk.transaction() as session:
        key = repositories.setting(session, RECIPIENT)
        name = repositories.setting(session, RECIPIENT_NAME)
    return None if key is None else Recipient(name or key, key)
