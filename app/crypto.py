"""Every cryptographic primitive of Havre: random keys, derivation, wrapping, keyed hashes,
recovery and signing keys, sealing, age, and the holder that keeps a key until it is wiped.

The database is encrypted with a random 256-bit data key. People never type that key: each
account (and the sealed recovery key) holds its own copy, wrapped with AES-256-GCM under a
key derived from the password by Argon2id. A successful unwrap is the password check.

No other module imports a cryptographic library (tests/test_crypto_in_one_place.py): the key
file's format is app/keyfile.py, and the services compose the two.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass

import pyrage
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import ValidationError
from app.i18n import _

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
# A key sealed to a public key: ephemeral public key, nonce, the key, its tag.
SEALED_KEY_BYTES = KEY_BYTES + NONCE_BYTES + KEY_BYTES + TAG_BYTES
SIGNATURE_BYTES = 64  # Ed25519

# Floors of the security model (docs/security-model.md): m >= 64 MiB, t >= 3, p = 4.
MIN_MEMORY_KIB = 64 * 1024
MIN_TIME_COST = 3
PARALLELISM = 4
# Calibration aims inside 0.3-0.5 s on the desk PC: slow for guessing, quick enough to unlock.
CALIBRATION_TARGET_SECONDS = 0.35
CALIBRATION_FLOOR_SECONDS = 0.3
CALIBRATION_CEILING_SECONDS = 0.5
CALIBRATION_STEPS = 12
MAX_TIME_COST = 40
# The most a key file may ask for, checked before any derivation: what Havre itself
# chooses on the fastest PC (64 MiB, t = 40, 4 lanes). More is a hostile file that would
# make each guess at a password cost seconds and gigabytes.
MAX_MEMORY_KIB = MIN_MEMORY_KIB
MAX_PARALLELISM = PARALLELISM


class UnwrapError(Exception):
    """Authenticated decryption failed: wrong secret, or altered data."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, recorded in each key slot."""

    memory_kib: int
    time_cost: int
    parallelism: int = PARALLELISM


