"""What importing a directory pack would change, before anything changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime
from app.progress import Progress
from app.services.directory_packs import PackPreview
from ui import tasks


class PackPreviewDialog(QDialog):
    def __init__(
        self, preview: PackPreview, apply: Callable[[Progress], object], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import a directory pack"))
        self.resize(620, 520)
        self._apply = apply
        pack = preview.pack
        heading = QLabel(
            _(
                "Pack version {version} of {created}, signed by {code} ({name}), fingerprint "
                "{fingerprint}. This desk has version {current}."
            ).format(
                version=pack.version,
                created=format_datetime(pack.created_at, "short"),
                code=pack.signer.desk_code,
                name=pack.signer.desk_name,
                fingerprint=pack.signer.fingerprint,
                current=preview.current_version,
            )
        )
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        self.lists: dict[str, QListWidget] = {}
        for key, label, names in (
            ("added", _("Added ({count})"), preview.added),
            ("changed", _("Changed ({count})"), preview.changed),
            ("retired", _("Retired ({count})"), preview.retired),
            ("protocols", _("Protocol versions added ({count})"), preview.protocols_added),
        ):
            layout.addWidget(QLabel(label.format(count=len(names))))
            listing = QListWidget()
            listing.setAccessibleName(label.format(count=len(names)))
            # Whole lines ("name — verified by … on …"), wrapped rather than cut.
            listing.setWordWrap(True)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            listing.addItems(list(names))
            layout.addWidget(listing)
            self.lists[key] = listing
        layout.addWidget(
            QLabel(
                _("Unchanged: {count}. The entries this desk added itself are kept.").format(
                    count=preview.unchanged
                )
            )
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            _("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        progress = Progress()
        tasks.run(
            self,
            lambda: self._apply(progress),
            lambda _r: self.accept(),
            self._failed,
            progress=progress,
            title=_("Import a directory pack"),
        )

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        tasks.report_failure(self, error)
