"""Counts files from a desk to the network: export (signed, age-encrypted, atomic), import
and merge (replay, newer revision, every refusal with its reason, nothing half-merged)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from app import crypto
from app.domain import indicators as ind
from app.domain.codes import AgeGroup, CallerRelation, PersonRole, Sex
from app.domain.intake import ContactForm
from app.domain.periods import Month
from app.errors import StorageError, TargetExists, ValidationError
from app.services import audit_log, counts_export, intake, keys, network
from app.services.network import Outcome
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import CountsExport
from tests.counts_support import MARCH, TODAY, Network, at, hub_secret, open_coordinator
from tests.factories import named_intake

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def reencrypt(net: Network, path: Path, change: object) -> Path:
    """Open a file as the hub can, change its JSON, encrypt it back to the hub."""
    document = json.loads(crypto.age_decrypt(hub_secret(net), path.read_bytes()))
    change(document)  # type: ignore[operator]
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    out = path.with_name("changed-" + path.name)
    out.write_bytes(crypto.age_encrypt(recipient, json.dumps(document).encode()))
    return out


def test_export_then_import_merges_exactly_the_desk_numbers(net: Network) -> None:
    path = net.export()
    assert path.name == "SG_2026-03.havre-counts"
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert b"PVIF" not in path.read_bytes()
    [result] = network.import_files(net.hub, [path], TODAY)
    assert result.outcome is Outcome.ACCEPTED, result.message
    assert (result.desk_code, result.period) == ("SG", "2026-03")
    [merged] = network.desk_counts(net.hub, [MARCH])
    assert merged.value(ind.NEW_VICTIMS, "FEMALE", "A26_40") == 1
    assert merged.value(ind.HOUSING, "OCCUPIED") == 22
    assert merged.values == counts_export.counts.month_counts(net.desk, MARCH, TODAY).values
    assert len(net.merged()) == sum(len(e.combos) for e in ind.ELEMENTS)


def test_the_standard_age_tool_opens_a_counts_file(net: Network, tmp_path: Path) -> None:
    age = shutil.which("age")
    if age is None:
        if os.environ.get("CI"):
            pytest.fail("the age tool is missing: make test-system-deps installs it")
        pytest.skip("the age tool is not installed")
    identity = tmp_path / "hub.age"
    identity.write_text(hub_secret(net) + "\n")
    path = net.export()
    opened = subprocess.run(
        [age, "--decrypt", "-i", str(identity), str(path)], capture_output=True, check=True
    )
    document = json.loads(opened.stdout)
    assert document["format"] == "havre-counts"
    assert document["manifest"]["desk_code"] == "SG"
    assert document["manifest"]["period"] == "2026-03"
    assert document["counts"]["PVIF_CONTACTS"]["VICTIM"] == 5
    signed = json.dumps(
        {"manifest": document["manifest"], "counts": document["counts"]},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    key = bytes.fromhex(document["manifest"]["signing_key"])
    assert crypto.signature_valid(key, signed, bytes.fromhex(document["signature"]))


def test_replay_changes_nothing_and_a_newer_revision_replaces(net: Network) -> None:
    first = net.export(name="first.havre-counts")
    second = net.export(name="second.havre-counts")
    assert [r.outcome for r in network.import_files(net.hub, [first, first], TODAY)] == [
        Outcome.ACCEPTED,
        Outcome.UNCHANGED,
    ]
    before = net.merged()
    [replaced] = network.import_files(net.hub, [second], TODAY)
    assert replaced.outcome is Outcome.REPLACED
    assert "revision 1" in replaced.message and "revision 2" in replaced.message
    assert net.merged() == before  # same numbers, never added together
    ledger = net.ledger()
    assert [(period, revision) for period, revision, _by in ledger] == [
        ("2026-03", 1),
        ("2026-03", 2),
    ]
    assert ledger[0][2] is not None and ledger[1][2] is None
    [older] = network.import_files(net.hub, [first], TODAY)
    assert older.outcome is Outcome.UNCHANGED


def test_an_older_revision_after_a_newer_one_is_refused(net: Network) -> None:
    first = net.export(name="first.havre-counts")
    second = net.export(name="second.havre-counts")
    network.import_files(net.hub, [second], TODAY)
    [older] = network.import_files(net.hub, [first], TODAY)
    assert older.outcome is Outcome.REFUSED
    assert "Older than the file already imported" in older.message


def _next_revision_is(desk: OpenDesk, revision: int) -> None:
    """The desk's next export of March gets `revision` (as if it had made the others)."""
    with desk.transaction() as session:
        session.execute(
            update(CountsExport)
            .where(CountsExport.period == str(MARCH))
            .values(revision=revision - 1)
        )


