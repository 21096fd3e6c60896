"""The sources of directory entries, attacked through packs: the network coordinator (a key
the member desks trust) signs a pack whose sources are malformed, and an outsider edits
the sources of a genuine pack. Each pack is refused whole with a message saying what is
wrong, and the member's directory stays as it was."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import crypto
from app.domain.directory import Source
from app.services import directory, directory_packs, keys
from app.services.desk import create_desk
from app.services.directory_packs import PackRefused
from app.services.open_desk import OpenDesk
from db import directory_queries, repositories
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, DeskFixture, desk_setup


@pytest.fixture
def network(tmp_path: Path) -> Iterator[OpenDesk]:
    """The network coordinator's desk: its key is the one member desks trust."""
    created = create_desk(
        desk_setup(tmp_path / "network.havre", desk_code="NET", desk_name="Réseau"), kdf=FAST_KDF
    )
    opened = DeskFixture(created).unlock("admin", ADMIN_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def member(admin_desk: OpenDesk, network: OpenDesk, tmp_path: Path) -> OpenDesk:
    key_file = tmp_path / "network.havre-key"
    key_file.write_bytes(keys.public_key_file(network))
    keys.trust(admin_desk, keys.read_public_key_file(key_file))
    return admin_desk


def _state(desk: OpenDesk) -> tuple[int, list[str]]:
    with desk.transaction() as session:
        documents = [row.document for row in directory_queries.entries(session)]
    return directory_packs.current_version(desk), documents


def _signed_by_the_network(network: OpenDesk, folder: Path, sources: Any) -> Path:
    """A genuine pack of the network whose first entry's sources are `sources`, signed again
    with the network's own key, as an insider holding it would."""
    genuine = folder / "genuine.havre-directory"
    directory_packs.export_pack(network, genuine, replace=True)
    document = json.loads(genuine.read_text("utf-8"))
    document.pop("signature")
    document["entries"][0]["sources"] = sources
    with network.transaction() as session:
        signing = repositories.signing_key(session)
        assert signing is not None
        canonical = json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        signature = crypto.sign(signing.private_key, canonical)
    document["signature"] = base64.b64encode(signature).decode("ascii")
    crafted = folder / "crafted.havre-directory"
    crafted.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return crafted


@pytest.mark.parametrize(
    ("sources", "reason"),
    [
        ([42], "must give its web address"),
        ([{"url": 42}], "must give its web address"),
        ([{"dated": "2022-10"}], "must give its web address"),
        ([["https://a.be"]], "must give its web address"),
        ([{"url": "javascript:alert(1)", "dated": "2022"}], "is not a web address"),
        ([{"url": "https://a.be/" + "a" * 5000}], "is not a web address"),
        ([{"url": "https://a.be", "dated": "2022-02-30"}], "The date of the source"),
        ([{"url": "https://a.be", "dated": "2022-13"}], "The date of the source"),
        ([{"url": "https://a.be", "dated": "yesterday"}], "The date of the source"),
        ([{"url": "https://a.be", "dated": ["2022"]}], "The date of the source"),
        ([{"url": "https://a.be", "dated": 2022}], "The date of the source"),
        ([{"url": "https://a.be", "dated": ""}], "The date of the source"),
        ("https://a.be", "must be a list of web addresses"),
        ({"url": "https://a.be"}, "must be a list of web addresses"),
    ],
)
def test_a_signed_pack_with_malformed_sources_is_refused_whole(
    network: OpenDesk, member: OpenDesk, tmp_path: Path, sources: Any, reason: str
) -> None:
    before = _state(member)
    crafted = _signed_by_the_network(network, tmp_path, sources)
    with pytest.raises(PackRefused) as refused:
        directory_packs.read_pack(member, crafted)
    assert str(refused.value).startswith("An entry of this pack is not valid:")
    assert reason in str(refused.value)
    assert _state(member) == before


def test_a_well_formed_dated_source_passes_the_same_way(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    """The crafting itself is sound: the same pack with well-formed sources is imported."""
    sources = ["https://a.be/old", {"url": "https://b.be/new", "dated": "2025-12-27"}]
    crafted = _signed_by_the_network(network, tmp_path, sources)
    key = json.loads(crafted.read_text("utf-8"))["entries"][0]["key"]
    directory_packs.apply_pack(member, directory_packs.read_pack(member, crafted))
    assert directory_packs.current_version(member) == 1
    assert directory.entry(member, key).sources == (
        Source("https://a.be/old"),
        Source("https://b.be/new", "2025-12-27"),
    )


def test_sources_dated_by_an_outsider_break_the_signature(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    """Someone who only has the file cannot make an old page look recent."""
    genuine = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, genuine)
    document = json.loads(genuine.read_text("utf-8"))
    entry = next(e for e in document["entries"] if e["key"] == "cpvs-liege")
    entry["sources"] = [
        {"url": s if isinstance(s, str) else s["url"], "dated": "2026-11"} for s in entry["sources"]
    ]
    genuine.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    before = _state(member)
    with pytest.raises(PackRefused, match="changed after it was signed"):
        directory_packs.read_pack(member, genuine)
    assert _state(member) == before
