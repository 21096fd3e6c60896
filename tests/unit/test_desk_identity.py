"""A desk is its signing key (issue 19, point 1): a second key for a known code or NIS code
is not trusted without the desk's signed key change, one desk's numbers never replace
another's, and the import messages name the desk by code and fingerprint.

Written as the attacker: a desk (or anyone who can make a key) claiming another desk's code."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import clock, crypto
from app.domain.key_change import KeyChange
from app.errors import ValidationError
from app.services import counts_export, keys, network
from app.services.network import Outcome
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import TrustedKey
from tests.counts_support import MARCH, TODAY, Network, open_coordinator
from tests.mutations import fuzz, mutate_document

pytestmark = pytest.mark.dates


@pytest.fixture
def impostor(tmp_path: Path, net: Network) -> Iterator[OpenDesk]:
    """Another desk that gave itself the code of the trusted desk SG (and its own NIS)."""
    other = open_coordinator(tmp_path, "impostor", "SG", "21004")
    keys.set_recipient(other, keys.read_recipient(net.key_file(net.hub, "hub-for-impostor.key")))
    yield other
    other.close()


def export_of(desk: OpenDesk, folder: Path, name: str) -> Path:
    target = folder / name
    counts_export.export_counts(desk, MARCH, target, today=TODAY)
    return target


def test_a_second_key_for_a_known_code_is_not_trusted(net: Network, impostor: OpenDesk) -> None:
    known = keys.own_public_key(net.desk).fingerprint
    claimed = keys.read_public_key_file(net.key_file(impostor, "impostor.key"))
    with pytest.raises(ValidationError) as refusal:
        keys.trust(net.hub, claimed)
    assert "SG (NIS 21013) is already trusted with another key" in str(refusal.value)
    assert known in str(refusal.value) and claimed.fingerprint in str(refusal.value)
    assert [k.desk_code for k in keys.trusted_keys(net.hub)] == ["SG"]


def test_a_trusted_key_in_a_file_naming_another_desk_is_refused(net: Network) -> None:
    """Found by the review: the same key under another code was "trusted" again and the
    desk kept its first code without a word."""
    genuine = keys.own_public_key(net.desk)
    renamed = dataclasses.replace(genuine, desk_code="ES", nis_code="62032")
    with pytest.raises(ValidationError) as refusal:
        keys.trust(net.hub, renamed)
    assert "already trusted as SG (NIS 21013), but this file names ES (NIS 62032)" in str(
        refusal.value
    )
    assert [(k.desk_code, k.nis_code) for k in keys.trusted_keys(net.hub)] == [("SG", "21013")]
    keys.trust(net.hub, genuine)  # the same file again is no change, and no refusal


def test_a_second_key_for_a_known_nis_code_is_not_trusted(net: Network, tmp_path: Path) -> None:
    same_place = open_coordinator(tmp_path, "same-place", "SG2", "21013")
    try:
        info = keys.read_public_key_file(net.key_file(same_place, "same-place.key"))
        assert info.nis_code == "21013"
        with pytest.raises(ValidationError, match="already trusted with another key"):
            keys.trust(net.hub, info)
    finally:
        same_place.close()


def test_a_key_claiming_this_desks_own_code_is_not_trusted(net: Network, tmp_path: Path) -> None:
    claims_hub = open_coordinator(tmp_path, "claims-hub", "NET", "21009")
    try:
        info = keys.read_public_key_file(net.key_file(claims_hub, "claims-hub.key"))
        with pytest.raises(ValidationError, match="claims this desk's own code NET"):
            keys.trust(net.hub, info)
    finally:
        claims_hub.close()


def test_a_file_from_a_desk_claiming_a_known_code_says_why_it_is_refused(
    net: Network, impostor: OpenDesk
) -> None:
    [genuine] = network.import_files(net.hub, [net.export()], TODAY)
    assert genuine.outcome is Outcome.ACCEPTED
    assert keys.own_public_key(net.desk).fingerprint in genuine.message
    forged = export_of(impostor, net.folder, "impostor.havre-counts")
    [refused] = network.import_files(net.hub, [forged], TODAY)
    assert refused.outcome is Outcome.REFUSED
    assert "Signed with a key this network does not know for SG" in refused.message
    assert keys.own_public_key(impostor).fingerprint in refused.message
    assert "Older than" not in refused.message


def test_two_keys_trusted_under_one_code_never_replace_each_others_numbers(
    net: Network, impostor: OpenDesk
) -> None:
    """A hub that trusted two keys for SG before Havre refused it (the finding: the second
    desk's revision 2 'replaced revision 1 of SG')."""
    impostor_key = keys.own_public_key(impostor).public_key
    with net.hub.transaction() as session:
        session.add(
            TrustedKey(
                public_key=impostor_key.hex(),
                desk_code="SG",
                desk_name="Desk SG",
                added_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    [genuine] = network.import_files(net.hub, [net.export()], TODAY)
    assert genuine.outcome is Outcome.ACCEPTED
    before = net.merged()
    for name in ("impostor-1.havre-counts", "impostor-2.havre-counts"):
        [refused] = network.import_files(net.hub, [export_of(impostor, net.folder, name)], TODAY)
        assert refused.outcome is Outcome.REFUSED
        assert "was imported from another desk with the same code" in refused.message
        assert crypto.fingerprint(impostor_key) in refused.message
    assert net.merged() == before
    assert net.ledger() == [("2026-03", 1, None)]


def rotate_signing_key(desk: OpenDesk) -> None:
    with desk.transaction() as session:
        keys.replace_signing_key(session)


def test_a_desk_that_replaced_its_key_is_followed_through_its_signed_change(
    net: Network,
) -> None:
    [first] = network.import_files(net.hub, [net.export(name="r1.havre-counts")], TODAY)
    old = keys.own_public_key(net.desk)
    rotate_signing_key(net.desk)
    new = keys.own_public_key(net.desk)
    assert new.public_key != old.public_key
    assert [(c.old_key, c.new_key) for c in new.key_changes] == [(old.public_key, new.public_key)]

    unknown_yet = net.export(name="r2.havre-counts")
    [refused] = network.import_files(net.hub, [unknown_yet], TODAY)
    assert refused.outcome is Outcome.REFUSED
    assert "If SG replaced its key, trust its new public key file first" in refused.message

    trusted = keys.trust(net.hub, keys.read_public_key_file(net.key_file(net.desk, "new.key")))
    assert trusted.replaced is not None and trusted.replaced.public_key == old.public_key
    assert [k.public_key for k in keys.trusted_keys(net.hub)] == [new.public_key]
    [replaced] = network.import_files(net.hub, [unknown_yet], TODAY)
    assert replaced.outcome is Outcome.REPLACED, replaced.message
    assert f"Replaced revision 1 of SG (key {new.fingerprint})" in replaced.message
    assert first.outcome is Outcome.ACCEPTED


def test_a_file_signed_with_a_replaced_key_is_refused(net: Network) -> None:
    signed_before = net.export(name="old-key.havre-counts")
    old = keys.own_public_key(net.desk)
    rotate_signing_key(net.desk)
    keys.trust(net.hub, keys.read_public_key_file(net.key_file(net.desk, "new.key")))
    [refused] = network.import_files(net.hub, [signed_before], TODAY)
    assert refused.outcome is Outcome.REFUSED
    assert "Signed with a key SG (key" in refused.message
    assert "signs nothing any more" in refused.message
    with pytest.raises(ValidationError, match="was replaced by the desk"):
        keys.trust(net.hub, old)


def test_a_key_change_not_signed_by_the_trusted_key_is_refused(
    net: Network, impostor: OpenDesk
) -> None:
    """The impostor writes a key change from SG's key to its own, signed with its own key."""
    genuine = keys.own_public_key(net.desk)
    claimed = keys.read_public_key_file(net.key_file(impostor, "impostor.key"))
    made_at = clock.now()
    with impostor.transaction() as session:
        signing = repositories.signing_key(session)
        assert signing is not None
        forged = KeyChange(genuine.public_key, claimed.public_key, made_at, b"")
        signature = crypto.sign(signing.private_key, forged.signed_bytes())
    forged = dataclasses.replace(forged, signature=signature)
    with pytest.raises(ValidationError, match="does not carry a key change signed by it"):
        keys.trust(net.hub, dataclasses.replace(claimed, nis_code="21013", key_changes=(forged,)))
    assert [k.public_key for k in keys.trusted_keys(net.hub)] == [genuine.public_key]


def test_mutated_public_key_files_with_key_changes_never_pass_for_the_desk(
    net: Network, impostor: OpenDesk
) -> None:
    """A hostile key file built on a genuine rotated one: every mutant is refused with a
    reason, or trusted only when it is the genuine key change itself."""
    rotate_signing_key(net.desk)
    genuine = json.loads(net.key_file(net.desk, "genuine.key").read_bytes())
    new_key = keys.own_public_key(net.desk).public_key
    target = net.folder / "mutant.key"
    outcomes: dict[str, int] = {}

    @fuzz(300)
    def one_mutant(generator: random.Random) -> None:
        target.write_text(json.dumps(mutate_document(genuine, generator)))
        try:
            info = keys.read_public_key_file(target)
            trusted = keys.trust(net.hub, info)
        except ValidationError as refusal:
            assert str(refusal)
            outcomes["refused"] = outcomes.get("refused", 0) + 1
            return
        # Anything trusted is the desk's genuine new key: nothing else got in.
        assert trusted.info.public_key == new_key
        outcomes["trusted"] = outcomes.get("trusted", 0) + 1

    one_mutant()
    assert outcomes.get("refused", 0) > 0
    assert {k.public_key for k in keys.trusted_keys(net.hub)} <= {
        new_key,
        keys.own_public_key(net.desk).key_changes[0].old_key,
    }