def test_an_absurd_revision_is_refused_and_a_gap_is_reported(net: Network) -> None:
    """Issue 19, point 11: a validly signed revision 2 147 483 647 was accepted, after which
    the desk's genuine next file was refused for good."""
    [first] = network.import_files(net.hub, [net.export(name="r1.havre-counts")], TODAY)
    assert first.outcome is Outcome.ACCEPTED
    _next_revision_is(net.desk, 2_147_483_647)
    hostile = net.export(name="hostile.havre-counts")
    [refused] = network.import_files(net.hub, [hostile], TODAY)
    assert refused.outcome is Outcome.REFUSED
    assert "Revision 2147483647 for 2026-03 from SG (key " in refused.message
    assert "the last one imported is 1" in refused.message
    _next_revision_is(net.desk, 4)
    [later] = network.import_files(net.hub, [net.export(name="r4.havre-counts")], TODAY)
    assert later.outcome is Outcome.REPLACED
    assert "Revisions 2 to 3 never arrived here." in later.message
    assert [revision for _p, revision, _by in net.ledger()] == [1, 4]


def test_a_month_without_data_is_an_explicit_zero_file(net: Network) -> None:
    path = net.export(Month(2025, 6))
    [result] = network.import_files(net.hub, [path], TODAY)
    assert result.outcome is Outcome.ACCEPTED
    [merged] = network.desk_counts(net.hub, [Month(2025, 6)])
    assert merged.is_empty
    assert len(net.merged()) == sum(len(e.combos) for e in ind.ELEMENTS)


def refusal(net: Network, path: Path) -> str:
    before = (net.merged(), net.ledger())
    [result] = network.import_files(net.hub, [path], TODAY)
    assert result.outcome is Outcome.REFUSED
    assert (net.merged(), net.ledger()) == before
    return result.message


def test_every_refusal_names_its_reason_and_changes_nothing(net: Network, tmp_path: Path) -> None:
    good = net.export()
    network.import_files(net.hub, [good], TODAY)
    # Unknown desk: a desk the hub does not trust.
    stranger = open_coordinator(tmp_path, "stranger", "LG", "62032")
    try:
        keys.set_recipient(stranger, keys.read_recipient(net.key_file(net.hub, "hub2.key")))
        unknown = net.folder / "LG_2026-03.havre-counts"
        counts_export.export_counts(stranger, MARCH, unknown, today=TODAY)
    finally:
        stranger.close()
    assert refusal(net, unknown).startswith("Unknown desk LG")

    # Bad signature: a number changed, its checksum fixed, the signature left.
    def inflate(document: dict[str, object]) -> None:
        counts = document["counts"]
        assert isinstance(counts, dict)
        counts["PVIF_CONTACTS"]["VICTIM"] += 100
        manifest = document["manifest"]
        assert isinstance(manifest, dict)
        manifest["payload_sha256"] = (
            __import__("hashlib").sha256(crypto_canonical(counts)).hexdigest()
        )

    assert refusal(net, reencrypt(net, good, inflate)).startswith("Bad signature")

    # Malformed: the checksum left as it was.
    def no_checksum(document: dict[str, object]) -> None:
        document["counts"]["PVIF_CONTACTS"]["VICTIM"] += 1  # type: ignore[index]

    assert refusal(net, reencrypt(net, good, no_checksum)) == "Malformed (payload checksum)."

    # A schema of a newer version.
    def schema_three(document: dict[str, object]) -> None:
        document["manifest"]["schema_version"] = 3  # type: ignore[index]

    assert "schema version 3" in refusal(net, reencrypt(net, good, schema_three))
    # Not for this recipient.
    keys.set_recipient(net.desk, keys.Recipient("other", crypto.new_age_identity().recipient))
    elsewhere = net.export(name="elsewhere.havre-counts")
    assert refusal(net, elsewhere).startswith("Not for this recipient")
    # Not a counts file at all, and an encrypted file that is not JSON.
    junk = net.folder / "junk.havre-counts"
    junk.write_bytes(b"PK\x03\x04 not a counts file")
    assert refusal(net, junk).startswith("Not a counts file")
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    garbage = net.folder / "garbage.havre-counts"
    garbage.write_bytes(crypto.age_encrypt(recipient, b"\x00\xff not json"))
    assert refusal(net, garbage) == "Malformed (not JSON)."
    truncated = net.folder / "truncated.havre-counts"
    truncated.write_bytes(good.read_bytes()[:-40])
    assert refusal(net, truncated).startswith("Damaged")


