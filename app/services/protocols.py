"""Intervention protocols: the versions a desk holds, the first set shipped
with Havre (resources/protocols/first_set.json, drafts for the network to review), the
coordinator's edits (each a new version), and the ticks of a contact.

Versions are only ever added: a pack or an edit never replaces one, so a contact's ticks
always point at the text the worker saw."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, paths
from app.domain.codes import ProtocolStatus, RetentionClass
from app.domain.protocols import (
    Protocol,
    ProtocolUseForm,
    edited,
    first_version,
    in_language,
    key_for,
    protocol_from_json,
    protocol_to_json,
    validate_use,
)
from app.domain.roles import EVERY_ROLE
from app.errors import ValidationError
from app.i18n import _, current_language
from app.services import audit, directory
from app.services.open_desk import OpenDesk
from db.models import Contact, ProtocolUse
from db.models import Protocol as ProtocolRow

BUNDLED_FORMAT = "havre-protocols"
BUNDLED = "bundled"
LOCAL = "local"
NETWORK = "network"
# Everyone signed in: a protocol says nothing of anyone.
READ_ROLES = EVERY_ROLE
# The people who keep the directory keep the protocols: both travel in the same packs.
EDIT_ROLES = directory.UPKEEP_ROLES


@cache
def bundled() -> tuple[Protocol, ...]:
    """The first set shipped with Havre; a malformed file is a bug of the release."""
    path = paths.resources_dir() / "protocols" / "first_set.json"
    document = json.loads(path.read_text("utf-8"))
    if document.get("format") != BUNDLED_FORMAT:
        raise ValueError(f"{path} is not a protocol set")
    return tuple(protocol_from_json(raw) for raw in document["protocols"])


def _stored(row: ProtocolRow) -> Protocol:
    raw = json.loads(row.document)
    # A version stored under a status a newer Havre wrote opens as this one reads it; a
    # pack still passes the gate of `protocol_from_json` unchanged.
    if isinstance(raw, dict):
        raw["status"] = ProtocolStatus.read(str(raw.get("status", ""))).value
    return protocol_from_json(raw)


def not_held(session: Session, protocols: tuple[Protocol, ...]) -> list[Protocol]:
    """The versions of `protocols` this desk does not hold. A held version with other
    content is refused: a version, once shipped, never changes."""
    new = []
    for protocol in protocols:
        row = session.get(ProtocolRow, (protocol.key, protocol.version))
        if row is None:
            new.append(protocol)
        elif _stored(row) != protocol:
            raise ValidationError(
                _(
                    "Version {version} of the protocol “{title}” differs from the one this "
                    "desk already has: a version cannot change."
                ).format(version=protocol.version, title=protocol.title_in("en")),
                field="protocol",
            )
    return new


def add_versions(session: Session, protocols: tuple[Protocol, ...], origin: str) -> None:
    """Store the versions not held yet (see `not_held`)."""
    for protocol in not_held(session, protocols):
        session.add(
            ProtocolRow(
                key=protocol.key,
                version=protocol.version,
                status=protocol.status.value,
                origin=origin,
                document=json.dumps(protocol_to_json(protocol), ensure_ascii=False),
                updated_at=clock.now(),
            )
        )
    session.flush()


def install_bundled(session: Session) -> None:
    add_versions(session, bundled(), BUNDLED)


def all_versions(session: Session) -> list[Protocol]:
    rows = session.scalars(select(ProtocolRow).order_by(ProtocolRow.key, ProtocolRow.version))
    return [_stored(row) for row in rows]


def current(desk: OpenDesk) -> list[Protocol]:
    """The latest version of every protocol, by title in the screen's language."""
    with desk.guarded(READ_ROLES, "protocol.list") as session:
        versions = all_versions(session)
        if not versions:  # a desk made before protocols existed gets the first set
            install_bundled(session)
            versions = all_versions(session)
    latest: dict[str, Protocol] = {}
    for protocol in versions:
        latest[protocol.key] = protocol
    return sorted(latest.values(), key=lambda p: p.title_in(current_language()).casefold())


def save_edit(
    desk: OpenDesk,
    previous: Protocol,
    language: str,
    title: str,
    steps: list[str],
    status: ProtocolStatus,
) -> Protocol:
    """The coordinator's edit of the latest version, saved as the next version."""
    with desk.guarded(EDIT_ROLES, "protocol.edit") as session:
        new = edited(previous, language, title, steps, status)
        latest = session.scalar(
            select(ProtocolRow.version)
            .where(ProtocolRow.key == previous.key)
            .order_by(ProtocolRow.version.desc())
            .limit(1)
        )
        if latest != previous.version:
            raise ValidationError(
                _("This protocol was changed meanwhile (a pack or another edit): reopen it."),
                field="protocol",
            )
        _store_edit(session, desk, new)
    return new


