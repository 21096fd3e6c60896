"""What the frozen build leaves out of what PyInstaller's hooks collect: build.spec filters
its Analysis with these rules. Each rule names what Havre does not use; `selfcheck` proves
in the frozen build that what is kept is enough (milp, dates in every language, a demo name).

The rules read destination names in the build ("babel/locale-data/fr_BE.dat",
"PySide6/Qt/plugins/platforms/libqxcb.so", "faker.providers.person.fr_BE"), on every OS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
# The languages of the screens (app/i18n.py) are added to the brochures' by `languages()`.
SCREEN_LANGUAGES = ("fr", "nl", "de", "en")
# Faker's locales the demo desk asks for (app/services/demo_data.py), the ones Faker falls
# back to for a provider that has neither (its default en_US, two providers' own en_GB and
# la), and en, which en_US's modules import.
FAKER_LOCALES = frozenset({"fr_BE", "nl_BE", "en_US", "en_GB", "la", "en"})
# Qt plugins Havre never loads, by folder, "*" for the whole folder: no network (tls,
# networkinformation, vnc), no embedded screens or touch devices (eglfs, linuxfb, evdev, tuio),
# no virtual keyboard (it needs QtQuick), no PDF, TIFF, WebP... pictures (PDFs are read by
# pdfium, pictures are PNG and SVG).
UNUSED_PLUGINS: dict[str, tuple[str, ...]] = {
    "tls": ("*",),
    "networkinformation": ("*",),
    "generic": ("*",),
    "egldeviceintegrations": ("*",),
    "platforms": ("qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc", "qdirect2d"),
    "platforminputcontexts": ("qtvirtualkeyboardplugin",),
    "imageformats": ("qpdf", "qtiff", "qwebp", "qtga", "qwbmp", "qgif"),
}
# Qt libraries only those plugins or modules need (Quick and QML for the virtual keyboard,
# Network for TLS and VNC, Pdf for the PDF picture format, EGLFS for embedded screens).
UNUSED_QT_LIBRARY = re.compile(r"Qt6?(Quick|Qml|Pdf|VirtualKeyboard|Network|EglFs|EglFS)", re.I)
# Qt's own strings Havre loads: qtbase_<language> (ui/application.py), in its languages.
QT_CATALOGUE = re.compile(r"qtbase_(?P<language>[a-z]+)\.qm$")


def languages(root: Path = ROOT) -> frozenset[str]:
    """Every language a date, a number or a language's name is written in: the screens' and
    the brochures' (a brochure and its handout are printed in their own language)."""
    brochures = {path.stem for path in (root / "translations" / "brochure").glob("*.json")}
    return frozenset(SCREEN_LANGUAGES) | brochures


def keeps_babel_file(name: str, kept_languages: Iterable[str]) -> bool:
    """A file of babel's locale data is kept when it belongs to a kept language (all its
    regions: fr_BE inherits from fr, en_BE from en_150 and en_001) or is the root they all
    inherit from; anything else of babel is kept."""
    path = PurePath(name)
    if path.parent.as_posix() != "babel/locale-data":
        return True
    locale = path.stem
    return locale == "root" or locale.split("_")[0] in set(kept_languages)


def keeps_faker_module(name: str) -> bool:
    """faker.providers.<provider>.<locale>[...] is kept for the locales of FAKER_LOCALES;
    `name` is a module's ("faker.providers.person.fr_BE") or a file's: Faker's hook ships
    the providers' sources as files too, where Faker looks for the locales it offers."""
    parts = PurePath(name).with_suffix("").parts if "/" in name else tuple(name.split("."))
    if parts[:2] != ("faker", "providers") or len(parts) < 4:
        return True
    # Faker's own list tells a locale from a module ("faker.providers.sbn.sbn" is one).
    from faker.config import AVAILABLE_LOCALES

    return parts[3] not in AVAILABLE_LOCALES or parts[3] in FAKER_LOCALES


def keeps_qt_file(name: str, kept_languages: Iterable[str] = SCREEN_LANGUAGES) -> bool:
    """Qt plugins, libraries and catalogues: see UNUSED_PLUGINS, UNUSED_QT_LIBRARY,
    QT_CATALOGUE. Names outside PySide6 are kept."""
    path = PurePath(name)
    if not path.parts or path.parts[0] != "PySide6":
        return True
    if "translations" in path.parts:
        catalogue = QT_CATALOGUE.search(path.name)
        return catalogue is not None and catalogue["language"] in set(kept_languages)
    if "plugins" in path.parts and path.parent.name in UNUSED_PLUGINS:
        unused = UNUSED_PLUGINS[path.parent.name]
        stem = path.name.split(".")[0].removeprefix("lib")
        return "*" not in unused and stem not in unused
    return UNUSED_QT_LIBRARY.search(path.name) is None and not any(
        UNUSED_QT_LIBRARY.search(part) for part in path.parts if part.endswith(".framework")
    )


def keeps_file(name: str, kept_languages: Iterable[str]) -> bool:
    """Whether a data file or a binary of the Analysis goes into the build."""
    return (
        keeps_babel_file(name, kept_languages)
        and keeps_qt_file(name)
        and keeps_faker_module(name.replace("\\", "/"))
    )
