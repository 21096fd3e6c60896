"""An intervention protocol open beside a form: choose one, tick its steps
as they are done. Several protocols can be followed during one contact; the ticks of each
are kept (with the version they were made on) until the contact is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import ProtocolStatus
from app.domain.protocols import Protocol, ProtocolUseForm, in_language
from app.i18n import _, current_language
from ui import style
from ui.style import Tone


class ProtocolPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_("Intervention protocol"))
        self.protocols: dict[str, Protocol] = {}
        #: key -> (version, ticked step ids), for every protocol with a tick
        self._ticks: dict[str, tuple[int, set[str]]] = {}
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Protocol to follow"))
        self.choice.currentIndexChanged.connect(self._show_chosen)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.steps = QListWidget()
        self.steps.setAccessibleName(_("Steps of the protocol"))
        self.steps.setWordWrap(True)
        self.steps.itemChanged.connect(self._ticked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        heading = QLabel(_("Intervention protocol"))
        style.tone(heading, Tone.STRONG)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.choice)
        layout.addWidget(self.status)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.summary)
        note = QLabel(_("Tick each step when done (Space). The ticks are saved with the contact."))
        note.setWordWrap(True)
        style.tone(note, Tone.NOTE)
        layout.addWidget(note)

    def set_protocols(self, protocols: list[Protocol]) -> None:
        chosen = self.choice.currentData()
        self.protocols = {p.key: p for p in protocols}
        self.choice.blockSignals(True)
        self.choice.clear()
        for protocol in protocols:
            self.choice.addItem(protocol.title_in(current_language()), protocol.key)
        self.choice.setCurrentIndex(max(0, self.choice.findData(chosen)))
        self.choice.blockSignals(False)
        self._show_chosen()

    def uses(self) -> tuple[ProtocolUseForm, ...]:
        """The protocols followed, with their ticks: those with at least one tick."""
        return tuple(
            ProtocolUseForm(key, version, frozenset(ticked))
            for key, (version, ticked) in sorted(self._ticks.items())
            if ticked
        )

    def values(self) -> dict[str, Any]:
        return {key: [version, sorted(ticked)] for key, (version, ticked) in self._ticks.items()}

    def set_values(self, values: object) -> None:
        self._ticks = {}
        if isinstance(values, dict):
            for key, kept in values.items():
                if isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], int):
                    self._ticks[str(key)] = (kept[0], {str(step) for step in kept[1]})
        self._show_chosen()

    def reset(self) -> None:
        self.set_values({})

    def forget(self) -> None:
        """At a lock: nothing of the desk stays on screen."""
        self.reset()
        self.protocols = {}
        self.choice.clear()
        self.steps.clear()

    def _show_chosen(self) -> None:
        protocol = self.protocols.get(str(self.choice.currentData() or ""))
        self.steps.blockSignals(True)
        self.steps.clear()
        if protocol is None:
            self.status.clear()
            self.summary.clear()
            self.steps.blockSignals(False)
            return
        version, ticked = self._ticks.get(protocol.key, (protocol.version, set()))
        language = current_language()
        for number, step in enumerate(protocol.steps, start=1):
            item = QListWidgetItem(f"{number}. {in_language(step.text, language)}")
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if step.id in ticked else Qt.CheckState.Unchecked
            )
            self.steps.addItem(item)
        self.steps.blockSignals(False)
        if version != protocol.version:
            # Ticks kept from a draft made on an older version: show them as they were.
            self.status.setText(
                _("Ticks kept on version {old}; the protocol is now at version {new}.").format(
                    old=version, new=protocol.version
                )
            )
        else:
            self.status.setText(
                _("Version {version} · {status}").format(
                    version=protocol.version, status=protocol.status.label
                )
            )
        draft = protocol.status is ProtocolStatus.DRAFT
        style.tone(self.status, Tone.DRAFT if draft else None)
        self._summarise()

    def _ticked(self, item: QListWidgetItem) -> None:
        protocol = self.protocols.get(str(self.choice.currentData() or ""))
        if protocol is None:
            return
        version, ticked = self._ticks.get(protocol.key, (protocol.version, set()))
        step = str(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            ticked.add(step)
        else:
            ticked.discard(step)
        self._ticks[protocol.key] = (version, ticked)
        self._summarise()

    def _summarise(self) -> None:
        followed = [
            f"{self.protocols[key].title_in(current_language())} ({len(ticked)})"
            for key, (_version, ticked) in sorted(self._ticks.items())
            if ticked and key in self.protocols
        ]
        self.summary.setText(
            _("Followed during this contact: {list}").format(list=", ".join(followed))
            if followed
            else ""
        )
