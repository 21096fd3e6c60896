"""Retention: how many months each kind of record is kept after a case's last activity,
the purge those periods make due, and forgetting one identity on request."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from app.domain import retention as retention_rules
from app.domain.codes import RetentionClass
from app.domain.retention import PurgePlan, RetentionPeriods
from app.i18n import _
from app.progress import Progress
from app.services import retention
from app.services.open_desk import OpenDesk
from ui import prompts, tasks
from ui.dialogs.purge_dialog import PurgeDialog
from ui.widgets.side_by_side import side_by_side


def _months(label: str, retention_class: RetentionClass) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(*retention_rules.BOUNDS[retention_class])
    spin.setSuffix(" " + _("months"))
    spin.setValue(retention_rules.DEFAULT_PERIODS.months(retention_class))
    spin.setMaximumWidth(140)
    spin.setAccessibleName(label)
    return spin


class RetentionBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__(_("Retention"))
        self.desk: OpenDesk | None = None
        form = QFormLayout(self)
        note = QLabel(
            _(
                "Months kept after the last activity of a case. Havre proposes these periods; "
                "agree them with your data protection officer."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.months: dict[RetentionClass, QSpinBox] = {}
        for retention_class, label in (
            (RetentionClass.IDENTITY, _("Identity")),
            (RetentionClass.NOTES, _("Session notes")),
            (RetentionClass.CASE, _("Whole case")),
        ):
            self.months[retention_class] = _months(label, retention_class)
            form.addRow(label, self.months[retention_class])
        self.save_button = QPushButton(_("Save"))
        self.save_button.setAccessibleName(_("Save the retention periods"))
        self.save_button.clicked.connect(self.save)
        self.preview_button = QPushButton(_("Purge preview…"))
        self.preview_button.clicked.connect(self.preview_purge)
        form.addRow("", side_by_side(self.save_button, self.preview_button))
        self.forget_code = QLineEdit()
        self.forget_code.setPlaceholderText(_("case code"))
        self.forget_code.setMaximumWidth(160)
        self.forget_code.setAccessibleName(_("Case code of the identity to forget"))
        self.forget_button = QPushButton(_("Forget the identity…"))
        self.forget_button.clicked.connect(self.forget_identity)
        form.addRow(_("On request"), side_by_side(self.forget_code, self.forget_button))

    def open_desk(self, desk: OpenDesk) -> None:
        self.desk = desk
        tasks.run(self, lambda: retention.periods(desk), self._show)

    def clear(self) -> None:
        self.desk = None
        self.forget_code.clear()

    def _show(self, periods: RetentionPeriods) -> None:
        for retention_class, spin in self.months.items():
            spin.setValue(periods.months(retention_class))

    def _chosen(self) -> RetentionPeriods:
        months = {c: spin.value() for c, spin in self.months.items()}
        return RetentionPeriods(
            identity=months[RetentionClass.IDENTITY],
            notes=months[RetentionClass.NOTES],
            case=months[RetentionClass.CASE],
        )

    def save(self) -> None:
        desk = self.desk
        if desk is None:
            return
        chosen = self._chosen()
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
