"""One screen per task: every page of the window is a small class, its tabs each a class
of their own, so a newcomer reads one screen at a time."""

from __future__ import annotations

import ast
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "ui" / "pages"
LONGEST_FILE = 300
LONGEST_INIT = 40


def _too_long(root: Path) -> tuple[list[str], list[str]]:
    files, inits = [], []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > LONGEST_FILE:
            files.append(f"{path.relative_to(root)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > LONGEST_INIT:
                    inits.append(f"{path.relative_to(root)}:{node.lineno}: {length} lines")
    return files, inits


def test_no_page_file_is_longer_than_a_screen_needs() -> None:
    files, inits = _too_long(PAGES)
    assert files == [], f"split these pages into one class per tab: {files}"
    assert inits == [], f"build these screens in smaller steps: {inits}"


def test_the_check_finds_a_long_page(tmp_path: Path) -> None:
    body = "\n".join(f"        self.x{n} = {n}" for n in range(LONGEST_INIT))
    (tmp_path / "big_page.py").write_text(
        "class Big:\n    def __init__(self) -> None:\n" + body + "\n" + "\n" * LONGEST_FILE
    )
    files, inits = _too_long(tmp_path)
    assert files == [f"big_page.py: {LONGEST_FILE + LONGEST_INIT + 2} lines"]
    assert inits == ["big_page.py:2: 41 lines"]
