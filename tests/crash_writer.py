"""The kill harness (run as its own process by tests/e2e/test_faults.py): a writer process
records intakes in a loop and acknowledges each one, by its contact id on a pipe, once
`record_intake` has returned. Each round the harness waits for the writer's first
acknowledgement, lets it go on writing for a random while, kills it with SIGKILL wherever it
is, and checks the database before the next round: it opens, passes SQLCipher's and
SQLite's integrity checks, and holds every contact acknowledged in this round or before.

Nothing is timed: a slow machine makes the rounds longer, never the verdict different. The
one limit is for a writer that is stuck, with no save at all in STUCK_SECONDS.

    python -m tests.crash_writer DATABASE PASSWORD_FILE ROUNDS SEED MAX_DELAY_MS [FAULT]

FAULT is for the test of the harness itself: "report-early" makes the writer acknowledge a
contact before saving it, which the checks must catch.

Prints one JSON line: rounds done, contacts acknowledged, the fewest acknowledged in one
round, the first failure (or null).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
import time
from pathlib import Path

from app.services import auth, backup, intake
from tests.factories import named_intake

STUCK_SECONDS = 300
REPORT_EARLY = "report-early"


def write_until_killed(database: Path, password: str, report: int, fault: str | None) -> None:
    desk = auth.unlock(database, "rita", password)
    number = 0
    while True:
        number += 1
        form = named_intake(pseudonym=f"Kill {os.getpid()} {number}")
        if fault == REPORT_EARLY:
            os.write(report, f"{form.id}\n".encode())
        saved = intake.record_intake(desk, form)
        if fault != REPORT_EARLY:
            os.write(report, f"{saved.contact_id}\n".encode())


class Acknowledgements:
    """The lines the writer wrote on the pipe, read as they come (a line of a few bytes is
    written whole: pipes do not split writes under PIPE_BUF)."""

    def __init__(self, read_end: int) -> None:
        self.read_end = read_end
        self.pending = b""
        self.lines: list[str] = []
        self.closed = False

    def read_some(self, timeout: float | None) -> None:
        ready, _, _ = select.select([self.read_end], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self.read_end, 65536)
        if not chunk:
            self.closed = True
            return
        *complete, self.pending = (self.pending + chunk).split(b"\n")
        self.lines.extend(line.decode() for line in complete if line)

    def wait_for_first(self) -> bool:
        """Whether the writer acknowledged a save before STUCK_SECONDS without one."""
        deadline = time.monotonic() + STUCK_SECONDS
        while not self.lines and not self.closed:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.read_some(left)
        return bool(self.lines)

    def read_to_end(self) -> None:
        while not self.closed:
            self.read_some(None)
        os.close(self.read_end)


def contact_ids(database: Path, key: bytes) -> set[str]:
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(database))
    try:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return {row[0] for row in connection.execute("SELECT id FROM contact")}
    finally:
        connection.close()


def one_round(
    database: Path, password: str, delay: float, fault: str | None
) -> tuple[list[str], str | None]:
    """Start a writer, kill it after its first acknowledged save and `delay` more seconds:
    the contacts it acknowledged, and why the round failed (None when it did not)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: never returns into the harness
        os.close(read_end)
        try:
            write_until_killed(database, password, write_end, fault)
        finally:
            os._exit(1)
    os.close(write_end)
    acknowledged = Acknowledgements(read_end)
    started = acknowledged.wait_for_first()
    if started:
        time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    acknowledged.read_to_end()
    if not started:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            return acknowledged.lines, f"the writer saved nothing in {STUCK_SECONDS} s: stuck"
        return acknowledged.lines, "the writer stopped before its first save (see stderr)"
    return acknowledged.lines, None


def main(argv: list[str]) -> int:
    database, password_file = Path(argv[0]), Path(argv[1])
    rounds, seed, max_delay = int(argv[2]), int(argv[3]), int(argv[4]) / 1000
    fault = argv[5] if len(argv) > 5 else None
    password = password_file.read_text().strip()
    opened = auth.unlock(database, "rita", password)
    key = opened.data_key()
    opened.close()
    chance = random.Random(seed)
    confirmed: set[str] = set()
    fewest: int | None = None
    failure: str | None = None
    done = 0
    for done in range(1, rounds + 1):
        acknowledged, failure = one_round(database, password, chance.uniform(0, max_delay), fault)
        confirmed.update(acknowledged)
        fewest = len(acknowledged) if fewest is None else min(fewest, len(acknowledged))
        if failure is not None:
            failure = f"round {done}: {failure}"
            break
        try:
            backup.verify_with_key(database, key)  # opens, both integrity checks, the schema
            missing = confirmed - contact_ids(database, key)
        except Exception as exc:
            failure = f"round {done}: {type(exc).__name__}: {exc}"
            break
        if missing:
            failure = f"round {done}: {len(missing)} acknowledged saves missing"
            break
    print(
        json.dumps(
            {"rounds": done, "confirmed": len(confirmed), "fewest": fewest, "failure": failure}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
