"""Rotating the data key: what it does, and the admin's password asked again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.errors import HavreError
from app.i18n import _
from app.services import accounts
from app.services.open_desk import OpenDesk
from ui import style, tasks
from ui.style import Tone
from ui.widgets.password_field import password_edit


class RotationDialog(QDialog):
    def __init__(
        self,
        desk: OpenDesk,
        backup_target: Path,
        rotate: Callable[[Path, str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Rotate the data key"))
        self.setMinimumWidth(520)
        self._desk, self._target, self._rotate = desk, backup_target, rotate
        intro = QLabel(
            _(
                "Do this when a key may have leaked: a lost PC or backup, a departure on bad "
                "terms. Havre first writes a verified backup to {path}, then re-encrypts the whole "
                "desk under a new data key. Every active account and the recovery key keep "
                "access with their passwords; disabled accounts lose it for good. The desk locks "
                "while it works; sign in again afterwards. Backups made before keep the old key: "
                "destroy those you no longer need."
            ).format(path=backup_target)
        )
        intro.setWordWrap(True)
        self.password = password_edit()
        self.password.setAccessibleName(_("Your password"))
        form = QFormLayout()
        form.addRow(_("Your password"), self.password)
        self.error = QLabel()
        style.tone(self.error, Tone.ERROR)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.rotate_button = self.buttons.addButton(
            _("Back up and rotate"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        password = self.password.text()
        self.buttons.setEnabled(False)

        def confirmed(_result: None) -> None:
            self.accept()
            self._rotate(self._target, password)

        def refused(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            if not isinstance(error, HavreError):
                tasks.report_failure(self, error)
                return
            self.error.setText(str(error))
            self.password.selectAll()
            self.password.setFocus()

        tasks.run(
            self, lambda: accounts.confirm_own_password(self._desk, password), confirmed, refused
        )