def create(desk: OpenDesk, language: str, title: str, steps: list[str]) -> Protocol:
    """A new protocol of the network, written by its coordinator: version 1, a draft.

    Its key is made from its title, so a form saved twice (the first answer lost to a
    lock) cannot name the protocol its first save made: a first version written here with
    the same title and steps, never edited since, is that protocol, answered as it is."""
    with desk.guarded(EDIT_ROLES, "protocol.edit") as session:
        saved = _written_as(session, language, title, steps)
        if saved is not None:
            return saved
        taken = set(session.scalars(select(ProtocolRow.key).distinct()))
        taken |= {protocol.key for protocol in bundled()}
        protocol = first_version(key_for(title, taken), language, title, steps)
        _store_edit(session, desk, protocol)
    return protocol


def _written_as(session: Session, language: str, title: str, steps: list[str]) -> Protocol | None:
    latest: dict[str, ProtocolRow] = {}
    for row in session.scalars(select(ProtocolRow).order_by(ProtocolRow.version)):
        latest[row.key] = row
    for row in latest.values():
        if row.version == 1 and row.origin == LOCAL:
            stored = _stored(row)
            if stored == first_version(stored.key, language, title, steps):
                return stored
    return None


def _store_edit(session: Session, desk: OpenDesk, protocol: Protocol) -> None:
    """A version the coordinator wrote here, audited."""
    add_versions(session, (protocol,), LOCAL)
    audit.record(
        session,
        audit.PROTOCOL_EDITED,
        desk.user.id,
        target_type="protocol",
        target_id=f"{protocol.key}:{protocol.version}",
    )


def record_uses(
    session: Session, user_id: str, contact_id: str, uses: tuple[ProtocolUseForm, ...]
) -> None:
    """Inside the contact's transaction: the protocols followed and the steps ticked."""
    if not uses:
        return
    # The contact first: the rows are not linked by ORM relationships, so the order of the
    # inserts is the order of the flushes (foreign keys are enforced).
    session.flush()
    if len({use.key for use in uses}) != len(uses):
        raise ValidationError(_("A protocol is listed twice."), field="protocols")
    for use in uses:
        row = session.get(ProtocolRow, (use.key, use.version))
        if row is None:
            raise ValidationError(
                _("This version of the protocol is not on this desk."), field="protocols"
            )
        protocol = _stored(row)
        validate_use(use, protocol)
        session.add(
            ProtocolUse(
                id=str(uuid.uuid4()),
                contact_id=contact_id,
                protocol_key=use.key,
                protocol_version=use.version,
                ticked=",".join(step for step in protocol.step_ids() if step in use.ticked),
                recorded_by=user_id,
                retention_class=RetentionClass.CASE.value,
            )
        )
    audit.record(
        session, audit.PROTOCOLS_USED, user_id, target_type="contact", target_id=contact_id
    )


@dataclass(frozen=True)
class ProtocolFollowed:
    """A protocol followed during a contact, as the worker saw it (its version)."""

    title: str
    version: int
    ticked: tuple[str, ...]  # the ticked steps' texts, in the steps' order
    steps: int

    @property
    def summary(self) -> str:
        return _("Protocol {title} ({ticked}/{steps})").format(
            title=self.title, ticked=len(self.ticked), steps=self.steps
        )


def followed_by_contact(
    session: Session, case_id: str, language: str
) -> dict[str, list[ProtocolFollowed]]:
    """The protocols followed during each contact of a case (for its timeline)."""
    found = session.execute(
        select(ProtocolUse, ProtocolRow)
        .join(
            ProtocolRow,
            (ProtocolRow.key == ProtocolUse.protocol_key)
            & (ProtocolRow.version == ProtocolUse.protocol_version),
        )
        .join(Contact, Contact.id == ProtocolUse.contact_id)
        .where(Contact.case_id == case_id)
        .order_by(ProtocolUse.protocol_key)
    ).all()
    followed: dict[str, list[ProtocolFollowed]] = {}
    for use, row in found:
        protocol = _stored(row)
        ticked = set(use.ticked.split(",")) if use.ticked else set()
        followed.setdefault(use.contact_id, []).append(
            ProtocolFollowed(
                title=protocol.title_in(language),
                version=protocol.version,
                ticked=tuple(
                    in_language(step.text, language) for step in protocol.steps if step.id in ticked
                ),
                steps=len(protocol.steps),
            )
        )
    return followed
