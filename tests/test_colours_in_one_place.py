"""Colours live in ui/style.py: a screen says what a text means (a `Tone`), never which
colour it is, so that a dark or high-contrast system gets readable tones everywhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PALETTE = ROOT / "ui" / "style.py"
_HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b")
_NAMED = re.compile(
    r"\b(?:color|background|background-color|border[a-z-]*)\s*:[^;]*"
    r"\b(?:white|black|red|green|blue|gray|grey|orange|yellow)\b"
    r"|\brgba?\(",
    re.IGNORECASE,
)


def colour_literals(source: str) -> list[str]:
    """Where `source` names a colour: a hex or named colour in a string, Qt's colour
    constants, or a QColor built from literal values."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _HEX.search(node.value) or _NAMED.search(node.value):
                found.append(f"line {node.lineno}: {node.value!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "GlobalColor":
            found.append(f"line {node.lineno}: Qt.GlobalColor")
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "QColor"
            and node.args
            and all(isinstance(argument, ast.Constant) for argument in node.args)
        ):
            found.append(f"line {node.lineno}: QColor of literals")
    return found


def test_no_colour_outside_the_palette() -> None:
    offences = [
        f"{path.relative_to(ROOT)} {where}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if path != PALETTE
        for where in colour_literals(path.read_text("utf-8"))
    ]
    assert offences == []


def test_the_checker_sees_each_kind_of_colour() -> None:
    source = "\n".join(
        (
            'a = "color: #555;"',
            'b = "QPushButton { background: #1d4f91; color: white; }"',
            "c = Qt.GlobalColor.gray",
            'd = QColor("#1e6b2e")',
            "e = f\"<b style='color:#b35c00'>{x}</b>\"",
            'f = "background: rgb(10, 20, 30);"',
            'g = "#card { padding: 2px; }"',  # an object name, not a colour
            "h = QColor(palette_colour)",  # computed: what ui/style.py hands out
        )
    )
    assert sorted({where.split(":")[0] for where in colour_literals(source)}) == [
        "line 1",
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ]
