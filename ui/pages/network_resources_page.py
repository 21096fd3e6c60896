"""Network resources, for the network's coordinator: the register of referents
(staff data, kept apart from client data), the partnership agreements with their renewal
reminders, the training plan with its attendance, and the intervention protocols."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.codes import ActivityKind, ProtocolStatus
from app.domain.municipalities import municipality, sorted_for
from app.domain.network_resources import (
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    PartnershipForm,
    PartnershipRow,
    ReferentForm,
    ReferentRow,
    TrainingRow,
)
from app.domain.phone_format import belgian_display
from app.domain.protocols import Protocol, in_language
from app.i18n import _, current_language, format_date, pgettext
from app.services import network_resources, protocols
from ui import prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import DateRefused, date_edit, day_of, qdate
from ui.widgets.field_set import FieldSet
from ui.widgets.tables import cell, chosen_id, fit_columns, read_only_table, set_row

PLAN_BACK_DAYS = 365
PLAN_AHEAD_DAYS = 183


def _side(form: QFormLayout, buttons: list[QPushButton], note: str) -> QWidget:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    column = QVBoxLayout()
    column.addLayout(form)
    column.addLayout(row)
    hint = QLabel(note)
    hint.setWordWrap(True)
    style.tone(hint, Tone.NOTE)
    column.addWidget(hint)
    column.addStretch(1)
    box = QWidget()
    box.setLayout(column)
    box.setMaximumWidth(400)
    return box


class NetworkResourcesPage(Page):
    def __init__(self) -> None:
        super().__init__("network_resources", _("Network resources"), network_resources.KEEP_ROLES)
        self.referent_rows: list[ReferentRow] = []
        self.partnership_rows: list[PartnershipRow] = []
        self.training_rows: list[TrainingRow] = []
        self.protocol_list: list[Protocol] = []
        self._referent: str | None = None
        self._partnership: str | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._referents_tab(), _("Referents"))
        self.tabs.addTab(self._agreements_tab(), _("Agreements"))
        self.tabs.addTab(self._trainings_tab(), _("Training plan"))
        self.tabs.addTab(self._protocols_tab(), _("Protocols"))
        self.tabs.currentChanged.connect(lambda _index: self.shown())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # -- referents ------------------------------------------------------------------------

    def _referents_tab(self) -> QWidget:
        self.referent_table = read_only_table(
            [_("Municipality"), _("Name"), _("Organisation"), _("Role"), _("Phone or e-mail")],
            _("Referents of the network"),
        )
        self.referent_table.itemSelectionChanged.connect(self._referent_chosen)
        self.referent_fields = FieldSet()
        self.referent_name = QLineEdit()
        self.referent_name.setMaxLength(120)
        self.organisation = QLineEdit()
        self.organisation.setMaxLength(160)
        self.municipality = QComboBox()
        for known in sorted_for(current_language()):
            self.municipality.addItem(known.name(current_language()), known.nis_code)
        self.referent_role = QLineEdit()
        self.referent_role.setMaxLength(120)
        self.referent_role.setPlaceholderText(_("for example Référente VIF, CPAS"))
        self.referent_phone = QLineEdit()
        self.referent_phone.setMaxLength(30)
        self.referent_email = QLineEdit()
        self.referent_email.setMaxLength(160)
        self.referent_active = QCheckBox(_("Still a referent"))
        form = QFormLayout()
        for key, label, widget in (
            ("name", _("Name"), self.referent_name),
            ("organisation", _("Organisation"), self.organisation),
            ("municipality", _("Municipality"), self.municipality),
            ("role", _("Role"), self.referent_role),
            ("phone", _("Phone"), self.referent_phone),
            ("email", _("E-mail"), self.referent_email),
            ("active", "", self.referent_active),
        ):
            self.referent_fields.add_row(form, key, label, widget, error=key != "active")
        new = QPushButton(_("New referent"))
        new.clicked.connect(self.new_referent)
        self.save_referent_button = QPushButton(_("Save"))
        self.save_referent_button.setAccessibleName(_("Save the referent"))
        self.save_referent_button.clicked.connect(self.save_referent)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.referent_table, 1)
        layout.addWidget(
            _side(
                form,
                [new, self.save_referent_button],
                _(
                    "Staff of the network's partners, not clients: this register is kept "
                    "apart from the cases and never leaves in the counts."
                ),
            )
        )
        self.new_referent()
        return tab

    def new_referent(self) -> None:
        self._referent = None
        self.referent_fields.clear_errors()
        for edit in (
            self.referent_name,
            self.organisation,
            self.referent_role,
            self.referent_phone,
            self.referent_email,
        ):
            edit.clear()
        self.referent_active.setChecked(True)
        self.referent_table.clearSelection()
        self.referent_name.setFocus()

    def _referent_chosen(self) -> None:
        chosen = chosen_id(self.referent_table)
        row = next((r for r in self.referent_rows if r.id == chosen), None)
        if row is None:
            return
        self._referent = row.id
        form = row.form
        self.referent_name.setText(form.name)
        self.organisation.setText(form.organisation)
        self.municipality.setCurrentIndex(max(0, self.municipality.findData(form.municipality)))
        self.referent_role.setText(form.role)
        self.referent_phone.setText(belgian_display(form.phone))
        self.referent_email.setText(form.email)
        self.referent_active.setChecked(form.active)

    def save_referent(self) -> None:
        desk = self.desk
        if desk is None:
            return
        self.referent_fields.clear_errors()
        form = ReferentForm(
            name=self.referent_name.text(),
            organisation=self.organisation.text(),
            municipality=str(self.municipality.currentData() or ""),
            role=self.referent_role.text(),
            phone=self.referent_phone.text(),
            email=self.referent_email.text(),
            active=self.referent_active.isChecked(),
        )
        editing = self._referent
        tasks.run(
            self,
            lambda: network_resources.save_referent(desk, form, editing),
            lambda _id: self._load_referents(),
            lambda error: self.referent_fields.report(self, error),
        )

    def _load_referents(self) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: network_resources.referents(desk), self._show_referents)

    def _show_referents(self, rows: list[ReferentRow]) -> None:
        if self.desk is None:
            return
        self.referent_rows = rows
        table = self.referent_table
        table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            form = row.form
            set_row(
                table,
                number,
                [
                    cell(municipality(form.municipality).name(current_language()), row.id),
                    cell(form.name),
                    cell(form.organisation),
                    cell(form.role if form.active else _("{role} (former)").format(role=form.role)),
                    cell(
                        " · ".join(
                            part for part in (belgian_display(form.phone), form.email) if part
                        )
                    ),
                ],
            )
        fit_columns(table, 170)

    # -- agreements ---------------------------------------------------------------------

    def _agreements_tab(self) -> QWidget:
        self.agreement_table = read_only_table(
            [
                _("Partner"),
                _("Subject"),
                _("Signed"),
                _("Ends"),
                _("Platform meetings"),
                _("Renewal"),
            ],
            _("Partnership agreements"),
        )
        self.agreement_table.itemSelectionChanged.connect(self._agreement_chosen)
        self.renewals = QLabel()
        style.tone(self.renewals, Tone.URGENT)
        self.renewals.setWordWrap(True)
        self.agreement_fields = FieldSet()
        self.partner = QLineEdit()
        self.partner.setMaxLength(160)
        self.subject = QLineEdit()
        self.subject.setMaxLength(160)
        self.signed_on = date_edit(_("Signed on"))
        self.open_ended = QCheckBox(_("No end date"))
        self.ends_on = date_edit(_("Ends on"), clock.today() + timedelta(days=365))
        self.open_ended.toggled.connect(lambda on: self.ends_on.setEnabled(not on))
        self.reminder_days = QSpinBox()
        self.reminder_days.setRange(0, MAX_REMINDER_DAYS)
        self.reminder_days.setSuffix(" " + _("days before"))
        ends_row = QHBoxLayout()
        ends_row.addWidget(self.ends_on)
        ends_row.addWidget(self.open_ended)
        ends = QWidget()
        ends.setLayout(ends_row)
        ends_row.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        for key, label, widget in (
            ("partner", _("Partner"), self.partner),
            ("subject", _("Subject"), self.subject),
            ("signed_on", _("Signed on"), self.signed_on),
            ("ends_on", _("Ends on"), ends),
            ("reminder_days", _("Remind"), self.reminder_days),
        ):
            self.agreement_fields.add_row(form, key, label, widget, error=True)
        new = QPushButton(_("New agreement"))
        new.clicked.connect(self.new_agreement)
        self.save_agreement_button = QPushButton(_("Save"))
        self.save_agreement_button.setAccessibleName(_("Save the agreement"))
        self.save_agreement_button.clicked.connect(self.save_agreement)
        left = QVBoxLayout()
        left.addWidget(self.renewals)
        left.addWidget(self.agreement_table, 1)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addLayout(left, 1)
        layout.addWidget(
            _side(
                form,
                [new, self.save_agreement_button],
                _("Platform meetings are linked to their agreement in the training plan."),
            )
        )
        self.new_agreement()
        return tab

    def new_agreement(self) -> None:
        self._partnership = None
        self.agreement_fields.clear_errors()
        self.partner.clear()
        self.subject.clear()
        self.signed_on.setDate(qdate(clock.today()))
        self.open_ended.setChecked(False)
        self.reminder_days.setValue(DEFAULT_REMINDER_DAYS)
        self.agreement_table.clearSelection()

    def _agreement_chosen(self) -> None:
        chosen = chosen_id(self.agreement_table)
        row = next((r for r in self.partnership_rows if r.id == chosen), None)
        if row is None:
            return
        self._partnership = row.id
        form = row.form
        self.partner.setText(form.partner)
        self.subject.setText(form.subject)
        self.signed_on.setDate(qdate(form.signed_on))
        self.open_ended.setChecked(form.ends_on is None)
        if form.ends_on is not None:
            self.ends_on.setDate(qdate(form.ends_on))
        self.reminder_days.setValue(form.reminder_days)

    def save_agreement(self) -> None:
        desk = self.desk
        if desk is None:
            return
        self.agreement_fields.clear_errors()
        try:
            form = PartnershipForm(
                partner=self.partner.text(),
                subject=self.subject.text(),
                signed_on=day_of(self.signed_on),
                ends_on=None if self.open_ended.isChecked() else day_of(self.ends_on),
                reminder_days=self.reminder_days.value(),
            )
        except DateRefused as error:
            tasks.report_failure(self, error)
            return
        editing = self._partnership
        tasks.run(
            self,
            lambda: network_resources.save_partnership(desk, form, editing),
            lambda _id: self._load_agreements(),
            lambda error: self.agreement_fields.report(self, error),
        )

    def _load_agreements(self) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: network_resources.partnerships(desk), self._show_agreements)

    def _show_agreements(self, rows: list[PartnershipRow]) -> None:
        if self.desk is None:
            return
        self.partnership_rows = rows
        today = clock.today()
        table = self.agreement_table
        table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            form = row.form
            if row.expired(today):
                state = _("Ended: renew or record the end")
            elif row.renewal_due(today):
                state = _("Prepare the renewal")
            else:
                state = ""
            set_row(
                table,
                number,
                [
                    cell(form.partner, row.id),
                    cell(form.subject),
                    cell(format_date(form.signed_on, "short")),
                    cell(format_date(form.ends_on, "short") if form.ends_on else _("no end")),
                    cell(str(row.meetings), number=True),
                    cell(state),
                ],
            )
        fit_columns(table, 180)
        due = [row.form.partner for row in rows if row.renewal_due(today)]
        self.renewals.setText(
            _("Renewal to prepare: {partners}").format(partners=", ".join(due)) if due else ""
        )
        self.renewals.setVisible(bool(due))
        self._fill_partnership_choice()

    # -- training plan ------------------------------------------------------------------

    def _trainings_tab(self) -> QWidget:
        self.training_table = read_only_table(
            [
                _("Date"),
                _("Activity"),
                _("Title"),
                _("Audience"),
                _("Participants"),
                _("Referents present"),
                _("State"),
            ],
            _("Training plan"),
        )
        self.training_table.itemSelectionChanged.connect(self._training_chosen)
        self.attendance = QListWidget()
        self.attendance.setAccessibleName(_("Referents who attended"))
        self.partnership_choice = QComboBox()
        self.partnership_choice.setAccessibleName(_("Agreement of the platform meeting"))
        self.save_attendance_button = QPushButton(_("Save the attendance"))
        self.save_attendance_button.clicked.connect(self.save_attendance)
        self.attendance_title = QLabel()
        self.attendance_title.setWordWrap(True)
        style.tone(self.attendance_title, Tone.STRONG)
        side = QVBoxLayout()
        side.addWidget(self.attendance_title)
        side.addWidget(QLabel(_("Referents who attended")))
        side.addWidget(self.attendance, 1)
        side.addWidget(QLabel(_("Held under the agreement")))
        side.addWidget(self.partnership_choice)
        side.addWidget(self.save_attendance_button)
        hint = QLabel(
            _(
                "Plan or record a training or platform meeting on the Activities page: it is "
                "counted there as an activity. Its attendance is kept here."
            )
        )
        hint.setWordWrap(True)
        style.tone(hint, Tone.NOTE)
        side.addWidget(hint)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(300)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.training_table, 1)
        layout.addWidget(side_box)
        return tab

    def _load_trainings(self) -> None:
        desk = self.desk
        if desk is None:
            return
        today = clock.today()
        first, last = today - timedelta(PLAN_BACK_DAYS), today + timedelta(PLAN_AHEAD_DAYS)

        def load() -> tuple[list[TrainingRow], list[ReferentRow], list[PartnershipRow]]:
            return (
                network_resources.training_plan(desk, first, last),
                network_resources.referents(desk),
                network_resources.partnerships(desk),
            )

        tasks.run(self, load, self._show_trainings)

    def _show_trainings(
        self, loaded: tuple[list[TrainingRow], list[ReferentRow], list[PartnershipRow]]
    ) -> None:
        if self.desk is None:
            return
        self.training_rows, self.referent_rows, self.partnership_rows = loaded
        today = clock.today()
        table = self.training_table
        table.setRowCount(len(self.training_rows))
        for number, row in enumerate(self.training_rows):
            set_row(
                table,
                number,
                [
                    cell(format_date(row.held_on, "short"), row.activity_id),
                    cell(row.kind.label),
                    cell(row.title),
                    cell(row.audience.label),
                    cell(str(row.participants), number=True),
                    cell(str(len(row.referents)), number=True),
                    # TRANSLATORS: a training still to come, or one already held.
                    cell(pgettext("training", "Planned") if row.planned(today) else _("Held")),
                ],
            )
        fit_columns(table, 150)
        self._fill_partnership_choice()
        self._training_chosen()

    def _fill_partnership_choice(self) -> None:
        self.partnership_choice.clear()
        self.partnership_choice.addItem(_("None"), "")
        for row in self.partnership_rows:
            self.partnership_choice.addItem(f"{row.form.partner} · {row.form.subject}", row.id)

    def _chosen_training(self) -> TrainingRow | None:
        chosen = chosen_id(self.training_table)
        return next((r for r in self.training_rows if r.activity_id == chosen), None)

    def _training_chosen(self) -> None:
        row = self._chosen_training()
        self.attendance.clear()
        enabled = row is not None and not row.planned(clock.today())
        self.save_attendance_button.setEnabled(enabled)
        self.attendance.setEnabled(enabled)
        if row is None:
            self.attendance_title.setText(_("Choose a training or meeting in the list."))
            self.partnership_choice.setEnabled(False)
            return
        self.attendance_title.setText(f"{format_date(row.held_on, 'long')} · {row.title}")
        for referent in self.referent_rows:
            item = QListWidgetItem(f"{referent.form.name} ({referent.form.organisation})")
            item.setData(Qt.ItemDataRole.UserRole, referent.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            present = referent.id in row.referents
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            self.attendance.addItem(item)
        meeting = row.kind is ActivityKind.PLATFORM_MEETING
        self.partnership_choice.setEnabled(enabled and meeting)
        self.partnership_choice.setCurrentIndex(
            max(0, self.partnership_choice.findData(row.partnership_id or ""))
        )

    def save_attendance(self) -> None:
        desk, row = self.desk, self._chosen_training()
        if desk is None or row is None:
            return
        present = frozenset(
            str(self.attendance.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.attendance.count())
            if self.attendance.item(i).checkState() == Qt.CheckState.Checked
        )
        agreement = str(self.partnership_choice.currentData() or "") or None
        activity_id = row.activity_id
        tasks.run(
            self,
            lambda: network_resources.set_attendance(desk, activity_id, present, agreement),
            lambda _r: self._load_trainings(),
        )

    # -- protocols ----------------------------------------------------------------------

    def _protocols_tab(self) -> QWidget:
        self.protocol_table = read_only_table(
            [_("Protocol"), _("Version"), _("Status")], _("Intervention protocols")
        )
        self.protocol_table.itemSelectionChanged.connect(self._protocol_chosen)
        self.protocol_fields = FieldSet()
        self.protocol_title = QLineEdit()
        self.protocol_title.setMaxLength(160)
        self.protocol_steps = QPlainTextEdit()
        self.protocol_steps.setAccessibleName(_("Steps, one per line"))
        self.protocol_steps.setPlaceholderText(_("Press Enter between two steps."))
        self.protocol_status = CodeCombo(ProtocolStatus, _("Status"))
        form = QFormLayout()
        for key, label, widget in (
            ("title", _("Title"), self.protocol_title),
            ("steps", _("Steps, one per line"), self.protocol_steps),
            ("status", _("Status"), self.protocol_status),
        ):
            self.protocol_fields.add_row(form, key, label, widget, error=True)
        new = QPushButton(_("New protocol"))
        new.clicked.connect(self.new_protocol)
        self.save_protocol_button = QPushButton(_("Save as a new version"))
        self.save_protocol_button.clicked.connect(self.save_protocol)
        side = _side(
            form,
            [new, self.save_protocol_button],
            _(
                "Each save is a new version; older versions are kept for the contacts that "
                "used them. Export a directory pack to send the protocols to the desks."
            ),
        )
        side.setMaximumWidth(520)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.protocol_table, 1)
        layout.addWidget(side, 1)
        self._editing_protocol: Protocol | None = None
        return tab

    def new_protocol(self) -> None:
        self._editing_protocol = None
        self.protocol_table.clearSelection()
        self.protocol_title.clear()
        self.protocol_steps.clear()
        self.protocol_status.set_value(ProtocolStatus.DRAFT)
        self.protocol_status.setEnabled(False)  # a new protocol starts as a draft
        self.protocol_title.setFocus()

    def _protocol_chosen(self) -> None:
        chosen = chosen_id(self.protocol_table)
        protocol = next((p for p in self.protocol_list if p.key == chosen), None)
        if protocol is None:
            return
        language = current_language()
        self._editing_protocol = protocol
        self.protocol_title.setText(protocol.title_in(language))
        self.protocol_steps.setPlainText(
            "\n".join(in_language(step.text, language) for step in protocol.steps)
        )
        self.protocol_status.set_value(protocol.status)
        self.protocol_status.setEnabled(True)

    def save_protocol(self) -> None:
        desk = self.desk
        if desk is None:
            return
        self.protocol_fields.clear_errors()
        language, title = current_language(), self.protocol_title.text()
        steps = self.protocol_steps.toPlainText().splitlines()
        editing = self._editing_protocol
        status = self.protocol_status.value() or ProtocolStatus.DRAFT

        def save() -> Protocol:
            if editing is None:
                return protocols.create(desk, language, title, steps)
            return protocols.save_edit(desk, editing, language, title, steps, status)

        tasks.run(
            self,
            save,
            self._protocol_saved,
            lambda error: self.protocol_fields.report(self, error),
        )

    def _protocol_saved(self, saved: Protocol) -> None:
        prompts.show_info(
            self,
            _("Saved as version {version} of “{title}”.").format(
                version=saved.version, title=saved.title_in(current_language())
            ),
        )
        self._load_protocols(select=saved.key)

    def _load_protocols(self, select: str | None = None) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(
                self, lambda: protocols.current(desk), lambda p: self._show_protocols(p, select)
            )

    def _show_protocols(self, loaded: list[Protocol], select: str | None) -> None:
        if self.desk is None:
            return
        self.protocol_list = loaded
        table = self.protocol_table
        table.setRowCount(len(loaded))
        for number, protocol in enumerate(loaded):
            set_row(
                table,
                number,
                [
                    cell(protocol.title_in(current_language()), protocol.key),
                    cell(str(protocol.version), number=True),
                    cell(protocol.status.label),
                ],
            )
            if protocol.key == select:
                table.selectRow(number)
        fit_columns(table, 420)

    # -- the page's life ----------------------------------------------------------------

    def shown(self) -> None:
        if not self.isVisible() or self.desk is None:
            return
        loaders = (
            self._load_referents,
            self._load_agreements,
            self._load_trainings,
            self._load_protocols,
        )
        loaders[self.tabs.currentIndex()]()

    def clear(self) -> None:
        super().clear()
        self.referent_rows, self.partnership_rows, self.training_rows = [], [], []
        self.protocol_list = []
        for table in (
            self.referent_table,
            self.agreement_table,
            self.training_table,
            self.protocol_table,
        ):
            table.setRowCount(0)
        self.attendance.clear()
        self.renewals.clear()
        self.new_referent()
        self.new_agreement()
        self.new_protocol()
