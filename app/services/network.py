"""The network coordinator's side (docs/counting-rules.md): import the desks' counts files, keep one
current file per desk and month, and read the merged numbers back.

Each file is decrypted with this desk's age identity, its signature checked against the
trusted desks, its content validated, and merged in one transaction of its own: a refused
file changes nothing, and a file's numbers are never added to another's. Replaying a file
changes nothing; a newer revision of the same desk and month replaces the older.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app import clock, crypto
from app.domain import counts_document
from app.domain.counts_document import CountsDocument, Malformed, Manifest, OtherSchema
from app.domain.indicators import SCHEMA_VERSION
from app.domain.monthly_counts import MonthlyCounts, empty_values
from app.domain.periods import Month
from app.i18n import _, format_date
from app.services import audit, counts, keys
from app.services.open_desk import OpenDesk
from db import directory_queries, network_queries, repositories
from db.models import NetworkCount, ReceivedCounts

# A month of one desk is a few kilobytes; far bigger is not a counts file.
MAX_FILE_BYTES = 1024 * 1024
# A desk numbers the exports of a month 1, 2, 3…: a file more than this far beyond the
# last one imported is refused (files can be lost, not fifty of them).
MAX_REVISION_GAP = 50
AGE_HEADER = b"age-encryption.org/v1\n"


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class ImportResult:
    path: Path
    outcome: Outcome
    message: str  # for people: what happened, or why it was refused
    desk_code: str = ""
    period: str = ""


class Refused(Exception):
    """A file that must not be merged; the message says why, for people."""


@dataclass(frozen=True)
class ReceivedMonth:
    desk_code: str
    desk_name: str
    nis_code: str
    period: Month
    revision: int
    exported_at: datetime


def import_files(
    desk: OpenDesk, paths: Iterable[Path], today: date | None = None
) -> list[ImportResult]:
    """Import every file in turn; one result per file, in the order given."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.import") as session:
        signers = _signers(session, desk)
        today = today or clock.today()
        # A refused file writes nothing before it is refused (see `_merge`): the others go
        # in all the same, in the one transaction of the call.
        return [_import_one(session, desk, path, signers, today) for path in paths]


@dataclass(frozen=True)
class _Signer:
    """A key files may be signed with, and the desk it belongs to."""

    desk_code: str
    desk_key: bytes  # the key its desk signs with now: the same for every key of one desk
    replaced_at: datetime | None  # when its desk replaced it by a newer key


@dataclass(frozen=True)
class _Signers:
    """What every file of one import is checked against, read once: this desk's age
    identity, and the keys it accepts signatures from (its own included)."""

    age_secret: str
    by_key: dict[bytes, _Signer]

    def key_of(self, desk_code: str) -> bytes | None:
        """The key a desk with this code signs with now, if one is trusted."""
        return next(
            (
                key
                for key, s in self.by_key.items()
                if s.desk_code == desk_code and s.desk_key == key
            ),
            None,
        )


def _signers(session: Session, desk: OpenDesk) -> _Signers:
    rows = {bytes.fromhex(row.public_key): row for row in directory_queries.trusted_keys(session)}

    def newest(key: bytes) -> bytes:
        for _step in range(len(rows)):  # a loop of replacements cannot go on for ever
            following = rows[key].replaced_by
            if following is None or bytes.fromhex(following) not in rows:
                break
            key = bytes.fromhex(following)
        return key

    by_key = {
        key: _Signer(row.desk_code, newest(key), row.replaced_at) for key, row in rows.items()
    }
    own = repositories.signing_keys(session)
    for older, newer in zip(own, [*own[1:], None], strict=True):
        replaced_at = None if newer is None else newer.created_at
        by_key[older.public_key] = _Signer(desk.desk.code, own[-1].public_key, replaced_at)
    return _Signers(keys.age_identity(session).identity, by_key)


def _named(desk_code: str, key: bytes) -> str:
    """A desk as people can tell it apart from another that claims the same code."""
    return _("{code} (key {fingerprint})").format(
        code=desk_code, fingerprint=crypto.fingerprint(key)
    )


def _import_one(
    session: Session, desk: OpenDesk, path: Path, signers: _Signers, today: date
) -> ImportResult:
    try:
        document, signer = _read(path, signers, today)
        outcome, message = _merge(session, document, signer, signers)
        audit.record(
            session,
            audit.COUNTS_IMPORTED,
            desk.user.id,
            target_type="counts_export",
            target_id=document.manifest.export_id,
            outcome=outcome.value,
        )
        manifest = document.manifest
        return ImportResult(path, outcome, message, manifest.desk_code, str(manifest.period))
    except Refused as refusal:
        audit.record(
            session,
            audit.COUNTS_REFUSED,
            desk.user.id,
            target_type="file",
            outcome=audit.DENIED,
        )
        return ImportResult(path, Outcome.REFUSED, str(refusal))


