"""A code read back from the database goes through one reader (`read`, `read_optional`,
`read_codes` of app/domain/codes.py): `Sex(row.sex)` raises on a code this version does not
know (retired, or written by a newer version on a network desk) and the screen showing the
row stops. The services and the db layer must not build a stored list's member themselves."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from app.domain import codes

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("app/services", "db")
MIGRATIONS = ROOT / "db" / "migrations"


def _enum_names() -> frozenset[str]:
    """Every StrEnum of the app, found by reading the sources (not by importing them)."""
    names: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id in {"StrEnum", "Coded"}
                for base in node.bases
            ):
                names.add(node.name)
    return frozenset(names)


ENUMS = _enum_names()


def own_builds(path: Path, relative: str) -> list[str]:
    """`List(value)` and `List.parse(value)` calls on anything but a literal, as
    "file:line List(...)"."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ENUMS:
            name = f"{func.id}(...)"
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "parse"
            and isinstance(func.value, ast.Name)
            and func.value.id in ENUMS
        ):
            name = f"{func.value.id}.parse(...)"
        else:
            continue
        if not isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, name))
    return [f"{relative}:{line} {name}" for line, name in sorted(found)]


def _scanned() -> list[tuple[Path, str]]:
    return [
        (path, path.relative_to(ROOT).as_posix())
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if MIGRATIONS not in path.parents
    ]


def test_no_service_or_query_builds_a_stored_lists_member_itself() -> None:
    assert [found for path, relative in _scanned() for found in own_builds(path, relative)] == []


def test_the_checker_sees_a_row_a_loop_variable_and_a_parse(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "sex = Sex(row.sex)\n"
        "roles = frozenset(Role(code) for code in held)\n"
        "status = CaseStatus.parse(case.status) or CaseStatus.OPEN\n"
        "fine = Sex.read(row.sex), Sex('female'), RiskLevel.read_optional(row.risk_level)\n"
        "also_fine = Counter(row.values), str(row.sex)\n"
    )
    assert own_builds(sample, "sample.py") == [
        "sample.py:1 Sex(...)",
        "sample.py:2 Role(...)",
        "sample.py:3 CaseStatus.parse(...)",
    ]


def _lists_read_one_at_a_time(readers: frozenset[str] = frozenset({"read"})) -> set[str]:
    """The lists whose codes app/ reads one by one (`List.read(x)`, `codes.read(List, x)`)."""
    names: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if not isinstance(func, ast.Attribute) or func.attr not in readers:
                continue
            if isinstance(func.value, ast.Name) and func.value.id in ENUMS:
                names.add(func.value.id)
            elif node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in ENUMS:
                names.add(node.args[0].id)
    return names


def _answered() -> dict[str, StrEnum]:
    tables = (codes._CATCH_ALL, codes._SHOWN_FOR_UNKNOWN)
    return {enum.__name__: member for table in tables for enum, member in table.items()}


def test_every_list_read_one_code_at_a_time_has_an_answer_for_an_unknown_code() -> None:
    read = _lists_read_one_at_a_time()
    assert {"Sex", "CaseStatus", "ActivityKind", "RecontactSource", "Level", "Method"} <= read
    assert read - set(_answered()) == set()


def test_a_list_has_at_most_one_answer_and_it_is_one_of_its_own() -> None:
    assert not set(codes._CATCH_ALL) & set(codes._SHOWN_FOR_UNKNOWN)
    for table in (codes._CATCH_ALL, codes._SHOWN_FOR_UNKNOWN):
        for enum, member in table.items():
            assert type(member) is enum


def test_every_answer_declared_is_for_a_list_read_one_code_at_a_time() -> None:
    declared = {enum.__name__ for enum in codes._SHOWN_FOR_UNKNOWN}
    assert declared - _lists_read_one_at_a_time(frozenset({"read", "read_optional"})) == set()
