"""The progress channel from long work to whoever shows it (app/progress.py)."""

from __future__ import annotations

import pytest

from app.progress import Cancelled, Progress, ProgressState


def test_steps_are_told_once_a_percent_and_always_at_the_end() -> None:
    seen: list[ProgressState] = []
    progress = Progress(seen.append)
    progress.phase("Importing", total=10_000)
    for done in range(1, 10_001):
        progress.step(done, 10_000)
    steps = [s.done for s in seen[1:]]
    assert len(steps) == 100 and steps[0] == 100 and steps[-1] == 10_000
    assert all(s.text == "Importing" and s.total == 10_000 for s in seen)


def test_a_cancel_is_honoured_only_while_stopping_changes_nothing() -> None:
    progress = Progress()
    progress.phase("Reading")
    assert not progress.cancel()  # a phase that cannot stop: refused
    progress.raise_if_cancelled()
    progress.phase("Previewing", cancellable=True)
    assert progress.cancel()
    with pytest.raises(Cancelled):
        progress.raise_if_cancelled()
    # Asked before the commit, the cancel stops the work at the commit's door.
    with pytest.raises(Cancelled):
        progress.phase("Saving")


def test_listening_again_starts_afresh() -> None:
    progress = Progress()
    progress.phase("Writing", cancellable=True)
    progress.cancel()
    seen: list[ProgressState] = []
    progress.listen(seen.append)
    assert not progress.cancelled
    progress.phase("Writing again")
    assert seen == [ProgressState("Writing again", 0, None, cancellable=False)]
