"""`python -m app selfcheck`: prove that this installation (source, installed or frozen) works.

Each step prints one line; the exit status is 0 only if every step worked. The window step
is given by the caller: the front end builds its main window offscreen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from app import crypto, i18n, paths
from app.reports import fonts
from app.services import printing
from db import engine as db_engine
from db import migrate

# A message every catalogue must translate (it is the first thing people read).
SENTINEL = "Sign in"
# Shipped files that only the window would notice missing (it would show no icon), inside
# the bundle root.
SHIPPED = (paths.WINDOW_ICON,)


def check_database(folder: Path) -> str:
    database, key = folder / "selfcheck.havre", crypto.new_data_key()
    migrate.migrate(database, key, create=True, copy_before_upgrade=migrate.no_copy_needed)
    engine = db_engine.open_database(database, key)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    db_engine.close_database(engine)
    if database.read_bytes()[:16] == b"SQLite format 3\0":
        raise RuntimeError("the database file is not encrypted")
    return f"SQLCipher {version}, schema {revision}"


def check_pdf() -> str:
    """The Arabic A5 booklet from the bundled directory: content files, fonts, shaping."""
    request = printing.PrintRequest(
        printing.Material.BROCHURE, "ar", "21013", printing.Layout.A5_BOOKLET
    )
    data = printing.make_without_desk(request).pdf
    if not data.startswith(b"%PDF") or fonts.REGULAR.encode() not in data:
        raise RuntimeError("the PDF was not rendered with the bundled font")
    return f"Arabic A5 booklet, {len(data)} bytes"


def check_counts_crypto() -> str:
    """A counts file's keys: an Ed25519 signature and an age round trip (pyrage)."""
    identity = crypto.new_age_identity()
    signing = crypto.new_signing_key()
    message = b'{"counts":{}}'
    signature = crypto.sign(signing.private_raw, message)
    opened = crypto.age_decrypt(identity.secret, crypto.age_encrypt(identity.recipient, message))
    if opened != message or not crypto.signature_valid(signing.public_raw, opened, signature):
        raise RuntimeError("the age round trip or the signature failed")
    return "Ed25519 signature, age X25519 round trip"


def check_catalogues() -> str:
    for code in i18n.LANGUAGE_CODES:
        catalogue = i18n.load_catalog(code)
        translated = catalogue.gettext(SENTINEL)
        if type(catalogue).__name__ == "NullTranslations" or (
            code != "en" and translated == SENTINEL
        ):
            raise RuntimeError(
                f"catalogue {code} is missing or incomplete in {paths.translations_dir()}"
            )
    return ", ".join(i18n.LANGUAGE_CODES)


def check_files() -> str:
    """The files shipped beside the code that no other step reads (the window icon)."""
    missing = [name.as_posix() for name in SHIPPED if not (paths.bundle_root() / name).is_file()]
    if missing:
        raise RuntimeError(f"missing in {paths.bundle_root()}: {', '.join(missing)}")
    return str(paths.bundle_root())


def run(gui_check: Callable[[], str], report: Callable[[str], None] = print) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="havre-selfcheck-") as folder:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("database", lambda: check_database(Path(folder))),
            ("pdf", check_pdf),
            ("counts files", check_counts_crypto),
            ("catalogues", check_catalogues),
            ("files", check_files),
            ("window", gui_check),
        ]
        for name, step in steps:
            try:
                report(f"ok   {name}: {step()}")
            except Exception as exc:  # every failure is reported, then the next step runs
                ok = False
                report(f"FAIL {name}: {type(exc).__name__}: {exc}")
    return ok
