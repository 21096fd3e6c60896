"""Directory packs between the network coordinator's desk and a member desk: signed,
versioned, previewed, all or nothing; every bad pack refused with its reason."""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete

from app import clock, i18n, keyfile
from app.domain.directory import DirectoryQuery, Origin
from app.errors import AccessDenied, HavreError, KeyFileDamaged, ValidationError
from app.progress import Cancelled, Progress, ProgressState
from app.services import directory, directory_packs, keys
from app.services.desk import create_desk
from app.services.directory_packs import PackRefused
from app.services.open_desk import OpenDesk
from db import directory_queries
from db.models import DirectoryEntryRow, DirectoryOpening
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, DeskFixture, desk_setup
from tests.mutations import FUZZ_TIMEOUT, fuzz, mutate_bytes, mutate_document


@pytest.fixture
def network(tmp_path: Path) -> Iterator[OpenDesk]:
    """The network coordinator's desk (its admin keeps the directory)."""
    created = create_desk(
        desk_setup(tmp_path / "network.havre", desk_code="NET", desk_name="Réseau"), kdf=FAST_KDF
    )
    opened = DeskFixture(created).unlock("admin", ADMIN_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def member(admin_desk: OpenDesk, network: OpenDesk, tmp_path: Path) -> OpenDesk:
    """A member desk that trusts the network coordinator's key."""
    key_file = tmp_path / "network.havre-key"
    key_file.write_bytes(keys.public_key_file(network))
    keys.trust(admin_desk, keys.read_public_key_file(key_file))
    return admin_desk


def _state(desk: OpenDesk) -> tuple[int, list[str]]:
    """The pack version and every stored entry, retired ones included."""
    with desk.transaction() as session:
        documents = [row.document for row in directory_queries.entries(session)]
    return directory_packs.current_version(desk), documents


def test_a_newer_pack_replaces_the_directory_and_keeps_local_entries(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    seniors = directory.entry(network, "respect-seniors")
    directory.save(
        network,
        replace(
            seniors, key="maison-des-femmes", names={"fr": "Maison des femmes", "nl": "Vrouwenhuis"}
        ),
        is_new=True,
    )
    directory.save(network, replace(seniors, phone="0800 30 331"), is_new=False)
    directory.retire(network, "olista")
    mine = replace(
        seniors, key="cellule-locale", names={"fr": "Cellule locale"}, origin=Origin.LOCAL
    )
    directory.save(member, mine, is_new=True)

    pack_file = tmp_path / "v1.havre-directory"
    pack = directory_packs.export_pack(network, pack_file)
    assert pack.version == 1 and "cellule-locale" not in {e.key for e in pack.entries}
    preview = directory_packs.read_pack(member, pack_file)
    assert preview.current_version == 0
    today = i18n.format_date(clock.today())
    assert preview.added == (
        f"Maison des femmes — Verified by Ada Admin (desk NET, Réseau) on {today}.",
    )
    assert preview.changed == (f"{seniors.name('en')} — {seniors.verified_text()}",)
    assert preview.retired == (directory.entry(member, "olista").name("en"),)
    assert directory.entry(member, "respect-seniors").phone == "0800 30 330"  # not yet

    directory_packs.apply_pack(member, preview)
    assert directory_packs.current_version(member) == 1
    assert directory.entry(member, "respect-seniors").phone == "0800 30 331"
    assert directory.entry(member, "olista").retired
    assert directory.entry(member, "cellule-locale").origin is Origin.LOCAL
    found = directory.search(member, DirectoryQuery(text="vrouwenhuis")).hits
    assert [h.entry.key for h in found] == ["maison-des-femmes"]

    with pytest.raises(PackRefused, match="only a newer pack"):
        directory_packs.read_pack(member, pack_file)  # the same pack again
    directory_packs.export_pack(network, tmp_path / "v2.havre-directory")
    assert directory_packs.read_pack(member, tmp_path / "v2.havre-directory").unchanged > 50


def _cancelled_halfway(progress: list[Progress], phase: str) -> Progress:
    """A progress the person cancels once the phase `phase` is half done."""

    def told(state: ProgressState) -> None:
        if state.text == phase and state.total and 2 * state.done >= state.total:
            progress[0].cancel()

    progress.append(Progress(told))
    return progress[0]


def test_reading_and_importing_a_pack_report_progress_and_a_cancel_changes_nothing(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    pack_file = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack_file)
    before = _state(member)
    for phase in (
        i18n._("Checking the entries of the pack…"),
        i18n._("Comparing the pack with the directory…"),
    ):
        with pytest.raises(Cancelled):
            directory_packs.read_pack(member, pack_file, _cancelled_halfway([], phase))
    seen: list[ProgressState] = []
    preview = directory_packs.read_pack(member, pack_file, Progress(seen.append))
    entries = len(preview.pack.entries)
    assert entries > 50 and all(s.cancellable for s in seen)
    assert (seen[-1].done, seen[-1].total) == (entries, entries)
    # Reported at most once a percent: a pack of 10 000 entries is not slowed down.
    assert len(seen) <= 3 * 102

    importing = i18n._("Importing the directory pack…")
    with pytest.raises(Cancelled):
        directory_packs.apply_pack(member, preview, _cancelled_halfway([], importing))
    assert _state(member) == before  # nothing half imported

    seen.clear()
    directory_packs.apply_pack(member, preview, Progress(seen.append))
    assert [(s.done, s.total) for s in seen if s.text == importing][-1] == (entries, entries)
    assert not seen[-1].cancellable  # the commit cannot be stopped
    assert directory_packs.current_version(member) == 1


def test_an_entry_the_network_no_longer_lists_is_retired(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    directory_packs.apply_pack(
        member, directory_packs.read_pack(member, _export(network, tmp_path, "v1"))
    )
    seniors = directory.entry(member, "respect-seniors")
    directory.save(member, replace(seniors, key="only-in-member-pack-area"), is_new=True)
    preview = directory_packs.read_pack(member, _export(network, tmp_path, "v2"))
    assert preview.retired == (seniors.name("en"),)
    directory_packs.apply_pack(member, preview)
    assert directory.entry(member, "only-in-member-pack-area").retired


def _export(desk: OpenDesk, folder: Path, name: str) -> Path:
    path = folder / f"{name}.havre-directory"
    directory_packs.export_pack(desk, path)
    return path


def _rewrite(path: Path, change: object) -> Path:
    document = json.loads(path.read_text("utf-8"))
    assert callable(change)
    change(document)
    bad = path.with_name("bad-" + path.name)
    bad.write_text(json.dumps(document), "utf-8")
    return bad


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda d: d["entries"][0].update(phone="0800 00 000"), "changed after it was signed"),
        (lambda d: d.pop("signature"), "not signed"),
        (lambda d: d.update(schema=2), "another version of Havre"),
        (lambda d: d.update(format="something"), "not a directory pack"),
        (lambda d: d.update(signature=base64.b64encode(b"x" * 64).decode()), "changed after"),
    ],
)
def test_a_spoilt_pack_is_refused_with_its_reason_and_changes_nothing(
    network: OpenDesk, member: OpenDesk, tmp_path: Path, spoil: object, reason: str
) -> None:
    before = _state(member)
    bad = _rewrite(_export(network, tmp_path, "v1"), spoil)
    with pytest.raises(PackRefused, match=reason):
        directory_packs.read_pack(member, bad)
    assert _state(member) == before


