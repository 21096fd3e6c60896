"""The audit log for the administrator (docs/security-model.md): who did what and when, filtered by
person, action and dates; the chain verified on request; an export for the data
protection officer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app import clock
from app.domain.accounts import UserInfo
from app.domain.audit_words import action_label, outcome_label, target_label
from app.errors import ValidationError
from app.i18n import _, format_datetime, ngettext
from app.services import accounts, audit, audit_anchor, audit_log
from app.services.audit_log import AuditEntry, AuditFilter, ChainReport
from ui import prompts, style, tasks
from ui.models.record_model import Column
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.dates import date_edit
from ui.widgets.record_table import RecordTable

DAYS_SHOWN = 30


def _target_text(entry: AuditEntry) -> str:
    """What the event was about: a refused access names the action refused."""
    if not entry.target_type:
        return ""
    if entry.action == audit.ACCESS_DENIED:
        return action_label(entry.target_type)
    kind = target_label(entry.target_type)
    return f"{kind} {entry.target_name}" if entry.target_name else kind


def _target_tip(entry: AuditEntry) -> str:
    return f"{entry.target_type}: {entry.target_id or ''}" if entry.target_type else ""


def _columns() -> list[Column[AuditEntry]]:
    # In words and names; the stored codes and ids stay in the tooltips for whoever compares
    # with the export.
    return [
        Column(_("Event"), lambda e: str(e.id), sort=lambda e: e.id, number=True),
        Column(
            _("Time"),
            lambda e: format_datetime(e.occurred_at, "short"),
            sort=lambda e: e.occurred_at.timestamp(),
        ),
        Column(
            _("Person"),
            lambda e: e.user_display_name or e.user_name or "—",
            tip=lambda e: e.user_name,
        ),
        Column(_("Action"), lambda e: action_label(e.action), tip=lambda e: e.action),
        Column(_("On"), _target_text, tip=_target_tip),
        Column(_("Outcome"), lambda e: outcome_label(e.outcome), tip=lambda e: e.outcome),
    ]


class AuditPage(Page):
    def __init__(self) -> None:
        super().__init__("audit", _("Audit log"), audit_log.AUDIT_ROLES)
        self.table: RecordTable[AuditEntry] = RecordTable(
            _columns(), lambda e: str(e.id), _("Audit events")
        )
        self.summary = QLabel()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(self._chain_buttons())
        layout.addWidget(self.verdict)

    def _filters(self) -> QHBoxLayout:
        """Who, what and when: the events shown."""
        self.user = QComboBox()
        self.user.setAccessibleName(_("Person"))
        self.action = QComboBox()
        self.action.setAccessibleName(_("Action"))
        today = clock.today()
        self.first = date_edit(_("From"), today - timedelta(days=DAYS_SHOWN))
        self.last = date_edit(_("To"), today)
        show_button = QPushButton(_("Show"))
        show_button.setDefault(True)
        show_button.clicked.connect(self.reload)
        filters = QHBoxLayout()
        for label, widget in (
            (_("Person"), self.user),
            (_("Action"), self.action),
            (_("From"), self.first),
            (_("To"), self.last),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(show_button)
        filters.addStretch(1)
        return filters

    def _chain_buttons(self) -> QHBoxLayout:
        """The chain verified (against an anchor, if given), an anchor made, the export."""
        self.verify_button = QPushButton(_("Verify the chain"))
        self.verify_button.clicked.connect(self.verify)
        self.anchor_input = QLineEdit()
        self.anchor_input.setPlaceholderText(_("An anchor kept outside the desk (optional)"))
        self.anchor_input.setAccessibleName(_("Anchor to check"))
        anchor_button = QPushButton(_("Make an anchor"))
        anchor_button.setToolTip(
            _("A line to print or keep away from the desk: it shows events removed later")
        )
        anchor_button.clicked.connect(self.make_anchor)
        export_button = QPushButton(_("Export for the data protection officer…"))
        export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.anchor_input, 1)
        buttons.addWidget(anchor_button)
        buttons.addWidget(export_button)
        buttons.addStretch(1)
        return buttons

    def shown(self) -> None:
        # Reading the log is itself audited: only when someone opens it.
        self._load_choices()

    def clear(self) -> None:
        super().clear()
        self.table.records.set_rows([])
        self.user.clear()
        self.action.clear()
        self.summary.clear()
        self.verdict.clear()

    def _load_choices(self) -> None:
        desk = self.desk
        if desk is None:
            return

        def load() -> tuple[list[UserInfo], list[str]]:
            return accounts.list_users(desk), audit_log.actions(desk)

        tasks.run(self, load, self._choices_loaded)

    def _choices_loaded(self, loaded: tuple[list[UserInfo], list[str]]) -> None:
        users, actions = loaded
        for combo, items in (
            (self.user, [(f"{u.display_name} ({u.user_name})", u.id) for u in users]),
            (self.action, sorted((action_label(a), a) for a in actions)),
        ):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(_("All"), None)
            for label, data in items:
                combo.addItem(label, data)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        self.reload()

    def _filter(self) -> AuditFilter:
        return AuditFilter(
            user_id=self.user.currentData(),
            action=self.action.currentData(),
            first_day=self.first.day(),
            last_day=self.last.day(),
        )

    def reload(self) -> None:
        desk = self.desk
        if desk is None or not self.isVisible():
            return
        wanted = self._filter()
        tasks.run(self, lambda: audit_log.entries(desk, wanted), self._shown)

    def _shown(self, found: list[AuditEntry]) -> None:
        self.table.records.set_rows(found)
        self.summary.setText(
            ngettext(
                "{count} event shown.", "{count} events shown (newest first).", len(found)
            ).format(count=len(found))
        )

    def verify(self) -> None:
        desk = self.desk
        if desk is None:
            return
        try:
            given = (
                audit_anchor.parse(self.anchor_input.text()) if self.anchor_input.text() else None
            )
        except ValidationError as error:
            prompts.show_error(self, error)
            return
        tasks.run(self, lambda: audit_log.verify(desk, given), self._verified)

    def make_anchor(self) -> None:
        desk = self.desk
        if desk is None:
            return

        def made(anchor: audit_anchor.Anchor) -> None:
            self.verdict.setText(
                _(
                    "Keep this line outside the desk (print it, or copy it to a stick kept "
                    "elsewhere); give it back here to check that the log still holds it:"
                )
                + "\n"
                + anchor.text
            )
            style.tone(self.verdict, None)
            self.reload()

        tasks.run(self, lambda: audit_anchor.make(desk), made)

    def _verified(self, report: ChainReport) -> None:
        self.verdict.setText(report.message)
        style.tone(self.verdict, Tone.GOOD if report.intact else Tone.URGENT)
        self.reload()

    def export(self) -> None:
        desk = self.desk
        if desk is None:
            return
        warning = _(
            "The export names who did what and when: it is personal data. Give it only to "
            "the data protection officer, on a medium you keep safe."
        )
        if not prompts.confirm(self, warning, _("Export")):
            return
        suggested = Path.home() / f"audit-{desk.desk.code}-{clock.today().isoformat()}.csv"
        target = prompts.choose_file_to_save(
            self, _("Export the audit log"), suggested, _("CSV (*.csv)")
        )
        if target is not None:
            self.export_to(target)

    def export_to(self, target: Path) -> None:
        desk = self.desk
        if desk is None:
            return

        def written(count: int) -> None:
            self.verdict.setText(
                _("{count} events written to {path}.").format(count=count, path=target)
            )
            style.tone(self.verdict, None)

        tasks.run_replacing(
            self,
            lambda replace: audit_log.export_csv(desk, target, replace_file=replace),
            written,
        )
