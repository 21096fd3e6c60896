"""Publish the network's numbers (docs/disclosure-control.md): months, level, disclosure
control and format; a preview says how many numbers go out and how many are withheld
before anything is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import disclosure
from app.domain.disclosure import Method
from app.domain.periods import Month
from app.domain.publication import Level, Publication
from app.i18n import N_, _, ngettext
from app.services import publication
from app.services.open_desk import OpenDesk
from app.services.publication import Format
from ui import prompts, tasks
from ui.widgets.month_picker import MonthPicker

FORMAT_LABELS = {
    Format.PDF: N_("PDF report with charts (councils, PSSP / PLPP / PCS)"),
    Format.XLSX: N_("XLSX workbook, one sheet per table"),
    Format.DHIS2_JSON: N_("DHIS2 dataValueSets, JSON"),
    Format.DHIS2_CSV: N_("DHIS2 dataValueSets, CSV"),
    Format.ADX: N_("ADX (IHE), XML"),
    Format.DHIS2_METADATA: N_("DHIS2 metadata package (once per DHIS2 instance)"),
}


class PublicationDialog(QDialog):
    def __init__(self, desk: OpenDesk, months: list[Month], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Publish the network's numbers"))
        self.desk = desk
        self.first = MonthPicker(_("First month"))
        self.last = MonthPicker(_("Last month"))
        self.first.set_months(months[0], months[-1], months[0] if len(months) < 12 else months[-12])
        self.last.set_months(months[0], months[-1], months[-1])
        self.level = QComboBox()
        self.level.setAccessibleName(_("Level"))
        self.level.addItem(_("The whole network"), Level.NETWORK)
        self.level.addItem(_("Each municipality"), Level.MUNICIPALITY)
        self.method = QComboBox()
        self.method.setAccessibleName(_("Protection of small numbers"))
        self.method.addItem(_("Withhold small numbers (suppression)"), Method.SUPPRESS)
        self.method.addItem(_("Round every number to a multiple of 5"), Method.ROUND5)
        self.k = QSpinBox()
        self.k.setAccessibleName(_("Threshold k"))
        self.k.setRange(disclosure.MIN_K, disclosure.MAX_K)
        self.k.setValue(disclosure.DEFAULT_K)
        self.k.setSuffix(_(" (numbers from 1 to k − 1 are withheld)"))
        self.format = QComboBox()
        self.format.setAccessibleName(_("Format"))
        for fmt, label in FORMAT_LABELS.items():
            self.format.addItem(_(label), fmt)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(60)
        self.save_button = QPushButton(_("Save…"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("From"), self.first)
        form.addRow(_("To"), self.last)
        form.addRow(_("Level"), self.level)
        form.addRow(_("Small numbers"), self.method)
        form.addRow(_("Threshold k"), self.k)
        form.addRow(_("Format"), self.format)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self._ready: Publication | None = None
        for combo in (self.first, self.last, self.level, self.method, self.format):
            combo.currentIndexChanged.connect(self.refresh)
        self.k.valueChanged.connect(self.refresh)
        self.resize(560, 0)
        self.refresh()

    def _choices(self) -> tuple[Month, Month, Method, int, Level] | None:
        first, last = self.first.month(), self.last.month()
        if first is None or last is None:
            return None
        return (
            first,
            last,
            Method(self.method.currentData()),
            self.k.value(),
            Level(self.level.currentData()),
        )

    def refresh(self) -> None:
        self.k.setEnabled(self.method.currentData() == Method.SUPPRESS)
        self._ready = None
        self.save_button.setEnabled(False)
        choices = self._choices()
        if choices is None:
            return
        if Format(self.format.currentData()) is Format.DHIS2_METADATA:
            self.preview.setText(_("The metadata package holds no numbers: codes and names only."))
            self.preview.setStyleSheet("")
            self.save_button.setEnabled(True)
            return
        first, last, method, k, level = choices
        desk = self.desk

        def failed(error: BaseException) -> None:
            self.preview.setText(str(error))
            self.preview.setStyleSheet("color: #a12622;")

        tasks.run(
            self,
            lambda: publication.publish(desk, first, last, method=method, k=k, level=level),
            self._previewed,
            failed,
            busy_cursor=False,
        )

    def _previewed(self, ready: Publication) -> None:
        if self._choices() != (
            ready.months[0],
            ready.months[-1],
            ready.method,
            ready.k,
            ready.level,
        ):
            return  # the choices changed meanwhile; a newer preview is on its way
        self._ready = ready
        cells = sum(len(g.group.cells) for g in ready.groups)
        withheld = len(ready.suppressed())
        self.preview.setStyleSheet("")
        text = ngettext("{count} org unit, ", "{count} org units, ", len(ready.org_units)).format(
            count=len(ready.org_units)
        )
        text += ngettext("{count} month: ", "{count} months: ", len(ready.months)).format(
            count=len(ready.months)
        )
        if ready.method is Method.SUPPRESS:
            text += _("{shown} numbers published, {withheld} withheld.").format(
                shown=cells - withheld, withheld=withheld
            )
        else:
            text += _("{shown} numbers published, all rounded to a multiple of 5.").format(
                shown=cells
            )
        self.preview.setText(text)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        fmt = Format(self.format.currentData())
        ready = self._ready
        if ready is None and fmt is not Format.DHIS2_METADATA:
            return
        suffix = publication.SUFFIXES[fmt]
        suggested = Path.home() / f"{publication.title_of(self.desk)} {self._period_name()}{suffix}"
        target = prompts.choose_file_to_save(
            self, _("Save the publication"), suggested, f"*{suffix}"
        )
        if target is not None:
            self.save_to(target)

    def _period_name(self) -> str:
        choices = self._choices()
        return f"{choices[0]}_{choices[1]}" if choices else ""

    def save_to(self, target: Path) -> None:
        fmt = Format(self.format.currentData())
        desk, ready = self.desk, self._ready
        choices = self._choices()
        if choices is None:
            return
        first, last, method, k, level = choices

        def work(replace: bool) -> list[Path]:
            if fmt is Format.DHIS2_METADATA:
                return publication.write(desk, None, fmt, target, replace=replace)
            made = ready or publication.publish(desk, first, last, method=method, k=k, level=level)
            return publication.write(desk, made, fmt, target, replace=replace)

        def written(paths: list[Path]) -> None:
            self.preview.setText(
                _("Written: {paths}").format(paths=", ".join(str(p) for p in paths))
            )
            self.preview.setStyleSheet("color: #1e6b2e; font-weight: bold;")

        tasks.run_replacing(self, work, written)
