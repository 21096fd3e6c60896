"""Intake (reception and counsellors): record who came or called and why, fast and with the
keyboard alone. Defaults make the common case quick (now, in person, victim); the form is
kept as an encrypted draft every few seconds and at a lock."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.cases import SavedIntake
from app.domain.duplicates import DuplicateCandidate
from app.domain.intake import IntakeForm
from app.domain.protocols import Protocol
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _, format_datetime
from app.services import intake, protocols
from app.services.drafts import SavedDraft
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import prompts, tasks
from ui.pages.base import Page
from ui.pages.intake.duplicate_watch import duplicate_panel, probe_of
from ui.pages.intake.intake_banner import IntakeBanner, Offer
from ui.pages.intake.intake_form_area import IntakeFormArea
from ui.widgets.protocol_panel import ProtocolPanel

TYPING_CHECK_MS = 2_000


class IntakePage(Page):
    case_saved = Signal(str)  # case id
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__("intake", _("Intake"), CASE_ROLES)
        self.form_id = str(uuid.uuid4())
        self._saving = False
        self.last_saved: SavedIntake | None = None
        self.banner = IntakeBanner()
        self.banner.taken.connect(self._banner_taken)
        self.form_area = IntakeFormArea()
        self.fields = self.form_area.fields
        self.duplicates = duplicate_panel(self.form_area, lambda: self.desk)
        self.protocol_panel = ProtocolPanel()
        self.protocol_panel.setFixedWidth(330)
        self.protocol_panel.hide()
        beside = QHBoxLayout()
        beside.addWidget(self.form_area, 1)
        beside.addWidget(self.protocol_panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.duplicates)
        layout.addLayout(beside, 1)
        layout.addLayout(self._buttons())
        self._shortcuts()
        self.typing_timer = QTimer(self)
        self.typing_timer.setInterval(TYPING_CHECK_MS)
        self.typing_timer.timeout.connect(self.check_typing)
        for first, second in itertools.pairwise(self.tab_chain()):
            QWidget.setTabOrder(first, second)
        self._reset_values()

    def _buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton(_("Save the contact (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(_("Empty the form"))
        self.new_button.clicked.connect(self._ask_new_form)
        self.protocol_button = QPushButton(_("Protocols (F8)"))
        self.protocol_button.setCheckable(True)
        self.protocol_button.setAccessibleName(_("Show an intervention protocol beside the form"))
        self.protocol_button.toggled.connect(self._toggle_protocols)
        buttons = QHBoxLayout()
        buttons.addWidget(self.protocol_button)
        buttons.addStretch()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        return buttons

    def _shortcuts(self) -> None:
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.protocol_button.toggle, context=scope)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=scope)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.duplicates.link_current, context=scope)

    def tab_chain(self) -> list[QWidget]:
        """Every input in visual order, top to bottom: the order Tab follows."""
        return [
            *self.form_area.tab_chain(),
            self.protocol_button,
            self.new_button,
            self.save_button,
        ]

    # -- the page's life -------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.form_area.situation.correction.setEnabled(desk.user.has(Role.COUNSELLOR))
        self.typing_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.desk is not None and not self.draft():
            # Nothing typed yet: the contact is happening now, not when the form was last
            # emptied (a lock, a save, hours ago).
            self._reset_values()
        # Date and time are already "now": the first thing to type is the mode.
        self.form_area.contact.mode.setFocus()

    def offer_draft(self, saved: SavedDraft) -> None:
        """A draft found at unlock (after a lock, a crash or a power cut): put it back and
        say so, with a way to drop it."""
        self.restore(saved.values)
        self.banner.offer_to(
            Offer.DISCARD_DRAFT,
            _("Unsaved intake from {when} restored. Check it, then save it.").format(
                when=format_datetime(saved.saved_at)
            ),
        )

    def draft(self) -> dict[str, Any]:
        values = self.fields.values()
        ticks = self.protocol_panel.values()
        if values == self._empty_values and not self.protocol_panel.uses():
            return {}
        return {"form_id": self.form_id, "values": values, "protocols": ticks}

    def restore(self, draft: dict[str, Any]) -> None:
        values = draft.get("values")
        if not isinstance(values, dict):
            return
        self.form_id = str(draft.get("form_id") or uuid.uuid4())
        self.fields.set_values(values)
        self.protocol_panel.set_values(draft.get("protocols"))
        if self.protocol_panel.uses():
            self.protocol_button.setChecked(True)
        self.duplicates.ask(probe_of(self.form_area))

    def clear(self) -> None:
        super().clear()
        self.typing_timer.stop()
        self.protocol_button.setChecked(False)
        self.protocol_panel.forget()
        self._reset_values()
        self.banner.withdraw()
        self.last_saved = None

    def check_typing(self) -> None:
        """Once the next contact is being typed, the last one's banner goes."""
        if self.banner.offer is Offer.OPEN_CASE and self.draft():
            self.banner.withdraw()

    # -- saving ----------------------------------------------------------------------

    def save(self) -> None:
        desk = self.desk
        if desk is None or self._saving:
            return  # a second Ctrl+S while saving changes nothing
        self.fields.clear_errors()
        try:
            form = self.form_area.intake(self.form_id, self.protocol_panel.uses())
        except ValidationError as error:
            self.fields.report(self, error)
            return
        if not self.draft() and not prompts.confirm(
            self,
            _(
                "Nothing but the form's defaults was entered. Save this contact anyway (a "
                "non-anonymous contact with every answer unknown)?"
            ),
            _("Save the contact"),
        ):
            return  # one Tab too many must not save an empty contact unasked
        self._set_saving(True)
        linked = self.duplicates.linked
        if form.person is None or linked is not None:
            self._record(desk, replace(form, link_case_id=linked.case_id if linked else None))
            return
        probe = probe_of(self.form_area)
        tasks.run(
            self,
            lambda: intake.likely_duplicates(desk, probe) if probe else [],
            lambda found: self._after_duplicate_check(desk, form, found),
            self._failed,
        )

    def _after_duplicate_check(
        self, desk: OpenDesk, form: IntakeForm, found: list[DuplicateCandidate]
    ) -> None:
        """A new case while the same phone or e-mail is known: asked once, here, unless the
        case was already said not to be this person's; a close pseudonym alone was shown in
        the panel and does not stop the save."""
        dismissed = self.duplicates.dismissed
        strong = [c for c in found if c.strong and c.case_id not in dismissed]
        if strong:
            self.duplicates.record_shown(strong)
            choice = prompts.choose_duplicate(self, strong)
            if choice is None:
                self._set_saving(False)
                return
            if choice == prompts.NEW_CASE:
                # Said once: a save refused for another reason does not ask it again.
                self.duplicates.dismissed.update(c.case_id for c in strong)
            else:
                form = replace(form, link_case_id=choice)
        self._record(desk, form)

    def _record(self, desk: OpenDesk, form: IntakeForm) -> None:
        tasks.run(
            self,
            lambda: intake.record_intake(desk, form, draft_page=self.key),
            self._saved,
            self._failed,
        )

    def _saved(self, saved: SavedIntake) -> None:
        self._set_saving(False)
        self.last_saved = saved
        self._reset_values()
        self.banner.offer_to(Offer.OPEN_CASE, _("Saved as {code}.").format(code=saved.case_code))
        self.case_saved.emit(saved.case_id)
        # Ready for the next person: the top of the form, the cursor in its first field.
        self.form_area.contact.mode.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        self.fields.report(self, error)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    # -- helpers ---------------------------------------------------------------------

    def _toggle_protocols(self, shown: bool) -> None:
        self.protocol_panel.setVisible(shown)
        desk = self.desk
        if shown and desk is not None:
            tasks.run(self, lambda: protocols.current(desk), self._protocols_loaded)

    def _protocols_loaded(self, loaded: list[Protocol]) -> None:
        if self.desk is None:
            return  # locked meanwhile
        self.protocol_panel.set_protocols(loaded)
        self.protocol_panel.choice.setFocus()

    def _reset_values(self) -> None:
        self.form_id = str(uuid.uuid4())
        self.protocol_panel.reset()
        self.form_area.reset()
        self._empty_values = self.fields.values()
        self.duplicates.forget()

    def _ask_new_form(self) -> None:
        if self.draft() and not prompts.confirm(
            self, _("Empty the form? What you typed will be lost."), _("Empty the form")
        ):
            return
        self._reset_values()
        self.banner.withdraw()
        self.drafts_changed.emit()

    def _banner_taken(self, offer: Offer) -> None:
        if offer is Offer.OPEN_CASE and self.last_saved is not None:
            self.open_case.emit(self.last_saved.case_id)
        elif offer is Offer.DISCARD_DRAFT:
            self._reset_values()
            self.drafts_changed.emit()
