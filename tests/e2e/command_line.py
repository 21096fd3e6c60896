"""Havre's command line run inside the test's own process, through the entry point of
`python -m app`: the words of the command, standard input, and back the exit status,
standard output and standard error, as a script sees them.

A new interpreter per call paid for importing the whole application each time (numpy,
scipy, alembic, reportlab: about two seconds of CPU) and for the production key derivation
(calibrated to a third of a second per password, and more at set-up; the demo's fixed
floor); the CLI tests called it dozens of times. Here the imports are paid once, and a desk
made on the command line gets the tests' cheap Argon2 parameters (tests.conftest.FAST_KDF)
in place of the calibration, as tests/unit/test_demo.py gives them to the demo desks. What
a real process adds, tests/e2e/test_cli.py checks on its own (marked slow): `python -m app
init` in a process of its own, with the production cost."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence

from app import __main__ as entry_point
from app import crypto, i18n
from app.services import demo
from tests.conftest import FAST_KDF


def havre(*args: str, stdin: str = "", lang: str = "en") -> subprocess.CompletedProcess[str]:
    """`havre args…` with `stdin` as its standard input, in a `lang` locale."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        _as_a_process_of_its_own(args, stdin, lang),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            status = entry_point.main()
        except SystemExit as exit_:
            status = _exit_status(exit_, stderr)
    return subprocess.CompletedProcess(
        ["havre", *args], status, stdout.getvalue(), stderr.getvalue()
    )


def _exit_status(exit_: SystemExit, stderr: io.StringIO) -> int:
    """What the interpreter makes of `sys.exit(code)`: an int as it is, None as 0, and
    anything else printed on standard error with status 1."""
    if exit_.code is None:
        return 0
    if isinstance(exit_.code, int):
        return exit_.code
    print(exit_.code, file=stderr)
    return 1


@contextlib.contextmanager
def _as_a_process_of_its_own(args: Sequence[str], stdin: str, lang: str) -> Iterator[None]:
    """What a process would have had to itself, and what the command changes in the whole
    process, put back afterwards: its arguments, standard input, locale, umask (the command
    makes every file its user's alone), log handlers, language and key derivation cost."""
    saved_argv, saved_stdin = sys.argv, sys.stdin
    saved_environment = {name: os.environ.get(name) for name in ("LANG", "LANGUAGE")}
    saved_umask = os.umask(0o022)
    os.umask(saved_umask)
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_language = i18n.current_language()
    calibrate, demo_kdf = crypto.calibrate_kdf, demo.DEMO_KDF
    sys.argv, sys.stdin = ["havre", *args], io.StringIO(stdin)
    os.environ.update({"LANG": f"{lang}_BE.UTF-8", "LANGUAGE": lang})
    crypto.calibrate_kdf = lambda *_args, **_kwargs: FAST_KDF
    demo.DEMO_KDF = FAST_KDF
    try:
        yield
    finally:
        crypto.calibrate_kdf, demo.DEMO_KDF = calibrate, demo_kdf
        sys.argv, sys.stdin = saved_argv, saved_stdin
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        os.umask(saved_umask)
        for handler in set(root.handlers) - set(saved_handlers):
            root.removeHandler(handler)
            handler.close()
        root.setLevel(saved_level)
        i18n.set_language(saved_language)
