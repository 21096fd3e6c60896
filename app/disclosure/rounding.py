"""Rounding to base 5 that keeps its promises (docs/disclosure-control.md).

Each atom (one cell, one municipality, one month) is rounded down or up to a multiple of 5,
up with probability (n mod 5) / 5, the draw fixed by a keyed hash of the atom and its
value under the register's secret: the same number is always published the same way, and
nobody without the secret can tell which way a number went. Every published number is the
sum of the rounded atoms behind it, so municipalities add up to the network and cells add
up to totals; no published count is from 1 to 4.
"""

from __future__ import annotations

from app import crypto
from app.disclosure.model import Atom
from app.domain import disclosure

BASE = disclosure.BASE


def rounded(atom: Atom, value: int, secret: bytes) -> int:
    remainder = value % BASE
    if remainder == 0:
        return value
    message = f"{atom.period}|{atom.element}|{atom.combo}|{atom.nis}|{value}".encode()
    digest = crypto.keyed_digest(secret, message)
    draw = int.from_bytes(digest[:8], "big") / 2**64
    return value - remainder + (BASE if draw < remainder / BASE else 0)


def spread(atoms: int) -> int:
    """How far a sum of `atoms` rounded atoms can be from the true sum."""
    return (BASE - 1) * atoms
