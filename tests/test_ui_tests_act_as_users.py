"""The UI tests act as people do: they press buttons and keys (tests/ui/user.py, qtbot), they
do not call what a button calls nor read what a screen keeps to itself. A test that calls
`page.save_entry()` passes while the Save button is disabled, hidden or wired to nothing; a
test that reads `page._rows` breaks on every rewrite of the page and proves nothing a person
sees.

The rule, read from the code (ast) of tests/ui/*.py:
- no attribute with one leading underscore on anything but `self` / `cls` (`page._made`,
  `getattr(page, "_made")`, `monkeypatch.setattr(page, "_made", …)`); dunders are Python's;
- no call of an action method (`save_…`, `new_…`, `delete_…`, `sign_in`, `next`, `accept`…:
  what a person does by pressing a button or a key) on a screen: an object whose name says
  it is one (`page`, `window`, `wizard`, `dialog`, `screen`, `tab`, `editor`, `…_page`…).
  Services called to set data up before the screen opens are not screens, and are fine.
Where a test needs what no person can do (the clock, an injected failure, what another
screen or the sign-in does to this one), a comment `# harness: why` on the call's line or
the line above allows it."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_TESTS = ROOT / "tests" / "ui"

SCREEN = re.compile(
    r"^(?:\w+_)?(?:page|window|workspace|wizard|dialog|screen|tab|editor|panel|form)s?$"
)
ACTION = re.compile(
    r"^(?:save|new|delete|remove|retire|add|submit|accept|reject|next|back|finish|"
    r"sign_in|sign_out|log_in|lock|quick_exit|show_page|export|print|publish|confirm|apply|undo|"
    r"copy|paste|merge|link|mark|close_case|reopen)(?:_\w+)?$"
)
HARNESS = "# harness:"
OWN = ("self", "cls")


@dataclass(frozen=True)
class Offence:
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.line}: {self.what}"


def _private(name: str) -> bool:
    # `_` alone is gettext's public name.
    return name.startswith("_") and not name.startswith("__") and name != "_"


def _receiver(node: ast.expr) -> str:
    """The name a screen goes by: `page` in `page.x`, `window` in `self.window.x`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _harnessed_lines(source: str) -> set[int]:
    """The lines a `# harness:` comment covers: its own and the next."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and token.string.startswith(HARNESS):
            lines.update((token.start[0], token.start[0] + 1))
    return lines


def offences(source: str) -> list[Offence]:
    found: list[Offence] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in OWN):
                found.append(Offence(node.lineno, f"private attribute {ast.unparse(node)}"))
        elif isinstance(node, ast.Call):
            function = node.func
            named = [
                a.value
                for a in node.args[1:2]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if (
                isinstance(function, (ast.Name, ast.Attribute))
                and _receiver(function) in ("getattr", "setattr", "hasattr", "delattr")
                and any(_private(name) for name in named)
            ):
                found.append(Offence(node.lineno, f"private attribute {ast.unparse(node)}"))
            if (
                isinstance(function, ast.Attribute)
                and ACTION.match(function.attr)
                and SCREEN.match(_receiver(function.value))
            ):
                found.append(Offence(node.lineno, f"action called {ast.unparse(function)}()"))
    allowed = _harnessed_lines(source)
    return sorted((o for o in found if o.line not in allowed), key=lambda o: (o.line, o.what))


def test_the_ui_tests_press_buttons_and_keep_out_of_private_attributes() -> None:
    report = {
        path.name: [str(o) for o in offences(path.read_text("utf-8"))]
        for path in sorted(UI_TESTS.glob("*.py"))
    }
    assert {name: lines for name, lines in report.items() if lines} == {}


def test_the_guard_sees_each_kind_of_offence() -> None:
    sample = (
        "def test_x(page, window, monkeypatch, network_page, qtbot):\n"
        "    page.save_entry()\n"
        "    window.show_page('case')\n"
        "    network_page.delete_referent(3)\n"
        "    assert page._made == 1\n"
        "    monkeypatch.setattr(page, '_clock', None)\n"
        "    getattr(window, '_rows')\n"
    )
    assert [o.line for o in offences(sample)] == [2, 3, 4, 5, 6, 7]


def test_the_guard_lets_people_services_and_said_harness_be() -> None:
    sample = (
        "class Helper:\n"
        "    def go(self):\n"
        "        return self._made\n"
        "def test_x(page, user, intake, qtbot, desk):\n"
        "    intake.record_intake(desk, 'x')\n"
        "    user.press('Save')\n"
        "    assert page.__class__.__name__\n"
        "    page.open_desk(desk)\n"
        "    # harness: the sign-in opens the case on this page\n"
        "    page.save_case(3)\n"
        "    window.lock()  # harness: the system locks the session\n"
    )
    assert offences(sample) == []
