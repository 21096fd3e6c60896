"""The TrueType fonts bundled in resources/fonts, registered once for reportlab.

Arabic is drawn in the joined forms of its letters (see writing.py), each one a character of
its own to reportlab, which tells readers that the page holds those forms. A reader searching
for a word, or copying it, needs the letters themselves: the fonts here say, for each joined
form on the page, which letters it stands for.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from app import paths

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# Arabic Presentation Forms-A and -B: the joined forms arabic-reshaper draws.
_JOINED_FORMS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))


def register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (REGULAR, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(
                _SearchableFont(name, str(paths.resources_dir() / "fonts" / f"{name}.ttf"))
            )


def letters_of(code_point: int) -> str:
    """The text a reader finds for a character drawn on the page: a joined form of an Arabic
    letter is that letter; a ligature (lam-alef) its letters in the order they are drawn,
    right to left, since readers take a right-to-left line's characters from right to left
    and do not turn a ligature's letters around. Any other character is itself."""
    character = chr(code_point)
    if not any(code_point in forms for forms in _JOINED_FORMS):
        return character
    letters = unicodedata.normalize("NFKC", character).strip()
    return letters[::-1] if letters else character


def to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """The ToUnicode CMap of one subset of a font: from each code on the page to its text."""
    entries = [
        f"<{code:02X}> <{letters_of(point).encode('utf-16-be').hex().upper()}>"
        for code, point in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) "
            "/Supplement 0 >> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class _SearchableFont(TTFont):  # type: ignore[misc]
    """A bundled font whose subsets map joined Arabic forms back to their letters."""

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = list(state.subsets) if state is not None else []  # gone once written
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            # Named the way reportlab names the subset it has just written.
            name = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX))
            base_name = name.decode("pdfdoc")
            stream = doc.idToObject[f"toUnicodeCMap:{base_name}"]
            stream.content = to_unicode_cmap(base_name, subset)
