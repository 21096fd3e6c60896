"""Imports flow one way: ui → app → db. The core never imports Qt or the GUI, so it runs
headless (command line, CI, tests) and the GUI can be replaced without touching it. The
developer tools (tools/: screenshots, benches) drive all three from outside, and none of the
three imports them: what the product needs stays in the product, and the build leaves tools/
out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "app": ("PySide6", "shiboken6", "ui", "tools"),
    "db": ("PySide6", "shiboken6", "ui", "app", "tools"),
    "ui": ("tools",),
}
# The entry point picks the front end by name for the two commands that need it.
ENTRY_POINT = ROOT / "app" / "__main__.py"
_DYNAMIC_IMPORTS = ("import_module", "__import__")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and path != ENTRY_POINT
        ):
            names.append(str(node.args[0].value))
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_core_packages_do_not_import_upwards(package: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert offences == []


def test_the_checker_sees_an_offence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom PySide6.QtCore import QObject\nimport ui.tasks\n"
        "from tools.bench import Report\n"
    )
    assert [n for n in _imports(sample) if n.split(".")[0] in FORBIDDEN["app"]] == [
        "PySide6.QtCore",
        "ui.tasks",
        "tools.bench",
    ]
    assert [n for n in _imports(sample) if n.split(".")[0] in FORBIDDEN["ui"]] == ["tools.bench"]


# Public service functions that act on the signed-in account's own things only, which any
# account must be able to do whatever its roles: lock, its own password, its own drafts.
OWN_ACCOUNT_ONLY = {
    "accounts.change_own_password",
    "accounts.confirm_own_password",
    "audit_log.anchor_head",  # at every lock
    "auth.lock",
    "drafts.keep",
    "drafts.load",
}
# Public service functions made only of calls to other public services, each of which checks
# its role in the transaction of its own work: a check of their own would be a transaction more.
COMPOSED_OF_SERVICES = {"demo_follow_up.fill_follow_up"}
_DESK_DATA = {"transaction", "driver_connection", "data_key", "notes_key"}


def _unchecked(path: Path) -> list[str]:
    """Public functions of a service module taking the signed-in desk that read or write
    its data (open a transaction, take its keys, or hand the desk on) without a role check
    (`desk.guarded(...)` or `desk.check(...)`, or `desk.user.has(...)` for what other roles
    simply do not see)."""
    offences = []
    for node in ast.parse(path.read_text("utf-8")).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or not node.args.args:
            continue
        first = node.args.args[0]
        if not (isinstance(first.annotation, ast.Name) and first.annotation.id == "OpenDesk"):
            continue
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]

        def on_desk(call: ast.Call, name: str = first.arg) -> str | None:
            func = call.func
            if not isinstance(func, ast.Attribute):
                return None
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id == name:
                return func.attr
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr == "user"
                and isinstance(owner.value, ast.Name)
                and owner.value.id == name
            ):
                return "user." + func.attr
            return None

        used = {on_desk(call) for call in calls}
        handed_on = any(
            isinstance(arg, ast.Name) and arg.id == first.arg for call in calls for arg in call.args
        )
        checked = bool(used & {"guarded", "check", "user.has"})
        if (used & _DESK_DATA or handed_on) and not checked:
            offences.append(f"{path.stem}.{node.name}")
    return offences


def test_every_public_service_function_on_desk_data_checks_the_role() -> None:
    """Issue 19, point 9: `intake.save_intake` was public and let an administrator create a
    case. Every public function of app/services that takes the signed-in desk and touches
    its data checks the role itself, whoever calls it."""
    found = [
        name
        for path in sorted((ROOT / "app" / "services").glob("*.py"))
        for name in _unchecked(path)
    ]
    assert sorted(set(found) - OWN_ACCOUNT_ONLY - COMPOSED_OF_SERVICES) == []
    assert OWN_ACCOUNT_ONLY | COMPOSED_OF_SERVICES <= set(found)  # each exception still needed


def test_the_role_checker_sees_a_function_without_a_check(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def unchecked(desk: OpenDesk) -> None:\n"
        "    with desk.transaction() as session:\n"
        "        pass\n\n\n"
        "def handed_on(desk: OpenDesk) -> None:\n"
        "    unchecked(desk)\n\n\n"
        "def checked(desk: OpenDesk) -> None:\n"
        "    with desk.guarded(ROLES, 'x'):\n"
        "        pass\n"
        "    unchecked(desk)\n\n\n"
        "def seen_by_some(desk: OpenDesk) -> bool:\n"
        "    return desk.user.has(Role.ADMIN) and bool(desk.data_key())\n\n\n"
        "def name_only(desk: OpenDesk) -> str:\n"
        "    return desk.desk.code\n"
    )
    assert _unchecked(sample) == ["sample.unchecked", "sample.handed_on"]


# Issue 21, point 3: ui/prompts.py asks every modal question (the UI tests' recorder answers
# it), and files are written by app/, atomically, never by a screen.
PROMPTS = ROOT / "ui" / "prompts.py"
DIALOGS = {"QFileDialog", "QMessageBox", "QInputDialog", "QColorDialog", "QPrintDialog"}
FILE_WRITERS = {"atomic_write", "write_bytes", "write_text"}
# `.exec()` waits in a modal loop, which the recorder cannot answer: only the prompts wait,
# and these two, each for its reason.
OWN_LOOPS = {
    "ui/frontend.py": "the application's own event loop, which runs every window",
    "ui/crash.py": "the crash dialog: Havre itself failed, so it relies on nothing else",
}


def _writes_mode(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else None
    if isinstance(call.func, ast.Attribute):  # Path.open(mode)
        mode = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    return isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")


def _dialogs_and_writes(path: Path) -> list[str]:
    """The Qt dialogs `path` names and the files it writes, each as 'line: what'."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            found.extend((node.lineno, a.name) for a in node.names if a.name in DIALOGS)
        elif isinstance(node, ast.Attribute) and node.attr in DIALOGS:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FILE_WRITERS or (name == "open" and _writes_mode(node)):
                found.append((node.lineno, name))
            elif name in ("exec", "exec_") and isinstance(func, ast.Attribute):
                found.append((node.lineno, "exec"))
    return [f"{line}: {name}" for line, name in sorted(found)]


def test_only_the_prompts_ask_and_no_screen_writes_a_file() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        offences = [] if path == PROMPTS else _dialogs_and_writes(path)
        if name in OWN_LOOPS:
            offences = [offence for offence in offences if not offence.endswith(": exec")]
        if offences:
            found[name] = offences
    assert found == {}


def test_the_prompt_checker_sees_dialogs_and_writes(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from PySide6.QtWidgets import QFileDialog, QLabel\n"
        "import PySide6.QtWidgets as widgets\n"
        "widgets.QMessageBox.warning(None, '', '')\n"
        "atomic_write(path, b'')\n"
        "path.write_text('x')\n"
        "open(path, 'w')\n"
        "open(path)\n"
        "path.open(mode='ab')\n"
        "path.open('rb')\n"
        "path.read_bytes()\n"
        "RegisterDialog(desk, self).exec()\n"
        "exec('x = 1')\n"
        "dialog.exec_()\n"
    )
    assert _dialogs_and_writes(sample) == [
        "1: QFileDialog",
        "3: QMessageBox",
        "4: atomic_write",
        "5: write_text",
        "6: open",
        "8: open",
        "11: exec",
        "13: exec",
    ]


def test_no_table_keeps_ids_in_its_cells() -> None:
    """Tables show models (ui/models/): a QTableWidget with ids in its items is how lists
    went out of step with what they showed."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if "QTableWidget" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
