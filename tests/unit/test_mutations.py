"""The fuzz tests' document mutations: each mutant differs from the document in one place,
and the document every mutant is made from stays as it was."""

from __future__ import annotations

import copy
import random

from tests.mutations import mutate_document

DOCUMENT = {
    "format": "havre-counts",
    "version": 1,
    "manifest": {"desk": "AYW", "months": ["2026-03"]},
    "counts": [{"element": "contacts", "value": 4}, {"element": "victims", "value": 3}],
}


def test_the_document_mutated_stays_as_it_was() -> None:
    kept = copy.deepcopy(DOCUMENT)
    mutants = [mutate_document(DOCUMENT, random.Random(seed)) for seed in range(300)]
    assert DOCUMENT == kept
    assert sum(mutant != DOCUMENT for mutant in mutants) > 250


def test_a_mutant_shares_nothing_it_changed_with_the_document() -> None:
    for seed in range(300):
        mutant = mutate_document(DOCUMENT, random.Random(seed))
        mutant_again = copy.deepcopy(mutant)
        mutate_document(DOCUMENT, random.Random(seed + 1000))
        assert mutant == mutant_again
