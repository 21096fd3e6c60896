"""Ten thousand mutated counts files: none crashes the import, none is half-merged, and
only files that are still valid (a mutation that changed nothing that matters) get in."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import crypto
from app.services import keys, network
from app.services.network import Outcome
from db.models import NetworkCount, ReceivedCounts
from tests.counts_support import MARCH, TODAY, Network, hub_secret
from tests.mutations import FUZZ_TIMEOUT, fuzz, mutate_bytes, mutate_document

FILES = 10_000


@pytest.mark.slow
@pytest.mark.timeout(FUZZ_TIMEOUT)
def test_ten_thousand_mutated_files(net: Network, tmp_path: Path) -> None:
    good = net.export(MARCH)
    network.import_files(net.hub, [good], TODAY)
    with net.hub.transaction() as session:
        rows_before = session.scalar(select(func.count()).select_from(NetworkCount))
        files_before = session.scalar(select(func.count()).select_from(ReceivedCounts))
    snapshot = net.merged()
    plaintext = crypto.age_decrypt(hub_secret(net), good.read_bytes())
    parsed = json.loads(plaintext)
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    outcomes: dict[Outcome, int] = {}
    target = tmp_path / "mutant.havre-counts"
    started = time.monotonic()

    @fuzz(FILES)
    def one_mutant(generator: random.Random) -> None:
        layer = generator.randrange(4)
        if layer < 2:  # the encrypted file itself
            content = mutate_bytes(good.read_bytes(), generator)
        elif layer == 2:  # its content, encrypted again to the hub
            content = crypto.age_encrypt(recipient, mutate_bytes(plaintext, generator))
        else:  # its JSON structure
            document = mutate_document(parsed, generator)
            content = crypto.age_encrypt(recipient, json.dumps(document).encode())
        target.write_bytes(content)
        [result] = network.import_files(net.hub, [target], TODAY)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        assert result.message
        assert result.outcome in (Outcome.REFUSED, Outcome.UNCHANGED), result

    one_mutant()
    elapsed = time.monotonic() - started
    # Every mutant was refused or was the same file again; the merged numbers never moved.
    assert net.merged() == snapshot
    with net.hub.transaction() as session:
        assert session.scalar(select(func.count()).select_from(NetworkCount)) == rows_before
        assert session.scalar(select(func.count()).select_from(ReceivedCounts)) == files_before
    assert sum(outcomes.values()) == FILES
    assert outcomes[Outcome.REFUSED] > FILES * 0.9
    print(f"{FILES} mutated files in {elapsed:.1f} s: {outcomes}")


@pytest.mark.parametrize("where", ["whole", "counts", "manifest"])
def test_brackets_nested_deeper_than_python_reads_are_refused_cleanly(
    net: Network, where: str
) -> None:
    """Issue 19, point 6 (written as the hostile desk): 200 000 nested brackets, encrypted
    to the hub as a real file would be, are a refusal with a reason, not an error."""
    deep = "[" * 200_000 + "]" * 200_000
    plaintext = {
        "whole": deep,
        "counts": '{"format": "havre-counts", "version": 1, "counts": ' + deep + "}",
        "manifest": '{"format": "havre-counts", "version": 1, "manifest": ' + deep + "}",
    }[where]
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    hostile = net.folder / "deep.havre-counts"
    hostile.write_bytes(crypto.age_encrypt(recipient, plaintext.encode()))
    before = net.merged()
    [result] = network.import_files(net.hub, [hostile], TODAY)
    assert result.outcome is Outcome.REFUSED
    assert result.message == "Malformed (not JSON)."
    assert net.merged() == before