def test_truncated_foreign_and_untrusted_packs_are_refused(
    network: OpenDesk, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    good = _export(network, tmp_path, "v1")
    before = _state(admin_desk)
    with pytest.raises(PackRefused, match="does not trust"):
        directory_packs.read_pack(admin_desk, good)  # the key was never trusted
    cut = tmp_path / "cut.havre-directory"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    picture = tmp_path / "photo.havre-directory"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    for path in (cut, picture, tmp_path / "missing.havre-directory"):
        with pytest.raises(PackRefused, match="not a directory pack"):
            directory_packs.read_pack(admin_desk, path)
    assert _state(admin_desk) == before


def test_brackets_nested_deeper_than_python_reads_are_refused_cleanly(
    member: OpenDesk, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    """A pack, a public key file and a key file of 200 000 nested brackets (a hostile
    file): each a refusal that says what it is, no "unexpected error"."""
    deep = b"[" * 200_000 + b"]" * 200_000
    pack = tmp_path / "deep.havre-directory"
    pack.write_bytes(b'{"format": "havre-directory-pack", "entries": ' + deep + b"}")
    before = _state(member)
    with pytest.raises(PackRefused, match="not a directory pack"):
        directory_packs.read_pack(member, pack)
    assert _state(member) == before
    public = tmp_path / "deep.havre-key"
    public.write_bytes(deep)
    with pytest.raises(ValidationError):
        keys.read_public_key_file(public)
    key_file = tmp_path / "deep.havre.key"
    key_file.write_bytes(b'{"slots": ' + deep + b"}")
    with pytest.raises(KeyFileDamaged):
        keyfile.read(key_file)


def test_mutated_packs_never_crash_and_never_half_import(
    network: OpenDesk, member: OpenDesk, tmp_path: Path
) -> None:
    good = _export(network, tmp_path, "v1").read_bytes()
    before = _state(member)
    rng = random.Random(4)
    mutated = tmp_path / "mutated.havre-directory"
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        mutated.write_bytes(bytes(data))
        try:
            preview = directory_packs.read_pack(member, mutated)
        except PackRefused:
            assert _state(member) == before
            continue
        # Only a flip that leaves the signed content intact (in the layout) gets here.
        assert preview.pack.version == 1
    assert directory_packs.current_version(member) == 0


def test_only_coordinators_and_admins_handle_packs_and_keys(
    network: OpenDesk, desk: DeskFixture, tmp_path: Path
) -> None:
    reception = desk.unlock("rita", STAFF_PASSWORD)
    try:
        with pytest.raises(AccessDenied):
            directory_packs.export_pack(reception, tmp_path / "x.havre-directory")
        with pytest.raises(AccessDenied):
            keys.public_key_file(reception)
    finally:
        reception.close()
    own = tmp_path / "own.havre-key"
    own.write_bytes(keys.public_key_file(network))
    with pytest.raises(ValidationError, match="own key"):
        keys.trust(network, keys.read_public_key_file(own))
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("hello")
    with pytest.raises(ValidationError, match="not a Havre public key file"):
        keys.read_public_key_file(not_a_key)


# Ten thousand mutated packs: each is refused with a reason before anything changes (the
# signature covers every entry), none crashes, the directory stays as it was.
PACK_MUTANTS = 10_000


@pytest.mark.slow
@pytest.mark.timeout(FUZZ_TIMEOUT)
def test_ten_thousand_mutated_packs(network: OpenDesk, member: OpenDesk, tmp_path: Path) -> None:
    # A pack of three entries: the mutations land on its structure, its signature and its
    # protocols rather than deep in fifty entries alike, and ten thousand are read quickly.
    with network.transaction() as session:
        dropped = [row.id for row in directory_queries.entries(session)[3:]]
        session.execute(delete(DirectoryOpening).where(DirectoryOpening.entry_id.in_(dropped)))
        session.execute(delete(DirectoryEntryRow).where(DirectoryEntryRow.id.in_(dropped)))
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    original = pack.read_bytes()
    document = json.loads(original)
    assert len(document["entries"]) == 3
    before = _state(member)
    outcomes = {"refused": 0, "accepted": 0}
    target = tmp_path / "mutant.havre-directory"
    started = time.monotonic()

    @fuzz(PACK_MUTANTS)
    def one_mutant(generator: random.Random) -> None:
        if generator.random() < 0.5:
            mutant = mutate_bytes(original, generator)
        else:
            changed = mutate_document(document, generator)
            mutant = json.dumps(changed).encode()
        target.write_bytes(mutant)
        try:
            directory_packs.read_pack(member, target)
        except HavreError as refusal:
            assert str(refusal)
            outcomes["refused"] += 1
        else:
            outcomes["accepted"] += 1  # formatting only: the same signed pack, previewed

    one_mutant()
    refused, accepted = outcomes["refused"], outcomes["accepted"]
    assert refused + accepted == PACK_MUTANTS and accepted < PACK_MUTANTS * 0.05
    assert _state(member) == before
    print(f"{PACK_MUTANTS} mutated packs in {time.monotonic() - started:.1f} s: {refused} refused")
