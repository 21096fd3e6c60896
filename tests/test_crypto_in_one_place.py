"""Cryptographic primitives live in app/crypto.py only: random keys, key derivation, AEAD,
keyed hashes, signatures, sealing, age. Every other module (the key file's format in
app/keyfile.py, the services, the pages, the database layer) goes through it, so that one
module says what Havre's cryptography is. Plain digests of content (hashlib.sha256 of a
document, of an audit event) are not keys and may be taken anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THE_PLACE = ROOT / "app" / "crypto.py"
PACKAGES = ("app", "db", "ui", "tools")
LIBRARIES = {
    "argon2",
    "Crypto",
    "Cryptodome",
    "cryptography",
    "hmac",
    "nacl",
    "OpenSSL",
    "pyrage",
    "secrets",
}
# Key derivation and randomness for keys that the standard library offers beside digests.
FUNCTIONS = {
    ("hashlib", "pbkdf2_hmac"),
    ("hashlib", "scrypt"),
    ("os", "urandom"),
    ("random", "SystemRandom"),
}


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in LIBRARIES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in LIBRARIES:
                found.append(node.module)
            found += [
                f"{node.module}.{a.name}" for a in node.names if (node.module, a.name) in FUNCTIONS
            ]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in FUNCTIONS
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_but_app_crypto_uses_a_cryptographic_library() -> None:
    offences = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != THE_PLACE
        for name in _offences(path)
    ]
    assert offences == []


def test_app_crypto_is_where_they_are_used() -> None:
    assert {"argon2", "cryptography", "hmac", "pyrage", "secrets"} <= {
        name.split(".")[0] for name in _offences(THE_PLACE)
    }


def test_the_checker_sees_each_kind_of_offence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import hashlib\nimport os\nimport secrets\n"
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
        "from hashlib import scrypt\n"
        "digest = hashlib.sha256(b'a document').hexdigest()\n"
        "key = hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1)\n"
        "nonce = os.urandom(12)\n"
    )
    assert _offences(sample) == [
        "secrets",
        "cryptography.hazmat.primitives.ciphers.aead",
        "hashlib.scrypt",
        "hashlib.pbkdf2_hmac",
        "os.urandom",
    ]
