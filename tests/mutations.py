"""Mutations for the fuzz tests: bytes flipped, cut, inserted; a JSON value, key or type
changed somewhere deep in a document.

Hypothesis drives the random choices (`fuzz`): the runs are the same every time, and a
mutant that breaks a test is shrunk to a small one and printed."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Ten thousand inputs take one to two minutes, more on a busy machine: above the suite's
# default time limit.
FUZZ_TIMEOUT = 600


def fuzz(examples: int) -> Callable[[Callable[[random.Random], None]], Callable[[], None]]:
    """Run the decorated check once per mutant, `examples` times, with a generator whose
    every choice Hypothesis makes."""

    def decorate(check: Callable[[random.Random], None]) -> Callable[[], None]:
        driven = given(st.randoms(use_true_random=False))(check)
        return settings(  # type: ignore[no-any-return]
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )(driven)

    return decorate


NASTY_VALUES: list[Any] = [
    None,
    True,
    -1,
    2**63,
    1.5,
    "7",
    "",
    [],
    {},
    "2026-13",
    "0" * 5000,
    "\u202e",
    10**8,
]


def mutate_bytes(data: bytes, generator: random.Random) -> bytes:
    buffer = bytearray(data)
    kind = generator.randrange(5)
    if kind == 0 and buffer:
        for _ in range(generator.randint(1, 4)):
            buffer[generator.randrange(len(buffer))] ^= 1 << generator.randrange(8)
    elif kind == 1:
        buffer = buffer[: generator.randrange(len(buffer) + 1)]
    elif kind == 2:
        position = generator.randrange(len(buffer) + 1)
        buffer[position:position] = generator.randbytes(generator.randint(1, 16))
    elif kind == 3 and buffer:
        start = generator.randrange(len(buffer))
        del buffer[start : start + generator.randint(1, 64)]
    else:
        buffer += generator.randbytes(generator.randint(1, 64))
    return bytes(buffer)


def mutate_document(document: dict[str, Any], generator: random.Random) -> dict[str, Any]:
    """Change one thing deep in the JSON: a value, a key, a type. The document given is left
    as it is: only the containers on the way to the change are copied."""
    node: Any = document
    path: list[Any] = []
    while isinstance(node, dict | list) and node and generator.random() < 0.8:
        key = (
            generator.choice(list(node))
            if isinstance(node, dict)
            else generator.randrange(len(node))
        )
        path.append(key)
        node = node[key]
    if not path:
        return {"format": "havre-counts", "version": generator.choice(NASTY_VALUES)}
    mutant: dict[str, Any] = dict(document)
    parent: Any = mutant
    for key in path[:-1]:
        parent[key] = dict(parent[key]) if isinstance(parent[key], dict) else list(parent[key])
        parent = parent[key]
    last = path[-1]
    action = generator.randrange(3)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[str(last) + "x"] = parent.pop(last)
    else:
        parent[last] = generator.choice(NASTY_VALUES)
    return mutant
