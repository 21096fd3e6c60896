"""Administration: the accounts of the desk and the desk's security settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain import municipalities, recontact
from app.domain import retention as retention_rules
from app.domain.accounts import NewAccount, UserInfo
from app.domain.codes import RetentionClass
from app.domain.retention import PurgePlan, RetentionPeriods
from app.domain.roles import Role
from app.i18n import _, current_language, ngettext
from app.progress import Progress
from app.services import accounts, backup, demo, desk_settings, key_rotation, retention
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.dialogs.password_dialog import PasswordDialog
from ui.dialogs.purge_dialog import PurgeDialog
from ui.dialogs.rotation_dialog import RotationDialog
from ui.models.users_model import ObjectRole, SortRole, UsersModel
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.password_field import PasswordWithStrength


def role_boxes(checked: frozenset[Role] = frozenset()) -> dict[Role, QCheckBox]:
    boxes = {role: QCheckBox(role.label) for role in Role}
    for role, box in boxes.items():
        box.setChecked(role in checked)
    return boxes


def checked_roles(boxes: dict[Role, QCheckBox]) -> frozenset[Role]:
    return frozenset(role for role, box in boxes.items() if box.isChecked())


class AdminPage(Page):
    idle_minutes_saved = Signal(int)
    #: the admin's password was checked: lock, then rotate with a backup to the path
    rotation_requested = Signal(Path, str)

    def __init__(self) -> None:
        super().__init__("admin", _("Administration"), Role.ADMIN)
        self.model = UsersModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(_("Accounts"))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_roles())

        self.roles_button = QPushButton(_("Roles…"))
        self.roles_button.clicked.connect(self.edit_roles)
        # TRANSLATORS: a button: the account can no longer sign in (it is kept).
        self.disable_button = QPushButton(_("Disable"))
        self.disable_button.clicked.connect(self.toggle_active)
        self.reset_button = QPushButton(_("Reset password…"))
        self.reset_button.clicked.connect(self.reset_password)
        actions = QHBoxLayout()
        for button in (self.roles_button, self.disable_button, self.reset_button):
            actions.addWidget(button)
        actions.addStretch()

        accounts_box = QGroupBox(_("Accounts"))
        accounts_layout = QVBoxLayout(accounts_box)
        accounts_layout.addWidget(self.table)
        accounts_layout.addLayout(actions)

        self.new_user_name = QLineEdit()
        self.new_user_name.setPlaceholderText(_("e.g. a.dupont"))
        self.new_display_name = QLineEdit()
        self.new_roles = role_boxes()
        self.new_password = PasswordWithStrength(self.new_user_name.text)
        roles_row = QHBoxLayout()
        for box in self.new_roles.values():
            roles_row.addWidget(box)
        roles_row.addStretch()
        self.add_button = QPushButton(_("Add the account"))
        self.add_button.clicked.connect(self.add_account)
        new_box = QGroupBox(_("New account"))
        new_form = QFormLayout(new_box)
        new_form.addRow(_("User name"), self.new_user_name)
        new_form.addRow(_("Full name"), self.new_display_name)
        new_form.addRow(_("Roles"), roles_row)
        new_form.addRow(_("First password"), self.new_password)
        note = QLabel(_("The person chooses their own password at their first sign-in."))
        note.setWordWrap(True)
        new_form.addRow("", note)
        new_form.addRow("", self.add_button)

        self.desk_label = QLabel()
        self.desk_label.setWordWrap(True)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(
            desk_settings.MIN_IDLE_LOCK_MINUTES, desk_settings.MAX_IDLE_LOCK_MINUTES
        )
        self.idle_minutes.setSuffix(" " + _("min"))
        self.idle_minutes.setValue(desk_settings.DEFAULT_IDLE_LOCK_MINUTES)
        self.idle_minutes.setAccessibleName(_("Lock after inactivity"))
        self.save_settings_button = QPushButton(_("Save"))
        self.save_settings_button.clicked.connect(self.save_settings)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_minutes)
        idle_row.addWidget(self.save_settings_button)
        idle_row.addStretch()
        desk_box = QGroupBox(_("Desk"))
        desk_form = QFormLayout(desk_box)
        desk_form.addRow(self.desk_label)
        desk_form.addRow(_("Lock after inactivity"), idle_row)
        self.max_attempts = QSpinBox()
        self.max_attempts.setRange(recontact.MIN_MAX_ATTEMPTS, recontact.MAX_MAX_ATTEMPTS)
        self.max_attempts.setValue(recontact.DEFAULT_MAX_ATTEMPTS)
        self.max_attempts.setAccessibleName(_("Failed call-back attempts before closing"))
        self.save_attempts_button = QPushButton(_("Save"))
        self.save_attempts_button.setAccessibleName(_("Save the number of attempts"))
        self.save_attempts_button.clicked.connect(self.save_max_attempts)
        attempts_row = QHBoxLayout()
        attempts_row.addWidget(self.max_attempts)
        attempts_row.addWidget(self.save_attempts_button)
        attempts_row.addStretch()
        desk_form.addRow(_("Call-backs closed after"), attempts_row)
        self.backup_status = QLabel()
        self.backup_status.setWordWrap(True)
        self.backup_button = QPushButton(_("Back up now…"))
        self.backup_button.clicked.connect(self.back_up)
        self.reminder_days = QSpinBox()
        self.reminder_days.setRange(
            desk_settings.MIN_BACKUP_REMINDER_DAYS, desk_settings.MAX_BACKUP_REMINDER_DAYS
        )
        self.reminder_days.setSuffix(" " + _("days"))
        self.reminder_days.setAccessibleName(_("Remind to back up after"))
        self.save_reminder_button = QPushButton(_("Save"))
        self.save_reminder_button.clicked.connect(self.save_reminder)
        reminder_row = QHBoxLayout()
        reminder_row.addWidget(self.reminder_days)
        reminder_row.addWidget(self.save_reminder_button)
        reminder_row.addStretch()
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_button)
        backup_row.addStretch()
        desk_form.addRow(_("Backup"), backup_row)
        desk_form.addRow(self.backup_status)  # the whole width: the message wraps
        desk_form.addRow(_("Remind after"), reminder_row)
        self.rotate_button = QPushButton(_("Rotate the data key…"))
        self.rotate_button.clicked.connect(self.rotate_key)
        rotate_row = QHBoxLayout()
        rotate_row.addWidget(self.rotate_button)
        rotate_row.addStretch()
        desk_form.addRow(_("Data key"), rotate_row)

        accounts_tab = QWidget()
        accounts_column = QVBoxLayout(accounts_tab)
        accounts_column.addWidget(accounts_box, 1)
        accounts_column.addWidget(new_box)
        data_tab = QWidget()
        data_layout = QHBoxLayout(data_tab)
        data_layout.addWidget(desk_box, 1, Qt.AlignmentFlag.AlignTop)
        data_layout.addWidget(self._retention_box(), 1, Qt.AlignmentFlag.AlignTop)
        self.tabs = QTabWidget()
        self.tabs.addTab(accounts_tab, _("Accounts"))
        self.tabs.addTab(data_tab, _("Desk and data"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._saved_idle_minutes = desk_settings.DEFAULT_IDLE_LOCK_MINUTES
        self._pending_idle: int | None = None
        self._update_buttons()

    def _retention_box(self) -> QGroupBox:
        self.retention_months: dict[RetentionClass, QSpinBox] = {}
        box = QGroupBox(_("Retention"))
        form = QFormLayout(box)
        note = QLabel(
            _(
                "Months kept after the last activity of a case. Havre proposes these periods; "
                "agree them with your data protection officer."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        for retention_class, label in (
            (RetentionClass.IDENTITY, _("Identity")),
            (RetentionClass.NOTES, _("Session notes")),
            (RetentionClass.CASE, _("Whole case")),
        ):
            spin = QSpinBox()
            spin.setRange(*retention_rules.BOUNDS[retention_class])
            spin.setSuffix(" " + _("months"))
            spin.setValue(retention_rules.DEFAULT_PERIODS.months(retention_class))
            spin.setMaximumWidth(140)
            spin.setAccessibleName(label)
            self.retention_months[retention_class] = spin
            form.addRow(label, spin)
        self.save_retention_button = QPushButton(_("Save"))
        self.save_retention_button.clicked.connect(self.save_retention)
        self.preview_purge_button = QPushButton(_("Purge preview…"))
        self.preview_purge_button.clicked.connect(self.preview_purge)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_retention_button)
        buttons.addWidget(self.preview_purge_button)
        buttons.addStretch()
        form.addRow("", buttons)
        self.forget_code = QLineEdit()
        self.forget_code.setPlaceholderText(_("case code"))
        self.forget_code.setMaximumWidth(160)
        self.forget_code.setAccessibleName(_("Case code of the identity to forget"))
        self.forget_button = QPushButton(_("Forget the identity…"))
        self.forget_button.clicked.connect(self.forget_identity)
        forget_row = QHBoxLayout()
        forget_row.addWidget(self.forget_code)
        forget_row.addWidget(self.forget_button)
        form.addRow(_("On request"), forget_row)
        return box

    # Loading

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        info = desk.desk
        place = municipalities.municipality(info.nis_code).name(current_language())
        lines = [
            f"<b>{info.name}</b> ({info.code})",
            demo.organisation_shown(info),
            _("Municipality: {name} (NIS {code})").format(name=place, code=info.nis_code),
        ]
        if info.network_name:
            lines.append(_("Network: {name}").format(name=info.network_name))
        self.desk_label.setText("<br>".join(lines))
        self.refresh()
        tasks.run(self, lambda: desk_settings.idle_lock_minutes(desk), self._show_idle_minutes)
        self._load_backup_state()
        tasks.run(self, lambda: retention.periods(desk), self._show_retention)

    def _load_backup_state(self) -> None:
        desk = self.desk
        if desk is None:
            return

        def load() -> tuple[int | None, int, int]:
            return (
                backup.days_since_backup(desk),
                desk_settings.backup_reminder_days(desk),
                desk_settings.recontact_max_attempts(desk),
            )

        tasks.run(self, load, self._show_backup_state)

    def _show_backup_state(self, state: tuple[int | None, int, int]) -> None:
        days, remind_after, max_attempts = state
        self.reminder_days.setValue(remind_after)
        self.max_attempts.setValue(max_attempts)
        if days is None:
            text = _("No backup yet: make one now, to a drive kept apart from this PC.")
        elif days == 0:
            text = _("Last backup today.")
        else:
            text = ngettext(
                "Last backup {count} day ago.", "Last backup {count} days ago.", days
            ).format(count=days)
        overdue = days is None or days > remind_after
        self.backup_status.setText(text)
        style.tone(self.backup_status, Tone.WARNING if overdue else None)

    def back_up(self) -> None:
        desk = self.desk
        if desk is None:
            return
        suggested = Path.home() / backup.default_name(desk, clock.today())
        target = prompts.choose_file_to_save(
            self, _("Back up the desk"), suggested, _("Havre desks (*.havre)")
        )
        if target is not None:
            self.back_up_to(target)

    def back_up_to(self, target: Path) -> None:
        desk = self.desk
        if desk is None:
            return

        def done(made: backup.BackupMade) -> None:
            self._load_backup_state()
            prompts.show_info(
                self,
                _(
                    "Backup written and verified: {path}. Keep it with its key file "
                    "({keys}) on a drive stored apart from this PC."
                ).format(path=made.database, keys=made.key_file.name),
            )

        progress = Progress()
        tasks.run_replacing(
            self,
            lambda replace: backup.make_backup(desk, target, replace=replace, progress=progress),
            done,
            progress=progress,
            title=_("Back up the desk"),
        )

    def _show_retention(self, periods: RetentionPeriods) -> None:
        for retention_class, spin in self.retention_months.items():
            spin.setValue(periods.months(retention_class))

    def _chosen_periods(self) -> RetentionPeriods:
        months = {c: spin.value() for c, spin in self.retention_months.items()}
        return RetentionPeriods(
            identity=months[RetentionClass.IDENTITY],
            notes=months[RetentionClass.NOTES],
            case=months[RetentionClass.CASE],
        )

    def save_retention(self) -> None:
        desk = self.desk
        if desk is None:
            return
        chosen = self._chosen_periods()
        tasks.run(
            self,
            lambda: retention.set_periods(desk, chosen),
            lambda _r: prompts.show_info(self, _("Saved. The next purge uses these periods.")),
        )

    def preview_purge(self) -> None:
        desk = self.desk
        if desk is None:
            return

        def show(plan: PurgePlan) -> None:
            PurgeDialog(
                plan, lambda progress: retention.purge(desk, plan.today, progress), self
            ).open()

        progress = Progress()
        tasks.run(
            self,
            lambda: retention.preview(desk, progress=progress),
            show,
            progress=progress,
            title=_("Purge preview"),
        )

    def forget_identity(self) -> None:
        desk = self.desk
        code = self.forget_code.text().strip()
        if desk is None or not code:
            return
        question = _(
            "Forget who the person of case {code} is? Their pseudonym, phone, e-mail, code "
            "word and the notes on their contacts are erased for good; the cases and the "
            "statistics stay."
        ).format(code=code.upper())
        if not prompts.confirm(self, question, _("Forget")):
            return

        def done(forgotten: str) -> None:
            self.forget_code.clear()
            prompts.show_info(
                self, _("The identity of case {code} is forgotten.").format(code=forgotten)
            )

        tasks.run(self, lambda: retention.forget_identity(desk, code), done)

    def rotate_key(self) -> None:
        desk = self.desk
        if desk is None:
            return
        suggested = Path.home() / key_rotation.backup_name(desk.desk.code, clock.today())
        target = prompts.choose_file_to_save(
            self, _("Backup made before the rotation"), suggested, _("Havre desks (*.havre)")
        )
        if target is not None:
            RotationDialog(desk, target, self.rotation_requested.emit, self).open()

    def save_max_attempts(self) -> None:
        desk = self.desk
        if desk is None:
            return
        attempts = self.max_attempts.value()
        tasks.run(
            self,
            lambda: desk_settings.set_recontact_max_attempts(desk, attempts),
            lambda _r: prompts.show_info(
                self,
                ngettext(
                    "Saved. A call-back now closes after {count} failed attempt.",
                    "Saved. A call-back now closes after {count} failed attempts.",
                    attempts,
                ).format(count=attempts),
            ),
        )

    def save_reminder(self) -> None:
        desk = self.desk
        if desk is None:
            return
        days = self.reminder_days.value()
        tasks.run(
            self,
            lambda: desk_settings.set_backup_reminder_days(desk, days),
            lambda _r: self._load_backup_state(),
        )

    def _show_idle_minutes(self, minutes: int) -> None:
        if self.desk is None:
            return  # the desk locked while loading: show nothing
        self._saved_idle_minutes = minutes
        # A value restored from a draft wins over the saved one loaded in the background.
        self.idle_minutes.setValue(minutes if self._pending_idle is None else self._pending_idle)
        self._pending_idle = None

    def refresh(self, select_id: str | None = None) -> None:
        desk = self.desk
        if desk is None:
            return
        tasks.run(self, lambda: accounts.list_users(desk), lambda rows: self._show(rows, select_id))

    def _show(self, rows: list[UserInfo], select_id: str | None) -> None:
        if self.desk is None:
            return  # the desk locked while loading: show nothing
        self.model.set_rows(rows)
        if select_id is not None:
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if self.proxy.data(index, ObjectRole).id == select_id:
                    self.table.selectionModel().select(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        self._update_buttons()

    def selected_user(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], ObjectRole) if rows else None

    def _update_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.roles_button, self.disable_button, self.reset_button):
            button.setEnabled(user is not None)
        self.disable_button.setText(_("Enable…") if user and not user.active else _("Disable"))
        self.reset_button.setEnabled(user is not None and user.active)

    # Actions

    def add_account(self) -> None:
        desk = self.desk
        if desk is None:
            return
        account = NewAccount(
            user_name=self.new_user_name.text(),
            display_name=self.new_display_name.text(),
            roles=checked_roles(self.new_roles),
            password=self.new_password.password(),
        )
        self.add_button.setEnabled(False)

        def added(user: UserInfo) -> None:
            self.add_button.setEnabled(True)
            self._clear_new_account()
            self.refresh(select_id=user.id)
            prompts.show_info(
                self,
                _(
                    "The account {name} was added. Give the person their first password "
                    "in person; they will choose their own at the first sign-in."
                ).format(name=user.user_name),
            )

        def failed(error: BaseException) -> None:
            self.add_button.setEnabled(True)
            tasks.report_failure(self, error)

        tasks.run(self, lambda: accounts.add_user(desk, account), added, failed)

    def edit_roles(self) -> None:
        desk, user = self.desk, self.selected_user()
        if desk is None or user is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Roles of {name}").format(name=user.user_name))
        boxes = role_boxes(user.roles)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        for box in boxes.values():
            layout.addWidget(box)
        layout.addWidget(buttons)

        def save() -> None:
            roles = checked_roles(boxes)
            tasks.run(
                self,
                lambda: accounts.set_roles(desk, user.id, roles),
                lambda _user: self.refresh(select_id=user.id),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def toggle_active(self) -> None:
        desk, user = self.desk, self.selected_user()
        if desk is None or user is None:
            return
        if not user.active:
            dialog = PasswordDialog(
                _("Enable {name}").format(name=user.user_name),
                _(
                    "Give the account a first password; the person chooses their own at the "
                    "next sign-in."
                ),
                lambda v: accounts.enable_user(desk, user.id, v["password"]),
                user_name=user.user_name,
                parent=self,
            )
            dialog.accepted.connect(lambda: self.refresh(select_id=user.id))
            dialog.open()
            return
        if prompts.confirm(
            self,
            _("Disable the account {name}? Its password will no longer open the desk.").format(
                name=user.user_name
            ),
            _("Disable"),
        ):
            tasks.run(
                self,
                lambda: accounts.disable_user(desk, user.id),
                lambda _user: self.refresh(select_id=user.id),
            )

    def reset_password(self) -> None:
        desk, user = self.desk, self.selected_user()
        if desk is None or user is None:
            return
        dialog = PasswordDialog(
            _("Reset the password of {name}").format(name=user.user_name),
            _(
                "Resetting a password needs the desk's recovery key (the sealed sheet printed at "
                "set-up). The person chooses their own password at the next sign-in."
            ),
            lambda v: accounts.reset_password(desk, user.id, v["recovery_key"], v["password"]),
            ask_recovery_key=True,
            user_name=user.user_name,
            parent=self,
        )
        dialog.accepted.connect(lambda: self.refresh(select_id=user.id))
        dialog.open()

    def save_settings(self) -> None:
        desk = self.desk
        if desk is None:
            return
        minutes = self.idle_minutes.value()

        def saved(_result: None) -> None:
            self._saved_idle_minutes = minutes
            self.idle_minutes_saved.emit(minutes)
            prompts.show_info(
                self,
                ngettext(
                    "Saved. The desk now locks after {count} minute without activity.",
                    "Saved. The desk now locks after {count} minutes without activity.",
                    minutes,
                ).format(count=minutes),
            )

        tasks.run(self, lambda: desk_settings.set_idle_lock_minutes(desk, minutes), saved)

    # Drafts

    def draft(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.new_user_name.text() or self.new_display_name.text():
            values["user_name"] = self.new_user_name.text()
            values["display_name"] = self.new_display_name.text()
        roles = sorted(role.value for role in checked_roles(self.new_roles))
        if roles:
            values["roles"] = roles
        if self.idle_minutes.value() != self._saved_idle_minutes:
            values["idle_minutes"] = self.idle_minutes.value()
        return values

    def restore(self, draft: dict[str, Any]) -> None:
        self.new_user_name.setText(str(draft.get("user_name", "")))
        self.new_display_name.setText(str(draft.get("display_name", "")))
        for role, box in self.new_roles.items():
            box.setChecked(role.value in draft.get("roles", []))
        if isinstance(draft.get("idle_minutes"), int):
            self._pending_idle = draft["idle_minutes"]
            self.idle_minutes.setValue(draft["idle_minutes"])

    def _clear_new_account(self) -> None:
        self.new_user_name.clear()
        self.new_display_name.clear()
        self.new_password.clear()
        for box in self.new_roles.values():
            box.setChecked(False)

    def clear(self) -> None:
        super().clear()
        self.model.set_rows([])
        self._clear_new_account()
        self.desk_label.clear()
        self.idle_minutes.setValue(desk_settings.DEFAULT_IDLE_LOCK_MINUTES)
        self._pending_idle = None
        self.forget_code.clear()
