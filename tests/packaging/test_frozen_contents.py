"""What the frozen build leaves out (packaging/frozen_contents.py), by the names PyInstaller
gives the files on Linux, Windows and macOS. The frozen build's selfcheck proves that what is
kept is enough (`make smoke`)."""

from __future__ import annotations

import pytest

from app import i18n
from app.services import brochure_content, demo_data
from tests.packaging.scripts import load

frozen_contents = load("frozen_contents")
LANGUAGES = frozen_contents.languages()


def test_the_languages_are_the_screens_and_the_brochures() -> None:
    assert set(i18n.LANGUAGE_CODES) <= LANGUAGES
    assert set(brochure_content.available_languages()) <= LANGUAGES
    assert set(frozen_contents.SCREEN_LANGUAGES) == set(i18n.LANGUAGE_CODES)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("babel/locale-data/fr_BE.dat", True),
        ("babel/locale-data/fr.dat", True),
        ("babel/locale-data/en_150.dat", True),
        ("babel/locale-data/en_001.dat", True),
        ("babel/locale-data/ar.dat", True),
        ("babel/locale-data/root.dat", True),
        ("babel/global.dat", True),
        ("babel/locale-data/ja.dat", False),
        ("babel/locale-data/fy_NL.dat", False),
    ],
)
def test_babel_keeps_the_languages_havre_writes_in(name: str, kept: bool) -> None:
    assert frozen_contents.keeps_file(name, LANGUAGES) is kept


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("faker.providers.person.fr_BE", True),
        ("faker.providers.person.nl_BE", True),
        ("faker.providers.person.en_US", True),
        ("faker.providers.lorem.la", True),
        ("faker.providers.address.en", True),
        ("faker.providers.person", True),
        ("faker.providers.sbn.rules", True),
        ("faker.providers.sbn.sbn", True),
        ("faker.providers.isbn.isbn", True),
        ("faker.proxy", True),
        ("faker.providers.person.ja_JP", False),
        ("faker.providers.address.de_AT", False),
    ],
)
def test_faker_keeps_the_demos_locales_and_its_fallbacks(name: str, kept: bool) -> None:
    assert frozen_contents.keeps_faker_module(name) is kept
    as_file = name.replace(".", "/") + "/__init__.py"
    assert frozen_contents.keeps_file(as_file, LANGUAGES) is kept
    assert frozen_contents.keeps_file(as_file.replace("/", "\\"), LANGUAGES) is kept


def test_faker_keeps_the_locales_the_demo_asks_for() -> None:
    assert set(demo_data.NAME_LOCALES) <= frozen_contents.FAKER_LOCALES


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        # Linux
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", True),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6QmlModels.so.6", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/translations/qtbase_fr.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qtbase_ja.qm", False),
        ("PySide6/Qt/translations/qt_fr.qm", False),
        ("PySide6/Qt/translations/qtdeclarative_fr.qm", False),
        # Windows
        ("PySide6/Qt6Widgets.dll", True),
        ("PySide6/Qt6Quick.dll", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/plugins/platforms/qdirect2d.dll", False),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/translations/qtbase_nl.qm", True),
        # macOS
        ("PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
        ("PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        # Not Qt's
        ("numpy.libs/libscipy_openblas64_.so", True),
        ("sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so", True),
    ],
)
def test_qt_keeps_the_widgets_printing_and_its_own_strings_in_havres_languages(
    name: str, kept: bool
) -> None:
    assert frozen_contents.keeps_file(name, LANGUAGES) is kept
