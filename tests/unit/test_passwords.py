from __future__ import annotations

import pytest

from app.domain.passwords import check_new_password, estimate
from app.errors import ValidationError


@pytest.mark.parametrize(
    ("password", "score"),
    [
        ("", 0),
        ("azertyuiop", 0),
        ("aaaaaaaaaaaa", 0),
        ("abcdefghijkl", 0),
        ("Motdepasse1", 0),
        ("tulipes", 1),
        ("Havre2026!!", 2),
        ("K7#pw9!zQ2", 3),
        ("cheval bleu marche vite", 4),
    ],
)
def test_strength_scores(password: str, score: int) -> None:
    assert estimate(password).score == score


def test_the_user_name_inside_the_password_makes_it_very_weak() -> None:
    assert estimate("anna-summer-garden", "Anna").score == 0


def test_new_password_rules_say_what_to_do() -> None:
    with pytest.raises(ValidationError, match="at least 10 characters"):
        check_new_password("short")
    with pytest.raises(ValidationError, match="too easy to guess"):
        check_new_password("aaaaaaaaaaaaaa")
    check_new_password("quiet meadow river 17")
