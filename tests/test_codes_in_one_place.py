"""Stored codes come from one place: the enums of app/domain/codes.py (and the roles of
app/domain/roles.py). A service or a query that spells a code out ("given", "yes") keeps a
copy that a renamed or retired code leaves behind; the db layer, which may not import the
app, takes the codes from the services as parameters. The migrations are history and keep
the codes of their day."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from app.domain import codes
from app.domain.roles import Role

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("app/services", "db")
MIGRATIONS = ROOT / "db" / "migrations"

# ContactLanguage stores ISO 639-1 codes, a vocabulary of its own that the screens, the
# brochures, the directory and the protocols use too ("en" is not a contact's language there).
_STORED_ENUMS: tuple[type[StrEnum], ...] = (
    *(
        value
        for value in vars(codes).values()
        if isinstance(value, type)
        and issubclass(value, StrEnum)
        and value not in (StrEnum, codes.Coded, codes.ContactLanguage)
        and value.__module__ == codes.__name__
    ),
    Role,
)
STORED_CODES = frozenset(member.value for enum in _STORED_ENUMS for member in enum)

# Text for people or for the log, whatever its words.
_TEXT_CALLS = frozenset({"_", "N_", "pgettext", "ngettext", "npgettext"})
_LOG_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
# Keywords whose strings are other vocabularies that happen to share a word with a code: the
# kind of thing an audit event is about (app/services/audit.py), the form field an error
# is shown under.
_OTHER_VOCABULARIES = frozenset({"target_type", "field"})

# (file, string): why that string is not a stored code there.
ALLOWED = {
    ("app/services/demo.py", "admin"): "user names of the demo accounts, named after their role",
    ("app/services/demo.py", "reception"): "user names of the demo accounts",
    ("app/services/demo.py", "counsellor"): "user names of the demo accounts",
    ("app/services/demo.py", "coordinator"): "user names of the demo accounts",
    ("app/services/network.py", "refused"): "what became of an imported counts file",
    ("app/services/publication.py", "consent"): "a key of the published rules' description",
    ("app/services/publication_register.py", "high"): "a column of the register's CSV",
    ("app/services/audit_log.py", "session"): "an audit target type (as `target_type`)",
    ("app/services/demo_resources.py", "partner"): "a column of the rows it inserts",
    ("app/services/demo_resources.py", "phone"): "a column of the rows it inserts",
    ("app/services/demo_resources.py", "email"): "a column of the rows it inserts",
}


def _skipped(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are not code: docstrings, table names, text for people
    or the log, and the other vocabularies."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__tablename__" for target in node.targets
        ):
            skipped.add(id(node.value))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in _TEXT_CALLS or (isinstance(func, ast.Attribute) and name in _LOG_CALLS):
                skipped.update(id(inner) for arg in node.args for inner in ast.walk(arg))
            skipped.update(
                id(keyword.value) for keyword in node.keywords if keyword.arg in _OTHER_VOCABULARIES
            )
    return skipped


def code_literals(path: Path, relative: str) -> list[str]:
    """The string literals of `path` equal to a stored code, as "file:line 'code'"."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = _skipped(tree)
    return [
        f"{relative}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in STORED_CODES
        and id(node) not in skipped
        and (relative, node.value) not in ALLOWED
    ]


def _scanned_files() -> list[tuple[Path, str]]:
    return [
        (path, path.relative_to(ROOT).as_posix())
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if MIGRATIONS not in path.parents
    ]


def test_no_stored_code_is_spelled_out_in_the_services_or_the_db_layer() -> None:
    found = [
        offence for path, relative in _scanned_files() for offence in code_literals(path, relative)
    ]
    assert found == []


def test_every_allowance_is_still_needed() -> None:
    scanned = {relative: path for path, relative in _scanned_files()}
    still = set()
    for relative, value in ALLOWED:
        text = scanned[relative].read_text("utf-8")
        if any(
            isinstance(node, ast.Constant) and node.value == value
            for node in ast.walk(ast.parse(text))
        ):
            still.add((relative, value))
    assert still == set(ALLOWED)


def test_the_checker_sees_a_code_in_a_query_a_row_and_a_constant(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""The docstring may say given."""\n'
        "OPEN = 'open'\n"
        "query = select(Consent).where(Consent.decision == 'given')\n"
        "row = Person(may_recontact='yes', sex=Sex.FEMALE)\n"
        "log.warning('unknown', 'other')\n"
        "error = ValidationError(_('refused'), field='relationship')\n"
        "class Draft:\n"
        "    __tablename__ = 'draft'\n"
    )
    assert code_literals(sample, "sample.py") == [
        "sample.py:2 'open'",
        "sample.py:3 'given'",
        "sample.py:4 'yes'",
    ]


def test_the_codes_looked_for_include_every_list_and_the_roles() -> None:
    assert {"given", "statistics", "yes", "open", "planned", "admin"} <= STORED_CODES
    assert codes.AppointmentStatus in _STORED_ENUMS and codes.ViolenceForm in _STORED_ENUMS
