"""The key file beside the database: one wrapped copy of the data key per account, plus the
recovery copy. It holds no personal data (user names are hashed with the desk's salt) and is
authenticated as a whole with a MAC only the data key can produce."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from app import crypto
from app.errors import KeyFileDamaged, KeyFileMissing, KeyFileTampered
from app.files import atomic_write

FORMAT = "havre-keyfile"
VERSION = 1
KDF_ALGORITHM = "argon2id"
RECOVERY_SLOT_ID = "recovery"

SlotKind = Literal["user", "recovery"]


@dataclass(frozen=True)
class Slot:
    id: str
    kind: SlotKind
    name_hash: str | None
    kdf: crypto.KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class KeyFile:
    desk_id: str
    name_salt: bytes
    slots: tuple[Slot, ...]

    def user_slot(self, user_name: str) -> Slot | None:
        wanted = crypto.name_hash(self.name_salt, user_name)
        return next((s for s in self.slots if s.kind == "user" and s.name_hash == wanted), None)

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def slot_by_id(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots if s.id == slot_id), None)

    def with_slot(self, slot: Slot) -> KeyFile:
        kept = tuple(s for s in self.slots if s.id != slot.id)
        return replace(self, slots=(*kept, slot))

    def without_slot(self, slot_id: str) -> KeyFile:
        return replace(self, slots=tuple(s for s in self.slots if s.id != slot_id))


def path_for(database: Path) -> Path:
    return database.with_name(database.name + ".keys")


def new_key_file(desk_id: str) -> KeyFile:
    return KeyFile(desk_id=desk_id, name_salt=crypto.new_salt(), slots=())


def make_user_slot(
    key_file: KeyFile,
    user_id: str,
    user_name: str,
    password: str,
    data_key: bytes,
    params: crypto.KdfParams,
) -> Slot:
    return _make_slot(
        key_file.desk_id,
        user_id,
        "user",
        crypto.name_hash(key_file.name_salt, user_name),
        password,
        data_key,
        params,
    )


def make_recovery_slot(
    key_file: KeyFile, recovery_key: str, data_key: bytes, params: crypto.KdfParams
) -> Slot:
    return _make_slot(
        key_file.desk_id, RECOVERY_SLOT_ID, "recovery", None, recovery_key, data_key, params
    )


def _make_slot(
    desk_id: str,
    slot_id: str,
    kind: SlotKind,
    name_hash: str | None,
    secret: str,
    data_key: bytes,
    params: crypto.KdfParams,
) -> Slot:
    salt = crypto.new_salt()
    draft = Slot(slot_id, kind, name_hash, params, salt, b"", b"")
    nonce, wrapped = crypto.wrap(
        crypto.derive_key(secret, salt, params), data_key, _slot_context(desk_id, draft)
    )
    return replace(draft, nonce=nonce, wrapped_key=wrapped)


def open_slot(key_file: KeyFile, slot: Slot, secret: str) -> bytes:
    """The data key from `slot`; raises `crypto.UnwrapError` for a wrong secret."""
    kek = crypto.derive_key(secret, slot.salt, slot.kdf)
    return crypto.unwrap(kek, slot.nonce, slot.wrapped_key, _slot_context(key_file.desk_id, slot))


def _slot_context(desk_id: str, slot: Slot) -> bytes:
    # Binds a wrapped copy to its desk, its slot and its cost parameters: moving a slot to
    # another file or lowering its parameters makes it fail to open.
    return _canonical(
        {
            "desk_id": desk_id,
            "slot_id": slot.id,
            "kind": slot.kind,
            "name_hash": slot.name_hash,
            "kdf": _kdf_json(slot),
        }
    )


def _kdf_json(slot: Slot) -> dict[str, Any]:
    return {
        "algorithm": KDF_ALGORITHM,
        "memory_kib": slot.kdf.memory_kib,
        "time_cost": slot.kdf.time_cost,
        "parallelism": slot.kdf.parallelism,
        "salt": _b64(slot.salt),
    }


def _body_json(key_file: KeyFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "desk_id": key_file.desk_id,
        "name_salt": _b64(key_file.name_salt),
        "slots": [
            {
                "id": s.id,
                "kind": s.kind,
                "name_hash": s.name_hash,
                "kdf": _kdf_json(s),
                "nonce": _b64(s.nonce),
                "wrapped_key": _b64(s.wrapped_key),
            }
            for s in key_file.slots
        ],
    }


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def write(path: Path, key_file: KeyFile, data_key: bytes) -> None:
    """Replace the key file atomically: a crash leaves either the old or the new file."""
    body = _body_json(key_file)
    body["mac"] = _b64(crypto.key_file_mac(data_key, _canonical(_body_json(key_file))))
    atomic_write(path, json.dumps(body, indent=2, sort_keys=True).encode() + b"\n")


def read(path: Path) -> KeyFile:
    """Parse and check the structure; the MAC is checked by `verify` once a key is open."""
    return _load(path)[0]


def verify(path: Path, data_key: bytes) -> KeyFile:
    """Read `path` and check its MAC with the data key; refuse a file changed outside Havre."""
    key_file, mac = _load(path)
    expected = crypto.key_file_mac(data_key, _canonical(_body_json(key_file)))
    if not crypto.macs_equal(mac, expected):
        raise KeyFileTampered(path)
    return key_file


def _load(path: Path) -> tuple[KeyFile, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyFileMissing(path) from exc
    except OSError as exc:
        raise KeyFileDamaged(path) from exc
    try:
        return _parse(json.loads(raw))
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise KeyFileDamaged(path) from exc


def _parse(document: Any) -> tuple[KeyFile, bytes]:
    if not isinstance(document, dict):
        raise ValueError("not an object")
    if document["format"] != FORMAT or document["version"] != VERSION:
        raise ValueError("unknown format")
    slots = tuple(_parse_slot(item) for item in document["slots"])
    if len({s.id for s in slots}) != len(slots):
        raise ValueError("duplicate slot")
    key_file = KeyFile(
        desk_id=_text(document["desk_id"]),
        name_salt=_bytes(document["name_salt"], crypto.SALT_BYTES),
        slots=slots,
    )
    return key_file, _bytes(document["mac"], 32)


def _parse_slot(item: Any) -> Slot:
    kind = item["kind"]
    if kind not in ("user", "recovery"):
        raise ValueError("unknown slot kind")
    kdf = item["kdf"]
    if kdf["algorithm"] != KDF_ALGORITHM:
        raise ValueError("unknown kdf")
    params = crypto.KdfParams(
        memory_kib=_int(kdf["memory_kib"], 8, 1 << 21),
        time_cost=_int(kdf["time_cost"], 1, 100),
        parallelism=_int(kdf["parallelism"], 1, 16),
    )
    name_hash = item["name_hash"]
    if kind == "user" and not isinstance(name_hash, str):
        raise ValueError("user slot without name")
    return Slot(
        id=_text(item["id"]),
        kind=kind,
        name_hash=name_hash,
        kdf=params,
        salt=_bytes(kdf["salt"], crypto.SALT_BYTES),
        nonce=_bytes(item["nonce"], crypto.NONCE_BYTES),
        wrapped_key=_bytes(item["wrapped_key"], crypto.KEY_BYTES + 16),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected text")
    return value


def _int(value: Any, low: int, high: int) -> int:
    # Bounded so that an altered file cannot make the unlock allocate gigabytes or spin.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError("integer out of range")
    return value


def _bytes(value: Any, length: int) -> bytes:
    data = base64.b64decode(_text(value), validate=True)
    if len(data) != length:
        raise ValueError("wrong length")
    return data
