"""Directory packs: how the network coordinator keeps the directories of a network of desks
the same without any network. A pack holds every network entry (retired ones too), every
version of the intervention protocols, a version number that only goes up, and the Ed25519
signature of the desk that made it.

Import is read, then previewed, then applied: the pack must be signed by a trusted key and
newer than the directory's current version; entries the desk added itself (origin "local")
are never touched; network entries the pack no longer lists are retired; protocol versions
the desk does not hold are added (older versions are never removed: contacts refer to
them). Anything wrong
refuses the whole pack with its reason and changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app import clock, crypto
from app.domain.directory import DirectoryEntry, Origin, entry_from_json, entry_to_json
from app.domain.protocols import Protocol, protocol_from_json, protocol_to_json
from app.domain.roles import EVERY_ROLE
from app.errors import HavreError, TargetExists, ValidationError
from app.files import atomic_write, read_json_document
from app.i18n import _, current_language
from app.progress import Progress
from app.services import audit, directory, keys, protocols
from app.services.open_desk import OpenDesk
from db import directory_queries, repositories

PACK_FORMAT = "havre-directory-pack"
PACK_SCHEMA = 1
PACK_SUFFIX = ".havre-directory"
MAX_PACK_BYTES = 32 * 1024 * 1024
VERSION_SETTING = "directory.pack_version"


class PackRefused(HavreError):
    """A pack that cannot be imported; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class DirectoryPack:
    version: int
    created_at: datetime
    signer: keys.PublicKeyInfo
    entries: tuple[DirectoryEntry, ...]
    protocols: tuple[Protocol, ...] = ()


@dataclass(frozen=True)
class PackPreview:
    pack: DirectoryPack
    current_version: int
    #: entries added and changed: their name, and when and by whom they were verified
    added: tuple[str, ...]
    changed: tuple[str, ...]
    retired: tuple[str, ...]
    unchanged: int
    #: protocol versions this desk does not hold yet, as "title (version n)"
    protocols_added: tuple[str, ...] = ()


def current_version(desk: OpenDesk) -> int:
    with desk.guarded(EVERY_ROLE, "directory.version") as session:
        return _version(session)


def _version(session: Session) -> int:
    return int(repositories.setting(session, VERSION_SETTING) or 0)


