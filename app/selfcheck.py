"""`python -m app selfcheck`: prove that this installation (source, installed or frozen) works.

Each step prints one line; the exit status is 0 only if every step worked. The window step
is given by the caller: the front end builds its main window offscreen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from app import __version__, crypto, i18n, paths
from app.reports import fonts
from app.services import brochure_content, demo_data, printing
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


def check_version() -> str:
    """What `havre --version` prints: IT reads it to know which build a PC runs."""
    return f"Havre {__version__}"


def check_solver() -> str:
    """A tiny program of the kind a publication's suppression solves: HiGHS through SciPy's
    milp on a sparse matrix (the frozen build must carry SciPy's optimize and sparse parts)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint
    from scipy.sparse import csr_array

    from app.disclosure.solver import solve

    # Two whole numbers x + 2y >= 3 at the least cost x + 1.5y: x = y = 1.
    constraint = LinearConstraint(csr_array(np.array([[1.0, 2.0]])), lb=3, ub=np.inf)
    result = solve(
        np.array([1.0, 1.5]), constraints=[constraint], integrality=np.ones(2), bounds=Bounds(0, 5)
    )
    if not result.success or [round(x) for x in result.x] != [1, 1]:
        raise RuntimeError(f"milp did not find the known answer: {result.message}")
    return "HiGHS milp on a sparse matrix"


def check_languages() -> str:
    """A day and a number in every language of the screens, and a printed day and the
    language's name in every brochure language: Babel's data for each is in this build."""
    day = date(2027, 1, 6)
    written = []
    screen = i18n.current_language()
    try:
        for code in i18n.LANGUAGE_CODES:
            i18n.set_language(code)
            written.append(f"{i18n.format_date(day, 'long')} {i18n.format_decimal(1234.5)}")
    finally:
        i18n.set_language(screen)
    from babel import Locale
    from babel.dates import format_date

    for code in brochure_content.available_languages():
        # Unknown to Babel, a language would be named by its code and fail here.
        Locale.parse(code).get_display_name(code)
        written.append(format_date(day, format="long", locale=code))
    missing = [text for text in written if "2027" not in text]
    if missing:
        raise RuntimeError(f"days written without their year: {missing}")
    return f"{len(written)} languages, e.g. {written[0]}"


def check_demo_names() -> str:
    """Names of the demo desk in its languages (Faker's data for them is in this build)."""
    from faker import Faker

    fakes = Faker(list(demo_data.NAME_LOCALES))
    names = [fakes[locale].first_name() for locale in demo_data.NAME_LOCALES]
    if not all(names):
        raise RuntimeError("Faker made an empty name")
    return ", ".join(
        f"{locale} {name}" for locale, name in zip(demo_data.NAME_LOCALES, names, strict=True)
    )


def run(gui_check: Callable[[], str], report: Callable[[str], None] = print) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="havre-selfcheck-") as folder:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("version", check_version),
            ("database", lambda: check_database(Path(folder))),
            ("pdf", check_pdf),
            ("counts files", check_counts_crypto),
            ("catalogues", check_catalogues),
            ("files", check_files),
            ("solver", check_solver),
            ("languages", check_languages),
            ("demo names", check_demo_names),
            ("window", gui_check),
        ]
        for name, step in steps:
            try:
                report(f"ok   {name}: {step()}")
            except Exception as exc:  # every failure is reported, then the next step runs
                ok = False
                report(f"FAIL {name}: {type(exc).__name__}: {exc}")
    return ok
