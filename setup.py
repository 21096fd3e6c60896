"""The one build step of the Havre package (`pip install .`); everything else is in pyproject.toml.

An installed Havre needs what the source tree keeps beside the code: the catalogues, compiled
here from translations/*/LC_MESSAGES/messages.po (Babel, as `pybabel compile` does), the
brochure texts and resources/. They go into the package as app/bundle/, where app/paths.py
looks first (build.spec puts them at the same place in the frozen build).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLE = Path("app", "bundle")
COPIED = ("resources", "translations/brochure")


class BuildWithBundle(build_py):
    """Python files as usual, plus app/bundle/; an editable install reads the source tree."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self._bundle(Path(self.build_lib) / BUNDLE)

    def _bundle(self, target: Path) -> None:
        for source in sorted(ROOT.glob("translations/*/LC_MESSAGES/messages.po")):
            compiled = target / source.relative_to(ROOT).with_suffix(".mo")
            with source.open("rb") as stream:
                catalog = read_po(stream, locale=source.parents[1].name)
            compiled.parent.mkdir(parents=True, exist_ok=True)
            with compiled.open("wb") as stream:
                write_mo(stream, catalog)  # fuzzy entries left out, as `pybabel compile` does
        for folder in COPIED:
            for source in sorted((ROOT / folder).rglob("*")):
                if source.is_file():
                    destination = target / source.relative_to(ROOT)
                    self.mkpath(str(destination.parent))
                    self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildWithBundle})
