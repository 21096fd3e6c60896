"""The monthly export of a desk (docs/counting-rules.md): the counts of a month, signed with
the desk's key and encrypted to the network coordinator's age recipient, written atomically
as `<DESKCODE>_<YYYY-MM>.havre-counts`.

Each export of a month gets the next revision, so the network keeps the newest of two
files of the same month. The file is written first and the export recorded after: a full
disk or a refused target leaves the desk exactly as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import __version__, clock, crypto
from app.domain import counts_document
from app.domain.counts_document import Manifest
from app.domain.monthly_counts import MonthlyCounts
from app.domain.periods import Month
from app.errors import TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _
from app.services import audit, counts, keys
from app.services.open_desk import OpenDesk
from db import count_queries, repositories
from db.audit_chain import GENESIS
from db.models import CountsExport


@dataclass(frozen=True)
class Exported:
    path: Path
    export_id: str
    revision: int
    counts: MonthlyCounts
    recipient: keys.Recipient


def default_file_name(desk: OpenDesk, month: Month) -> str:
    return counts_document.file_name(desk.desk.code, month)


def export_counts(
    desk: OpenDesk,
    month: Month,
    target: Path,
    *,
    replace: bool = False,
    today: date | None = None,
) -> Exported:
    with desk.guarded(counts.COUNTS_ROLES, "counts.export") as session:
        if target.suffix != counts_document.SUFFIX:
            raise ValidationError(
                _("A counts file must end in {suffix}.").format(suffix=counts_document.SUFFIX),
                field="target",
            )
        if target.is_dir():
            raise ValidationError(
                _("{path} is a folder: give a file name.").format(path=target), field="target"
            )
        if target.exists() and not replace:
            raise TargetExists(target)
        recipient = keys.recipient_in(session)
        if recipient is None:
            raise ValidationError(
                _(
                    "No recipient is set for the counts files: import the network coordinator's "
                    "public key first."
                ),
                field="recipient",
            )
        today = today or clock.today()
        counts.check_not_future(month, today)
        counted = counts.aggregate(session, desk.desk, month, today)
        signing = repositories.signing_key(session)
        if signing is None:
            raise ValidationError(_("This desk has no signing key."), field="key")
        manifest = Manifest(
            export_id=str(uuid.uuid4()),
            desk_code=desk.desk.code,
            desk_name=desk.desk.name,
            nis_code=desk.desk.nis_code,
            period=month,
            revision=count_queries.last_revision(session, str(month)) + 1,
            app_version=__version__,
            exported_at=clock.now().replace(microsecond=0),
            audit_head=repositories.last_audit_event_id(session),
            audit_hash=repositories.last_audit_hash(session) or GENESIS,
            payload_sha256=counts_document.payload_sha256(counted.values),
            signing_key=signing.public_key,
        )
        signature = crypto.sign(
            signing.private_key, counts_document.signed_part(manifest, counted.values)
        )
        plaintext = counts_document.document_bytes(manifest, counted.values, signature)
        atomic_write(target, crypto.age_encrypt(recipient.age_recipient, plaintext))
        session.add(
            CountsExport(
                id=manifest.export_id,
                period=str(month),
                revision=manifest.revision,
                exported_at=manifest.exported_at,
                payload_sha256=manifest.payload_sha256,
                recipient=recipient.age_recipient,
                exported_by=desk.user.id,
                audit_head=manifest.audit_head,
                audit_hash=manifest.audit_hash,
            )
        )
        audit.record(
            session,
            audit.COUNTS_EXPORTED,
            desk.user.id,
            target_type="counts_export",
            target_id=manifest.export_id,
        )
        return Exported(target, manifest.export_id, manifest.revision, counted, recipient)