def _read(path: Path, signers: _Signers, today: date) -> tuple[CountsDocument, _Signer]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Refused(_("Too big to be a counts file."))
        content = path.read_bytes()
    except OSError as exc:
        raise Refused(_("Cannot read the file: {reason}.").format(reason=exc.strerror)) from None
    if not content.startswith(AGE_HEADER):
        raise Refused(_("Not a counts file (not encrypted in the age format)."))
    try:
        plaintext = crypto.age_decrypt(signers.age_secret, content)
    except crypto.AgeNotForUs:
        raise Refused(
            _("Not for this recipient: it was encrypted to another network coordinator's key.")
        ) from None
    except crypto.AgeError:
        raise Refused(_("Damaged: the encrypted content cannot be read.")) from None
    try:
        document = counts_document.parse(plaintext)
    except OtherSchema as other:
        raise Refused(
            _("Made with counts schema version {version}; this Havre reads version {ours}.").format(
                version=str(other.version)[:12], ours=SCHEMA_VERSION
            )
        ) from None
    except Malformed as fault:
        raise Refused(_("Malformed ({part}).").format(part=str(fault)[:80])) from None
    manifest = document.manifest
    signer = signers.by_key.get(manifest.signing_key)
    if signer is None:
        known = signers.key_of(manifest.desk_code)
        if known is not None:
            raise Refused(
                _(
                    "Signed with a key this network does not know for {code}: fingerprint "
                    "{fingerprint}, while {code} is known by fingerprint {known}. If {code} "
                    "replaced its key, trust its new public key file first (it carries the "
                    "change signed by the old key); otherwise another desk claims its code."
                ).format(
                    code=manifest.desk_code,
                    fingerprint=crypto.fingerprint(manifest.signing_key),
                    known=crypto.fingerprint(known),
                )
            )
        raise Refused(
            _("Unknown desk {code}: its key (fingerprint {fingerprint}) is not trusted.").format(
                code=manifest.desk_code, fingerprint=crypto.fingerprint(manifest.signing_key)
            )
        )
    if not crypto.signature_valid(manifest.signing_key, document.signed_bytes, document.signature):
        raise Refused(_("Bad signature: the file was changed after the desk signed it."))
    if manifest.desk_code != signer.desk_code:
        raise Refused(
            _("Bad signature: signed by desk {signer} but claims to be from {code}.").format(
                signer=_named(signer.desk_code, manifest.signing_key), code=manifest.desk_code
            )
        )
    if signer.replaced_at is not None:
        raise Refused(
            _(
                "Signed with a key {desk} replaced on {day}: it signs nothing any more. Ask "
                "the desk to export the month again."
            ).format(
                desk=_named(signer.desk_code, manifest.signing_key),
                day=format_date(signer.replaced_at),
            )
        )
    if manifest.period > Month.of(today):
        raise Refused(_("Period {period} is in the future.").format(period=manifest.period))
    return document, signer


