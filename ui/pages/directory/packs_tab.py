"""The directory's signed packs: export one for the desks of the network, import one from
the network coordinator after a preview, and trust the key files that sign them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from app.progress import Progress
from app.services import directory_packs
from app.services.open_desk import OpenDesk
from ui import key_trust, prompts, style, tasks
from ui.dialogs.pack_preview_dialog import PackPreviewDialog
from ui.style import Tone

PACK_FILTER = "*" + directory_packs.PACK_SUFFIX


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    style.tone(label, Tone.NOTE)
    return label


class PacksTab(QWidget):
    #: a pack was imported: the entries changed
    imported = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self.export_button = QPushButton(_("Export a pack…"))
        self.import_button = QPushButton(_("Import a pack…"))
        self.trust_button = QPushButton(_("Trust a key file…"))
        column = QVBoxLayout(self)
        for button, action, note in (
            (
                self.export_button,
                self.export_pack,
                _("The entries of this directory, signed, for the other desks of the network."),
            ),
            (
                self.import_button,
                self.import_pack,
                _("The network coordinator's pack: what it changes is shown before importing."),
            ),
            (
                self.trust_button,
                self.trust_key,
                _("The public key file of the desk that signs the packs you import."),
            ),
        ):
            button.clicked.connect(action)
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            column.addWidget(_note(note))
        column.addStretch()

    def export_pack(self) -> None:
        desk = self.desk
        if desk is None:
            return
        path = prompts.choose_file_to_save(
            self,
            _("Export a directory pack"),
            Path.home() / f"directory{directory_packs.PACK_SUFFIX}",
            _("Directory packs ({pattern})").format(pattern=PACK_FILTER),
        )
        if path is None:
            return
        tasks.run_replacing(
            self,
            lambda replace: directory_packs.export_pack(desk, path, replace=replace),
            lambda pack: prompts.show_info(
                self,
                _("Directory pack version {version} written: {path} ({count} entries).").format(
                    version=pack.version, path=path, count=len(pack.entries)
                ),
            ),
        )

    def import_pack(self) -> None:
        if self.desk is None:
            return
        path = prompts.choose_file_to_open(
            self,
            _("Import a directory pack"),
            Path.home(),
            _("Directory packs ({pattern})").format(pattern=PACK_FILTER),
        )
        if path is not None:
            self.read_pack(path)

    def read_pack(self, path: Path) -> None:
        desk = self.desk
        if desk is None:
            return
        progress = Progress()
        tasks.run(
            self,
            lambda: directory_packs.read_pack(desk, path, progress),
            self.preview,
            progress=progress,
            title=_("Import a directory pack"),
        )

    def preview(self, preview: directory_packs.PackPreview) -> None:
        """What the pack would change, to import or not."""
        desk = self.desk
        if desk is None:
            return
        dialog = PackPreviewDialog(
            preview, lambda progress: directory_packs.apply_pack(desk, preview, progress), self
        )
        dialog.accepted.connect(self.imported)
        dialog.open()

    def trust_key(self) -> None:
        if self.desk is not None:
            key_trust.choose_and_trust(self, self.desk, lambda _info: None)