def derive_key(secret: str, salt: bytes, params: KdfParams) -> bytes:
    """A 256-bit key from a password or recovery key (Argon2id)."""
    return hash_secret_raw(
        secret=normalize_secret(secret).encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def normalize_secret(secret: str) -> str:
    # The same password typed on another keyboard layout may arrive composed or decomposed.
    return unicodedata.normalize("NFC", secret)


def time_derivation(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_key("calibration", b"\0" * SALT_BYTES, params)
    return time.perf_counter() - start


def calibrate_kdf(target_seconds: float = CALIBRATION_TARGET_SECONDS) -> KdfParams:
    """The cheapest parameters at or above the floors that take about `target_seconds` here."""
    params = KdfParams(MIN_MEMORY_KIB, MIN_TIME_COST)
    elapsed = time_derivation(params)
    if elapsed >= target_seconds:
        return params
    # Time grows linearly with the pass count: scale it.
    time_cost = min(
        MAX_TIME_COST, max(MIN_TIME_COST, round(MIN_TIME_COST * target_seconds / elapsed))
    )
    # One timing can be misread (a cache still cold, another program busy): measure the
    # choice and step it into the window, a bounded number of times. What is returned was
    # measured: when the steps run out, the last parameters timed, not the next step.
    for _step in range(CALIBRATION_STEPS):
        params = KdfParams(MIN_MEMORY_KIB, time_cost)
        elapsed = time_derivation(params)
        if elapsed > CALIBRATION_CEILING_SECONDS and time_cost > MIN_TIME_COST:
            time_cost -= 1
        elif elapsed < CALIBRATION_FLOOR_SECONDS and time_cost < MAX_TIME_COST:
            time_cost += 1
        else:
            break
    return params


def new_secret(size: int = KEY_BYTES) -> bytes:
    """Random bytes from the operating system's generator, for a key or a secret."""
    return secrets.token_bytes(size)


def new_data_key() -> bytes:
    return new_secret()


def new_salt() -> bytes:
    return new_secret(SALT_BYTES)


def random_characters(alphabet: str, count: int) -> str:
    """`count` characters drawn from `alphabet` by the operating system's generator."""
    return "".join(secrets.choice(alphabet) for _ in range(count))


def wrap(key: bytes, plaintext: bytes, context: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM; `context` is authenticated (binds the copy to its desk and slot)."""
    nonce = new_secret(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, context)


def unwrap(key: bytes, nonce: bytes, ciphertext: bytes, context: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, context)
    except InvalidTag as exc:
        raise UnwrapError from exc


def _subkey(data_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=None, info=purpose).derive(data_key)


def purpose_key(secret: bytes, purpose: bytes) -> bytes:
    """A key for one purpose only, derived from `secret` (which it never reveals)."""
    return _subkey(secret, purpose)


def keyed_digest(secret: bytes, message: bytes) -> bytes:
    """HMAC-SHA256: a digest of `message` only the holder of `secret` can make or predict."""
    return hmac.new(secret, message, hashlib.sha256).digest()


def key_file_mac(data_key: bytes, content: bytes) -> bytes:
    """Authenticates the whole key file; only someone holding the data key can rewrite it."""
    return keyed_digest(_subkey(data_key, b"havre key file mac v1"), content)


def macs_equal(left: bytes, right: bytes) -> bool:
    return hmac.compare_digest(left, right)


def name_hash(salt: bytes, user_name: str) -> str:
    """A user name as the key file knows it: hashed with the desk's salt, never in clear."""
    return keyed_digest(salt, normalize_user_name(user_name).encode("utf-8")).hex()


def normalize_user_name(user_name: str) -> str:
    return unicodedata.normalize("NFC", user_name).strip().casefold()


# Recovery keys: 30 random Crockford base-32 characters (150 bits) and a 5-character check
# group, printed as seven groups of five so that a typing error is caught before unlocking.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = {"O": "0", "I": "1", "L": "1"}
_RECOVERY_GROUPS = 7
_GROUP_LENGTH = 5


def new_recovery_key() -> str:
    body = random_characters(_CROCKFORD, (_RECOVERY_GROUPS - 1) * _GROUP_LENGTH)
    return _format_recovery(body + _recovery_check(body))


def _recovery_check(body: str) -> str:
    digest = int.from_bytes(hashlib.sha256(body.encode("ascii")).digest()[:4], "big")
    return "".join(_CROCKFORD[(digest >> (5 * i)) & 31] for i in range(_GROUP_LENGTH))


def _format_recovery(characters: str) -> str:
    return "-".join(
        characters[i : i + _GROUP_LENGTH] for i in range(0, len(characters), _GROUP_LENGTH)
    )


def normalize_recovery_key(text: str) -> str:
    """The canonical form of a typed recovery key; refuses one with a typing error."""
    characters = "".join(
        _CROCKFORD_ALIASES.get(c, c) for c in text.upper() if not c.isspace() and c != "-"
    )
    expected_length = _RECOVERY_GROUPS * _GROUP_LENGTH
    if len(characters) != expected_length or any(c not in _CROCKFORD for c in characters):
        raise ValidationError(
            _(
                "A recovery key has 35 letters and digits in seven groups of five. "
                "Check what you typed against the printed sheet."
            ),
            field="recovery_key",
        )
    body, check = characters[:-_GROUP_LENGTH], characters[-_GROUP_LENGTH:]
    if not macs_equal(_recovery_check(body).encode(), check.encode()):
        raise ValidationError(
            _("This recovery key contains a typing error. Check it against the printed sheet."),
            field="recovery_key",
        )
    return _format_recovery(characters)


@dataclass(frozen=True)
class SigningKey:
    private_raw: bytes
    public_raw: bytes


def new_signing_key() -> SigningKey:
    """The desk's Ed25519 key, which will sign its monthly counts and directory packs."""
    return SigningKey(*_raw_pair(Ed25519PrivateKey.generate()))


def signing_public(private_raw: bytes) -> bytes:
    """The public half of an Ed25519 private key."""
    return _raw_pair(Ed25519PrivateKey.from_private_bytes(private_raw))[1]


def _raw_pair(private: Ed25519PrivateKey | X25519PrivateKey) -> tuple[bytes, bytes]:
    return (
        private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        ),
        private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ),
    )


def sign(private_raw: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_raw).sign(message)


def signature_valid(public_raw: bytes, message: bytes, signature: bytes) -> bool:
    given = (public_raw, message, signature)
    if not all(isinstance(value, bytes | bytearray | memoryview) for value in given):
        return False  # not bytes at all: a damaged row, a hostile file
    return _signature_valid(bytes(public_raw), bytes(message), bytes(signature))


# Every service call checks the signed grants of the desk again: the same few signatures,
# whose answer depends on nothing but these public bytes, so each is checked once.
@functools.lru_cache(maxsize=4096)
def _signature_valid(public_raw: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_raw: bytes) -> str:
    """A key as people compare it aloud: the start of its SHA-256 in groups of four."""
    digest = hashlib.sha256(public_raw).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class ExchangeKey:
    private_raw: bytes
    public_raw: bytes


def new_exchange_key() -> ExchangeKey:
    """An X25519 key pair: anyone may seal a key to its public half (see `seal`)."""
    return ExchangeKey(*_raw_pair(X25519PrivateKey.generate()))


def seal(public_raw: bytes, key: bytes, context: bytes) -> bytes:
    """`key` encrypted so that only the holder of the private half of `public_raw` opens
    it: an ephemeral X25519 agreement, HKDF-SHA256, AES-256-GCM with `context` bound."""
    ephemeral = new_exchange_key()
    shared = X25519PrivateKey.from_private_bytes(ephemeral.private_raw).exchange(
        X25519PublicKey.from_public_bytes(public_raw)
    )
    nonce, ciphertext = wrap(_sealing_key(shared, ephemeral.public_raw, public_raw), key, context)
    return ephemeral.public_raw + nonce + ciphertext


def open_sealed(exchange: ExchangeKey, sealed: bytes, context: bytes) -> bytes:
    if len(sealed) != SEALED_KEY_BYTES:
        raise UnwrapError
    ephemeral_public = sealed[:KEY_BYTES]
    nonce = sealed[KEY_BYTES : KEY_BYTES + NONCE_BYTES]
    try:
        shared = X25519PrivateKey.from_private_bytes(exchange.private_raw).exchange(
            X25519PublicKey.from_public_bytes(ephemeral_public)
        )
    except ValueError:  # a low-order point, put there by hand: a damaged sealed key
        raise UnwrapError from None
    key = _sealing_key(shared, ephemeral_public, exchange.public_raw)
    return unwrap(key, nonce, sealed[KEY_BYTES + NONCE_BYTES :], context)


def _sealing_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    info = b"havre sealed key v1" + ephemeral_public + recipient_public
    return HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)


