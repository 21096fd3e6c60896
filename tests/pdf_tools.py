"""Reading the PDFs Havre makes the way a person or a printer would: poppler's pdftotext,
pdffonts and pdfinfo (Debian's poppler-utils, installed by `make test`)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
import zlib
from pathlib import Path

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# pdftotext drops the space where a run of Latin letters meets Arabic ones
_SCRIPT_CHANGE = re.compile(r"(?<=[a-z0-9])(?=[\u0600-\u06ff])|(?<=[\u0600-\u06ff])(?=[a-z0-9])")


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "material.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
        )
    return result.stdout


def pdf_text(pdf: bytes, *crop: str) -> str:
    """The text a reader finds in the PDF (Arabic back in reading order, as pdftotext does);
    `crop` as pdftotext's -x -y -W -H options, in points."""
    return _run("pdftotext", pdf, *crop)


def body_text(pdf: bytes, footer: float = 40) -> str:
    """The text of every page without its last `footer` points (the page numbers), one page
    after the other."""
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))  # type: ignore[union-attr]
    height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+)", pdf_info(pdf)).group(1))  # type: ignore[union-attr]
    return "\n".join(
        pdf_text(
            pdf,
            "-f",
            str(n),
            "-l",
            str(n),
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "2000",
            "-H",
            str(int(height - footer)),
        )
        for n in range(1, pages + 1)
    )


def pdf_info(pdf: bytes) -> str:
    return _run("pdfinfo", pdf)


def pdf_title(pdf: bytes) -> str:
    """The title a PDF reader shows (its title bar, its list of recent files)."""
    return re.search(r"^Title:\s*(.*)$", pdf_info(pdf), re.MULTILINE).group(1).strip()  # type: ignore[union-attr]


def pdf_language(pdf: bytes) -> str | None:
    """The /Lang of the document catalogue: the language screen readers and search use."""
    objects = re.findall(rb"\bobj\s*<<(.*?)>>\s*endobj", pdf, re.DOTALL)
    catalog = next(o for o in objects if re.search(rb"/Type\s*/Catalog\b", o))
    found = re.search(rb"/Lang\s*\((.*?)\)", catalog)
    return found.group(1).decode("ascii") if found else None


def to_unicode_texts(pdf: bytes) -> list[str]:
    """For each character code of each embedded font subset, the text its ToUnicode map gives
    (what a reader finds for that glyph)."""
    texts = []
    for stream in re.findall(rb"\bstream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            cmap = zlib.decompressobj().decompress(stream)
        except zlib.error:
            cmap = stream
        for chars in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
            texts += [
                bytes.fromhex(hexa.decode()).decode("utf-16-be")
                for hexa in re.findall(rb"<[0-9A-F]+> <([0-9A-F]+)>", chars)
            ]
    return texts


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the PDF uses."""
    rows = _run("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for row in rows:
        parts = row.split()
        # name, type words..., encoding, emb, sub, uni, object, id: "emb" is the 5th from the end
        fonts.append((parts[0], parts[-5] == "yes"))
    return fonts


def words(text: str) -> str:
    """Text reduced to its words, so that what was printed and what was written compare:
    compatibility forms (joined Arabic letters) unfolded, vowel marks, bidi controls and
    punctuation dropped, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFKC", _BIDI_CONTROLS.sub("", text))
    kept = "".join(
        c if unicodedata.category(c)[0] in "LN" else " "
        for c in text
        if unicodedata.category(c) != "Mn"
    )
    return " ".join(_SCRIPT_CHANGE.sub(" ", kept.casefold()).split())
