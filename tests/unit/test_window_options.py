"""The window's own options are read without building every command's parser (a cost the
sign-in screen would wait for); anything else goes to the full parser, whose messages
and help name the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli


def test_the_windows_options_alone_are_read_without_the_commands() -> None:
    args = cli._window_options(["--db", "desk.havre", "--lang=fr", "--exit-after-start"])
    assert args is not None and args.command is None
    assert (args.db, args.lang, args.exit_after_start) == (Path("desk.havre"), "fr", True)


@pytest.mark.parametrize(
    "argv",
    [
        ["brochure", "--lang", "ar"],  # a command's own --lang, with a value the window lacks
        ["--db", "desk.havre", "backup"],
        ["--help"],
        ["-h"],
        ["--dbx", "desk.havre"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert cli._window_options(argv) is None


@pytest.mark.parametrize("argv", [["--lang", "xx"], ["--db"]])
def test_a_mistake_in_the_windows_options_is_answered_by_the_full_parser(
    argv: list[str],
) -> None:
    assert cli._window_options(argv) is None
