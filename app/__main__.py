"""Entry point of `python -m app` and of the frozen `havre` executable.

The command line and every headless command live in app/ and never import Qt. Only the
GUI (no command) and `selfcheck` need the front end; it is loaded here, by name, so that
scripted commands start without loading Qt at all.
"""

from __future__ import annotations

import importlib
import sys
from typing import cast

from app.cli import Frontend
from app.cli import main as cli_main


def _frontend() -> Frontend:
    return cast(Frontend, importlib.import_module("ui.frontend"))


def main() -> int:
    return cli_main(sys.argv[1:], _frontend)


if __name__ == "__main__":
    sys.exit(main())
