"""Printed material for the visitor: the brochure, the wallet card or a referral slip, in the
visitor's language, for their municipality (those of the open case, else the desk's). The
preview shows the real pages; they are printed through the system's print dialog or saved as
a PDF. What is printed is counted as handed out (on the open case, or at desk level); a PDF
saved is counted only once marked as handed out, since saving gives nobody anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Role
from app.errors import DeskLocked, HavreError
from app.i18n import _, ngettext
from app.services import brochure_reviews, printing
from app.services.open_desk import OpenDesk
from app.services.printing import Material, PrintedMaterial, PrintRequest
from ui import pdf_pages, prompts, tasks
from ui.pages.base import Page
from ui.pages.printing.case_start import CaseStart
from ui.pages.printing.choices import MaterialChoices, desk_choices, select
from ui.pages.printing.pages_preview import PagesPreview
from ui.pages.printing.warning_line import OutcomeLine, WarningLine

PREVIEW_DPI = 96  # then scaled down to the width of the preview
PREVIEW_DELAY_MS = 150
CONTROLS_WIDTH = 430


class PrintingPage(Page):
    # A hand-out was counted on the open case: its timeline shows it without reopening it.
    case_handout_counted = Signal()

    def __init__(self) -> None:
        super().__init__("printing", _("Printed material"), printing.PRINT_ROLES)
        self.choices = MaterialChoices()
        self.choices.changed.connect(self._changed)
        self.choices.reviewed.toggled.connect(self._set_reviewed)
        self.start = CaseStart(self, self.choices.start_with)
        self.copies = QSpinBox()
        self.copies.setAccessibleName(_("Copies handed out"))
        self.copies.setRange(1, printing.MAX_COPIES)
        self.on_case = QCheckBox()
        self.on_case.setChecked(True)
        self.warning = WarningLine()
        self.outcome = OutcomeLine()
        self.print_button = _button(_("Print…"), self.print_material)
        self.print_button.setDefault(True)
        self.save_button = _button(_("Save as PDF…"), self.save_material)
        self.handed_out_button = _button(_("Mark as handed out"), self.mark_handed_out)
        self.handed_out_button.setToolTip(
            _("For copies handed out without printing them here (a saved PDF, a stock copy).")
        )
        self.preview = PagesPreview()
        layout = QHBoxLayout(self)
        layout.addWidget(self._controls())
        layout.addWidget(self.preview, 1)
        self._made: PrintedMaterial | None = None
        self._request: PrintRequest | None = None
        self._generation = 0
        self._reviewed_languages: set[str] = set()
        self._loaded = False  # the services and reviewed languages of the desk
        self._wanted_partner: str | None = None
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._make_preview)
        self._show_case()
        self._changed()  # nothing to print or save before the first preview

    def _controls(self) -> QWidget:
        copies_row = QHBoxLayout()
        copies_row.addWidget(self.copies)
        copies_row.addWidget(self.handed_out_button)
        copies_row.addStretch(1)
        self.choices.form.addRow(_("Copies"), copies_row)
        # Across the whole width, as the lines above: "Compter sur le dossier DEMO-2026-01…"
        self.choices.form.addRow(self.on_case)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        note = QLabel(
            _(
                "Nothing about the person is ever printed. Copies printed are counted in the "
                "monthly figures; a saved PDF only once marked as handed out."
            )
        )
        note.setWordWrap(True)
        box = QWidget()
        controls = QVBoxLayout(box)
        controls.addWidget(self.choices)
        controls.addLayout(buttons)
        controls.addWidget(self.warning)
        controls.addWidget(self.outcome)
        controls.addWidget(note)
        controls.addStretch(1)
        # One width whatever the messages say: the controls and the preview never shift.
        box.setFixedWidth(CONTROLS_WIDTH)
        return box

    # -- desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.choices.reviewed.setVisible(desk.user.has(Role.COORDINATOR))
        self.start.open_desk(desk)
        if self.isVisible():
            self._load()

    def shown(self) -> None:
        # The directory or the reviewed languages may have changed since the last time.
        self._load()

    def _load(self) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: desk_choices(desk), self._choices_loaded, busy_cursor=False)

    def _choices_loaded(self, choices: tuple[list[tuple[str, str]], frozenset[str]]) -> None:
        partners, reviewed = choices
        self._reviewed_languages = set(reviewed)
        self.choices.set_partners(partners, self._wanted_partner)
        self._wanted_partner = None
        self._loaded = True
        self._changed()

    def set_case(self, case: tuple[str, str] | None) -> None:
        """The case open on the case page (id, code), on which hand-outs are counted: the
        material starts in its language, for its municipality (the desk's once none is open).
        The same case shown again (after a save) keeps what the person chose since."""
        self.start.set_case(case)
        self._show_case()

    def choose_partner(self, key: str) -> None:
        """From the directory: a referral slip for this service."""
        self._wanted_partner = key  # the list may still be loading
        select(self.choices.material, Material.REFERRAL_SLIP)
        select(self.choices.partner, key)

    def clear(self) -> None:
        super().clear()
        self._generation += 1
        self._made = None
        self._request = None
        self.start.clear()
        self._reviewed_languages = set()
        self._loaded = False
        self._wanted_partner = None
        self.choices.partner.clear()
        self.preview.show_pages([])
        self._show_case()

    # -- preview ------------------------------------------------------------------------

    def _changed(self) -> None:
        self.choices.show_state(self._reviewed_languages)
        self.outcome.setText("")  # it was about the material shown before
        for button in (self.print_button, self.save_button, self.handed_out_button):
            button.setEnabled(False)
        if self.desk is not None and self._loaded:
            self._timer.start()

    def _make_preview(self) -> None:
        desk = self.desk
        if desk is None:
            return
        request = self.choices.request()
        self._generation += 1
        generation = self._generation

        def make() -> tuple[PrintedMaterial, list[QPixmap]]:
            made = printing.make_for_desk(desk, request)
            return made, [
                QPixmap.fromImage(i) for i in pdf_pages.page_images(made.pdf, PREVIEW_DPI)
            ]

        def shown(result: tuple[PrintedMaterial, list[QPixmap]]) -> None:
            if generation == self._generation:
                self._made, self._request = result[0], request
                self.preview.show_pages(result[1])
                self.warning.show_to_verify(result[0])
                for button in (self.print_button, self.save_button, self.handed_out_button):
                    button.setEnabled(True)

        def refused(error: BaseException) -> None:
            if generation != self._generation:
                return
            if not isinstance(error, HavreError) or isinstance(error, DeskLocked):
                tasks.report_failure(self, error)
                return
            self._made = None
            self.preview.show_pages([])
            self.warning.setText(str(error))

        tasks.run(self, make, shown, refused, busy_cursor=False)

    def _show_case(self) -> None:
        case = self.start.case
        if case is None:
            self.on_case.setText(_("Counted at desk level (no case open)"))
            self.on_case.setEnabled(False)
        else:
            self.on_case.setText(_("Count on case {code}").format(code=case[1]))
            self.on_case.setEnabled(True)

    # -- print, save, count -------------------------------------------------------------

    def print_material(self) -> None:
        made, request = self._made, self._request
        if made is None or request is None:
            return
        printer = prompts.choose_printer(
            self, _("Print the material"), pdf_pages.page_layout(made.pdf)
        )
        if printer is None:
            return
        try:
            pdf_pages.print_pdf(printer, made.pdf)
        except HavreError as error:
            prompts.show_error(self, error)
            return
        self._count(request)

    def save_material(self) -> None:
        """Only saved: nobody has been given anything yet (it is counted once marked)."""
        made, request = self._made, self._request
        if made is None or request is None:
            return
        name = f"{request.material.value}-{request.language}.pdf"
        path = prompts.choose_file_to_save(
            self, _("Save as PDF"), Path.home() / name, _("PDF documents (*.pdf)")
        )
        if path is None:
            return
        saved = _("Saved as {name}. Not counted: press “Mark as handed out” once given.").format(
            name=path.name
        )
        tasks.run_replacing(
            self,
            lambda replace: printing.save_pdf(made.pdf, path, replace=replace),
            lambda _r: self.outcome.setText(saved),
        )

    def mark_handed_out(self) -> None:
        if self._request is not None:
            self._count(self._request)

    def _count(self, request: PrintRequest) -> None:
        desk, case = self.desk, self.start.case
        if desk is None:
            return
        case_id = case[0] if case and self.on_case.isChecked() else None
        copies = self.copies.value()

        def counted(_recorded: object) -> None:
            self.outcome.setText(
                ngettext(
                    "Counted: {count} copy handed out.",
                    "Counted: {count} copies handed out.",
                    copies,
                ).format(count=copies)
            )
            if case_id is not None:
                self.case_handout_counted.emit()

        tasks.run(self, lambda: printing.record_handout(desk, request, copies, case_id), counted)

    def _set_reviewed(self, reviewed: bool) -> None:
        desk = self.desk
        if desk is None:
            return
        language = str(self.choices.language.currentData())

        def done(languages: frozenset[str]) -> None:
            self._reviewed_languages = set(languages)
            self._changed()

        tasks.run(self, lambda: brochure_reviews.set_reviewed(desk, language, reviewed), done)


def _button(text: str, action: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(action)
    return button
