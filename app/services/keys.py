"""The desk's public key file, and the keys of other desks this desk trusts (the network
coordinator's, whose signed directory packs it accepts).

A public key file holds no secret: the desk's code, name and Ed25519 public key. It is
handed over in person or on a USB stick, and compared by its fingerprint before trusting."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app import crypto
from app.domain import validation
from app.domain.roles import Role
from app.errors import ValidationError
from app.files import read_json_document
from app.i18n import _
from app.services import audit
from app.services.open_desk import OpenDesk
from db import directory_queries, repositories
from db.models import TrustedKey

PUBLIC_KEY_FORMAT = "havre-public-key"
PUBLIC_KEY_VERSION = 1
MAX_KEY_FILE_BYTES = 64 * 1024
KEY_ROLES = (Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class PublicKeyInfo:
    desk_code: str
    desk_name: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.public_key)


def own_public_key(desk: OpenDesk) -> PublicKeyInfo:
    with desk.transaction() as session:
        key = repositories.signing_key(session)
        if key is None:
            raise ValidationError(_("This desk has no signing key."), field="key")
        return PublicKeyInfo(desk.desk.code, desk.desk.name, key.public_key)


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
    if document.get("version") != PUBLIC_KEY_VERSION:
        raise ValidationError(
            _("{path} was made by another version of Havre.").format(path=path.name),
            field="key_file",
        )
    try:
        public_key = bytes.fromhex(str(document["signing_key"]))
        code = validation.desk_code(str(document["desk_code"]))
        name = validation.clean_text(str(document["desk_name"]), "desk_name", _("Desk"), 120)
    except (KeyError, ValueError):
        raise refused from None
    if len(public_key) != crypto.KEY_BYTES:
        raise refused
    return PublicKeyInfo(code, name, public_key)


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
                    added_at=datetime.now(UTC),
                )
            )
        audit.record(session, audit.KEY_TRUSTED, desk.user.id, target_type="key", target_id=hex_key)


def is_trusted(desk: OpenDesk, public_key: bytes) -> PublicKeyInfo | None:
    with desk.transaction() as session:
        row = directory_queries.trusted_key(session, public_key.hex())
        if row is None:
            return None
        return PublicKeyInfo(row.desk_code, row.desk_name, public_key)
