"""Desk and data: what the desk is, its settings (the idle lock, the call-back attempts,
the backup reminder), backing it up, rotating its data key, and its retention periods."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app import clock
from app.domain import municipalities, recontact
from app.i18n import _, current_language, ngettext
from app.progress import Progress
from app.services import backup, demo, desk_settings, key_rotation
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.dialogs.rotation_dialog import RotationDialog
from ui.pages.admin.number_setting import NumberSetting
from ui.pages.admin.retention_box import RetentionBox
from ui.style import Tone
from ui.widgets.side_by_side import side_by_side


def _wrapped() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


class DeskTab(QWidget):
    idle_minutes_saved = Signal(int)
    #: the admin's password was checked: lock, then rotate with a backup to the path
    rotation_requested = Signal(Path, str)

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self.desk_label = _wrapped()
        self.backup_status = _wrapped()
        self.idle_minutes = self._setting(
            (_("Lock after inactivity"), _("Save the lock after inactivity")),
            (desk_settings.MIN_IDLE_LOCK_MINUTES, desk_settings.MAX_IDLE_LOCK_MINUTES),
            lambda _minutes: _("min"),
            desk_settings.set_idle_lock_minutes,
            self._idle_saved,
        )
        self.max_attempts = self._setting(
            (_("Failed call-back attempts before closing"), _("Save the number of attempts")),
            (recontact.MIN_MAX_ATTEMPTS, recontact.MAX_MAX_ATTEMPTS),
            # TRANSLATORS: after a number, read on from "Call-backs closed after".
            lambda attempts: ngettext("attempt", "attempts", attempts),
            desk_settings.set_recontact_max_attempts,
            self._attempts_saved,
        )
        self.reminder_days = self._setting(
            (_("Remind to back up after"), _("Save the backup reminder")),
            (desk_settings.MIN_BACKUP_REMINDER_DAYS, desk_settings.MAX_BACKUP_REMINDER_DAYS),
            # TRANSLATORS: after a number, read on from "Remind after".
            lambda days: ngettext("day", "days", days),
            desk_settings.set_backup_reminder_days,
            lambda _days: self._load_backup_state(),
        )
        self.idle_minutes.set_value(desk_settings.DEFAULT_IDLE_LOCK_MINUTES)
        self.max_attempts.set_value(recontact.DEFAULT_MAX_ATTEMPTS)
        self.backup_button = QPushButton(_("Back up now…"))
        self.backup_button.clicked.connect(self.back_up)
        self.rotate_button = QPushButton(_("Rotate the data key…"))
        self.rotate_button.clicked.connect(self.rotate_key)
        self.retention = RetentionBox()
        layout = QHBoxLayout(self)
        layout.addWidget(self._desk_box(), 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.retention, 1, Qt.AlignmentFlag.AlignTop)
        self._saved_idle_minutes = desk_settings.DEFAULT_IDLE_LOCK_MINUTES
        self._pending_idle: int | None = None

    def _desk_box(self) -> QGroupBox:
        box = QGroupBox(_("Desk"))
        form = QFormLayout(box)
        form.addRow(self.desk_label)
        form.addRow(_("Lock after inactivity"), self.idle_minutes)
        form.addRow(_("Call-backs closed after"), self.max_attempts)
        form.addRow(_("Backup"), side_by_side(self.backup_button))
        form.addRow(self.backup_status)  # the whole width: the message wraps
        form.addRow(_("Remind after"), self.reminder_days)
        form.addRow(_("Data key"), side_by_side(self.rotate_button))
        return box

    def _setting(
        self,
        names: tuple[str, str],
        bounds: tuple[int, int],
        unit: Callable[[int], str],
        store: Callable[[OpenDesk, int], object],
        done: Callable[[int], None],
    ) -> NumberSetting:
        """A number of the desk's settings, stored by `store` when its Save is pressed,
        then `done` with it."""
        setting = NumberSetting(names[0], bounds, unit, names[1])

        def save(value: int) -> None:
            desk = self.desk
            if desk is not None:
                tasks.run(self, lambda: store(desk, value), lambda _r: done(value))

        setting.save_requested.connect(save)
        return setting

    # -- loading ----------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        self.desk = desk
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
        tasks.run(self, lambda: desk_settings.idle_lock_minutes(desk), self._show_idle_minutes)
        self._load_backup_state()
        self.retention.open_desk(desk)

    def clear(self) -> None:
        self.desk = None
        self.desk_label.clear()
        self.idle_minutes.set_value(desk_settings.DEFAULT_IDLE_LOCK_MINUTES)
        self._pending_idle = None
        self.retention.clear()

    def _show_idle_minutes(self, minutes: int) -> None:
        if self.desk is None:
            return  # the desk locked while loading: show nothing
        self._saved_idle_minutes = minutes
        # A value restored from a draft wins over the saved one loaded in the background.
        self.idle_minutes.set_value(minutes if self._pending_idle is None else self._pending_idle)
        self._pending_idle = None

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
        self.reminder_days.set_value(remind_after)
        self.max_attempts.set_value(max_attempts)
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

    # -- saved ------------------------------------------------------------------------------

    def _idle_saved(self, minutes: int) -> None:
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

    def _attempts_saved(self, attempts: int) -> None:
        prompts.show_info(
            self,
            ngettext(
                "Saved. A call-back now closes after {count} failed attempt.",
                "Saved. A call-back now closes after {count} failed attempts.",
                attempts,
            ).format(count=attempts),
        )

    # -- backup and key ---------------------------------------------------------------------

    def back_up(self) -> None:
        desk = self.desk
        if desk is None:
            return
        suggested = Path.home() / backup.default_name(desk, clock.today())
        target = prompts.choose_file_to_save(
            self, _("Back up the desk"), suggested, _("Havre desks (*.havre)")
        )
        if target is None:
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

    # -- drafts -----------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        minutes = self.idle_minutes.value()
        return {} if minutes == self._saved_idle_minutes else {"idle_minutes": minutes}

    def restore(self, draft: dict[str, Any]) -> None:
        minutes = draft.get("idle_minutes")
        if isinstance(minutes, int):
            self._pending_idle = minutes
            self.idle_minutes.set_value(minutes)