def encrypt_text(key: bytes, text: str, context: bytes) -> bytes:
    """One field encrypted on its own (AES-256-GCM), bound to where it is stored."""
    nonce, ciphertext = wrap(key, text.encode("utf-8"), context)
    return nonce + ciphertext


def decrypt_text(key: bytes, blob: bytes, context: bytes) -> str:
    return unwrap(key, blob[:NONCE_BYTES], blob[NONCE_BYTES:], context).decode("utf-8")


def wipe(buffer: bytearray) -> None:
    """Overwrite key material we own before dropping it (best effort in Python)."""
    for index in range(len(buffer)):
        buffer[index] = 0


class KeyWiped(ValueError):
    """The key was wiped (the desk was locked): nothing can be opened with it any more."""


class KeyHolder:
    """The one copy Havre keeps of a key it needs for a while (an open desk's data key, the
    new key of a rotation), in a bytearray that `wipe` zeroes in place. Whoever needs the
    key reads it here when they need it (the database's connect listener builds its PRAGMA
    from `hex()` at each connection) and lets the copy go, so that wiping the holder leaves
    no copy that Havre keeps. docs/security-model.md says which copies Python and the
    libraries make that cannot be zeroed."""

    __slots__ = ("_buffer", "_wiped")

    def __init__(self, key: bytes | bytearray) -> None:
        self._buffer = bytearray(key)
        self._wiped = False

    def __len__(self) -> int:
        return len(self._buffer)

    def __bytes__(self) -> bytes:
        self._refuse_if_wiped()
        return bytes(self._buffer)

    def __repr__(self) -> str:
        return "KeyHolder(wiped)" if self._wiped else "KeyHolder(...)"

    def hex(self) -> str:
        self._refuse_if_wiped()
        return self._buffer.hex()

    @property
    def wiped(self) -> bool:
        return self._wiped

    def wipe(self) -> None:
        wipe(self._buffer)
        self._wiped = True

    def _refuse_if_wiped(self) -> None:
        if self._wiped:
            raise KeyWiped()


# The age format (age-encryption.org/v1), so that the network's central level can open a
# counts file with the standard `age` tool as well as with Havre.
class AgeError(Exception):
    """Not age data that this identity can open."""


class AgeNotForUs(AgeError):
    """Well-formed age data, encrypted to other recipients only."""


@dataclass(frozen=True)
class AgeIdentity:
    secret: str  # AGE-SECRET-KEY-1...
    recipient: str  # age1...


def new_age_identity() -> AgeIdentity:
    identity = pyrage.x25519.Identity.generate()
    return AgeIdentity(str(identity), str(identity.to_public()))


def is_age_recipient(text: str) -> bool:
    try:
        pyrage.x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        return False
    return text.startswith("age1")


def age_encrypt(recipient: str, plaintext: bytes) -> bytes:
    return bytes(pyrage.encrypt(plaintext, [pyrage.x25519.Recipient.from_str(recipient)]))


def age_decrypt(secret: str, ciphertext: bytes) -> bytes:
    try:
        return bytes(pyrage.decrypt(ciphertext, [pyrage.x25519.Identity.from_str(secret)]))
    except (pyrage.DecryptError, ValueError) as exc:
        # pyrage tells the two apart only by its message (age's NoMatchingKeys).
        if "No matching keys" in str(exc):
            raise AgeNotForUs(str(exc)) from exc
        raise AgeError(str(exc)) from exc
