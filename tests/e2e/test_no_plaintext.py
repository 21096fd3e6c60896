"""No plaintext anywhere (issue 7, point 6): a scripted day at a desk with marker strings in
every personal field, then every file Havre wrote (database, WAL, key file, attempt log,
logs, temporary files, printed PDF, counts file, backup, audit export) is scanned for the
markers. None may appear outside the encrypted database."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest

from app import clock, logging_setup
from app.domain.accounts import NewAccount
from app.domain.cases import CaseQuery
from app.domain.codes import RiskLevel, RiskTool
from app.domain.intake import IdentityForm
from app.domain.periods import Month
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import WrongCredentials
from app.services import (
    accounts,
    audit_log,
    auth,
    backup,
    cases,
    counts_export,
    intake,
    keys,
    printing,
    sessions,
)
from app.services.printing import Layout, Material, PrintRequest
from tests.conftest import COORDINATOR_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

MARKERS = (
    "Zorglubette",  # pseudonym
    "0499 77 31 58",  # phone
    "zorg.marker@example.org",  # e-mail
    "tournesol-bleu",  # code word
    "Notesmarqueur confidentiel",  # counselling notes
)


def variants(marker: str) -> list[bytes]:
    """How a marker could sit in a file: UTF-8, UTF-16 (both orders), case-folded."""
    texts = {marker, marker.lower(), marker.upper(), marker.replace(" ", "")}
    found: list[bytes] = []
    for text in texts:
        found += [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return found


def scan(folder: Path) -> list[str]:
    leaks = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        for marker in MARKERS:
            if any(variant in content for variant in variants(marker)):
                leaks.append(f"{path.relative_to(folder)}: {marker}")
    return leaks


@pytest.mark.slow
def test_a_day_at_the_desk_leaves_no_plaintext(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = desk.database.parent
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    logs = tmp_path / "logs"
    log_file = logging_setup.setup_logging(logs)
    try:
        reception = desk.unlock("rita", STAFF_PASSWORD)
        form = named_intake(
            MARKERS[0],
            identity=IdentityForm(
                pseudonym=MARKERS[0], phone=MARKERS[1], email=MARKERS[2], code_word=MARKERS[3]
            ),
        )
        saved = intake.record_intake(reception, form)
        request = PrintRequest(Material.BROCHURE, "fr", "21013", Layout.A5_BOOKLET)
        printing.save_pdf(printing.make_for_desk(reception, request).pdf, tmp_path / "out.pdf")
        printing.record_handout(reception, request, case_id=saved.case_id)
        auth.lock(reception)
        counsellor = desk.unlock("carl", STAFF_PASSWORD)
        session_form = SessionForm(
            clock.now(),
            risk_tool=RiskTool.RTI,
            risk_level=RiskLevel.HIGH,
            notes=MARKERS[4],
        )
        sessions.add_session(counsellor, saved.case_id, session_form)
        assert scan(work) == [] and scan(temporary) == []  # while the desk is open too
        auth.lock(counsellor)
        admin = desk.unlock()
        accounts.add_user(
            admin,
            NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), COORDINATOR_PASSWORD),
        )
        usb = tmp_path / "usb"
        usb.mkdir()
        backup.make_backup(admin, usb / "SG-backup.havre")
        audit_log.export_csv(admin, tmp_path / "audit.csv")
        auth.lock(admin)
        coordinator = desk.unlock("cora", COORDINATOR_PASSWORD)
        # The desk's own age key as recipient: the file is encrypted all the same.
        own = keys.own_public_key(coordinator).age_recipient
        assert own is not None
        keys.set_recipient(coordinator, keys.Recipient("hub", own))
        counts_export.export_counts(coordinator, Month.of(clock.today()), usb / "SG.havre-counts")
        auth.lock(coordinator)
        # A failed sign-in is logged and counted too.
        with pytest.raises(WrongCredentials):
            auth.unlock(desk.database, "rita", "wrong password for the scan")
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(log_file):
                root.removeHandler(handler)
                handler.close()
    assert log_file is not None and log_file.stat().st_size > 0  # something was logged
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"desk.havre", "desk.havre.keys", "out.pdf", "audit.csv", "SG.havre-counts"} <= names
    assert "SG-backup.havre" in names and "SG-backup.havre.keys" in names
    assert "desk.havre.attempts" in names  # the failed sign-in
    assert scan(tmp_path) == []
    # The markers are there, inside the encryption: the desk finds the case by them.
    reception = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert len(cases.find_case_ids(reception, CaseQuery(MARKERS[0]))) == 1
    finally:
        reception.close()
    # The scan itself works: the markers are found where they are put in clear.
    (tmp_path / "canary.txt").write_text(f"x {MARKERS[1]} y", encoding="utf-16")
    assert scan(tmp_path) == [f"canary.txt: {MARKERS[1]}"]
