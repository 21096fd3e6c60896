"""Trying again, a bounded number of times, what another program holds for a moment: on
Windows an antivirus or an indexer opens a file Havre has just written or is about to
rename, and the database's first connection can meet the same lock. The delays and the
sleep are the caller's (tests give a sleep that does not wait)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Try once, then once more after each delay: `len(delays) + 1` tries in all."""

    delays: tuple[float, ...]
    sleep: Callable[[float], None] = time.sleep

    def run(self, action: Callable[[], T], passing: Callable[[Exception], bool]) -> T:
        """What `action` returns; a failure `passing` says may pass is tried again, any
        other failure, or the one of the last try, is raised as it is."""
        for delay in self.delays:
            try:
                return action()
            except Exception as exc:
                if not passing(exc):
                    raise
            self.sleep(delay)
        return action()
