"""The build's scripts in packaging/, loaded by path as build.spec and make run them: a
folder named `packaging` must not shadow the library of that name that pip and PyInstaller
import, so it is no package and not on the path."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "packaging"


def load(name: str) -> ModuleType:
    """packaging/<name>.py (or packaging/linux/<name>.py with name "linux/<name>")."""
    folder = str(FOLDER)
    if folder not in sys.path:
        sys.path.append(folder)
    path = FOLDER / f"{name}.py"
    module_name = path.stem
    if module_name in sys.modules:
        return sys.modules[module_name]
    import importlib.util

    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
