"""Time comes from one clock: the application reads it through app.clock, and the tests
set it. A call to the machine's clock anywhere else would make a result depend on the day
(or the hour, or the time zone) a test runs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (object, method) pairs that read the machine's clock.
WALL_CLOCK = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"),
    ("QTime", "currentTime"),
}
# Calls that take the machine's clock, or its time zone, when given no more than this many
# arguments (the time, or nothing).
PC_ZONE_UNLESS_MORE_THAN = {
    ("datetime", "fromtimestamp"): 1,
    ("date", "fromtimestamp"): 1,
    ("QDateTime", "fromSecsSinceEpoch"): 1,
    ("QDateTime", "fromMSecsSinceEpoch"): 1,
    ("time", "localtime"): 1,
    ("time", "gmtime"): 0,
    ("time", "ctime"): 0,
    ("time", "strftime"): 1,
    ("time", "mktime"): 1,
}
# The clock itself; the benches, which stamp and time real runs; the start-up time the bench
# reads from the first screen; the name of the copy made before a migration (db/ cannot
# import app/).
ALLOWED = {
    "app/clock.py",
    "db/migrate.py",
    "tools/bench.py",
    "tools/bench_counts.py",
    "tools/bench_desk.py",
    "ui/frontend.py",
}


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Names bound by `import x as y` and `from m import x as y`, to what they stand for."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name.rsplit(".", 1)[-1]
    return bound


def wall_clock_reads(path: Path, name: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        call = (aliases.get(owner_name, owner_name), node.func.attr)
        given = len(node.args) + len(node.keywords)
        if call in WALL_CLOCK or given <= PC_ZONE_UNLESS_MORE_THAN.get(call, -1):
            found.append(f"{name}:{node.lineno} {call[0]}.{call[1]}()")
        # `moment.astimezone()` with no zone, `qt_moment.toLocalTime()`: the PC's zone.
        elif node.func.attr in ("astimezone", "toLocalTime") and not given:
            found.append(f"{name}:{node.lineno} .{node.func.attr}()")
    return found


def test_nothing_reads_the_machines_clock_but_app_clock() -> None:
    sources = [
        path
        for folder in ("app", "ui", "db", "tools", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
    ]
    assert len(sources) > 100
    found = [
        read for path in sources for read in wall_clock_reads(path, str(path.relative_to(ROOT)))
    ]
    assert found == [], "use app.clock (tests: the test_clock fixture):\n" + "\n".join(found)


def test_the_check_sees_a_wall_clock_read(tmp_path: Path) -> None:
    # The reads are spelled with placeholders: this file is itself checked for such reads
    # (and so is every test, by the reviewers' searches).
    words = {"today": "today", "now": "now"}
    sample = tmp_path / "sample.py"
    sample.write_text(
        "\n".join(
            line.format(**words)
            for line in (
                "import datetime",
                "from datetime import datetime as dt",
                "x = datetime.date.{today}()",
                "y = t.astimezone()",
                "z = dt.{now}()",
                "a = dt.fromtimestamp(0)",
                "b = dt.fromtimestamp(0, UTC)",
                "c = QDateTime.fromSecsSinceEpoch(0)",
                "d = moment.toLocalTime()",
                "e = time.strftime('%H')",
            )
        )
        + "\n"
    )
    assert wall_clock_reads(sample, "sample.py") == [
        line.format(**words)
        for line in (
            "sample.py:3 date.{today}()",
            "sample.py:4 .astimezone()",
            "sample.py:5 datetime.{now}()",
            "sample.py:6 datetime.fromtimestamp()",
            "sample.py:8 QDateTime.fromSecsSinceEpoch()",
            "sample.py:9 .toLocalTime()",
            "sample.py:10 time.strftime()",
        )
    ]
