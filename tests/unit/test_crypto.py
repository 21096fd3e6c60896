from __future__ import annotations

import gc

import pytest

from app import crypto
from app.errors import ValidationError


def test_recovery_key_round_trips_through_sloppy_typing() -> None:
    key = crypto.new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 7 and all(len(g) == 5 for g in groups)
    typed = " ".join(groups).lower().replace("0", "o").replace("1", "l")
    assert crypto.normalize_recovery_key(typed) == key


def test_recovery_key_with_one_wrong_character_is_caught_as_a_typo() -> None:
    key = crypto.new_recovery_key()
    wrong = ("A" if key[0] != "A" else "B") + key[1:]
    with pytest.raises(ValidationError, match="typing error"):
        crypto.normalize_recovery_key(wrong)


@pytest.mark.parametrize("text", ["", "ABCDE", "ABCDE-" * 7 + "X", "UUUUU-" * 6 + "UUUUU"])
def test_malformed_recovery_keys_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        crypto.normalize_recovery_key(text)


def test_wrap_is_bound_to_its_context() -> None:
    key = crypto.new_data_key()
    nonce, wrapped = crypto.wrap(key, b"secret", b"desk-1|slot-1")
    assert crypto.unwrap(key, nonce, wrapped, b"desk-1|slot-1") == b"secret"
    with pytest.raises(crypto.UnwrapError):
        crypto.unwrap(key, nonce, wrapped, b"desk-1|slot-2")
    with pytest.raises(crypto.UnwrapError):
        crypto.unwrap(crypto.new_data_key(), nonce, wrapped, b"desk-1|slot-1")


def test_passwords_are_normalised_before_derivation() -> None:
    params = crypto.KdfParams(1024, 1)
    salt = crypto.new_salt()
    composed, decomposed = "caf\u00e9 crème", "cafe\u0301 cre\u0300me"
    assert crypto.derive_key(composed, salt, params) == crypto.derive_key(decomposed, salt, params)


def test_user_names_hash_case_insensitively_with_the_desk_salt() -> None:
    salt = crypto.new_salt()
    assert crypto.name_hash(salt, " Anna ") == crypto.name_hash(salt, "anna")
    assert crypto.name_hash(salt, "anna") != crypto.name_hash(crypto.new_salt(), "anna")
    assert "anna" not in crypto.name_hash(salt, "anna")


def test_name_hashes_and_key_file_macs_stay_what_desks_already_hold() -> None:
    """Key files written by earlier versions keep opening: the values main computed."""
    assert crypto.name_hash(bytes(range(16)), " Anna ") == (
        "318d05e85b6343e40372f2345431f68e27303f888ce316d9da2c7ae77c47db85"
    )
    assert crypto.key_file_mac(bytes(range(32)), b'{"format":"havre-keyfile"}').hex() == (
        "7c4fe5b482320c8245a34a1a5a1981b163b9fdfe1b9fe8a88f30b921d05b0d44"
    )


def test_a_key_holder_is_zeroed_in_place_and_gives_nothing_once_wiped() -> None:
    key = bytes(range(1, 33))
    holder = crypto.KeyHolder(key)
    [buffer] = [value for value in gc.get_referents(holder) if isinstance(value, bytearray)]
    assert (bytes(holder), holder.hex()) == (key, key.hex())
    assert key.hex() not in repr(holder)
    holder.wipe()
    assert buffer == bytearray(32) and holder.wiped
    with pytest.raises(crypto.KeyWiped):
        bytes(holder)
    with pytest.raises(crypto.KeyWiped):
        holder.hex()


def test_random_characters_come_from_the_alphabet_asked() -> None:
    drawn = crypto.random_characters("ab", 400)
    assert len(drawn) == 400 and set(drawn) == {"a", "b"}


