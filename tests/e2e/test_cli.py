"""The command line as a script would use it: exit status, one-line messages, nothing
written on refusal. The commands run through the entry point of `python -m app`, in the
test's process (tests/e2e/command_line.py); the first test runs it as a real process, with
the production key derivation."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import accounts, auth
from db.models import Handout
from tests.conftest import FAST_KDF, clock_env
from tests.e2e.command_line import havre

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "quiet meadow river 17"
STAFF_PASSWORD = "amber lantern harbour 42"


def init_args(database: Path, nis: str = "21013", code: str = "SG") -> list[str]:
    return [
        "init",
        "--db",
        str(database),
        "--desk-name",
        "Permanence",
        "--desk-code",
        code,
        "--nis",
        nis,
        "--admin",
        "anna",
        "--password-stdin",
    ]


@pytest.mark.slow
def test_init_creates_a_desk_and_prints_the_recovery_key_once(tmp_path: Path) -> None:
    """In a process of its own, as a script starts it: the desk gets the key derivation
    cost calibrated on this PC, at or above the security floors, not the tests' cheap one."""
    database = tmp_path / "desk.havre"
    result = subprocess.run(
        [sys.executable, "-m", "app", *init_args(database)],
        cwd=ROOT,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**clock_env(), "LANG": "en_BE.UTF-8", "LANGUAGE": "en"},
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"([0-9A-Z]{5}-){6}[0-9A-Z]{5}", result.stdout)
    slots = json.loads(keyfile.path_for(database).read_text())["slots"]
    assert {slot["kind"] for slot in slots} == {"user", "recovery"}
    for slot in slots:
        assert slot["kdf"]["memory_kib"] >= crypto.MIN_MEMORY_KIB, slot["kdf"]
        assert slot["kdf"]["time_cost"] >= crypto.MIN_TIME_COST, slot["kdf"]
    auth.unlock(database, "anna", PASSWORD).close()


def test_the_command_line_in_the_tests_process_derives_keys_cheaply(tmp_path: Path) -> None:
    """The other tests here run the commands in the test's process, where a desk made on
    the command line gets the tests' cheap key derivation: only there."""
    database = tmp_path / "desk.havre"
    calibration = crypto.calibrate_kdf
    assert havre(*init_args(database), stdin=PASSWORD + "\n").returncode == 0
    slots = json.loads(keyfile.path_for(database).read_text())["slots"]
    assert [slot["kdf"]["memory_kib"] for slot in slots] == [FAST_KDF.memory_kib] * 2
    assert crypto.calibrate_kdf is calibration


