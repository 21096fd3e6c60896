"""Loaded by Python at start-up when this folder is on PYTHONPATH: moves the process's clock
to HAVRE_TRAVEL_TO (an ISO 8601 moment with its offset), ticking from there.

The tests use it to start processes that see the tests' clock (tests.conftest.clock_env),
and CI to run the suite at awkward moments (a leap day just before midnight, the autumn
night the clocks go back): whatever the application or a library reads from the system
clock then says that day. time-machine moves Python's clock functions, not the C library's,
so this does not touch SQLite or Qt; the application reads its time through app.clock."""

import os

_target = os.environ.get("HAVRE_TRAVEL_TO")
if _target:
    from datetime import datetime

    import time_machine

    # A timestamp, not a datetime: given an aware datetime, time-machine would also set the
    # process's TZ, and the PC's time zone is one of the things a test run must keep.
    time_machine.travel(datetime.fromisoformat(_target).timestamp(), tick=True).start()
