"""Publish the network's numbers (docs/disclosure-control.md): months, level, disclosure
control, org unit and format. Before anything is written, the preview says what is
withheld (small numbers, and numbers withheld to protect them), the information lost and
the audit's verdict; a publication that fails the audit cannot be saved. The register of
what the network published opens from here (ui/dialogs/register_dialog.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock, i18n
from app.domain import disclosure
from app.domain.disclosure import Level, Method
from app.domain.periods import Month
from app.domain.publication import Publication
from app.errors import ValidationError
from app.i18n import N_, _, ngettext
from app.progress import Progress
from app.services import publication, publication_register
from app.services.open_desk import OpenDesk
from app.services.publication import Format
from ui import prompts, style, tasks
from ui.dialogs.register_dialog import RegisterDialog
from ui.style import Tone
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
        self.org_unit = QLineEdit(publication.network_org_unit(desk)[0])
        self.org_unit.setAccessibleName(_("Network's DHIS2 org unit code"))
        self.org_unit.setMaxLength(50)
        self.org_unit.editingFinished.connect(self._store_org_unit)
        self.format = QComboBox()
        self.format.setAccessibleName(_("Format"))
        for fmt, label in FORMAT_LABELS.items():
            self.format.addItem(_(label), fmt)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(110)
        self.save_button = QPushButton(_("Save…"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.register = QLabel()
        self.register.setWordWrap(True)
        self.register_button = QPushButton(_("Register…"))
        self.register_button.setToolTip(
            _("What the network has published: view it, export it, start a new one")
        )
        self.register_button.clicked.connect(self.open_register)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.register_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        # Enter saves (when there is something to save), never closes or opens the register.
        for button in (close, self.register_button):
            button.setAutoDefault(False)
        form = QFormLayout()
        # TRANSLATORS: the first month to publish (the next field is the last).
        form.addRow(_("From"), self.first)
        form.addRow(_("To"), self.last)
        form.addRow(_("Level"), self.level)
        form.addRow(_("Small numbers"), self.method)
        # TRANSLATORS: k-anonymity: a count below k is hidden. Keep the letter k.
        form.addRow(_("Threshold k"), self.k)
        form.addRow(_("Network org unit"), self.org_unit)
        form.addRow(_("Format"), self.format)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.register)
        layout.addWidget(buttons)
        self._ready: Publication | None = None
        for combo in (self.first, self.last, self.level, self.method, self.format):
            combo.currentIndexChanged.connect(self.refresh)
        self.k.valueChanged.connect(self.refresh)
        chain = [self.first, self.last, self.level, self.method, self.k, self.org_unit]
        chain += [self.format, self.save_button, self.register_button, close]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.setMinimumWidth(720)
        self.resize(760, 520)
        self._show_register()
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
            style.tone(self.preview, None)
            self.save_button.setEnabled(True)
            return
        first, last, method, k, level = choices
        desk = self.desk
        self.preview.setText(_("Working out what can be published…"))
        style.tone(self.preview, Tone.NOTE)

        def failed(error: BaseException) -> None:
            self.preview.setText(str(error))
            style.tone(self.preview, Tone.ERROR)

        progress = Progress()
        tasks.run(
            self,
            lambda: publication.publish(
                desk, first, last, method=method, k=k, level=level, progress=progress
            ),
            self._previewed,
            failed,
            busy_cursor=False,
            progress=progress,
            title=_("Publish the network's numbers"),
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
        self.preview.setText(preview_text(ready))
        passed = ready.verdict.passed
        style.tone(self.preview, None if passed else Tone.ERROR)
        self.save_button.setEnabled(passed)

    def _store_org_unit(self) -> None:
        code = self.org_unit.text().strip()
        if code == publication.network_org_unit(self.desk)[0]:
            return
        try:
            publication.set_network_org_unit(self.desk, code)
        except ValidationError as error:
            prompts.show_error(self, error)
            self.org_unit.setText(publication.network_org_unit(self.desk)[0])
            return
        self.refresh()

    def _show_register(self) -> None:
        summary = publication_register.summary(self.desk)
        if summary is None or summary.publications == 0:
            self.register.setText(
                _(
                    "Register: nothing published yet. Every publication is protected together "
                    "with the ones before it."
                )
            )
            return
        self.register.setText(
            ngettext(
                "Register since {day}: {count} publication, {published} numbers published "
                "and {withheld} withheld; the next publication is protected together with "
                "them.",
                "Register since {day}: {count} publications, {published} numbers published "
                "and {withheld} withheld; the next publication is protected together with "
                "them.",
                summary.publications,
            ).format(
                day=i18n.format_date(clock.local_day(summary.started_at)),
                count=summary.publications,
                published=summary.published,
                withheld=summary.withheld,
            )
        )

    def open_register(self) -> None:
        prompts.wait_for(RegisterDialog(self.desk, self))
        self._show_register()
        self.refresh()

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

        progress = Progress()

        def work(replace: bool) -> list[Path]:
            if fmt is Format.DHIS2_METADATA:
                return publication.write(
                    desk, None, fmt, target, replace=replace, progress=progress
                )
            made = ready or publication.publish(
                desk, first, last, method=method, k=k, level=level, progress=progress
            )
            return publication.write(desk, made, fmt, target, replace=replace, progress=progress)

        def written(paths: list[Path]) -> None:
            self.preview.setText(
                _("Written: {paths}").format(paths=", ".join(str(p) for p in paths))
            )
            style.tone(self.preview, Tone.GOOD)
            self._show_register()

        tasks.run_replacing(self, work, written, progress=progress, title=_("Save the publication"))


def preview_text(ready: Publication) -> str:
    """What the coordinator reads before saving: what goes out, what is withheld and why,
    the information lost, and the audit's verdict."""
    cells = sum(len(g.group.cells) + int(g.element.has_total) for g in ready.groups)
    people = len(ready.told)  # the numbers about people, which the register keeps
    events = cells - people
    verdict = ready.verdict
    text = ngettext("{count} org unit, ", "{count} org units, ", len(ready.org_units)).format(
        count=len(ready.org_units)
    )
    text += ngettext("{count} month: ", "{count} months: ", len(ready.months)).format(
        count=len(ready.months)
    )
    if ready.method is Method.ROUND5:
        text += _(
            "{shown} numbers about people published (totals included), all rounded to a "
            "multiple of 5; {events} counts of events published exactly."
        ).format(shown=people, events=events)
    else:
        withheld = verdict.sensitive + verdict.complementary
        text += _(
            "{shown} numbers about people published (totals included), {withheld} withheld; "
            "{events} counts of events published exactly."
        ).format(shown=people - withheld, withheld=withheld, events=events)
        text += "\n" + _(
            "Withheld: {sensitive} small numbers, and {complementary} numbers to protect "
            "them (tables, totals and levels together)."
        ).format(sensitive=verdict.sensitive, complementary=verdict.complementary)
        whole = verdict.withheld_sum + verdict.published_sum
        share = 100 * verdict.withheld_sum / whole if whole else 0
        text += "\n" + _(
            "Information lost: the withheld numbers add up to {lost}, {share} of all the "
            "numbers about people."
        ).format(lost=verdict.withheld_sum, share=i18n.format_percent(share, 1))
    if verdict.passed:
        text += "\n" + _(
            "Audit passed: {count} numbers checked; given this publication and every earlier "
            "one in the register, none can be proven to be a small number."
        ).format(count=verdict.audited)
    else:
        text += "\n" + publication.refusal(ready)
    return text
