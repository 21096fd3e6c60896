"""The intervention protocols of the network: each save is a new version, and older ones
are kept for the contacts that followed them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from app.domain.codes import ProtocolStatus
from app.domain.protocols import Protocol, in_language
from app.i18n import _, current_language
from app.services import protocols
from app.services.open_desk import OpenDesk
from ui import prompts
from ui.models.record_model import Column
from ui.widgets.coded import CodeCombo
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords


@dataclass(frozen=True)
class ProtocolText:
    """A protocol as the form shows it, in the screen's language."""

    title: str
    steps: str  # one step per line
    status: ProtocolStatus | None
    #: the version edited; None for a new protocol
    previous: Protocol | None


def _text(protocol: Protocol) -> ProtocolText:
    language = current_language()
    steps = "\n".join(in_language(step.text, language) for step in protocol.steps)
    return ProtocolText(protocol.title_in(language), steps, protocol.status, protocol)


def _save(desk: OpenDesk, form: ProtocolText, _key: str, /, *, new: bool) -> str:
    # A new protocol's key is made from its title: its form's id names nothing here.
    language, lines = current_language(), form.steps.splitlines()
    if form.previous is None:
        return protocols.create(desk, language, form.title, lines).key
    status = form.status or ProtocolStatus.DRAFT
    return protocols.save_edit(desk, form.previous, language, form.title, lines, status).key


class ProtocolsTab(RecordEditor[Protocol, ProtocolText]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column(_("Protocol"), lambda p: p.title_in(current_language())),
                Column(_("Version"), lambda p: str(p.version), lambda p: p.version, True),
                Column(_("Status"), lambda p: p.status.label),
            ],
            lambda protocol: protocol.key,
            RecordWords(
                table=_("Intervention protocols"),
                new=_("New protocol"),
                save=_("Save as a new version"),
                note=_(
                    "Each save is a new version; older versions are kept for the contacts "
                    "that used them. Export a directory pack to send the protocols to the "
                    "desks."
                ),
            ),
            RecordServices(protocols.current, _save),
            form_of=_text,
            blank=lambda: ProtocolText("", "", ProtocolStatus.DRAFT, None),
            make=lambda fields: fields.record(ProtocolText, previous=self._edited()),
            form_width=520,
        )
        self.save_button.setText(_("Save as a new version"))
        title = QLineEdit()
        title.setMaxLength(160)
        steps = QPlainTextEdit()
        steps.setPlaceholderText(_("Press Enter between two steps."))
        self.status = CodeCombo(ProtocolStatus, _("Status"))
        self.add_field("title", _("Title"), title)
        self.add_field("steps", _("Steps, one per line"), steps)
        self.add_field("status", _("Status"), self.status)
        # A new protocol starts as a draft.
        self.record_shown.connect(lambda row: self.status.setEnabled(row is not None))
        self.status.setEnabled(False)
        self.saved.connect(self._announce_when_loaded)
        self._announce: str | None = None
        self.loaded.connect(self._announce_saved)

    def _edited(self) -> Protocol | None:
        return next((p for p in self.rows() if p.key == self.editing), None)

    def _announce_when_loaded(self, key: str) -> None:
        self._announce = key

    def _announce_saved(self) -> None:
        saved = next((p for p in self.rows() if p.key == self._announce), None)
        self._announce = None
        if saved is not None:
            prompts.show_info(
                self,
                _("Saved as version {version} of “{title}”.").format(
                    version=saved.version, title=saved.title_in(current_language())
                ),
            )
