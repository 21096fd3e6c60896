"""An insider with one account tries to make a directory entry look verified: a reception or
counsellor account calling the service itself (as a script with the data key could), one
that wrote itself an unsigned coordinator role, and a coordinator who puts a colleague's
name or an older day in the form. The service refuses the first ones and records the
refusal; it stamps the real account and today whatever a form says; and the audit chain
shows who marked what verified. Then the packs: a verifier no form would take, signed by
the network desk's own key, and a name put into a genuine pack by an outsider."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.domain.directory import Verification, Verifier, VerifierKind
from app.errors import AccessDenied, ValidationError
from app.services import audit, audit_log, directory, directory_packs, keys
from app.services.desk import create_desk
from app.services.directory_packs import PackRefused
from app.services.open_desk import OpenDesk
from db import directory_queries
from db.models import AuditEvent
from tests.conftest import (
    ADMIN_PASSWORD,
    FAST_KDF,
    STAFF_PASSWORD,
    DeskFixture,
    desk_setup,
)
from tests.mutations import fuzz, mutate_document
from tests.unit.test_protocols import _signed

ENTRY = "sapv-zone-midi-saint-gilles"  # "to verify" in the shipped directory


def _audit(desk: OpenDesk) -> list[tuple[str | None, str, str | None, str | None, str]]:
    with desk.transaction() as session:
        return [
            (e.user_id, e.action, e.target_type, e.target_id, e.outcome)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


@pytest.mark.parametrize("user", ["rita", "carl"])
def test_an_account_without_the_right_cannot_mark_an_entry_verified(
    desk: DeskFixture, admin_desk: OpenDesk, user: str
) -> None:
    insider = desk.unlock(user, STAFF_PASSWORD)
    try:
        before = directory.entry(admin_desk, ENTRY)
        assert before.verification is Verification.TO_VERIFY
        with pytest.raises(AccessDenied):
            directory.mark_verified(insider, ENTRY)
        with pytest.raises(AccessDenied):  # nor through an edit ticking "verified"
            directory.save(
                insider, replace(before, verification=Verification.VERIFIED), is_new=False
            )
        with pytest.raises(AccessDenied):  # nor read the list of entries due
            directory.due_for_review(insider)
        assert directory.entry(admin_desk, ENTRY) == before
        refusals = [e for e in _audit(admin_desk) if e[1] == audit.ACCESS_DENIED]
        assert (insider.user.id, audit.ACCESS_DENIED, "directory.verify", None, "denied") in (
            refusals
        )
        assert not [e for e in _audit(admin_desk) if e[1] == audit.DIRECTORY_VERIFIED]
    finally:
        insider.close()


def test_a_coordinator_role_the_insider_wrote_itself_gives_no_right(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    with reception.transaction() as session:
        session.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:user, 'coordinator')"),
            {"user": reception.user.id},
        )
    before = directory.entry(admin_desk, ENTRY)
    with pytest.raises(AccessDenied):
        directory.mark_verified(reception, ENTRY)
    assert directory.entry(admin_desk, ENTRY) == before


def test_a_form_naming_someone_else_or_another_day_is_stamped_with_the_real_account(
    coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    stored = directory.entry(coordinator, ENTRY)
    colleague = Verifier(VerifierKind.PERSON, "Ada Admin", "SG", "Permanence Saint-Gilles")
    forged = replace(
        stored,
        verification=Verification.VERIFIED,
        verified_by=colleague,
        last_verified=date(2020, 1, 1),
    )
    saved = directory.save(coordinator, forged, is_new=False)
    assert saved.verified_by is not None and saved.verified_by.name == "Cora"
    assert saved.last_verified != date(2020, 1, 1)
    # The audit chain says who did it, signed by her account, and it verifies.
    verified = [e for e in _audit(admin_desk) if e[1] == audit.DIRECTORY_VERIFIED]
    assert verified == [
        (coordinator.user.id, audit.DIRECTORY_VERIFIED, "directory_entry", ENTRY, "ok")
    ]
    report = audit_log.verify(admin_desk)
    assert report.intact and not report.signatures.unsigned


# -- through a pack --------------------------------------------------------------------------


@pytest.fixture
def network(tmp_path: Path) -> Iterator[OpenDesk]:
    created = create_desk(
        desk_setup(tmp_path / "network.havre", desk_code="NET", desk_name="Réseau"), kdf=FAST_KDF
    )
    opened = DeskFixture(created).unlock("admin", ADMIN_PASSWORD)
    yield opened
    opened.close()


def _member_state(desk: OpenDesk) -> tuple[int, list[str]]:
    with desk.transaction() as session:
        documents = [row.document for row in directory_queries.entries(session)]
    return directory_packs.current_version(desk), documents


@pytest.mark.parametrize(
    ("verifier", "reason"),
    [
        ({"kind": "person", "name": "Ministre " * 400, "desk_code": "NET"}, "at most 120"),
        ({"kind": "person", "name": "Ada\x1b[2JAdmin", "desk_code": "NET"}, "control characters"),
        ({"kind": "person", "name": "Ada", "desk_code": "../../etc"}, "not a desk code"),
        ({"kind": "person", "name": "Ada \u202enimdA", "desk_code": "NET"}, "turn text around"),
    ],
)
def test_a_verifier_the_network_desk_wrote_into_its_own_database_is_refused_by_the_member(
    network: OpenDesk,
    admin_desk: OpenDesk,
    tmp_path: Path,
    verifier: dict[str, str],
    reason: str,
) -> None:
    """An insider at the network desk, holding its data key, writes a verifier no form would
    take into an entry's stored document: the export refuses it, writing nothing; signed by
    hand with the desk's key, every member desk refuses the whole pack, saying why."""
    key_file = tmp_path / "network.havre-key"
    key_file.write_bytes(keys.public_key_file(network))
    keys.trust(admin_desk, keys.read_public_key_file(key_file))
    with network.transaction() as session:
        row = directory_queries.entry_by_key(session, ENTRY)
        assert row is not None
        document = json.loads(row.document)
        document["verified_by"] = verifier
        row.document = json.dumps(document, ensure_ascii=False)
    pack = tmp_path / "v1.havre-directory"
    with pytest.raises(ValidationError, match=f"The entry {ENTRY} cannot be sent in a pack"):
        directory_packs.export_pack(network, pack)
    assert not pack.exists() and directory_packs.current_version(network) == 0
    with network.transaction() as session:
        row = directory_queries.entry_by_key(session, ENTRY)
        assert row is not None
        row.document = json.dumps({**document, "verified_by": None}, ensure_ascii=False)
    directory_packs.export_pack(network, pack)
    forged = _signed(network, pack, lambda d: _set_verifier(d, verifier))
    before = _member_state(admin_desk)
    with pytest.raises(PackRefused, match="An entry of this pack is not valid: .*" + reason):
        directory_packs.read_pack(admin_desk, forged)
    assert _member_state(admin_desk) == before


