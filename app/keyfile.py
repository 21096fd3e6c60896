"""The key file beside the database: one wrapped copy of the data key per account, plus the
recovery copy. It holds no personal data (user names are hashed with the desk's salt) and is
authenticated as a whole with a MAC only the data key can produce.

Each slot also has an X25519 key pair, its private half wrapped like the data key. The notes
key (counselling notes are encrypted with it, field by field) is sealed to the public half
of the counsellors' slots and of the recovery slot only: whoever holds the data key alone,
a reception account with outside tools for instance, cannot read the notes. Sealing needs
no password, so a counsellor can give access to a colleague's slot (services/notes_access).

Each account also has an Ed25519 key, sealed to its slot the same way, with which it signs
the role grants it makes and its audit events (services/grants.py). The desk's authority
key (sealed to the recovery slot only) is named at the top of the file, and each slot made
since binds it into what its password unwraps: an authority changed by someone holding
only the data key makes every such slot fail to open.

Whoever holds the data key can also rewrite a slot's public key, or seal a key of their own
to it. So a slot's public key is signed by its account key (the authority, for the recovery
slot), and nothing is sealed to a slot before that signature is checked against the key
the account's grant names; a sealed notes key is signed by whoever gave it, a counsellor or
the authority, and a counsellor's Havre refuses one nobody entitled gave.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from app import crypto
from app.errors import KeyFileDamaged, KeyFileMissing, KeyFileTampered
from app.files import atomic_write, json_from_outside

FORMAT = "havre-keyfile"
VERSION = 2
KDF_ALGORITHM = "argon2id"
RECOVERY_SLOT_ID = "recovery"

SlotKind = Literal["user", "recovery"]
# A slot takes under 2 kB: a desk of a few hundred accounts stays far below both bounds,
# which keep a hostile file from being read whole or parsed at length.
MAX_SLOTS = 1000
MAX_BYTES = 4 * 1024 * 1024


class SealedKeyDamaged(Exception):
    """The secret opened the slot but not its sealed notes key: the file was altered (a
    wrong password fails earlier, on the data key)."""


@dataclass(frozen=True)
class Slot:
    id: str
    kind: SlotKind
    name_hash: str | None
    kdf: crypto.KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    public_key: bytes
    private_nonce: bytes
    wrapped_private_key: bytes
    #: the notes key sealed to `public_key`: counsellors and the recovery slot only
    sealed_notes_key: bytes | None
    #: after a rotation, the new data key sealed to `public_key` (no password was at hand
    #: to wrap it); `wrapped_key` then still holds the old one, until the owner signs in
    sealed_data_key: bytes | None = None
    #: the desk's authority key this slot was made with, bound into its wrapping
    authority: bytes | None = None
    #: the account's Ed25519 key sealed to `public_key` (the authority key, for recovery)
    sealed_account_key: bytes | None = None
    #: made since slots sign their keys: bound into the wrapping, so that the signatures
    #: below cannot be stripped to pass the slot off as an older one
    certified: bool = False
    #: `public_key` signed by the slot's account key: checked before sealing anything to it
    exchange_signature: bytes | None = None
    #: the sealed notes key signed by whoever gave it (a counsellor or the authority)
    notes_signature: bytes | None = None


@dataclass(frozen=True)
class SlotKeys:
    """What a slot opens: always the data key, the notes key where it was given."""

    data_key: bytes
    notes_key: bytes | None
    account_key: bytes | None = None  # Ed25519 private key of the account


@dataclass(frozen=True)
class KeyFile:
    desk_id: str
    name_salt: bytes
    slots: tuple[Slot, ...]
    # The head of the audit chain at the last lock (event number, hash), kept outside the
    # database so that events removed from the end of the log show (app/services/audit_log).
    audit_head: tuple[int, str] | None = None
    # The public key at the root of the role grants (None on a desk made before them).
    authority: bytes | None = None

    def user_slot(self, user_name: str) -> Slot | None:
        wanted = crypto.name_hash(self.name_salt, user_name)
        return next((s for s in self.slots if s.kind == "user" and s.name_hash == wanted), None)

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def slot_by_id(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots if s.id == slot_id), None)

    def bears_name(self, slot_id: str, user_name: str) -> bool:
        """Whether the account's slot was made for `user_name` (its name hash, bound into
        what its password unwraps) and is the only one for it: names are rows anyone with
        the data key can rewrite, so before acting on an account picked by its name, the
        name is checked here. An account without a slot passes."""
        slot = self.slot_by_id(slot_id)
        if slot is None:
            return True
        if not isinstance(user_name, str):
            return False  # a name of another type, written outside Havre
        wanted = crypto.name_hash(self.name_salt, user_name)
        return slot.name_hash == wanted and sum(s.name_hash == wanted for s in self.slots) == 1

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
    keys: SlotKeys,
    params: crypto.KdfParams,
) -> Slot:
    return _make_slot(
        key_file,
        user_id,
        "user",
        crypto.name_hash(key_file.name_salt, user_name),
        password,
        keys,
        params,
    )


def make_recovery_slot(
    key_file: KeyFile, recovery_key: str, keys: SlotKeys, params: crypto.KdfParams
) -> Slot:
    return _make_slot(key_file, RECOVERY_SLOT_ID, "recovery", None, recovery_key, keys, params)


def _make_slot(
    key_file: KeyFile,
    slot_id: str,
    kind: SlotKind,
    name_hash: str | None,
    secret: str,
    keys: SlotKeys,
    params: crypto.KdfParams,
) -> Slot:
    desk_id = key_file.desk_id
    salt = crypto.new_salt()
    exchange = crypto.new_exchange_key()
    draft = Slot(
        slot_id,
        kind,
        name_hash,
        params,
        salt,
        b"",
        b"",
        exchange.public_raw,
        b"",
        b"",
        None,
        authority=key_file.authority,
        certified=keys.account_key is not None,
    )
    kek = crypto.derive_key(secret, salt, params)
    nonce, wrapped = crypto.wrap(kek, keys.data_key, _slot_context(desk_id, draft))
    private_nonce, wrapped_private = crypto.wrap(
        kek, exchange.private_raw, _slot_context(desk_id, draft, "exchange private key")
    )
    slot = replace(
        draft,
        nonce=nonce,
        wrapped_key=wrapped,
        private_nonce=private_nonce,
        wrapped_private_key=wrapped_private,
    )
    if keys.account_key is not None:
        slot = with_exchange_signature(desk_id, slot, keys.account_key)
    slot = with_notes_key(desk_id, slot, keys.notes_key, keys.account_key)
    return with_account_key(desk_id, slot, keys.account_key)


def with_notes_key(
    desk_id: str, slot: Slot, notes_key: bytes | None, giver_key: bytes | None
) -> Slot:
    """`slot` given the notes key (sealed to its public key and signed with the giver's
    account key; unsigned on a desk made before account keys), or with it taken away."""
    if notes_key is None:
        return replace(slot, sealed_notes_key=None, notes_signature=None)
    sealed = crypto.seal(slot.public_key, notes_key, _notes_context(desk_id, slot))
    given = replace(slot, sealed_notes_key=sealed, notes_signature=None)
    return given if giver_key is None else with_notes_signature(desk_id, given, giver_key)


def with_notes_signature(desk_id: str, slot: Slot, signer_key: bytes) -> Slot:
    """`slot` with the notes key sealed to it signed by `signer_key` (an account key)."""
    return replace(slot, notes_signature=crypto.sign(signer_key, _notes_statement(desk_id, slot)))


def with_exchange_signature(desk_id: str, slot: Slot, account_key: bytes) -> Slot:
    """`slot` with its public key signed by `account_key` (its own account key)."""
    signature = crypto.sign(account_key, _exchange_statement(desk_id, slot))
    return replace(slot, exchange_signature=signature)


def vouched(desk_id: str, slot: Slot, account_public: bytes) -> bool:
    """Whether `slot`'s public key is signed by the account key `account_public` (the one
    the account's grant names, or the authority for the recovery slot): the check before
    sealing a key to it, since anyone with the data key can rewrite a slot."""
    return slot.exchange_signature is not None and crypto.signature_valid(
        account_public, _exchange_statement(desk_id, slot), slot.exchange_signature
    )


def notes_key_given_by(desk_id: str, slot: Slot, givers: set[bytes]) -> bool:
    """Whether the notes key sealed to `slot` is signed by one of `givers` (the account keys
    of counsellors, and the authority). The authority signs the keys already given when an
    older desk gets it (services/authority.py), so every notes key of a desk with an
    authority is signed."""
    if slot.sealed_notes_key is None:
        return True
    signature = slot.notes_signature
    statement = _notes_statement(desk_id, slot)
    return signature is not None and any(
        crypto.signature_valid(giver, statement, signature) for giver in givers
    )


def with_account_key(desk_id: str, slot: Slot, account_key: bytes | None) -> Slot:
    """`slot` given an account key (sealed to its public key), or with it taken away."""
    if account_key is None:
        return replace(slot, sealed_account_key=None)
    sealed = crypto.seal(slot.public_key, account_key, _account_context(desk_id, slot))
    return replace(slot, sealed_account_key=sealed)


def with_rotated_data_key(desk_id: str, slot: Slot, data_key: bytes) -> Slot:
    """`slot` given a new data key, sealed to its public key: a rotation needs no password."""
    sealed = crypto.seal(slot.public_key, data_key, _rotated_context(desk_id, slot))
    return replace(slot, sealed_data_key=sealed)


def rewrapped(key_file: KeyFile, slot: Slot, secret: str, keys: SlotKeys) -> Slot:
    """`slot` made again under the same secret and cost, its keys wrapped directly: how a
    slot sealed by a rotation settles when its owner signs in."""
    return _make_slot(key_file, slot.id, slot.kind, slot.name_hash, secret, keys, slot.kdf)


def open_slot(key_file: KeyFile, slot: Slot, secret: str) -> SlotKeys:
    """The keys `slot` holds; raises `crypto.UnwrapError` for a wrong secret."""
    desk_id = key_file.desk_id
    kek = crypto.derive_key(secret, slot.salt, slot.kdf)

    def exchange_key() -> crypto.ExchangeKey:
        context = _slot_context(desk_id, slot, "exchange private key")
        private = crypto.unwrap(kek, slot.private_nonce, slot.wrapped_private_key, context)
        return crypto.ExchangeKey(private, slot.public_key)

    def opened(exchange: crypto.ExchangeKey, sealed: bytes, context: bytes) -> bytes:
        try:
            return crypto.open_sealed(exchange, sealed, context)
        except crypto.UnwrapError as exc:
            raise SealedKeyDamaged(slot.id) from exc

    if slot.sealed_data_key is None:
        data_key = crypto.unwrap(kek, slot.nonce, slot.wrapped_key, _slot_context(desk_id, slot))
        if slot.sealed_notes_key is None and slot.sealed_account_key is None:
            return SlotKeys(data_key, None)
        try:
            exchange = exchange_key()
        except crypto.UnwrapError as exc:
            raise SealedKeyDamaged(slot.id) from exc
    else:
        exchange = exchange_key()  # the password check of a rotated slot
        data_key = opened(exchange, slot.sealed_data_key, _rotated_context(desk_id, slot))
    notes = account = None
    if slot.sealed_notes_key is not None:
        notes = opened(exchange, slot.sealed_notes_key, _notes_context(desk_id, slot))
    if slot.sealed_account_key is not None:
        account = opened(exchange, slot.sealed_account_key, _account_context(desk_id, slot))
    return SlotKeys(data_key, notes, account)


def _slot_context(desk_id: str, slot: Slot, purpose: str = "data key") -> bytes:
    # Binds a wrapped copy to its desk, its slot, its cost parameters, its public key and
    # the authority key it was made with: moving a slot to another file, lowering its
    # parameters or naming another authority makes it fail to open.
    context: dict[str, Any] = {
        "desk_id": desk_id,
        "slot_id": slot.id,
        "kind": slot.kind,
        "name_hash": slot.name_hash,
        "kdf": _kdf_json(slot),
        "public_key": _b64(slot.public_key),
        "purpose": purpose,
    }
    if slot.authority is not None:  # slots made before authorities keep their context
        context["authority"] = _b64(slot.authority)
    if slot.certified:
        context["certified"] = True
    return _canonical(context)


def _exchange_statement(desk_id: str, slot: Slot) -> bytes:
    return _canonical(
        {
            "format": "havre-slot-key",
            "desk_id": desk_id,
            "slot_id": slot.id,
            "kind": slot.kind,
            "public_key": _b64(slot.public_key),
        }
    )


def _notes_statement(desk_id: str, slot: Slot) -> bytes:
    assert slot.sealed_notes_key is not None
    return _canonical(
        {
            "format": "havre-notes-key-given",
            "desk_id": desk_id,
            "slot_id": slot.id,
            "public_key": _b64(slot.public_key),
            "sealed_notes_key": _b64(slot.sealed_notes_key),
        }
    )


def _notes_context(desk_id: str, slot: Slot) -> bytes:
    return _canonical({"desk_id": desk_id, "slot_id": slot.id, "purpose": "notes key"})


def _account_context(desk_id: str, slot: Slot) -> bytes:
    return _canonical({"desk_id": desk_id, "slot_id": slot.id, "purpose": "account key"})


def _rotated_context(desk_id: str, slot: Slot) -> bytes:
    return _canonical({"desk_id": desk_id, "slot_id": slot.id, "purpose": "rotated data key"})


def _kdf_json(slot: Slot) -> dict[str, Any]:
    return {
        "algorithm": KDF_ALGORITHM,
        "memory_kib": slot.kdf.memory_kib,
        "time_cost": slot.kdf.time_cost,
        "parallelism": slot.kdf.parallelism,
        "salt": _b64(slot.salt),
    }


def _body_json(key_file: KeyFile) -> dict[str, Any]:
    body = _slots_json(key_file)
    if key_file.audit_head is not None:
        body["audit_head"] = {"event": key_file.audit_head[0], "hash": key_file.audit_head[1]}
    if key_file.authority is not None:
        body["authority"] = _b64(key_file.authority)
    return body


def _slots_json(key_file: KeyFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "desk_id": key_file.desk_id,
        "name_salt": _b64(key_file.name_salt),
        "slots": [_slot_json(s) for s in key_file.slots],
    }


def _slot_json(slot: Slot) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": slot.id,
        "kind": slot.kind,
        "name_hash": slot.name_hash,
        "kdf": _kdf_json(slot),
        "nonce": _b64(slot.nonce),
        "wrapped_key": _b64(slot.wrapped_key),
        "public_key": _b64(slot.public_key),
        "private_nonce": _b64(slot.private_nonce),
        "wrapped_private_key": _b64(slot.wrapped_private_key),
        "sealed_notes_key": None if slot.sealed_notes_key is None else _b64(slot.sealed_notes_key),
    }
    # Only when present, so that the files written before rotations existed keep their MAC.
    if slot.sealed_data_key is not None:
        item["sealed_data_key"] = _b64(slot.sealed_data_key)
    if slot.authority is not None:
        item["authority"] = _b64(slot.authority)
    if slot.sealed_account_key is not None:
        item["sealed_account_key"] = _b64(slot.sealed_account_key)
    if slot.certified:
        item["certified"] = True
    if slot.exchange_signature is not None:
        item["exchange_signature"] = _b64(slot.exchange_signature)
    if slot.notes_signature is not None:
        item["notes_signature"] = _b64(slot.notes_signature)
    return item


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
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise KeyFileMissing(path) from exc
    except OSError as exc:
        raise KeyFileDamaged(path) from exc
    if len(raw) > MAX_BYTES:
        raise KeyFileDamaged(path)
    try:
        return _parse(json_from_outside(raw))
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise KeyFileDamaged(path) from exc


def _parse(document: Any) -> tuple[KeyFile, bytes]:
    if not isinstance(document, dict):
        raise ValueError("not an object")
    if document["format"] != FORMAT or document["version"] != VERSION:
        raise ValueError("unknown format")
    if len(document["slots"]) > MAX_SLOTS:
        raise ValueError("too many slots")
    slots = tuple(_parse_slot(item) for item in document["slots"])
    if len({s.id for s in slots}) != len(slots):
        raise ValueError("duplicate slot")
    head = document.get("audit_head")
    authority = document.get("authority")
    key_file = KeyFile(
        desk_id=_text(document["desk_id"]),
        name_salt=_bytes(document["name_salt"], crypto.SALT_BYTES),
        slots=slots,
        audit_head=None if head is None else (_int(head["event"], 0, 2**62), _hex64(head["hash"])),
        authority=None if authority is None else _bytes(authority, crypto.KEY_BYTES),
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
        memory_kib=_int(kdf["memory_kib"], 8, crypto.MAX_MEMORY_KIB),
        time_cost=_int(kdf["time_cost"], 1, crypto.MAX_TIME_COST),
        parallelism=_int(kdf["parallelism"], 1, crypto.MAX_PARALLELISM),
    )
    name_hash = item["name_hash"]
    if kind == "user" and not isinstance(name_hash, str):
        raise ValueError("user slot without name")
    sealed = item["sealed_notes_key"]
    rotated = item.get("sealed_data_key")
    authority = item.get("authority")
    account = item.get("sealed_account_key")
    certified = item.get("certified", False)
    if not isinstance(certified, bool):
        raise ValueError("certified is not a boolean")
    exchange_signature = item.get("exchange_signature")
    notes_signature = item.get("notes_signature")
    return Slot(
        id=_text(item["id"]),
        kind=kind,
        name_hash=name_hash,
        kdf=params,
        salt=_bytes(kdf["salt"], crypto.SALT_BYTES),
        nonce=_bytes(item["nonce"], crypto.NONCE_BYTES),
        wrapped_key=_bytes(item["wrapped_key"], crypto.KEY_BYTES + crypto.TAG_BYTES),
        public_key=_bytes(item["public_key"], crypto.KEY_BYTES),
        private_nonce=_bytes(item["private_nonce"], crypto.NONCE_BYTES),
        wrapped_private_key=_bytes(
            item["wrapped_private_key"], crypto.KEY_BYTES + crypto.TAG_BYTES
        ),
        sealed_notes_key=None if sealed is None else _bytes(sealed, crypto.SEALED_KEY_BYTES),
        sealed_data_key=None if rotated is None else _bytes(rotated, crypto.SEALED_KEY_BYTES),
        authority=None if authority is None else _bytes(authority, crypto.KEY_BYTES),
        sealed_account_key=None if account is None else _bytes(account, crypto.SEALED_KEY_BYTES),
        certified=certified,
        exchange_signature=None
        if exchange_signature is None
        else _bytes(exchange_signature, crypto.SIGNATURE_BYTES),
        notes_signature=None
        if notes_signature is None
        else _bytes(notes_signature, crypto.SIGNATURE_BYTES),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected text")
    return value


def _hex64(value: Any) -> str:
    text = _text(value)
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ValueError("not a hash")
    return text


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
