"""The content of a `.havre-counts` file, before encryption: a manifest, the counts, and the
desk's Ed25519 signature over their canonical serialisation.

    {"format": "havre-counts", "version": 1,
     "manifest": {export_id, desk_code, desk_name, nis_code, period, revision,
                  schema_version, app_version, exported_at, audit_head, audit_hash, payload_sha256,
                  signing_key, rules},
     "counts": {data element: {category option combo: value}},
     "signature": hex Ed25519 over canonical({"manifest": ..., "counts": ...})}

Canonical: JSON with sorted keys, no spaces, UTF-8; every number is a whole number, so the
serialisation is unique.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.indicators import READ_SCHEMAS, SCHEMA_VERSION
from app.domain.monthly_counts import MonthlyCounts, Values, checked_values
from app.domain.periods import Month
from app.errors import ValidationError
from app.files import json_from_outside

FORMAT = "havre-counts"
FILE_VERSION = 1
SUFFIX = ".havre-counts"
RULES = {
    "consent": "profile tables count only cases whose person consented to statistics",
    "dedup": "cases already counted by another desk are left out of the profile tables",
}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_NIS = re.compile(r"\d{5}")
_DESK_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")


class Malformed(ValueError):
    """Not a well-formed counts document; the message names the part at fault."""


class OtherSchema(ValueError):
    """A counts document of a schema or file version this Havre does not read."""

    def __init__(self, version: object) -> None:
        super().__init__(str(version))
        self.version = version


@dataclass(frozen=True)
class Manifest:
    export_id: str
    desk_code: str
    desk_name: str
    nis_code: str
    period: Month
    revision: int
    app_version: str
    exported_at: datetime
    audit_head: int  # the number of the last event of the desk's audit log
    audit_hash: str  # its chain hash: a desk rolled back to an older copy shows at the network
    payload_sha256: str
    signing_key: bytes


@dataclass(frozen=True)
class CountsDocument:
    manifest: Manifest
    counts: MonthlyCounts
    signed_bytes: bytes  # what the signature covers
    signature: bytes


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def file_name(desk_code: str, period: Month) -> str:
    return f"{desk_code}_{period}{SUFFIX}"


def payload_sha256(values: Values) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "export_id": manifest.export_id,
        "desk_code": manifest.desk_code,
        "desk_name": manifest.desk_name,
        "nis_code": manifest.nis_code,
        "period": str(manifest.period),
        "revision": manifest.revision,
        "schema_version": SCHEMA_VERSION,
        "app_version": manifest.app_version,
        "exported_at": manifest.exported_at.isoformat(timespec="seconds"),
        "audit_head": manifest.audit_head,
        "audit_hash": manifest.audit_hash,
        "payload_sha256": manifest.payload_sha256,
        "signing_key": manifest.signing_key.hex(),
        "rules": RULES,
    }


def signed_part(manifest: Manifest, values: Values) -> bytes:
    return canonical({"manifest": manifest_json(manifest), "counts": values})


def document_bytes(manifest: Manifest, values: Values, signature: bytes) -> bytes:
    return canonical(
        {
            "format": FORMAT,
            "version": FILE_VERSION,
            "manifest": manifest_json(manifest),
            "counts": values,
            "signature": signature.hex(),
        }
    )


def parse(content: bytes) -> CountsDocument:
    """The document in `content`, checked field by field; `Malformed` or `OtherSchema`."""
    try:
        document = json_from_outside(content)
    except ValueError:  # UnicodeDecodeError included
        raise Malformed("not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Malformed("not a counts document")
    if document.get("version") != FILE_VERSION:
        raise OtherSchema(document.get("version"))
    raw = document.get("manifest")
    if not isinstance(raw, dict):
        raise Malformed("manifest")
    schema = raw.get("schema_version")
    if type(schema) is not int or schema not in READ_SCHEMAS:
        raise OtherSchema(schema)
    manifest = _manifest(raw)
    try:
        values = checked_values(document.get("counts"), schema)
    except ValueError as exc:
        raise Malformed(f"counts: {exc}") from None
    # Over the file's own cells: an earlier schema's file has fewer than `values`.
    if payload_sha256(document["counts"]) != manifest.payload_sha256:
        raise Malformed("payload checksum")
    signature = _hex(document.get("signature"), "signature", 64)
    signed = canonical({"manifest": raw, "counts": document["counts"]})
    counts = MonthlyCounts(
        manifest.desk_code, manifest.desk_name, manifest.nis_code, manifest.period, values
    )
    return CountsDocument(manifest, counts, signed, signature)


def _manifest(raw: dict[str, Any]) -> Manifest:
    def text(name: str, pattern: re.Pattern[str] | None = None, longest: int = 120) -> str:
        value = raw.get(name)
        if not isinstance(value, str) or not 0 < len(value) <= longest:
            raise Malformed(f"manifest.{name}")
        if pattern is not None and not pattern.fullmatch(value):
            raise Malformed(f"manifest.{name}")
        return value

    def whole(name: str) -> int:
        value = raw.get(name)
        if type(value) is not int or not 0 <= value < 2**31:
            raise Malformed(f"manifest.{name}")
        return value

    try:
        export_id = str(uuid.UUID(text("export_id", longest=36)))
        period = Month.parse(text("period", longest=7))
        exported_at = datetime.fromisoformat(text("exported_at", longest=40))
    except (ValueError, ValidationError):
        raise Malformed("manifest") from None
    if exported_at.tzinfo is None:
        raise Malformed("manifest.exported_at")
    revision = whole("revision")
    if revision < 1:
        raise Malformed("manifest.revision")
    return Manifest(
        export_id=export_id,
        desk_code=text("desk_code", _DESK_CODE, 8),
        desk_name=text("desk_name"),
        nis_code=text("nis_code", _NIS, 5),
        period=period,
        revision=revision,
        app_version=text("app_version", longest=40),
        exported_at=exported_at.astimezone(UTC),
        audit_head=whole("audit_head"),
        audit_hash=text("audit_hash", _HEX64, 64),
        payload_sha256=text("payload_sha256", _HEX64, 64),
        signing_key=_hex(raw.get("signing_key"), "manifest.signing_key", 32),
    )


def _hex(value: object, name: str, size: int) -> bytes:
    if not isinstance(value, str) or len(value) != size * 2:
        raise Malformed(name)
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise Malformed(name) from None