def _set_verifier(document: dict[str, Any], verifier: dict[str, str]) -> None:
    [entry] = [e for e in document["entries"] if e["key"] == ENTRY]
    entry["verified_by"] = verifier


def test_an_outsider_who_puts_a_name_in_a_genuine_pack_breaks_its_signature(
    network: OpenDesk, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    key_file = tmp_path / "network.havre-key"
    key_file.write_bytes(keys.public_key_file(network))
    keys.trust(admin_desk, keys.read_public_key_file(key_file))
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    document = json.loads(pack.read_text("utf-8"))
    document["entries"][0]["verified_by"] = {
        "kind": "person",
        "name": "Inspecteur régional",
        "desk_code": "NET",
        "desk_name": "Réseau",
    }
    pack.write_text(json.dumps(document), "utf-8")
    before = _member_state(admin_desk)
    with pytest.raises(PackRefused, match="changed after it was signed"):
        directory_packs.read_pack(admin_desk, pack)
    assert _member_state(admin_desk) == before


VERIFIER_MUTANTS = 150


def test_mutated_verifiers_signed_by_the_network_are_refused_cleanly_or_read_whole(
    network: OpenDesk, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    """Verifiers changed every way the mutations know (a field gone, renamed, of another
    type, 5000 characters long, a bidi override…), each signed by the network's key: each
    pack is refused with its reason, or read with a verifier a screen can show; none
    crashes, and the member's directory never changes before an import."""
    key_file = tmp_path / "network.havre-key"
    key_file.write_bytes(keys.public_key_file(network))
    keys.trust(admin_desk, keys.read_public_key_file(key_file))
    directory.mark_verified(network, ENTRY)
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    genuine = next(
        e["verified_by"]
        for e in json.loads(pack.read_text("utf-8"))["entries"]
        if e["key"] == ENTRY
    )
    before = _member_state(admin_desk)
    outcomes = {"refused": 0, "read": 0}

    @fuzz(VERIFIER_MUTANTS)
    def one_mutant(generator: random.Random) -> None:
        verifier = mutate_document({"verified_by": genuine}, generator).get("verified_by")
        forged = _signed(network, pack, lambda d: _set_verifier(d, verifier))
        try:
            preview = directory_packs.read_pack(admin_desk, forged)
        except PackRefused as refusal:
            assert "An entry of this pack is not valid" in str(refusal)
            outcomes["refused"] += 1
        else:
            [entry] = [e for e in preview.pack.entries if e.key == ENTRY]
            shown = entry.verified_by.text() if entry.verified_by else ""
            assert len(shown) < 400 and "\u202e" not in shown
            outcomes["read"] += 1

    one_mutant()
    assert outcomes["refused"] > VERIFIER_MUTANTS // 3
    assert _member_state(admin_desk) == before
