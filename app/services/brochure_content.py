"""The brochure text of a language, read from translations/brochure/<language>.json (no
database needed: the command line prints without one)."""

from __future__ import annotations

import json
from functools import cache

from app import paths
from app.domain.brochure import BrochureContent, content_from_json
from app.errors import ValidationError
from app.i18n import _


def available_languages() -> list[str]:
    folder = paths.translations_dir() / "brochure"
    return sorted(path.stem for path in folder.glob("*.json"))


@cache
def load_content(language: str) -> BrochureContent:
    """The content in `language`; a language without content is refused with the list."""
    if language not in available_languages():
        raise ValidationError(
            _("There is no brochure text in {language}. Available: {languages}.").format(
                language=language, languages=", ".join(available_languages())
            ),
            field="language",
        )
    path = paths.translations_dir() / "brochure" / f"{language}.json"
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        raw = None
    return content_from_json(raw, language)
