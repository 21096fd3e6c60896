"""Havre's icon at every size a package or an executable needs, from resources/icons/havre.svg.

`python packaging/icons.py FOLDER` writes havre-<size>.png for each size of SIZES, havre.ico
(Windows: every size up to 256 in one file) and havre.icns (macOS). Each size is rendered from
the drawing, not scaled down from a bigger picture, so that small icons stay sharp. The window
keeps the SVG itself; these files are for the desktop, the menus and Explorer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "havre.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# A Windows icon holds sizes up to 256; a macOS one has no 24 (Apple's sizes only).
ICO_SIZES = tuple(size for size in SIZES if size <= 256)
ICNS_SIZES = tuple(size for size in SIZES if size != 24)


def png_name(size: int) -> str:
    return f"havre-{size}.png"


def render(svg: Path, size: int) -> Image.Image:
    """The drawing at `size` x `size` pixels, transparent around it."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG drawing Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    # Pillow reads straight (not premultiplied) RGBA, one row after the other.
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    pixels = bytes(rgba.constBits())
    return Image.frombuffer("RGBA", (size, size), pixels, "raw", "RGBA", rgba.bytesPerLine(), 1)


def make_icons(folder: Path, svg: Path = SVG) -> dict[str, Path]:
    """Every icon file in `folder`, by name."""
    folder.mkdir(parents=True, exist_ok=True)
    images = {size: render(svg, size) for size in SIZES}
    made: dict[str, Path] = {}
    for size, image in images.items():
        made[png_name(size)] = folder / png_name(size)
        image.save(made[png_name(size)])
    made["havre.ico"] = folder / "havre.ico"
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        made["havre.ico"],
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=[images[size] for size in ICO_SIZES],
    )
    made["havre.icns"] = folder / "havre.icns"
    images[max(ICNS_SIZES)].save(
        made["havre.icns"], append_images=[images[size] for size in ICNS_SIZES]
    )
    return made


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the icons")
    folder = parser.parse_args(arguments).folder
    for path in make_icons(folder).values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
