"""The line above the intake form: the code of the contact just saved, with a way to open
its case; or a draft given back, with a way to drop it."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import _
from ui import style
from ui.style import Tone


class Offer(Enum):
    OPEN_CASE = "open"
    DISCARD_DRAFT = "discard"


class IntakeBanner(QWidget):
    #: the person took what the banner offered
    taken = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.message = QLabel()
        style.tone(self.message, Tone.INFO)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Message"))
        self.button = QPushButton()
        self.button.clicked.connect(self._take)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.button)
        self.offer: Offer | None = None
        self.hide()

    def offer_to(self, offer: Offer, text: str) -> None:
        self.offer = offer
        self.message.setText(text)
        self.button.setText(
            _("Open the case") if offer is Offer.OPEN_CASE else _("Discard this draft")
        )
        self.show()

    def withdraw(self) -> None:
        self.offer = None
        self.hide()

    def _take(self) -> None:
        offer = self.offer
        self.withdraw()
        if offer is not None:
            self.taken.emit(offer)
