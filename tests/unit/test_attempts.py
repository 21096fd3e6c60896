from __future__ import annotations

from pathlib import Path

from app.services.attempts import AttemptLog, delay_after


def test_delay_grows_after_three_free_attempts_and_is_capped() -> None:
    assert [delay_after(n) for n in range(9)] == [0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert delay_after(40) == 300


def test_delay_survives_a_restart_and_success_resets_it(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    for moment in (100.0, 101.0, 102.0, 103.0):
        AttemptLog(database).record_failure("hash-a", None, moment)
    restarted = AttemptLog(database)
    assert restarted.seconds_to_wait("hash-a", 103.5) == 2  # 4 failures: 2 s after the last
    assert restarted.seconds_to_wait("hash-a", 105.0) == 0
    assert restarted.seconds_to_wait("hash-b", 103.5) == 0
    pending = restarted.succeeded("hash-a")
    assert [p.at for p in pending] == [100.0, 101.0, 102.0, 103.0]
    assert AttemptLog(database).seconds_to_wait("hash-a", 103.5) == 0
    assert AttemptLog(database).succeeded("hash-a") == []


def test_a_damaged_attempts_file_is_not_a_crash(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    (tmp_path / "desk.havre.attempts").write_text("{not json")
    log = AttemptLog(database)
    assert log.seconds_to_wait("hash-a", 0.0) == 0
    log.record_failure("hash-a", "slot", 0.0)
    assert log.succeeded("hash-a")[0].slot_id == "slot"