def crypto_canonical(value: object) -> bytes:
    from app.domain.counts_document import canonical

    return canonical(value)


def test_a_period_in_the_future_is_refused(net: Network) -> None:
    ahead = net.folder / "SG_2027-01.havre-counts"
    counts_export.export_counts(net.desk, Month(2027, 1), ahead, today=date(2027, 1, 2))
    assert refusal(net, ahead) == "Period 2027-01 is in the future."


def test_export_refusals_leave_the_desk_and_the_target_as_they_were(
    net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = net.folder / "SG_2026-03.havre-counts"
    existing.write_bytes(b"keep me")
    with pytest.raises(TargetExists):
        net.export()
    assert existing.read_bytes() == b"keep me"
    net.export(replace=True)
    assert existing.read_bytes().startswith(b"age-encryption.org/v1")
    with pytest.raises(ValidationError, match=r"must end in \.havre-counts"):
        net.export(name="counts.json")
    with pytest.raises(ValidationError, match="has not started yet"):
        net.export(Month(2026, 12), name="SG_2026-12.havre-counts")

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with net.desk.transaction() as session:
        before = repositories.last_audit_event_id(session)
    with pytest.raises(StorageError, match="No space left on device"):
        net.export(Month(2026, 2))
    assert not (net.folder / "SG_2026-02.havre-counts").exists()
    assert [p.name for p in net.folder.iterdir() if p.name.startswith(".")] == []
    with net.desk.transaction() as session:
        # Only the counts being read is recorded; no export.
        assert repositories.last_audit_event_id(session) == before


def test_without_a_recipient_nothing_is_written(tmp_path: Path, coordinator: OpenDesk) -> None:
    with pytest.raises(ValidationError, match="No recipient"):
        counts_export.export_counts(
            coordinator, MARCH, tmp_path / "SG_2026-03.havre-counts", today=TODAY
        )
    assert not (tmp_path / "SG_2026-03.havre-counts").exists()


def test_a_recipient_must_be_an_age_public_key(coordinator: OpenDesk, tmp_path: Path) -> None:
    plain = tmp_path / "coordinator.txt"
    recipient = crypto.new_age_identity().recipient
    plain.write_text(f"# public key\n{recipient}\n")
    assert keys.read_recipient(plain).age_recipient == recipient
    for text in ("age1notakey", "ssh-ed25519 AAAAC3Nz", "age1a age1b"):
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        with pytest.raises(ValidationError, match="holds no age public key"):
            keys.read_recipient(bad)
    identity = crypto.new_age_identity()
    secret = tmp_path / "coordinator.age"
    secret.write_text(f"# public key: {identity.recipient}\n{identity.secret}\n")
    with pytest.raises(ValidationError, match="holds a secret age key"):
        keys.read_recipient(secret)
    assert keys.recipient(coordinator) is None


def test_a_central_key_made_with_age_keygen_opens_the_file(net: Network, tmp_path: Path) -> None:
    keygen, age = shutil.which("age-keygen"), shutil.which("age")
    if keygen is None or age is None:
        if os.environ.get("CI"):
            pytest.fail("the age tools are missing: make test-system-deps installs them")
        pytest.skip("the age tools are not installed")
    key = tmp_path / "central.txt"
    subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([keygen, "-y", str(key)], check=True, capture_output=True, text=True)
    recipient_file = tmp_path / "central.pub"
    recipient_file.write_text(public.stdout)
    keys.set_recipient(net.desk, keys.read_recipient(recipient_file))
    path = net.export()
    opened = subprocess.run(
        [age, "--decrypt", "-i", str(key), str(path)], capture_output=True, check=True
    )
    assert json.loads(opened.stdout)["counts"]["PVIF_HOUSING_NIGHTS"]["OCCUPIED"] == 22
    # The key file itself holds the secret: refused as a recipient, with the reason.
    with pytest.raises(ValidationError, match="holds a secret age key"):
        keys.read_recipient(key)


def test_a_desk_put_back_to_an_older_copy_is_pointed_out(net: Network) -> None:
    """A later file whose audit log is shorter than an earlier file's: accepted (the numbers
    are the desk's), with a warning that its database went back in time."""
    first = net.export()
    [accepted] = network.import_files(net.hub, [first], TODAY)
    assert "Warning" not in accepted.message
    document = json.loads(crypto.age_decrypt(hub_secret(net), first.read_bytes()))
    manifest = document["manifest"]
    manifest["export_id"] = "0b8e7a4e-7d1e-4c55-9d0a-1f3b2c4d5e6f"
    manifest["revision"] = 2
    written = datetime.fromisoformat(manifest["exported_at"]) + timedelta(days=1)
    manifest["exported_at"] = written.isoformat()  # a day after the first file
    manifest["audit_head"] = manifest["audit_head"] - 10
    with net.desk.transaction() as session:
        signing = repositories.signing_key(session)
        assert signing is not None
        private = signing.private_key
    signed = crypto_canonical({"manifest": manifest, "counts": document["counts"]})
    document["signature"] = crypto.sign(private, signed).hex()
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    older_copy = net.folder / "rolled-back.havre-counts"
    older_copy.write_bytes(crypto.age_encrypt(recipient, crypto_canonical(document)))
    [result] = network.import_files(net.hub, [older_copy], TODAY)
    assert result.outcome is Outcome.REPLACED
    assert "may have been put back to an older copy" in result.message


def test_a_witness_counts_as_a_contact_never_as_a_new_victim_and_her_note_stays_home(
    net: Network, reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    before = counts_export.counts.month_counts(net.desk, MARCH, TODAY)
    witness = ContactForm(
        occurred_at=at(date(2026, 3, 24)),
        role=PersonRole.WITNESS,
        relation=CallerRelation.NEIGHBOUR,
        victim_sex=Sex.FEMALE,
        victim_age=AgeGroup.AGE_26_40,
        note="Marker-note-7731 the lady at number 12",
    )
    intake.record_intake(reception, named_intake("Voisine", contact=witness))

    after = counts_export.counts.month_counts(net.desk, MARCH, TODAY)
    assert after.value(ind.CONTACTS, "WITNESS") == before.value(ind.CONTACTS, "WITNESS") + 1
    # The victim a witness speaks of is not a new victim of the desk: she is counted when
    # she comes herself.
    assert after.value(ind.NEW_VICTIMS, "FEMALE", "A26_40") == 1
    assert after.values[ind.NEW_VICTIMS.code] == before.values[ind.NEW_VICTIMS.code]
    document = crypto.age_decrypt(hub_secret(net), net.export().read_bytes())
    assert b"Marker-note-7731" not in document and b"number 12" not in document
    assert b"neighbour" not in document.lower()
    entries = audit_log.entries(admin_desk, audit_log.AuditFilter())
    # The whole marker: its digits alone may turn up in an id made at random.
    assert entries and not any("Marker-note" in repr(entry) for entry in entries)
    assert not any("number 12" in repr(entry) for entry in entries)