def test_the_real_derivation_at_the_floors_is_argon2id_as_openssl_computes_it() -> None:
    """The derivation with the parameters desks really use (the tests' desks use cheaper
    ones), against another implementation of Argon2id and the key it gave when written:
    a change of algorithm, parameter order or encoding would leave every desk locked. How
    long it takes is for `make bench` to report."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    floors = crypto.KdfParams(crypto.MIN_MEMORY_KIB, crypto.MIN_TIME_COST)
    assert floors == crypto.KdfParams(64 * 1024, 3, 4)
    salt = bytes(range(crypto.SALT_BYTES))
    key = crypto.derive_key("cafe\u0301 harbour", salt, floors)
    openssl = Argon2id(salt=salt, length=32, iterations=3, lanes=4, memory_cost=64 * 1024)
    assert key == openssl.derive("caf\u00e9 harbour".encode())
    assert key.hex() == "be49d2ca4a6f1a452cae5404bb2c3517917908dd42d1c0991f604c97c8a848d8"


@pytest.mark.parametrize(
    ("seconds_per_pass", "first_run_misread", "time_cost"),
    [
        (0.05, 1.0, 7),  # 7 passes: 0.35 s
        (0.02, 1.0, 17),  # 0.34 s
        (0.05, 0.5, 10),  # the first run looked twice as fast: stepped back to 0.5 s
        (0.05, 2.0, 6),  # the first run looked twice as slow: stepped up to 0.3 s
        (0.13, 1.0, 3),  # the floors take 0.39 s already
        (0.2, 1.0, 3),  # the floors win over the window: 0.6 s
        (0.001, 1.0, 40),  # a very fast machine: the pass count is capped
    ],
)
def test_calibration_scales_the_passes_into_the_unlock_window(
    monkeypatch: pytest.MonkeyPatch,
    seconds_per_pass: float,
    first_run_misread: float,
    time_cost: int,
) -> None:
    """The derivation's time modelled as proportional to its passes, so the choice made from
    the timings is checked without depending on how fast or busy the machine is."""
    runs: list[crypto.KdfParams] = []

    def modelled(params: crypto.KdfParams) -> float:
        runs.append(params)
        seconds = params.time_cost * seconds_per_pass
        return seconds * first_run_misread if len(runs) == 1 else seconds

    monkeypatch.setattr(crypto, "time_derivation", modelled)
    params = crypto.calibrate_kdf()
    assert params == crypto.KdfParams(64 * 1024, time_cost, 4)
    assert params == runs[-1]  # what is kept was timed
    if 3 * seconds_per_pass <= 0.5 and time_cost < 40:  # where floors and cap leave room
        assert 0.3 <= time_cost * seconds_per_pass <= 0.5


def test_when_the_steps_run_out_the_last_parameters_timed_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first run looked ten times as fast as it is: the scaled choice is the cap (40
    passes, 2 s here) and the steps down run out before the window. What is kept is the last
    choice timed, not the step after it, which never ran."""
    runs: list[crypto.KdfParams] = []

    def modelled(params: crypto.KdfParams) -> float:
        runs.append(params)
        seconds = params.time_cost * 0.05
        return seconds / 10 if len(runs) == 1 else seconds

    monkeypatch.setattr(crypto, "time_derivation", modelled)
    params = crypto.calibrate_kdf()
    stepped = list(range(40, 40 - crypto.CALIBRATION_STEPS, -1))
    assert [run.time_cost for run in runs] == [3, *stepped]
    assert params == runs[-1] == crypto.KdfParams(64 * 1024, stepped[-1], 4)


def test_signing_key_is_ed25519() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    key = crypto.new_signing_key()
    signature = Ed25519PrivateKey.from_private_bytes(key.private_raw).sign(b"counts")
    Ed25519PublicKey.from_public_bytes(key.public_raw).verify(signature, b"counts")


def test_a_signature_checked_once_says_the_same_for_the_same_bytes_only() -> None:
    """Checks are remembered by their exact bytes: an answer never carries over to a changed
    message, signature or key, and bytes-like values are checked as their bytes."""
    key = crypto.new_signing_key()
    other = crypto.new_signing_key()
    message = b"grant: counsellor"
    signature = crypto.sign(key.private_raw, message)
    for _again in range(2):
        assert crypto.signature_valid(key.public_raw, message, signature)
        assert not crypto.signature_valid(key.public_raw, message + b"!", signature)
        assert not crypto.signature_valid(other.public_raw, message, signature)
        assert not crypto.signature_valid(key.public_raw, message, bytes(64))
    assert crypto.signature_valid(bytearray(key.public_raw), memoryview(message), signature)
    assert not crypto.signature_valid(key.public_raw, "grant: counsellor", signature)  # type: ignore[arg-type]
    assert not crypto.signature_valid(key.public_raw, message, None)  # type: ignore[arg-type]
