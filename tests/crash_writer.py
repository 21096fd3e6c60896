"""The kill harness (run as its own process by tests/e2e/test_faults.py): a writer process
records intakes in a loop and reports each one after `record_intake` returned; it is killed
with SIGKILL at a random moment, and the database is checked before the next round: it
opens, passes SQLCipher's and SQLite's integrity checks, and holds every reported case.

    python -m tests.crash_writer DATABASE PASSWORD_FILE ROUNDS SEED MAX_DELAY_MS

prints one JSON line: rounds, saves confirmed, the first failure (or null).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from app.services import auth, backup, intake
from tests.factories import named_intake


def write_until_killed(database: Path, password: str, report: int) -> None:
    desk = auth.unlock(database, "rita", password)
    number = 0
    while True:
        number += 1
        saved = intake.record_intake(desk, named_intake(pseudonym=f"Kill {os.getpid()} {number}"))
        os.write(report, f"{saved.case_id}\n".encode())


def case_ids(database: Path, key: bytes) -> set[str]:
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(database))
    try:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return {row[0] for row in connection.execute("SELECT id FROM case_file")}
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    database, password_file = Path(argv[0]), Path(argv[1])
    rounds, seed, max_delay = int(argv[2]), int(argv[3]), int(argv[4]) / 1000
    password = password_file.read_text().strip()
    opened = auth.unlock(database, "rita", password)
    key = opened.data_key()
    opened.close()
    chance = random.Random(seed)
    confirmed: set[str] = set()
    failure: str | None = None
    done = 0
    for done in range(1, rounds + 1):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer: never returns into the harness
            os.close(read_end)
            try:
                write_until_killed(database, password, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        time.sleep(chance.uniform(0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as reported:
            confirmed.update(line.decode() for line in reported.read().split() if line)
        try:
            backup.verify_with_key(database, key)  # opens, both integrity checks, the schema
            missing = confirmed - case_ids(database, key)
        except Exception as exc:
            failure = f"round {done}: {type(exc).__name__}: {exc}"
            break
        if missing:
            failure = f"round {done}: {len(missing)} confirmed saves missing"
            break
    print(json.dumps({"rounds": done, "confirmed": len(confirmed), "failure": failure}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
