"""How long work tells how far it is, and learns that the person cancelled it.

A service doing long work takes an optional `Progress`: it names its phases, reports
`step(done, total)`, and calls `raise_if_cancelled()` only where stopping changes nothing
(a preview, an import before its commit, a file not yet written). A phase that cannot be
stopped (a commit, a database being replaced) is started with `cancellable=False`: a cancel
asked before it stops the work there, one asked during it is refused.

Plain Python, no Qt: the GUI (ui/tasks.py) listens, called on the worker's thread, and
cancels from its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import HavreError
from app.i18n import _


class Cancelled(HavreError):
    def __init__(self) -> None:
        super().__init__(_("Cancelled: nothing was changed."))


@dataclass(frozen=True)
class ProgressState:
    text: str
    done: int
    total: int | None  # None while the work does not know its size
    cancellable: bool


class Progress:
    """Thread-safe: the worker writes, the GUI cancels."""

    def __init__(self, report: Callable[[ProgressState], None] | None = None) -> None:
        self._lock = threading.Lock()
        self.listen(report)

    def listen(self, report: Callable[[ProgressState], None] | None) -> None:
        """Start over, told to `report` (a second run of the same work starts afresh)."""
        self._report = report
        self._cancelled = False
        self._state = ProgressState("", 0, None, cancellable=False)
        self._percent = -1

    @property
    def state(self) -> ProgressState:
        return self._state

    def phase(self, text: str, *, cancellable: bool = False, total: int | None = None) -> None:
        """Start a phase; entering one that cannot be stopped is the last point where a
        cancel asked before is honoured."""
        with self._lock:
            if self._state.cancellable and not cancellable and self._cancelled:
                raise Cancelled()
            self._state = ProgressState(text, 0, total, cancellable)
            self._percent = 0  # the phase itself tells the start
        self._tell()

    def step(self, done: int, total: int) -> None:
        # At most one report per percent: a loop of 10 000 entries costs nothing to report.
        percent = 100 * done // total if total > 0 else 100
        with self._lock:
            if percent == self._percent and done != total:
                return
            self._percent = percent
            self._state = ProgressState(self._state.text, done, total, self._state.cancellable)
        self._tell()

    def cancel(self) -> bool:
        """Ask the work to stop; False when it is past the point where it could."""
        with self._lock:
            if self._state.cancellable:
                self._cancelled = True
            return self._cancelled

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def raise_if_cancelled(self) -> None:
        if self._cancelled:
            raise Cancelled()

    def _tell(self) -> None:
        if self._report is not None:
            self._report(self._state)
