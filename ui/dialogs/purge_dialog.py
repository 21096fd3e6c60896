"""The purge preview: what a retention purge takes away and what it keeps, before it runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import RetentionClass
from app.domain.retention import PurgePlan
from app.i18n import _, format_date, ngettext
from app.progress import Progress
from ui import prompts, tasks
from ui.models.record_model import Column, RecordModel

PlanRow = tuple[str, str, str, int, int]


def plan_rows(plan: PurgePlan) -> list[PlanRow]:
    """(what, kept for, goes when the last activity is before, goes, stays) per class."""

    def period(retention_class: RetentionClass) -> tuple[str, str]:
        months = plan.periods.months(retention_class)
        kept_for = ngettext("{count} month", "{count} months", months).format(count=months)
        return kept_for, format_date(plan.cutoff(retention_class))

    return [
        (
            _("Identities (pseudonym, phone, e-mail, code word)"),
            *period(RetentionClass.IDENTITY),
            plan.identities_due,
            plan.identities_kept,
        ),
        (
            _("Notes on contacts, kept with the identity"),
            *period(RetentionClass.IDENTITY),
            plan.contact_notes_due,
            plan.contact_notes_kept,
        ),
        (
            _("Counsellors' notes of sessions"),
            *period(RetentionClass.NOTES),
            plan.notes_due,
            plan.notes_kept,
        ),
        (
            _("Whole cases, with their contacts, sessions and referrals"),
            *period(RetentionClass.CASE),
            plan.cases_due,
            plan.cases_kept,
        ),
    ]


def _columns() -> list[Column[PlanRow]]:
    return [
        Column(_("What"), lambda r: r[0]),
        Column(_("Kept for"), lambda r: r[1]),
        Column(_("Last activity before"), lambda r: r[2]),
        Column(_("Erased"), lambda r: str(r[3]), number=True),
        Column(_("Kept"), lambda r: str(r[4]), number=True),
    ]


def _summary(plan: PurgePlan) -> QTableView:
    """What goes and what stays, class by class: a table as tall as its rows."""
    model = RecordModel(_columns(), lambda r: r[0])
    model.set_rows(plan_rows(plan))
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(_("Purge preview"))
    table.verticalHeader().setVisible(False)
    # A summary to read, not a list to pick from: the focus goes to the buttons.
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setMaximumHeight(
        header.height() + sum(table.rowHeight(r) for r in range(model.rowCount())) + 4
    )
    return table


class PurgeDialog(QDialog):
    def __init__(
        self, plan: PurgePlan, purge: Callable[[Progress], PurgePlan], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Purge preview"))
        self.resize(920, 260)
        self._purge = purge
        intro = QLabel(
            _(
                "Each period counts from the last activity of the case (its opening, a contact, "
                "a session or a referral). A person's cases are purged together, when the latest "
                "of them is due."
            )
        )
        intro.setWordWrap(True)
        self.table = _summary(plan)
        self.months = QLabel(self._months_text(plan))
        self.months.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.purge_button = self.buttons.addButton(
            _("Purge now…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.purge_button.setEnabled(not plan.nothing_due)
        self.purge_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.months)
        layout.addWidget(self.buttons)
        self._plan = plan

    @staticmethod
    def _months_text(plan: PurgePlan) -> str:
        if plan.nothing_due:
            return _("Nothing is past its period today: there is nothing to purge.")
        if not plan.months_to_freeze:
            return _("The statistics stay as they are: no month loses a case.")
        return ngettext(
            "The counts of {count} month are kept as they are now before its cases go: {months}.",
            "The counts of {count} months are kept as they are now before their cases go: "
            "{months}.",
            len(plan.months_to_freeze),
        ).format(
            count=len(plan.months_to_freeze),
            months=", ".join(str(m) for m in plan.months_to_freeze),
        )

    def submit(self) -> None:
        question = _(
            "Purge now? {count} records will be erased for good; a backup made before keeps "
            "them until it is destroyed."
        ).format(count=self._plan.records_due)
        if not prompts.confirm(self, question, _("Purge")):
            return
        self.buttons.setEnabled(False)
        progress = Progress()
        tasks.run(
            self,
            lambda: self._purge(progress),
            self._done,
            self._failed,
            progress=progress,
            title=_("Purge"),
        )

    def _done(self, plan: PurgePlan) -> None:
        prompts.show_info(
            self,
            _(
                "Purged: {cases} cases, {identities} identities and {notes} notes. The counts "
                "of past months are unchanged."
            ).format(cases=plan.cases_due, identities=plan.identities_due, notes=plan.notes_due),
        )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        tasks.report_failure(self, error)
