"""The icon files made from resources/icons/havre.svg for packages and executables."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.packaging.scripts import load

icons = load("icons")

BLUE = (0x1D, 0x4F, 0x91)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made: dict[str, Path] = icons.make_icons(tmp_path_factory.mktemp("icons"))
    return made


def test_a_png_at_every_size_drawn_from_the_svg(made: dict[str, Path]) -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(made[f"havre-{size}.png"]) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            # The rounded square's corner stays transparent; its inside is Havre's blue.
            assert image.getpixel((0, 0))[3] == 0
            assert image.getpixel((size // 8, size // 2))[:3] == BLUE


def test_the_windows_icon_holds_every_size_up_to_256(made: dict[str, Path]) -> None:
    with Image.open(made["havre.ico"]) as image:
        assert image.format == "ICO"
        assert sorted(image.ico.sizes()) == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]


def test_the_macos_icon_holds_apples_sizes(made: dict[str, Path]) -> None:
    with Image.open(made["havre.icns"]) as image:
        assert image.format == "ICNS"
        # The kinds of today's macOS: 128 to 512 pixels, and 16 and 32 points on
        # high-density screens (twice the pixels).
        kinds = {(128, 128, 1), (256, 256, 1), (512, 512, 1), (16, 16, 2), (32, 32, 2)}
        assert kinds <= set(image.info["sizes"])


def test_a_file_that_is_no_drawing_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("not a drawing", encoding="utf-8")
    with pytest.raises(ValueError, match="not an SVG drawing"):
        icons.make_icons(tmp_path / "out", broken)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
