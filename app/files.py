"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from app import file_ops
from app.errors import StorageError


def atomic_write(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp_name, 0o600)
            file_ops.replace(Path(temp_name), path)
        except BaseException:
            file_ops.discard(Path(temp_name))
            raise
    except OSError as exc:
        raise StorageError(path.parent, exc.strerror or str(exc)) from exc


def check_writable_folder(folder: Path) -> None:
    """Refuse early, with a clear message, a folder where Havre could not create its files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise StorageError(folder, exc.strerror or str(exc)) from exc


def json_from_outside(data: bytes) -> Any:
    """The JSON in `data` (UTF-8), from a file that came from outside: any fault is a
    ValueError, brackets nested deeper than Python reads (a hostile file) included."""
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deep") from None


def read_json_document(path: Path, file_format: str, max_bytes: int) -> dict[str, Any] | None:
    """The JSON object in `path` whose "format" is `file_format`, or None for anything else
    (missing, unreadable, too big, not JSON, another kind of file): callers say why."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        document = json_from_outside(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != file_format:
        return None
    return document
