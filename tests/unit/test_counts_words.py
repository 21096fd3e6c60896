"""The counts' tables speak the screen's language down to every row: an answer whose
words alone are ambiguous ("Other" of a form of violence, of a relationship) is looked up
with its context, as the forms look it up; without it, it stayed in English."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from app import i18n, paths
from app.domain import indicators as ind
from app.i18n import InContext


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_row_of_the_counts_is_in_the_catalogue(language: str) -> None:
    with open(paths.translations_dir() / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    missing = []
    for element in ind.ELEMENTS:
        for dimension in element.dimensions:
            for code, label in dimension.options:
                context = label.context if isinstance(label, InContext) else None
                words = label.message if isinstance(label, InContext) else label
                message = catalogue.get(words, context=context)
                if message is None or not message.string:
                    missing.append(f"{dimension.code}/{code}: {words}")
    assert missing == []


def test_other_is_translated_in_its_context() -> None:
    i18n.set_language("fr")  # put back to English after each test
    assert ind.FORM.option_label("OTHER") == "Autre forme"
    assert ind.CONTEXT.option_label("OTHER") != "Other"
