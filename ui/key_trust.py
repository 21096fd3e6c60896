"""Trusting another desk's public key: the person compares the fingerprint read out to
them before anything is trusted (the directory page for the network coordinator's key,
the network page for the desks' keys)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.errors import ValidationError
from app.i18n import _
from app.services import keys
from app.services.keys import PublicKeyInfo
from app.services.open_desk import OpenDesk
from ui import prompts, tasks


def key_file_filter() -> str:
    return _("Public key files ({pattern});;All files (*)").format(
        pattern="*" + keys.PUBLIC_KEY_SUFFIX
    )


def choose_and_trust(
    parent: QWidget, desk: OpenDesk, on_trusted: Callable[[PublicKeyInfo], None]
) -> None:
    path = prompts.choose_file_to_open(
        parent, _("Trust a public key file"), Path.home(), key_file_filter()
    )
    if path is not None:
        trust_key_file(parent, desk, path, on_trusted)


def trust_key_file(
    parent: QWidget, desk: OpenDesk, path: Path, on_trusted: Callable[[PublicKeyInfo], None]
) -> None:
    try:
        info = keys.read_public_key_file(path)
    except ValidationError as error:
        prompts.show_error(parent, error)
        return
    question = _(
        "Trust the key of {code} ({name})? Compare its fingerprint with the one its desk "
        "gives you: {fingerprint}"
    ).format(code=info.desk_code, name=info.desk_name, fingerprint=info.fingerprint)
    if prompts.confirm(parent, question, _("Trust this key")):

        def trusted(done: keys.Trusted) -> None:
            if done.replaced is not None:
                prompts.show_info(parent, done.replacement_note())
            on_trusted(done.info)

        tasks.run(parent, lambda: keys.trust(desk, info), trusted)
