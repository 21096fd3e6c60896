"""Date-time fields show and give back the desk's wall clock (Brussels), whatever the PC's
time zone: a session or a contact typed at 00:30 on the 1st belongs to that month, and a
Brussels time the PC's zone skips in spring stays what was typed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from app import clock
from tests.conftest import TestClock, clock_env
from ui.dialogs.session_dialog import SessionDialog
from ui.widgets.dates import datetime_edit, moment_of, qdatetime

pytestmark = pytest.mark.dates

# 00:30 on 1 December in Brussels: still 30 November in UTC and further west.
FIRST_OF_THE_MONTH = datetime(2026, 12, 1, 0, 30, tzinfo=clock.BRUSSELS)


def test_a_new_session_is_held_now_on_the_desks_clock(qtbot: QtBot) -> None:
    dialog = SessionDialog("SG-2026-0001", save=None)
    qtbot.addWidget(dialog)
    held = dialog.session().held_at
    now = clock.local_now()
    assert held.tzinfo is not None
    assert clock.local_day(held) == clock.today()
    assert abs((held - now).total_seconds()) < 120  # the field shows minutes


def test_a_session_shown_again_keeps_its_time(qtbot: QtBot, test_clock: TestClock) -> None:
    test_clock.set(FIRST_OF_THE_MONTH)
    dialog = SessionDialog("SG-2026-0001", save=None)
    qtbot.addWidget(dialog)
    assert dialog.session().held_at == FIRST_OF_THE_MONTH
    assert clock.local_day(dialog.session().held_at).month == 12
    assert dialog.held_at.text() == "01/12/2026 00:30"


# Run with the PC in London, whose clocks skip 01:00-02:00 on 28 March 2027 while Brussels
# is then at 01:xx and 02:xx a UTC hour earlier: the fields must not care.
LONDON_SCRIPT = """
    from datetime import datetime
    from PySide6.QtWidgets import QApplication
    from app import clock
    from ui.widgets.dates import datetime_edit, moment_of, qdatetime
    from ui.widgets.field_set import FieldSet

    app = QApplication([])
    for text in ("2027-03-28T01:30", "2026-10-25T02:30", "2026-12-01T00:30"):
        typed = datetime.fromisoformat(text).replace(tzinfo=clock.BRUSSELS)
        edit = datetime_edit(typed)
        shown = (edit.text(), moment_of(edit).isoformat())
        fields = FieldSet()  # a draft kept across a lock, then put back
        fields.widgets["when"] = edit
        kept = fields.values()
        edit.setDateTime(qdatetime(datetime(2030, 1, 1, tzinfo=clock.BRUSSELS)))
        fields.set_values(kept)
        print(text, *shown, "| draft", edit.text(), moment_of(edit).isoformat())
"""


def test_the_fields_ignore_the_pcs_time_zone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LONDON_SCRIPT)],
        env={**clock_env(), "TZ": "Europe/London", "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{text} {shown} {moment} | draft {shown} {moment}"
        for text, shown, moment in (
            ("2027-03-28T01:30", "28/03/2027 01:30", "2027-03-28T01:30:00+01:00"),
            ("2026-10-25T02:30", "25/10/2026 02:30", "2026-10-25T02:30:00+02:00"),
            ("2026-12-01T00:30", "01/12/2026 00:30", "2026-12-01T00:30:00+01:00"),
        )
    ]


def test_a_moment_goes_through_a_field_unchanged(qtbot: QtBot) -> None:
    edit = datetime_edit(FIRST_OF_THE_MONTH)
    qtbot.addWidget(edit)
    assert moment_of(edit) == FIRST_OF_THE_MONTH
    edit.setDateTime(qdatetime(FIRST_OF_THE_MONTH.astimezone(clock.BRUSSELS).replace(hour=23)))
    assert moment_of(edit) == FIRST_OF_THE_MONTH.replace(hour=23)
