"""Havre never opens a network connection: with socket creation made to fail, the self-check
(database, PDF, catalogues, window) and a full unlock still work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NO_SOCKETS = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network use attempted")
class RefusedSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse()
socket.socket = RefusedSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


@pytest.mark.slow
def test_selfcheck_and_unlock_without_sockets(tmp_path: Path) -> None:
    script = (
        NO_SOCKETS
        + f"""
from pathlib import Path
from app.__main__ import main
sys.argv = ["havre", "selfcheck", "--no-crash-dialog"]
status = main()
from app import crypto
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import auth
from app.services.desk import DeskSetup, create_desk
database = Path({str(tmp_path / "desk.havre")!r})
create_desk(DeskSetup(database, "Desk", "SG", "Org", "21013", "", "en",
            NewAccount("anna", "", frozenset({{Role.ADMIN}}), "quiet meadow river 17")),
            kdf=crypto.KdfParams(1024, 1))
auth.lock(auth.unlock(database, "anna", "quiet meadow river 17"))
print("unlocked without network")
sys.exit(status)
"""
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout and "unlocked without network" in result.stdout


def test_the_guard_really_blocks_sockets() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_SOCKETS + "socket.socket()"], capture_output=True, text=True
    )
    assert result.returncode != 0 and "network use attempted" in result.stderr