def test_refused_input_is_one_translated_line_and_writes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    result = havre(*init_args(database, nis="99999"), stdin=PASSWORD, lang="fr")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "havre: 99999 n'est pas le code INS d'une commune connue de Havre. Utilisez un code "
        "à cinq chiffres de la liste, p. ex. 21013 pour Saint-Gilles."
    ]
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_weak_password_and_a_missing_password_file_are_refused(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    weak = havre(*init_args(database), stdin="azerty")
    assert weak.returncode == 1 and "at least 10 characters" in weak.stderr
    args = [a for a in init_args(database) if a != "--password-stdin"]
    missing = havre(*args, "--password-file", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "Cannot read the password file" in missing.stderr
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2_in_the_chosen_language(tmp_path: Path) -> None:
    result = havre("init", "--db", str(tmp_path / "x.havre"), lang="nl")
    assert result.returncode == 2
    assert "deze argumenten zijn verplicht" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_demo_creates_the_four_role_accounts(tmp_path: Path) -> None:
    database = tmp_path / "demo.havre"
    result = havre(
        *("demo", "--db", str(database), "--desk-code", "ayw", "--nis", "62009"),
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert result.returncode == 0, result.stderr
    for name in ("admin", "reception", "counsellor", "coordinator"):
        desk = auth.unlock(database, name, PASSWORD)
        assert desk.desk.is_demo and len(desk.user.roles) == 1
        assert (desk.desk.code, desk.desk.nis_code) == ("AYW", "62009")
        desk.close()
    # A verified backup beside it: a new demo desk is not "due" for one.
    assert [p.suffix for p in sorted((tmp_path / "backups").iterdir())] == [".havre", ".keys"]


def test_demo_refuses_a_wrong_code_municipality_or_folder_and_makes_nothing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "new" / "demo.havre"
    database.parent.mkdir()
    wrong_nis = havre("demo", "--db", str(database), "--nis", "99999", stdin=PASSWORD, lang="nl")
    assert wrong_nis.returncode == 1
    assert wrong_nis.stderr.startswith("havre: 99999 is niet de NIS-code")
    wrong_code = havre("demo", "--db", str(database), "--desk-code", "1X", stdin=PASSWORD)
    assert wrong_code.returncode == 1 and "desk code must be" in wrong_code.stderr
    assert list(database.parent.iterdir()) == []
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "desk.havre").write_bytes(b"a desk")
    refused = havre("demo", "--network", str(taken), "--password-stdin", stdin=PASSWORD)
    assert refused.returncode == 1 and "is not empty" in refused.stderr
    assert [p.name for p in taken.iterdir()] == ["desk.havre"]
    mixed = havre("demo", "--network", str(tmp_path / "net"), "--nis", "62009")
    assert mixed.returncode == 2 and "--nis: only with --db" in mixed.stderr
    both = havre("demo", "--network", str(tmp_path / "net"), "--db", str(database))
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    assert not (tmp_path / "net").exists()
    assert "Traceback" not in wrong_nis.stderr + wrong_code.stderr + refused.stderr


def test_demo_network_in_a_file_or_under_one_is_one_line_and_makes_nothing(
    tmp_path: Path,
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_bytes(b"someone's notes")
    for folder in (a_file, a_file / "demo"):
        result = havre("demo", "--network", str(folder), "--password-stdin", stdin=PASSWORD)
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"havre: Havre cannot write to {a_file}: ")
        assert list(tmp_path.iterdir()) == [a_file]
    assert a_file.read_bytes() == b"someone's notes"


def test_demo_help_gives_the_default_scale() -> None:
    result = havre("demo", "--help")
    assert result.returncode == 0 and "(default: small)" in " ".join(result.stdout.split())


def test_directory_packs_and_keys_from_the_command_line(tmp_path: Path) -> None:
    network, member = tmp_path / "network.havre", tmp_path / "member.havre"
    assert havre(*init_args(network, "62009", "NET"), stdin=PASSWORD + "\n").returncode == 0
    assert havre(*init_args(member), stdin=PASSWORD + "\n").returncode == 0
    signed_in = ["--user", "anna", "--password-stdin"]
    key_file, pack = tmp_path / "network.havre-key", tmp_path / "v1.havre-directory"
    shown = havre(
        "keys", "--db", str(network), *signed_in, "show", "--out", str(key_file), stdin=PASSWORD
    )
    assert shown.returncode == 0, shown.stderr
    assert "Fingerprint:" in shown.stderr
    exported = havre(
        "directory", "--db", str(network), *signed_in, "export-pack", str(pack), stdin=PASSWORD
    )
    assert exported.returncode == 0 and "version 1" in exported.stdout

    untrusted = havre(
        "directory",
        "--db",
        str(member),
        *signed_in,
        "import-pack",
        str(pack),
        "--yes",
        stdin=PASSWORD,
    )
    assert untrusted.returncode == 1
    assert untrusted.stderr.startswith(
        "havre: This pack is signed by a key this desk does not trust"
    )
    trusted = havre("keys", "--db", str(member), *signed_in, "trust", str(key_file), stdin=PASSWORD)
    assert trusted.returncode == 0 and "Trusted: NET" in trusted.stdout

    asked = havre(
        "directory", "--db", str(member), *signed_in, "import-pack", str(pack), stdin=PASSWORD
    )
    assert asked.returncode == 1 and "add --yes" in asked.stderr  # no terminal to ask on
    imported = havre(
        "directory",
        "--db",
        str(member),
        *signed_in,
        "import-pack",
        str(pack),
        "--yes",
        stdin=PASSWORD,
    )
    assert imported.returncode == 0, imported.stderr
    assert re.search(r"unchanged: [0-9]+", imported.stdout) and "imported" in imported.stdout
    again = havre(
        "directory",
        "--db",
        str(member),
        *signed_in,
        "import-pack",
        str(pack),
        "--yes",
        stdin=PASSWORD,
    )
    assert again.returncode == 1 and "only a newer pack" in again.stderr
    assert "Traceback" not in again.stderr


def test_brochure_without_a_desk_uses_the_bundled_directory(tmp_path: Path) -> None:
    out = tmp_path / "brochure.pdf"
    result = havre(
        "brochure",
        "--lang",
        "nl",
        "--municipality",
        "21013",
        "--format",
        "a5-booklet",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    card = tmp_path / "card.pdf"
    result = havre("brochure", "--lang", "ar", "--format", "wallet-card", "--out", str(card))
    assert result.returncode == 0, result.stderr
    assert card.exists()


def test_brochure_refusals_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    for args, message in (
        (["--lang", "xx"], "There is no brochure text in xx. Available: ar, de, en"),
        (["--lang", "fr", "--municipality", "99999"], "99999 is not the NIS code"),
        (["--lang", "fr", "--format", "referral-slip"], "Choose the service to print"),
        (["--lang", "fr", "--db", str(tmp_path / "desk.havre")], "With --db, give your user"),
    ):
        result = havre("brochure", *args, "--out", str(out))
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr
    # Havre's own --lang (before the command) is the language of the messages.
    result = havre("--lang", "nl", "brochure", "--lang", "xx", "--out", str(out), lang="fr")
    assert "Er is geen brochuretekst in het xx" in result.stderr
    result = havre("brochure", "--lang", "fr", "--out", str(tmp_path / "missing" / "x.pdf"))
    assert result.returncode == 1 and "cannot write to" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_brochure_with_a_desk_counts_the_hand_out(tmp_path: Path) -> None:
    database = tmp_path / "desk.havre"
    assert havre(*init_args(database), stdin=PASSWORD + "\n").returncode == 0
    out = tmp_path / "slip.pdf"
    arguments = ["brochure", "--lang", "fr", "--format", "referral-slip", "--partner", "cvfe"]
    arguments += ["--out", str(out), "--db", str(database), "--password-stdin"]
    # The administrator does not hand out material: refused, nothing written.
    result = havre(*arguments, "--user", "anna", stdin=PASSWORD + "\n")
    assert result.returncode == 1 and "role" in result.stderr and not out.exists()
    admin = auth.unlock(database, "anna", PASSWORD)
    try:
        staff = NewAccount("rita", "Rita", frozenset({Role.RECEPTION}), STAFF_PASSWORD)
        accounts.add_user(admin, staff)
    finally:
        admin.close()
    result = havre(*arguments, "--user", "rita", stdin=STAFF_PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert out.exists()
    desk = auth.unlock(database, "anna", PASSWORD)
    try:
        with desk.transaction() as session:
            counted = [(h.material, h.language) for h in session.query(Handout)]
    finally:
        desk.close()
    assert counted == [("referral_slip", "fr")]


def add_coordinator(database: Path) -> None:
    admin = auth.unlock(database, "anna", PASSWORD)
    try:
        account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), STAFF_PASSWORD)
        accounts.add_user(admin, account)
    finally:
        admin.close()


def test_export_import_and_publish_from_the_command_line(tmp_path: Path) -> None:
    hub, member = tmp_path / "hub.havre", tmp_path / "member.havre"
    assert havre(*init_args(hub, "62009", "NET"), stdin=PASSWORD + "\n").returncode == 0
    assert havre(*init_args(member), stdin=PASSWORD + "\n").returncode == 0
    for database in (hub, member):
        add_coordinator(database)
    cora = ["--user", "cora", "--password-stdin"]
    hub_key, member_key = tmp_path / "hub.key", tmp_path / "member.key"
    for database, key in ((hub, hub_key), (member, member_key)):
        shown = havre(
            "keys", "--db", str(database), *cora, "show", "--out", str(key), stdin=STAFF_PASSWORD
        )
        assert shown.returncode == 0 and "Age recipient: age1" in shown.stderr
    usb = tmp_path / "usb"
    usb.mkdir()
    refused = havre(
        "export",
        "--db",
        str(member),
        *cora,
        "--period",
        "2026-03",
        "--out",
        str(usb),
        stdin=STAFF_PASSWORD,
    )
    assert refused.returncode == 1 and refused.stderr.startswith("havre: No recipient is set")
    not_age = tmp_path / "not-age.txt"
    not_age.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\n")
    bad_key = havre(
        "keys", "--db", str(member), *cora, "recipient", str(not_age), stdin=STAFF_PASSWORD
    )
    assert bad_key.returncode == 1 and "holds no age public key" in bad_key.stderr
    set_key = havre(
        "keys", "--db", str(member), *cora, "recipient", str(hub_key), stdin=STAFF_PASSWORD
    )
    assert set_key.returncode == 0 and "encrypted to NET (Permanence)" in set_key.stdout
    exported = havre(
        "export",
        "--db",
        str(member),
        *cora,
        "--period",
        "2026-03",
        "--out",
        str(usb),
        stdin=STAFF_PASSWORD,
    )
    assert exported.returncode == 0, exported.stderr
    counts_file = usb / "SG_2026-03.havre-counts"
    assert counts_file.exists() and "revision 1" in exported.stdout
    again = havre(
        "export",
        "--db",
        str(member),
        *cora,
        "--period",
        "2026-03",
        "--out",
        str(usb),
        stdin=STAFF_PASSWORD,
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    bad_month = havre(
        "export",
        "--db",
        str(member),
        *cora,
        "--period",
        "March",
        "--out",
        str(usb),
        stdin=STAFF_PASSWORD,
    )
    assert bad_month.returncode == 1 and "write it as YYYY-MM" in bad_month.stderr

    unknown = havre("import", "--db", str(hub), *cora, str(counts_file), stdin=STAFF_PASSWORD)
    assert unknown.returncode == 1
    assert f"{counts_file}: refused: Unknown desk SG" in unknown.stdout
    assert (
        havre(
            "keys", "--db", str(hub), *cora, "trust", str(member_key), stdin=STAFF_PASSWORD
        ).returncode
        == 0
    )
    junk = usb / "junk.havre-counts"
    junk.write_bytes(b"\x00" * 100)
    imported = havre(
        "import",
        "--db",
        str(hub),
        *cora,
        str(counts_file),
        str(counts_file),
        str(junk),
        stdin=STAFF_PASSWORD,
    )
    assert imported.returncode == 1
    lines = imported.stdout.splitlines()
    assert lines[0].startswith(f"{counts_file}: accepted: Accepted: SG (key ")
    assert "), 2026-03, revision 1." in lines[0]
    assert lines[1].startswith(f"{counts_file}: unchanged:")
    assert lines[2].startswith(f"{junk}: refused: Not a counts file")

    out = tmp_path / "pvif.json"
    published = havre(
        "publish",
        "--db",
        str(hub),
        *cora,
        "--from",
        "2026-03",
        "--to",
        "2026-03",
        "--format",
        "dhis2-json",
        "--out",
        str(out),
        stdin=STAFF_PASSWORD,
    )
    assert published.returncode == 0, published.stderr
    assert out.exists() and (tmp_path / "pvif.json.manifest.json").exists()
    bad_k = havre(
        "publish",
        "--db",
        str(hub),
        *cora,
        "--from",
        "2026-03",
        "--to",
        "2026-03",
        "--format",
        "adx",
        "--k",
        "2",
        "--out",
        str(tmp_path / "a.xml"),
        stdin=STAFF_PASSWORD,
    )
    assert bad_k.returncode == 1 and "between 3 and 11" in bad_k.stderr
    assert not (tmp_path / "a.xml").exists()
    metadata = tmp_path / "metadata.json"
    package = havre(
        "publish",
        "--db",
        str(member),
        *cora,
        "--from",
        "2026-03",
        "--to",
        "2026-03",
        "--format",
        "dhis2-metadata",
        "--out",
        str(metadata),
        stdin=STAFF_PASSWORD,
    )
    assert package.returncode == 0, package.stderr  # no counts imported there: none needed
    assert "PVIF_NEW_VICTIMS" in metadata.read_text()
    for result in (unknown, imported, published, bad_k, again, bad_month, bad_key, package):
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_every_file_of_a_desk_and_its_backup_is_its_users_alone(tmp_path: Path) -> None:
    """Issue 19, point 5: the database, its WAL and SHM, the key file, a backup and its key
    file were 0644: any local account could copy a key file and guess offline."""
    database = tmp_path / "desk" / "desk.havre"
    database.parent.mkdir()
    usb = tmp_path / "usb"
    usb.mkdir()
    previous = os.umask(0o022)  # the usual umask of a desktop session
    try:
        assert havre(*init_args(database), stdin=PASSWORD + "\n").returncode == 0
        anna = ["--user", "anna", "--password-stdin"]
        made = havre("backup", "--db", str(database), *anna, "--out", str(usb), stdin=PASSWORD)
        assert made.returncode == 0, made.stderr
    finally:
        os.umask(previous)
    written = [p for folder in (database.parent, usb) for p in folder.rglob("*")]
    assert {p.suffix for p in written} >= {".havre", ".keys"}
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path.name, oct(mode))


def test_backup_restore_and_audit_verify_from_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "desk" / "desk.havre"
    database.parent.mkdir()
    assert havre(*init_args(database), stdin=PASSWORD + "\n").returncode == 0
    anna = ["--user", "anna", "--password-stdin"]
    usb = tmp_path / "usb"
    usb.mkdir()
    made = havre("backup", "--db", str(database), *anna, "--out", str(usb), stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    [copy] = list(usb.glob("*.havre"))
    assert copy.name.startswith("SG-backup-") and copy.with_name(copy.name + ".keys").exists()
    verified = havre("audit", "--db", str(database), *anna, "verify", stdin=PASSWORD)
    assert verified.returncode == 0 and "The audit log is intact" in verified.stdout
    before = sorted(p.name for p in database.parent.iterdir())
    wrong = havre(
        "restore", "--from", str(copy), "--db", str(database), *anna, stdin="wrong password\n"
    )
    assert wrong.returncode == 1 and "not correct" in wrong.stderr
    assert sorted(p.name for p in database.parent.iterdir()) == before
    restored = havre(
        "restore", "--from", str(copy), "--db", str(database), *anna, stdin=PASSWORD + "\n"
    )
    assert restored.returncode == 0, restored.stderr
    assert "before-restore-" in restored.stdout
    assert "events of the replaced desk's audit log are not in the backup" in restored.stdout
    again = havre("audit", "--db", str(database), *anna, "verify", stdin=PASSWORD)
    assert again.returncode == 0, again.stderr
    assert f"from {copy.name} (a backup of this desk, SG)" in again.stdout
    other = tmp_path / "other" / "desk.havre"
    other.parent.mkdir()
    assert havre(*init_args(other, "62032", "ES"), stdin=PASSWORD + "\n").returncode == 0
    not_confirmed = havre(
        "restore",
        "--from",
        str(copy),
        "--db",
        str(other),
        *anna,
        "--other-desk",
        stdin=PASSWORD + "\n",
    )
    assert not_confirmed.returncode == 1 and "add --yes" in not_confirmed.stderr
    refused = havre(
        "restore", "--from", str(copy), "--db", str(other), *anna, stdin=PASSWORD + "\n"
    )
    assert refused.returncode == 1 and "backup of another desk" in refused.stderr
    csv_out = tmp_path / "audit.csv"
    exported = havre(
        "audit", "--db", str(database), *anna, "export", "--out", str(csv_out), stdin=PASSWORD
    )
    assert exported.returncode == 0 and "personal data" in exported.stderr
    assert "backup.restore" in csv_out.read_text()
    for result in (made, verified, wrong, restored, again, not_confirmed, refused, exported):
        assert "Traceback" not in result.stderr


def test_rotate_key_from_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "desk" / "desk.havre"
    database.parent.mkdir()
    assert havre(*init_args(database), stdin=PASSWORD + "\n").returncode == 0
    anna = ["--user", "anna", "--password-stdin"]
    usb = tmp_path / "usb"
    refused = havre(
        "rotate-key", "--db", str(database), *anna, "--backup", str(usb / "x.txt"), stdin=PASSWORD
    )
    assert refused.returncode == 1 and "must end in .havre" in refused.stderr
    assert "Traceback" not in refused.stderr
    usb.mkdir()
    keys_before = (database.parent / "desk.havre.keys").read_bytes()
    rotated = havre(
        "rotate-key", "--db", str(database), *anna, "--backup", str(usb), stdin=PASSWORD
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "new data key" in rotated.stdout
    [copy] = list(usb.glob("*.havre"))
    assert copy.name.startswith("SG-before-key-rotation-")
    assert (database.parent / "desk.havre.keys").read_bytes() != keys_before
    verified = havre("audit", "--db", str(database), *anna, "verify", stdin=PASSWORD)
    assert verified.returncode == 0, verified.stderr