def export_pack(desk: OpenDesk, path: Path, *, replace: bool = False) -> DirectoryPack:
    """Write the network entries as the next pack version, signed with this desk's key; an
    existing file is replaced only when the person said so."""
    with desk.guarded(directory.UPKEEP_ROLES, "directory.pack_export") as session:
        if path.exists() and not replace:
            raise TargetExists(path)
        signing = repositories.signing_key(session)
        if signing is None:
            raise ValidationError(_("This desk has no signing key."), field="key")
        version = int(repositories.setting(session, VERSION_SETTING) or 0) + 1
        rows = directory_queries.entries(session, origin=Origin.NETWORK.value)
        entries = [json.loads(row.document) for row in rows]
        # Checked as a member will check them, before anything is signed or written: an
        # entry no member would take (written into this database by hand) stops the export.
        checked = tuple(_exported(raw) for raw in entries)
        held = protocols.all_versions(session)
        now = clock.now().replace(microsecond=0)
        body = {
            "format": PACK_FORMAT,
            "schema": PACK_SCHEMA,
            "version": version,
            "created_at": now.isoformat(),
            "signer": {
                "desk_code": desk.desk.code,
                "desk_name": desk.desk.name,
                "public_key": signing.public_key.hex(),
            },
            "entries": sorted(entries, key=lambda e: e["key"]),
            "protocols": [protocol_to_json(protocol) for protocol in held],
        }
        signature = crypto.sign(signing.private_key, _canonical(body))
        document = {**body, "signature": base64.b64encode(signature).decode("ascii")}
        atomic_write(path, json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n")
        repositories.put_setting(session, VERSION_SETTING, str(version))
        audit.record(
            session,
            audit.DIRECTORY_PACK_EXPORTED,
            desk.user.id,
            target_type="directory_pack",
            target_id=str(version),
        )
    signer = keys.PublicKeyInfo(desk.desk.code, desk.desk.name, signing.public_key)
    return DirectoryPack(version, now, signer, checked, tuple(held))


def _exported(raw: Any) -> DirectoryEntry:
    try:
        return entry_from_json(raw)
    except ValidationError as error:
        key = raw.get("key") if isinstance(raw, dict) else None
        raise ValidationError(
            _(
                "The entry {key} cannot be sent in a pack: {reason} Correct it in the "
                "directory, then export again."
            ).format(key=key, reason=error),
            field=error.field,
        ) from None


def read_pack(desk: OpenDesk, path: Path, progress: Progress | None = None) -> PackPreview:
    """Check the pack at `path` and show what importing it would change; changes nothing
    (so it can be cancelled at any point)."""
    with desk.guarded(directory.UPKEEP_ROLES, "directory.pack_import") as session:
        progress = progress or Progress()
        progress.phase(_("Checking the directory pack…"), cancellable=True)
        pack = _parse(path, session, progress)
        current = _version(session)
        if pack.version <= current:
            raise PackRefused(
                _(
                    "This pack is version {version} and the directory already has version "
                    "{current}: only a newer pack can be imported."
                ).format(version=pack.version, current=current)
            )
        language = current_language()
        present = {
            row.key: row for row in directory_queries.entries(session, origin=Origin.NETWORK.value)
        }
        local = {row.key for row in directory_queries.entries(session, origin=Origin.LOCAL.value)}
        try:
            new_protocols = protocols.not_held(session, pack.protocols)
        except ValidationError as error:
            raise PackRefused(str(error)) from None
    protocols_added = tuple(
        _("{title} (version {version})").format(title=p.title_in(language), version=p.version)
        for p in new_protocols
    )
    added: list[str] = []
    changed: list[str] = []
    retired: list[str] = []
    unchanged = 0
    listed = {entry.key for entry in pack.entries}
    total = len(pack.entries)
    progress.phase(_("Comparing the pack with the directory…"), cancellable=True, total=total)
    for done, entry in enumerate(pack.entries, start=1):
        progress.step(done, total)
        progress.raise_if_cancelled()
        if entry.key in local:
            raise PackRefused(
                _("The pack has an entry {key} that this desk added itself.").format(key=entry.key)
            )
        row = present.get(entry.key)
        if row is None:
            added.append(_with_verification(entry, language))
        elif json.loads(row.document) != entry_to_json(entry):
            if entry.retired and not row.retired:
                retired.append(entry.name(language))
            else:
                changed.append(_with_verification(entry, language))
        else:
            unchanged += 1
    for key, row in present.items():
        if key not in listed and not row.retired:
            retired.append(entry_from_json(json.loads(row.document)).name(language))
    return PackPreview(
        pack,
        current,
        tuple(added),
        tuple(changed),
        tuple(retired),
        unchanged,
        protocols_added,
    )


def _with_verification(entry: DirectoryEntry, language: str) -> str:
    """ "Name — Verified by Anne Martin (desk SG, …) on 17/11/2026.": whom the importer
    takes the entry's details from."""
    # TRANSLATORS: an entry of a directory pack, then when and by whom it was verified.
    return _("{name} — {verified}").format(
        name=entry.name(language), verified=entry.verified_text()
    )


def apply_pack(desk: OpenDesk, preview: PackPreview, progress: Progress | None = None) -> None:
    """Import the previewed pack: all of it, or nothing. A cancel before the commit rolls
    it all back."""
    with desk.guarded(directory.UPKEEP_ROLES, "directory.pack_import") as session:
        pack = preview.pack
        now = clock.now()
        progress = progress or Progress()
        total = len(pack.entries)
        progress.phase(_("Importing the directory pack…"), cancellable=True, total=total)
        current = _version(session)
        if pack.version <= current:  # another import happened since the preview
            raise PackRefused(
                _(
                    "This pack is version {version} and the directory already has version "
                    "{current}: only a newer pack can be imported."
                ).format(version=pack.version, current=current)
            )
        listed = {entry.key for entry in pack.entries}
        language = desk.desk.language
        for done, entry in enumerate(pack.entries, start=1):
            progress.raise_if_cancelled()
            directory.store(session, entry, language, now)
            progress.step(done, total)
        for row in directory_queries.entries(session, origin=Origin.NETWORK.value):
            if row.key not in listed and not row.retired:
                gone = entry_from_json(json.loads(row.document))
                directory.store(session, replace(gone, retired=True), language, now)
        try:
            protocols.add_versions(session, pack.protocols, protocols.NETWORK)
        except ValidationError as error:
            raise PackRefused(str(error)) from None
        repositories.put_setting(session, VERSION_SETTING, str(pack.version))
        audit.record(
            session,
            audit.DIRECTORY_PACK_IMPORTED,
            desk.user.id,
            target_type="directory_pack",
            target_id=f"{pack.signer.desk_code}:{pack.version}",
        )
        progress.phase(_("Saving the directory…"))


def _parse(path: Path, session: Session, progress: Progress) -> DirectoryPack:
    not_a_pack = PackRefused(
        _("{name} is not a directory pack (or it is damaged or cut short).").format(name=path.name)
    )
    document = read_json_document(path, PACK_FORMAT, MAX_PACK_BYTES)
    if document is None:
        raise not_a_pack
    if document.get("schema") != PACK_SCHEMA:
        raise PackRefused(
            _("This pack was made for another version of Havre (pack schema {schema}).").format(
                schema=document.get("schema")
            )
        )
    signature_text = document.pop("signature", None)
    if not isinstance(signature_text, str) or not signature_text:
        raise PackRefused(_("This pack is not signed: it cannot be trusted."))
    try:
        signature = base64.b64decode(signature_text, validate=True)
        signer = document["signer"]
        public_key = bytes.fromhex(signer["public_key"])
        version = document["version"]
        created_at = datetime.fromisoformat(document["created_at"])
        raw_entries = document["entries"]
        raw_protocols = document.get("protocols", [])
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise not_a_pack from None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise not_a_pack
    if not isinstance(raw_entries, list) or not isinstance(raw_protocols, list):
        raise not_a_pack
    trusted = keys.trusted_in(session, public_key)
    if trusted is None:
        raise PackRefused(
            _(
                "This pack is signed by a key this desk does not trust (fingerprint "
                "{fingerprint}). Trust the network coordinator's key file first."
            ).format(fingerprint=crypto.fingerprint(public_key) if len(public_key) == 32 else "?")
        )
    if not crypto.signature_valid(public_key, _canonical(document), signature):
        raise PackRefused(_("This pack was changed after it was signed: it is refused."))
    entries: list[DirectoryEntry] = []
    progress.phase(_("Checking the entries of the pack…"), cancellable=True, total=len(raw_entries))
    for done, raw in enumerate(raw_entries, start=1):
        progress.step(done, len(raw_entries))
        progress.raise_if_cancelled()
        try:
            entry = entry_from_json(raw)
        except ValidationError as error:
            raise PackRefused(
                _("An entry of this pack is not valid: {reason}").format(reason=error)
            ) from None
        if entry.origin is not Origin.NETWORK:
            raise not_a_pack
        entries.append(entry)
    if len({e.key for e in entries}) != len(entries):
        raise not_a_pack
    packed: list[Protocol] = []
    for raw in raw_protocols:
        try:
            packed.append(protocol_from_json(raw))
        except ValidationError as error:
            raise PackRefused(
                _("A protocol of this pack is not valid: {reason}").format(reason=error)
            ) from None
    if len({(p.key, p.version) for p in packed}) != len(packed):
        raise not_a_pack
    return DirectoryPack(version, created_at, trusted, tuple(entries), tuple(packed))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
