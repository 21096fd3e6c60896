"""What the network received: the files of the last import and what each did, the months ×
desks received, and the desks whose files are accepted."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.keys import PublicKeyInfo
from app.services.network import ImportResult, ReceivedMonth
from ui import style
from ui.models.network_models import ImportResultsModel, ReceivedModel
from ui.models.record_model import Column, RecordModel
from ui.style import Tone


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    style.tone(label, Tone.SECTION)
    return label


def _view(model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class ReceivedPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.results_model = ImportResultsModel()
        self.received_model = ReceivedModel()
        self.trusted_model: RecordModel[PublicKeyInfo] = RecordModel(
            [
                Column(_("Desk"), lambda info: info.desk_code),
                Column(_("Name"), lambda info: info.desk_name),
                Column(_("Fingerprint"), lambda info: info.fingerprint),
            ],
            lambda info: info.fingerprint,
        )
        self.results = _view(self.results_model, _("Import results"))
        self.results.horizontalHeader().setSectionResizeMode(
            ImportResultsModel.DETAILS, QHeaderView.ResizeMode.Stretch
        )
        self.received = _view(self.received_model, _("Months and desks received"))
        self.trusted = _view(self.trusted_model, _("Desks whose files are accepted"))
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(_("Last import")))
        layout.addWidget(self.results, 1)
        layout.addWidget(_heading(_("Received (revision per desk and month)")))
        layout.addWidget(self.received, 2)
        layout.addWidget(_heading(_("Trusted desks")))
        layout.addWidget(self.trusted, 1)

    def show_imported(self, results: list[ImportResult]) -> None:
        self.results_model.set_rows(results)

    def show_received(self, received: list[ReceivedMonth], trusted: list[PublicKeyInfo]) -> None:
        self.received_model.set_received(received)
        self.trusted_model.set_rows(trusted)

    def clear(self) -> None:
        self.results_model.set_rows([])
        self.show_received([], [])
