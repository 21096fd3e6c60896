"""The `slow` marker policy: a test that starts Havre in a process of its own is marked slow
(tests/conftest.py refuses the process otherwise), the slow tests run first so that no
worker is left with a long one at the end, and `make pytest` runs them all."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from tests.conftest import UnmarkedSlowTest, pytest_collection_modifyitems, starts_havre

ROOT = Path(__file__).resolve().parents[1]


def test_a_test_not_marked_slow_cannot_start_havre_in_a_process(tmp_path: Path) -> None:
    with pytest.raises(UnmarkedSlowTest, match=r"mark it @pytest\.mark\.slow"):
        subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, timeout=60)
    with pytest.raises(UnmarkedSlowTest, match=r"test_slow_marker\.py"):
        subprocess.run(
            [sys.executable, "-c", "import sys; from app import crypto"], capture_output=True
        )


def test_a_test_not_marked_slow_may_start_other_programs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import socket; print('no Havre here')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout == "no Havre here\n"


@pytest.mark.parametrize(
    ("arguments", "havre"),
    [
        ([sys.executable, "-m", "app", "init"], True),
        ([sys.executable, "-X", "importtime", "-m", "tests.crash_writer"], True),
        ([sys.executable, "-c", "\nfrom ui.widgets import dates\n"], True),
        ([sys.executable, "-c", "import sys, time; from app.instance_lock import DeskLock"], True),
        ([sys.executable, "-c", "import socket; socket.socket()"], False),
        ([sys.executable, "-c", "print('from app import nothing')"], False),
        ([sys.executable, "-m", "pip", "wheel", "."], False),
        (["make", "-m", "app"], False),
        ([], False),
    ],
)
def test_what_counts_as_starting_havre(arguments: list[str], havre: bool) -> None:
    assert starts_havre(arguments) is havre


class Collected:
    """What the ordering reads of a collected test: its `slow` marker, if any."""

    def __init__(self, name: str, *, slow: bool = False) -> None:
        self.name, self.slow = name, slow

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return pytest.mark.slow.mark if self.slow and name == "slow" else None


def test_the_slow_tests_are_moved_first_each_in_its_order() -> None:
    items = [Collected("a"), Collected("b", slow=True), Collected("c"), Collected("d", slow=True)]
    pytest_collection_modifyitems(cast("list[pytest.Item]", items))
    assert [item.name for item in items] == ["b", "d", "a", "c"]


def test_the_run_has_the_slow_tests_first(request: pytest.FixtureRequest) -> None:
    """In the order the run was collected in (xdist hands the tests out in it)."""
    slow = [item.get_closest_marker("slow") is not None for item in request.session.items]
    assert slow == sorted(slow, reverse=True)


def test_make_pytest_runs_the_slow_tests_too() -> None:
    recipe = re.search(r"^pytest:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe is not None
    pytest_options = recipe.group(1).split("-m pytest", 1)[1]
    assert " -m " not in pytest_options and "slow" not in pytest_options
    test_rule = re.search(r"^test:(.*)\n((?:\t.*\n)*)", (ROOT / "Makefile").read_text(), re.M)
    assert test_rule is not None
    prerequisites, recipe = test_rule.group(1).split("##")[0].split(), test_rule.group(2)
    assert "pytest" in prerequisites or re.search(r"\$\(MAKE\).* pytest\b", recipe)


def test_make_pytest_hands_the_tests_out_one_at_a_time() -> None:
    """With xdist's default, the first worker takes the first quarter of the list at once:
    every slow test, while the other workers finish early and wait."""
    makefile = (ROOT / "Makefile").read_text()
    xdist = re.search(r"^XDIST := (.*)$", makefile, re.M)
    assert xdist is not None and "--maxschedchunk=1" in xdist.group(1).split()
    for target in ("pytest", "dates"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M)
        assert recipe is not None and "$(XDIST)" in recipe.group(1), target
