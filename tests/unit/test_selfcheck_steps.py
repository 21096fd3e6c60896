"""The selfcheck steps that prove the frozen build kept what it needs of SciPy, Babel and Faker
(packaging/frozen_contents.py leaves the rest out), and that it says which version it is."""

from __future__ import annotations

import pytest

from app import __version__, i18n, selfcheck
from app.services import brochure_content, demo_data


def test_the_version_step_says_what_havre_version_prints() -> None:
    assert selfcheck.check_version() == f"Havre {__version__}"


def test_the_solver_step_finds_the_known_answer() -> None:
    assert "milp" in selfcheck.check_solver()


def test_the_solver_step_fails_when_milp_answers_wrongly(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.disclosure import solver

    real = solver.solve
    monkeypatch.setattr(solver, "solve", lambda c, **kw: real(-c, **kw))
    with pytest.raises(RuntimeError, match="known answer"):
        selfcheck.check_solver()


def test_the_languages_step_writes_a_day_in_every_language_and_keeps_the_screens() -> None:
    i18n.set_language("nl")
    try:
        text = selfcheck.check_languages()
        assert i18n.current_language() == "nl"
    finally:
        i18n.set_language("en")
    count = len(i18n.LANGUAGE_CODES) + len(brochure_content.available_languages())
    assert text.startswith(f"{count} languages")


def test_the_languages_step_fails_for_a_language_babel_does_not_know(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from babel import UnknownLocaleError

    monkeypatch.setattr(brochure_content, "available_languages", lambda: ["fr", "qqq"])
    with pytest.raises(UnknownLocaleError, match="qqq"):
        selfcheck.check_languages()


def test_the_demo_names_step_makes_a_name_in_each_of_the_demos_locales() -> None:
    text = selfcheck.check_demo_names()
    assert [part.split()[0] for part in text.split(", ")] == list(demo_data.NAME_LOCALES)


def test_every_new_step_is_run_and_reported() -> None:
    lines: list[str] = []
    assert selfcheck.run(lambda: "not checked here", lines.append)
    steps = [line.split(":")[0] for line in lines]
    for step in ("version", "solver", "languages", "demo names"):
        assert f"ok   {step}" in steps
