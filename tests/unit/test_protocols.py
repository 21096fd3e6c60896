"""Intervention protocols: the first set shipped as drafts, ticks kept on the contact,
versions added by an edit or a pack and never replaced, bad packs refused whole."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from app import crypto
from app.domain.codes import ProtocolStatus
from app.domain.protocols import (
    LANGUAGES,
    Protocol,
    ProtocolUseForm,
    protocol_from_json,
    protocol_to_json,
)
from app.errors import AccessDenied, ValidationError
from app.services import audit_log, cases, directory_packs, intake, protocols
from app.services.directory_packs import PackRefused
from app.services.open_desk import OpenDesk
from db import repositories
from tests.factories import followed, named_intake, protocol_version
from tests.unit.test_directory_packs import member, network  # noqa: F401 (fixtures)


def test_the_first_set_is_drafts_in_the_four_languages() -> None:
    shipped = protocols.bundled()
    assert {p.key for p in shipped} == {
        "immediate_danger",
        "complaint",
        "sexual_violence",
        "legal_aid",
        "child_present",
    }
    for protocol in shipped:
        assert protocol.status is ProtocolStatus.DRAFT and protocol.version == 1
        assert set(protocol.title) == set(LANGUAGES)
        assert all(set(step.text) == set(LANGUAGES) for step in protocol.steps)
        assert protocol.sources


def test_ticks_are_kept_on_the_contact_with_their_version(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    listed = protocols.current(reception)
    complaint = next(p for p in listed if p.key == "complaint")
    ticked = frozenset(complaint.step_ids()[:2])
    saved = intake.record_intake(
        reception,
        named_intake(protocols=(ProtocolUseForm("complaint", complaint.version, ticked),)),
    )
    (use,) = followed(reception, saved.case_id)
    assert use.version == 1 and use.steps == len(complaint.steps)
    (contact,) = cases.case_detail(reception, saved.case_id).timeline
    assert contact.summary.endswith("Protocol The victim wants to file a complaint (2/7)")
    assert use.ticked == tuple(s.text["en"] for s in complaint.steps[:2])

    protocols.save_edit(
        admin_desk,
        complaint,
        "en",
        "The victim wants to file a complaint",
        ["Explain where to file it.", complaint.steps[1].text["en"]],
        ProtocolStatus.APPROVED,
    )
    latest = next(p for p in protocols.current(reception) if p.key == "complaint")
    assert latest.version == 2 and latest.status is ProtocolStatus.APPROVED
    assert latest.steps[1].text == complaint.steps[1].text  # unchanged: translations kept
    assert latest.steps[0].text == {"en": "Explain where to file it."}
    # The contact still shows what the worker ticked, in version 1.
    assert followed(reception, saved.case_id)[0].ticked == use.ticked
    assert protocol_version(reception, "complaint", 1) == complaint
    actions = [e.action for e in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert "protocol.use" in actions and "protocol.edit" in actions


def test_bad_ticks_and_edits_are_refused(reception: OpenDesk, admin_desk: OpenDesk) -> None:
    complaint = next(p for p in protocols.current(reception) if p.key == "complaint")
    for use in (
        ProtocolUseForm("complaint", 1, frozenset({"s99"})),
        ProtocolUseForm("complaint", 7, frozenset()),
    ):
        form = named_intake(protocols=(use,))
        with pytest.raises(ValidationError):
            intake.record_intake(reception, form)
    with pytest.raises(AccessDenied):
        protocols.save_edit(reception, complaint, "en", "x", ["y"], ProtocolStatus.DRAFT)
    with pytest.raises(ValidationError, match="at least one step"):
        protocols.save_edit(admin_desk, complaint, "en", "x", [" "], ProtocolStatus.DRAFT)
    protocols.save_edit(admin_desk, complaint, "en", "x", ["y"], ProtocolStatus.DRAFT)
    with pytest.raises(ValidationError, match="changed meanwhile"):
        protocols.save_edit(admin_desk, complaint, "en", "x", ["z"], ProtocolStatus.DRAFT)


def test_protocols_travel_in_the_signed_pack_and_older_versions_stay(
    network: OpenDesk,  # noqa: F811
    member: OpenDesk,  # noqa: F811
    tmp_path: Path,
) -> None:
    danger = next(p for p in protocols.current(network) if p.key == "immediate_danger")
    protocols.save_edit(
        network, danger, "fr", "Danger immédiat", ["Appeler le 112."], ProtocolStatus.APPROVED
    )
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    preview = directory_packs.read_pack(member, pack)
    assert preview.protocols_added == ("Immediate danger (version 2)",)
    directory_packs.apply_pack(member, preview)
    held = {(p.key, p.version) for p in _all(member)}
    assert ("immediate_danger", 1) in held and ("immediate_danger", 2) in held
    latest = next(p for p in protocols.current(member) if p.key == "immediate_danger")
    assert latest.version == 2 and latest.steps[0].text == {"fr": "Appeler le 112."}


def _all(desk: OpenDesk) -> list[Protocol]:
    with desk.transaction() as session:
        return protocols.all_versions(session)


def _signed(signer: OpenDesk, path: Path, change: object) -> Path:
    """The pack at `path` changed by `change`, then signed again with the network's key:
    a pack the network really made, with a protocol it got wrong."""
    document = json.loads(path.read_text("utf-8"))
    document.pop("signature")
    assert callable(change)
    change(document)
    with signer.transaction() as session:
        signing = repositories.signing_key(session)
    assert signing is not None
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    document["signature"] = base64.b64encode(crypto.sign(signing.private_key, canonical)).decode()
    bad = path.with_name("bad-" + path.name)
    bad.write_text(json.dumps(document), "utf-8")
    return bad


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda d: d["protocols"][0]["steps"].__setitem__(1, None), "Step 2 of the protocol"),
        (lambda d: d["protocols"][0]["steps"][0].update(text={}), "Step 1 of the protocol"),
        (lambda d: d["protocols"][0].update(steps=[]), "has no steps"),
        (lambda d: d["protocols"][0].update(title={"xx": "?"}), "has no title"),
        (
            lambda d: d["protocols"][0]["steps"][0]["text"].update(en="Changed text"),
            "differs from the one this desk already has",
        ),
    ],
)
def test_a_pack_with_a_bad_protocol_is_refused_and_changes_nothing(
    network: OpenDesk,  # noqa: F811
    member: OpenDesk,  # noqa: F811
    tmp_path: Path,
    spoil: object,
    reason: str,
) -> None:
    protocols.current(member)  # the member holds the first set
    before = (directory_packs.current_version(member), _all(member))
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    with pytest.raises(PackRefused, match=reason):
        directory_packs.read_pack(member, _signed(network, pack, spoil))
    assert (directory_packs.current_version(member), _all(member)) == before


def test_protocol_documents_round_trip() -> None:
    for protocol in protocols.bundled():
        assert protocol_from_json(protocol_to_json(protocol)) == protocol
