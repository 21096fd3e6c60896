"""`make bench` times the quick exit to the neutral screen painted, not to the desk locked,
and a neutral screen that was never painted is a miss (the budget itself is the bench's)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.conftest import STAFF_PASSWORD
from tests.ui.conftest import sign_in
from tools import bench_desk
from tools.bench import Report
from ui.main_window import MainWindow


def test_the_quick_exit_is_timed_to_the_paint_of_the_neutral_screen(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    # harness: the bench's own paint clock, installed as `make bench` installs it.
    painted = bench_desk._PaintClock()
    window.lock_screen.installEventFilter(painted)
    blank, locked = bench_desk.quick_exit(window, painted)
    assert window.desk is None and window.stack.currentWidget() is window.lock_screen
    assert painted.painted is not None  # seen by the clock, not a stand-in
    assert blank is not None and 0 <= blank < bench_desk.PAINT_WAIT_SECONDS
    assert 0 <= locked


def test_a_neutral_screen_not_painted_is_a_miss() -> None:
    report = Report()
    line = bench_desk.quick_exit_line([0.010, None, 0.020], [0.030, 0.040, 0.050], report)
    assert report.missed == ["quick exit"]
    assert "OVER BUDGET" in line
    assert "not painted within 2 s in 1 of 3 runs" in line
    assert "painted after median 15 ms, worst 20 ms" in line
    assert "locked (drafts kept, database closed) after median 40 ms, worst 50 ms" in line


def test_never_painted_is_a_miss() -> None:
    report = Report()
    line = bench_desk.quick_exit_line([None, None], [0.030, 0.040], report)
    assert report.missed == ["quick exit"]
    assert "neutral screen never painted" in line and "OVER BUDGET" in line


def test_every_neutral_screen_painted_in_time_is_within_budget() -> None:
    within, over = Report(), Report()
    assert bench_desk.quick_exit_line([0.010, 0.200], [0.300, 0.900], within).count(" OK;") == 1
    assert within.missed == []
    # Locking slowly has no budget; painting late does.
    assert "OVER BUDGET" in bench_desk.quick_exit_line([0.010, 0.201], [0.020, 0.030], over)
    assert over.missed == ["quick exit"]
