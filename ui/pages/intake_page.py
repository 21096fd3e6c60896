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
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.cases import SavedIntake
from app.domain.codes import (
    THIRD_PARTY_ROLES,
    AgeGroup,
    CallerRelation,
    ContactLanguage,
    ContactMode,
    PersonRole,
    ReferredFrom,
    RequestType,
    Sex,
    YesNoUnknown,
)
from app.domain.duplicates import DuplicateCandidate, DuplicateProbe
from app.domain.intake import ContactForm, IntakeForm, parse_age
from app.domain.protocols import Protocol
from app.domain.roles import Role
from app.errors import DeskLocked, ValidationError
from app.i18n import _, current_language, format_datetime
from app.services import intake, protocols
from app.services.drafts import SavedDraft
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.case_sections import (
    ConsentSection,
    IdentitySection,
    PersonSection,
    SituationSection,
    person_form,
)
from ui.widgets.coded import CodeChecks, CodeCombo
from ui.widgets.dates import datetime_edit, moment_of, qdatetime
from ui.widgets.duplicate_panel import DuplicatePanel
from ui.widgets.field_set import FieldSet
from ui.widgets.protocol_panel import ProtocolPanel

TYPING_CHECK_MS = 2_000


class IntakePage(Page):
    case_saved = Signal(str)  # case id
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__("intake", _("Intake"), CASE_ROLES)
        self.fields = FieldSet()
        self.form_id = str(uuid.uuid4())
        self._saving = False
        self.last_saved: SavedIntake | None = None

        self.banner = QLabel()
        style.tone(self.banner, Tone.INFO)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message"))
        self.banner_button = QPushButton()
        self.banner_button.clicked.connect(self._banner_action)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.banner_button)
        self._banner_kind = ""
        self._hide_banner()

        self.contact_box = self._contact_section()
        # TRANSLATORS: & marks the Alt shortcut letter; keep it off the menus' letters.
        self.anonymous = QCheckBox(_("&Anonymous contact: record no person, identity or consent"))
        self.anonymous.setAccessibleName(_("Anonymous contact"))
        self.fields.add("anonymous", self.anonymous)
        anonymous_error = self.fields.error_label("anonymous")
        self.person = PersonSection(self.fields)
        self.identity = IdentitySection(self.fields)
        self.consents = ConsentSection(self.fields)
        self.situation = SituationSection(self.fields)
        self.note_box = self._note_section()
        self.anonymous.toggled.connect(self._anonymous_changed)
        self.person_role.currentIndexChanged.connect(self._role_changed)
        self.duplicates = DuplicatePanel(self._find_duplicates, self._record_duplicates_shown)
        self._watch_for_duplicates()

        self.save_button = QPushButton(_("Save the contact (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(_("Empty the form"))
        self.new_button.clicked.connect(self._ask_new_form)
        self.protocol_panel = ProtocolPanel()
        self.protocol_panel.setFixedWidth(330)
        self.protocol_panel.hide()
        self.protocol_button = QPushButton(_("Protocols (F8)"))
        self.protocol_button.setCheckable(True)
        self.protocol_button.setAccessibleName(_("Show an intervention protocol beside the form"))
        self.protocol_button.toggled.connect(self._toggle_protocols)
        buttons = QHBoxLayout()
        buttons.addWidget(self.protocol_button)
        buttons.addStretch()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)

        body = QWidget()
        column = QVBoxLayout(body)
        for part in (
            self.contact_box,
            self.anonymous,
            anonymous_error,
            self.person,
            self.identity,
            self.consents,
            self.situation,
            self.note_box,
        ):
            column.addWidget(part)
        column.addStretch()
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setWidget(body)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        beside = QHBoxLayout()
        beside.addWidget(self.form_area, 1)
        beside.addWidget(self.protocol_panel)
        layout = QVBoxLayout(self)
        layout.addLayout(banner_row)
        layout.addWidget(self.duplicates)
        layout.addLayout(beside, 1)
        layout.addLayout(buttons)

        toggle = QShortcut(QKeySequence(Qt.Key.Key_F8), self)
        toggle.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.activated.connect(self.protocol_button.toggle)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        link = QShortcut(QKeySequence(Qt.Key.Key_F9), self)
        link.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        link.activated.connect(self.duplicates.link_current)
        self.typing_timer = QTimer(self)
        self.typing_timer.setInterval(TYPING_CHECK_MS)
        self.typing_timer.timeout.connect(self.check_typing)
        self._tab_chain()
        # What a new form holds: every default, as built above.
        self._pristine_values = self.fields.values()
        self._reset_values()
        self._role_changed()

    def _contact_section(self) -> QGroupBox:
        box = QGroupBox(_("Contact"))
        form = QFormLayout(box)
        self.occurred_at = datetime_edit(clock.now())
        self.mode = CodeCombo(ContactMode, _("Mode of contact"))
        self.person_role = CodeCombo(PersonRole, _("The person is"))
        self.language = CodeCombo(ContactLanguage, _("Language of the contact"))
        self.interpreter = QCheckBox(_("An interpreter was needed"))
        self.referred_from = CodeCombo(ReferredFrom, _("Referred by"))
        self.requests = CodeChecks(RequestType, _("Request"))
        self.already_counted = CodeCombo(
            YesNoUnknown, _("Already counted this month by another desk of the network")
        )
        self.already_counted.set_value(YesNoUnknown.NO)
        self.relation = CodeCombo(CallerRelation, _("Relation to the victim"))
        self.relation.set_value(CallerRelation.UNKNOWN)
        self.victim_age = CodeCombo(AgeGroup, _("Age of the victim, as far as known"))
        self.victim_age.set_value(AgeGroup.UNKNOWN)
        self.victim_sex = CodeCombo(Sex, _("Sex of the victim, as far as known"))
        # As for her age: nothing is assumed of a victim a caller tells of.
        self.victim_sex.set_value(Sex.NOT_RECORDED)
        self.third_party_rows: tuple[QWidget, ...] = (
            self.relation,
            self.victim_age,
            self.victim_sex,
        )
        rows: list[tuple[str, str, QWidget]] = [
            ("occurred_at", _("Date and time"), self.occurred_at),
            # TRANSLATORS: & marks the Alt shortcut letter; keep it off the menus' letters.
            ("mode", _("&Mode"), self.mode),
            ("role", _("The person is"), self.person_role),
            ("relation", _("Relation to the victim"), self.relation),
            ("victim_age", _("The victim's age"), self.victim_age),
            ("victim_sex", _("The victim's sex"), self.victim_sex),
            ("language", _("Language"), self.language),
            ("interpreter", "", self.interpreter),
            ("referred_from", _("Referred by"), self.referred_from),
            ("requests", _("Request"), self.requests),
            ("already_counted", _("Counted by another desk"), self.already_counted),
        ]
        for key, label, widget in rows:
            self.fields.add_row(form, key, label, widget, error=key == "occurred_at")
        self.contact_form = form
        return box

    def _note_section(self) -> QGroupBox:
        """Last, where it costs the quick anonymous contact no keystroke; any contact may
        have one."""
        box = QGroupBox(_("Note"))
        form = QFormLayout(box)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 12)
        self.note.setPlaceholderText(
            _("a few words for the next colleague; kept with the identity, never counted")
        )
        self.fields.add_row(form, "note", _("Note"), self.note, error=True)
        return box

    def _tab_chain(self) -> None:
        chain = self.tab_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def tab_chain(self) -> list[QWidget]:
        """Every input in visual order, top to bottom: the order Tab follows."""
        chain: list[QWidget] = []
        for widget in self.fields.widgets.values():
            if isinstance(widget, CodeChecks):
                chain.extend(widget.boxes.values())
            else:
                chain.append(widget)
        return [*chain, self.protocol_button, self.new_button, self.save_button]

    # -- the page's life -------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.situation.correction.setEnabled(desk.user.has(Role.COUNSELLOR))
        self.typing_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Date and time are already "now": the first thing to type is the mode.
        self.mode.setFocus()

    def offer_draft(self, saved: SavedDraft) -> None:
        """A draft found at unlock (after a lock, a crash or a power cut): put it back and
        say so, with a way to drop it."""
        self.restore(saved.values)
        self._show_banner(
            _("Unsaved intake from {when} restored. Check it, then save it.").format(
                when=format_datetime(saved.saved_at)
            ),
            _("Discard this draft"),
            "discard",
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
        self._ask_duplicates()

    def clear(self) -> None:
        super().clear()
        self.typing_timer.stop()
        self.protocol_button.setChecked(False)
        self.protocol_panel.forget()
        self._reset_values()
        self._hide_banner()
        self.last_saved = None

    def check_typing(self) -> None:
        """Once the next contact is being typed, the last one's banner goes."""
        if self._banner_kind == "open" and self.draft():
            self._hide_banner()

    # -- saving ----------------------------------------------------------------------

    def build_form(self) -> IntakeForm:
        """The form as typed; a ValidationError names the field at fault."""
        third_party = self._third_party()
        contact = ContactForm(
            occurred_at=moment_of(self.occurred_at),
            mode=self.mode.value() or ContactMode.IN_PERSON,
            role=self.person_role.value() or PersonRole.VICTIM,
            language=self.language.value() or ContactLanguage.FR,
            interpreter=self.interpreter.isChecked(),
            referred_from=self.referred_from.value() or ReferredFrom.SELF,
            requests=self.requests.value(),
            already_counted=self.already_counted.value() or YesNoUnknown.NO,
            relation=self.relation.value() if third_party else None,
            victim_age=self.victim_age.value() if third_party else None,
            victim_sex=self.victim_sex.value() if third_party else None,
            note=self.note.toPlainText(),
        )
        situation = self.situation.situation()
        followed = self.protocol_panel.uses()
        if self.anonymous.isChecked():
            return IntakeForm(
                id=self.form_id, contact=contact, situation=situation, protocols=followed
            )
        return IntakeForm(
            id=self.form_id,
            contact=contact,
            person=person_form(self.person, self.identity, third_party),
            identity=self.identity.identity(),
            consents=self.consents.consents(),
            situation=situation,
            protocols=followed,
        )

    def save(self) -> None:
        desk = self.desk
        if desk is None or self._saving:
            return  # a second Ctrl+S while saving changes nothing
        self.fields.clear_errors()
        try:
            form = self.build_form()
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
        probe = self.duplicate_probe()
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
        self._show_banner(
            _("Saved as {code}.").format(code=saved.case_code), _("Open the case"), "open"
        )
        self.case_saved.emit(saved.case_id)
        # Ready for the next person: the top of the form, the cursor in its first field.
        self.form_area.verticalScrollBar().setValue(0)
        self.mode.setFocus()

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
        self.fields.clear_errors()
        self.fields.set_values(self._pristine_values)
        self.language.set_value(ContactLanguage.parse(current_language()) or ContactLanguage.FR)
        self.occurred_at.setDateTime(qdatetime(clock.now()))
        self._empty_values = self.fields.values()
        self.duplicates.forget()

    def _third_party(self) -> bool:
        return self.person_role.value() in THIRD_PARTY_ROLES

    def _role_changed(self) -> None:
        """A witness, relative or professional is asked about the victim, not about
        themselves."""
        third_party = self._third_party()
        for widget in self.third_party_rows:
            self.contact_form.setRowVisible(widget, third_party)
        self.person.about_the_caller(third_party)

    def _anonymous_changed(self, anonymous: bool) -> None:
        for section in (self.person, self.identity, self.consents):
            section.setEnabled(not anonymous)
        self._ask_duplicates()

    # -- likely duplicates -----------------------------------------------------------

    def _watch_for_duplicates(self) -> None:
        for edit in (
            self.identity.pseudonym,
            self.identity.phone,
            self.identity.email,
            self.person.age,
        ):
            edit.textEdited.connect(self._ask_duplicates)
        self.person.municipality.activated.connect(self._ask_duplicates)

    def duplicate_probe(self) -> DuplicateProbe | None:
        """What is typed about the person, or None for an anonymous contact."""
        if self.anonymous.isChecked():
            return None
        try:
            age = parse_age(self.person.age.text())
        except ValidationError:
            age = None  # reported at saving; a half-typed age compares as unknown
        who = self.identity.identity()
        return DuplicateProbe(
            pseudonym=who.pseudonym,
            phone=who.phone,
            email=who.email,
            age=age,
            municipality=str(self.person.municipality.currentData() or ""),
        )

    def _ask_duplicates(self) -> None:
        self.duplicates.ask(self.duplicate_probe())

    def _find_duplicates(self, probe: DuplicateProbe) -> list[DuplicateCandidate]:
        desk = self.desk
        if desk is None:
            raise DeskLocked()
        return intake.likely_duplicates(desk, probe)

    def _record_duplicates_shown(self, case_ids: list[str]) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(
                self,
                lambda: intake.record_duplicates_shown(desk, case_ids),
                lambda _result: None,
                busy_cursor=False,
            )

    def _ask_new_form(self) -> None:
        if self.draft() and not prompts.confirm(
            self, _("Empty the form? What you typed will be lost."), _("Empty the form")
        ):
            return
        self._reset_values()
        self._hide_banner()
        self.drafts_changed.emit()

    def _show_banner(self, text: str, action: str, kind: str) -> None:
        self.banner.setText(text)
        self.banner_button.setText(action)
        self._banner_kind = kind
        self.banner.show()
        self.banner_button.show()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.banner_button.hide()
        self._banner_kind = ""

    def _banner_action(self) -> None:
        if self._banner_kind == "open" and self.last_saved is not None:
            self.open_case.emit(self.last_saved.case_id)
        elif self._banner_kind == "discard":
            self._reset_values()
            self.drafts_changed.emit()
        self._hide_banner()
