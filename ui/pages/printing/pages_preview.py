"""The pages of the material as they will be printed, one under the other, as wide as the
preview lets them be."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QLayout, QScrollArea, QVBoxLayout, QWidget

from app.i18n import _
from ui import style
from ui.style import Tone

PREVIEW_MARGIN = 16


class PagesPreview(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.pages = QWidget()
        self._layout = QVBoxLayout(self.pages)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(PREVIEW_MARGIN)
        # Never shorter than its pages (else the scroll area squeezes them over each other).
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setWidget(self.pages)
        self.setWidgetResizable(True)
        self.setAccessibleName(_("Preview of the pages"))
        style.tone(self, Tone.PAPER_DESK)

    def show_pages(self, pixmaps: list[QPixmap]) -> None:
        for old in self.pages.findChildren(QLabel):
            self._layout.removeWidget(old)
            old.deleteLater()
        width = self.viewport().width() - 2 * PREVIEW_MARGIN
        for pixmap in pixmaps:
            scaled = pixmap.scaledToWidth(
                min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation
            )
            page = QLabel()
            page.setPixmap(scaled)
            page.setFixedSize(scaled.size())
            style.tone(page, Tone.PAPER)
            self._layout.addWidget(page)
