"""Time comes from one clock: the application reads it through app.clock, and the tests
set it. A call to the machine's clock anywhere else would make a result depend on the day
(or the hour, or the time zone) a test runs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (object, method) pairs that read the machine's clock or time zone.
WALL_CLOCK = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QTime", "currentTime"),
}
# The clock itself; the benches, which stamp and time real runs; the start-up time the bench
# reads from the first screen; the name of the copy made before a migration (db/ cannot
# import app/); the tests' time travel.
ALLOWED = {
    "app/clock.py",
    "db/migrate.py",
    "app/bench.py",
    "app/bench_counts.py",
    "ui/bench_desk.py",
    "ui/frontend.py",
    "tests/time_travel/sitecustomize.py",
}


def wall_clock_reads(path: Path, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if (owner_name, node.func.attr) in WALL_CLOCK:
                found.append(f"{name}:{node.lineno} {owner_name}.{node.func.attr}()")
            # `moment.astimezone()` with no zone: the PC's zone, not Brussels.
            if node.func.attr == "astimezone" and not node.args and not node.keywords:
                found.append(f"{name}:{node.lineno} .astimezone()")
    return found


def test_nothing_reads_the_machines_clock_but_app_clock() -> None:
    sources = [
        path
        for folder in ("app", "ui", "db", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
    ]
    assert len(sources) > 100
    found = [
        read for path in sources for read in wall_clock_reads(path, str(path.relative_to(ROOT)))
    ]
    assert found == [], "use app.clock (tests: the test_clock fixture):\n" + "\n".join(found)


def test_the_check_sees_a_wall_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime\nx = datetime.date.today()\ny = t.astimezone()\n")
    assert wall_clock_reads(sample, "sample.py") == [
        "sample.py:2 date.today()",
        "sample.py:3 .astimezone()",
    ]
