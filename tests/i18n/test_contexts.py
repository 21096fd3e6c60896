"""Words that translate differently by what they qualify carry a context: "Other" among
the sexes is not "Other" among the services in every language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app import i18n
from app.domain.codes import PoliceComplaint, ServiceType, Sex, ViolenceForm


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    yield
    i18n.set_language("en")


def test_other_of_each_list_has_its_own_translation(german: None) -> None:
    assert Sex.OTHER.label == "Divers"
    assert ServiceType.OTHER.label == "Anderer Dienst"
    assert ViolenceForm.OTHER.label == "Andere Form"


def test_the_same_words_in_two_contexts_translate_apart() -> None:
    i18n.set_language("fr")
    try:
        assert PoliceComplaint.PLANNED.label == "Envisagée"
        assert i18n.pgettext("training", "Planned") == "Prévue"
    finally:
        i18n.set_language("en")


def test_a_context_falls_back_to_the_english_words() -> None:
    i18n.set_language("en")
    assert Sex.OTHER.label == ServiceType.OTHER.label == "Other"
    assert i18n.translate(i18n.NP_("sex", "Other")) == "Other"
    assert i18n.untranslated(i18n.NP_("sex", "Other")) == "Other"