def _merge(
    session: Session, document: CountsDocument, signer: _Signer, signers: _Signers
) -> tuple[Outcome, str]:
    manifest = document.manifest
    period = str(manifest.period)
    named = _named(manifest.desk_code, manifest.signing_key)
    same = session.get(ReceivedCounts, manifest.export_id)
    if same is not None:
        if same.payload_sha256 != manifest.payload_sha256:
            raise Refused(_("Malformed (an export id reused with other numbers)."))
        return Outcome.UNCHANGED, _("Already imported: nothing changed.")
    current = network_queries.current_file(session, manifest.desk_code, period)
    if current is not None:
        before = signers.by_key.get(bytes.fromhex(current.signing_key))
        if before is None or before.desk_key != signer.desk_key:
            # Two keys trusted under one code (before Havre refused that): never let one
            # desk's numbers replace another's.
            raise Refused(
                _(
                    "{code} {period} was imported from another desk with the same code, key "
                    "{known}; this file is from {desk}. One of them must be trusted no more."
                ).format(
                    code=manifest.desk_code,
                    period=period,
                    known=crypto.fingerprint(bytes.fromhex(current.signing_key)),
                    desk=named,
                )
            )
    last = 0 if current is None else current.revision
    if manifest.revision > last + MAX_REVISION_GAP:
        # Believed, it would make every genuine later file look older, for good.
        raise Refused(
            _(
                "Revision {new} for {period} from {code} cannot be right: the last one imported is "
                "{old}, and a desk's revisions go up by one. Ask the desk to export the month "
                "again."
            ).format(code=named, period=period, old=last, new=manifest.revision)
        )
    if current is not None and current.revision >= manifest.revision:
        raise Refused(
            _(
                "Older than the file already imported for {period} from {code} (revision {old}, "
                "this one {new})."
            ).format(code=named, period=period, old=current.revision, new=manifest.revision)
        )
    now = clock.now()
    session.add(
        ReceivedCounts(
            export_id=manifest.export_id,
            desk_code=manifest.desk_code,
            desk_name=manifest.desk_name,
            nis_code=manifest.nis_code,
            period=period,
            revision=manifest.revision,
            exported_at=manifest.exported_at,
            imported_at=now,
            payload_sha256=manifest.payload_sha256,
            signing_key=manifest.signing_key.hex(),
            replaced_by=None,
            audit_head=manifest.audit_head,
            audit_hash=manifest.audit_hash,
        )
    )
    session.execute(
        delete(NetworkCount).where(
            NetworkCount.desk_code == manifest.desk_code, NetworkCount.period == period
        )
    )
    session.execute(
        insert(NetworkCount),
        [
            {
                "desk_code": manifest.desk_code,
                "period": period,
                "element": e,
                "combo": c,
                "value": v,
            }
            for e, cells in document.counts.values.items()
            for c, v in cells.items()
        ],
    )
    if current is None:
        message = _("Accepted: {code}, {period}, revision {revision}.").format(
            code=named, period=period, revision=manifest.revision
        )
        outcome = Outcome.ACCEPTED
    else:
        current.replaced_by = manifest.export_id
        message = _("Replaced revision {old} of {code}, {period} by revision {new}.").format(
            old=current.revision, code=named, period=period, new=manifest.revision
        )
        outcome = Outcome.REPLACED
    if manifest.revision == last + 2:
        message += " " + _("Revision {first} never arrived here.").format(first=last + 1)
    elif manifest.revision > last + 2:
        message += " " + _("Revisions {first} to {last} never arrived here.").format(
            first=last + 1, last=manifest.revision - 1
        )
    return outcome, message + _rollback_warning(session, manifest)


def _rollback_warning(session: Session, manifest: Manifest) -> str:
    """A desk's audit log only grows: a file written after another but with a shorter log
    comes from a database put back to an older copy (whatever it hides)."""
    earlier = network_queries.longest_audit_head_before(
        session, manifest.desk_code, manifest.exported_at
    )
    if earlier is None or manifest.audit_head >= earlier:
        return ""
    return " " + _(
        "Warning: this desk's audit log is shorter than in a file it exported earlier "
        "(event {now} < {before}): its database may have been put back to an older copy. "
        "Ask the desk to verify its audit log."
    ).format(now=manifest.audit_head, before=earlier)


def received_months(desk: OpenDesk) -> list[ReceivedMonth]:
    """The current file of every desk and month received, by month then desk."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.network") as session:
        return received_months_in(session)


def received_months_in(session: Session) -> list[ReceivedMonth]:
    """Inside the transaction of a service that checked its own role."""
    return [
        ReceivedMonth(
            row.desk_code,
            row.desk_name,
            row.nis_code,
            Month.parse(row.period),
            row.revision,
            row.exported_at,
        )
        for row in network_queries.current_files(session)
    ]


def desk_counts(desk: OpenDesk, months: Iterable[Month]) -> list[MonthlyCounts]:
    """The merged numbers of every desk for each of `months` received."""
    with desk.guarded(counts.COUNTS_ROLES, "counts.network") as session:
        return desk_counts_in(session, months)


def desk_counts_in(session: Session, months: Iterable[Month]) -> list[MonthlyCounts]:
    """Inside the transaction of a service that checked its own role."""
    wanted = {str(m) for m in months}
    files = [f for f in network_queries.current_files(session) if f.period in wanted]
    values = {(f.desk_code, f.period): empty_values() for f in files}
    for row in network_queries.counts_of_periods(session, sorted(wanted)):
        cells = values.get((row.desk_code, row.period))
        if cells is not None and row.combo in cells.get(row.element, {}):
            cells[row.element][row.combo] = row.value
    return [
        MonthlyCounts(
            f.desk_code,
            f.desk_name,
            f.nis_code,
            Month.parse(f.period),
            values[(f.desk_code, f.period)],
        )
        for f in files
    ]
