"""Printed material for the visitor: the brochure, the wallet card or a referral slip, in the
visitor's language, for their municipality (those of the open case, else the desk's). The
preview shows the real pages; they are printed through the system's print dialog or saved as
a PDF. What is printed is counted as handed out (on the open case, or at desk level); a PDF
saved is counted only once marked as handed out, since saving gives nobody anything."""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import ContactLanguage
from app.domain.intake import search_key
from app.domain.municipalities import sorted_for
from app.domain.roles import Role
from app.errors import DeskLocked, HavreError
from app.i18n import _, current_language, ngettext
from app.services import brochure_content, brochure_reviews, directory, printing
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintedMaterial, PrintRequest
from ui import pdf_pages, prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone

PREVIEW_DPI = 96  # then scaled down to the width of the preview
PREVIEW_MARGIN = 16
PREVIEW_DELAY_MS = 150
CONTROLS_WIDTH = 430
WARNING_LINES = 4  # the longest message, in German, at the narrowest width of the controls


class PrintingPage(Page):
    # A hand-out was counted on the open case: its timeline shows it without reopening it.
    case_handout_counted = Signal()

    def __init__(self) -> None:
        super().__init__("printing", _("Printed material"), printing.PRINT_ROLES)
        self.material = QComboBox()
        self.material.setAccessibleName(_("Material"))
        for material, label in (
            (Material.BROCHURE, _("Information brochure")),
            (Material.WALLET_CARD, _("Wallet card (useful numbers)")),
            (Material.REFERRAL_SLIP, _("Referral slip")),
        ):
            self.material.addItem(label, material)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the material"))
        for code in brochure_content.available_languages():
            native = Locale.parse(code).get_display_name(code) or code
            self.language.addItem(f"{ContactLanguage(code).label} · {native}", code)
        self.unreviewed = QLabel(_("Not reviewed by the service yet"))
        style.tone(self.unreviewed, Tone.WARNING)
        self.reviewed = QCheckBox(_("Reviewed by the service"))
        self.reviewed.setToolTip(
            _("Coordinators: tick once someone of the service has checked this language.")
        )
        self.municipality = QComboBox()
        self.municipality.setAccessibleName(_("Municipality of the help services"))
        self.municipality.addItem(_("Belgium (national services only)"), None)
        for place in sorted_for(current_language()):
            self.municipality.addItem(place.name(current_language()), place.nis_code)
        self.municipality.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.municipality.setMinimumContentsLength(18)
        self.layout_choice = QComboBox()
        self.layout_choice.setAccessibleName(_("Layout"))
        self.layout_choice.addItem(_("A4 pages"), Layout.A4)
        self.layout_choice.addItem(_("A5 booklet (fold A4 sheets)"), Layout.A5_BOOKLET)
        self.partner = QComboBox()
        self.partner.setAccessibleName(_("Service on the slip"))
        self.partner.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.partner.setMinimumContentsLength(18)
        self.copies = QSpinBox()
        self.copies.setAccessibleName(_("Copies handed out"))
        self.copies.setRange(1, printing.MAX_COPIES)
        self.on_case = QCheckBox()
        self.on_case.setChecked(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        style.tone(self.warning, Tone.WARNING)
        # Room for its longest message, so that nothing under it moves as it changes.
        self.warning.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.warning.setFixedHeight(self.warning.fontMetrics().lineSpacing() * WARNING_LINES)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_material)
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save_material)
        self.handed_out_button = QPushButton(_("Mark as handed out"))
        self.handed_out_button.setToolTip(
            _("For copies handed out without printing them here (a saved PDF, a stock copy).")
        )
        self.handed_out_button.clicked.connect(self.mark_handed_out)

        # Hidden once reviewed, still taking its room: the rows under it stay where they are.
        policy = self.unreviewed.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.unreviewed.setSizePolicy(policy)
        form = QFormLayout()
        form.addRow(_("Material"), self.material)
        form.addRow(_("Language"), self.language)
        # Each across the whole width, as the box under the copies: side by side, or beside
        # the labels' column, they were cut at the controls' width (in German; "Compter sur
        # le dossier DEMO-2026-01…").
        unreviewed_row = QHBoxLayout()  # a row of the form alone would go with the line
        unreviewed_row.addWidget(self.unreviewed)
        form.addRow(unreviewed_row)
        form.addRow(self.reviewed)
        form.addRow(_("Help services for"), self.municipality)
        form.addRow(_("Layout"), self.layout_choice)
        form.addRow(_("Service"), self.partner)
        copies_row = QHBoxLayout()
        copies_row.addWidget(self.copies)
        copies_row.addWidget(self.handed_out_button)
        copies_row.addStretch(1)
        form.addRow(_("Copies"), copies_row)
        form.addRow(self.on_case)
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
        controls = QVBoxLayout()
        controls.addLayout(form)
        controls.addLayout(buttons)
        controls.addWidget(self.warning)
        controls.addWidget(note)
        controls.addStretch(1)
        controls_box = QWidget()
        controls_box.setLayout(controls)
        # One width whatever the messages say: the controls and the preview never shift.
        controls_box.setFixedWidth(CONTROLS_WIDTH)

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_layout.setSpacing(PREVIEW_MARGIN)
        # Never shorter than its pages (else the scroll area squeezes them over each other).
        self.pages_layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.preview = QScrollArea()
        self.preview.setWidget(self.pages)
        self.preview.setWidgetResizable(True)
        self.preview.setAccessibleName(_("Preview of the pages"))
        style.tone(self.preview, Tone.PAPER_DESK)
        layout = QHBoxLayout(self)
        layout.addWidget(controls_box)
        layout.addWidget(self.preview, 1)

        self._made: PrintedMaterial | None = None
        self._request: PrintRequest | None = None
        self._generation = 0
        self._case: tuple[str, str] | None = None
        self._started_for: str | None = None  # the case whose language and place were chosen
        self._start_generation = 0
        self._reviewed_languages: set[str] = set()
        self._loaded = False  # the services and reviewed languages of the desk
        self._wanted_partner: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._make_preview)
        for combo in (
            self.material,
            self.language,
            self.municipality,
            self.layout_choice,
            self.partner,
        ):
            combo.currentIndexChanged.connect(self._changed)
        self.reviewed.toggled.connect(self._set_reviewed)
        self._show_case()

    # -- desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.reviewed.setVisible(desk.user.has(Role.COORDINATOR))
        self._start_with(printing.starting_choice(desk))
        if self._case is not None:
            self._start_for_case(self._case[0])
        if self.isVisible():
            self._load()

    def shown(self) -> None:
        # The directory or the reviewed languages may have changed since the last time.
        self._load()

    def _load(self) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: _desk_choices(desk), self._choices_loaded, busy_cursor=False)

    def _choices_loaded(self, choices: tuple[list[tuple[str, str]], frozenset[str]]) -> None:
        partners, reviewed = choices
        self._reviewed_languages = set(reviewed)
        wanted = self._wanted_partner or self.partner.currentData()
        self.partner.blockSignals(True)
        self.partner.clear()
        for key, name in partners:
            self.partner.addItem(name, key)
        self._select(self.partner, wanted)
        self.partner.blockSignals(False)
        self._wanted_partner = None
        self._loaded = True
        self._changed()

    def set_case(self, case: tuple[str, str] | None) -> None:
        """The case open on the case page (id, code), on which hand-outs are counted: the
        material starts in its language, for its municipality (the desk's once none is open).
        The same case shown again (after a save) keeps what the person chose since."""
        self._case = case
        self._show_case()
        desk = self.desk
        case_id = case[0] if case else None
        if desk is None or case_id == self._started_for:
            return
        if case_id is None:
            self._start_generation += 1
            self._started_for = None
            self._start_with(printing.starting_choice(desk))
        else:
            self._start_for_case(case_id)

    def _start_for_case(self, case_id: str) -> None:
        desk = self.desk
        if desk is None:
            return
        self._started_for = case_id
        self._start_generation += 1
        generation = self._start_generation

        def chosen(choice: printing.StartingChoice) -> None:
            if generation == self._start_generation:
                self._start_with(choice)

        def refused(error: BaseException) -> None:
            # A case purged meanwhile: the desk's language and place stay chosen.
            if not isinstance(error, HavreError) or isinstance(error, DeskLocked):
                tasks.report_failure(self, error)

        tasks.run(
            self,
            lambda: printing.starting_choice(desk, case_id),
            chosen,
            refused,
            busy_cursor=False,
        )

    def _start_with(self, choice: printing.StartingChoice) -> None:
        self._select(self.language, choice.language)
        self._select(self.municipality, choice.municipality)

    def choose_partner(self, key: str) -> None:
        """From the directory: a referral slip for this service."""
        self._wanted_partner = key  # the list may still be loading
        self._select(self.material, Material.REFERRAL_SLIP)
        self._select(self.partner, key)

    def clear(self) -> None:
        super().clear()
        self._generation += 1
        self._made = None
        self._request = None
        self._case = None
        self._started_for = None
        self._start_generation += 1
        self._reviewed_languages = set()
        self._loaded = False
        self._wanted_partner = None
        self.partner.clear()
        self._show_pages([])
        self._show_case()

    # -- preview ------------------------------------------------------------------------

    def request(self) -> PrintRequest:
        return PrintRequest(
            material=Material(self.material.currentData()),
            language=str(self.language.currentData()),
            municipality=self.municipality.currentData(),
            layout=Layout(self.layout_choice.currentData()),
            partner=self.partner.currentData(),
        )

    def _changed(self) -> None:
        material = Material(self.material.currentData())
        self.layout_choice.setEnabled(material is Material.BROCHURE)
        self.municipality.setEnabled(material is not Material.REFERRAL_SLIP)
        self.partner.setEnabled(material is Material.REFERRAL_SLIP)
        reviewed = str(self.language.currentData()) in self._reviewed_languages
        self.unreviewed.setVisible(not reviewed)
        self.reviewed.blockSignals(True)
        self.reviewed.setChecked(reviewed)
        self.reviewed.blockSignals(False)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.handed_out_button.setEnabled(False)
        if self.desk is not None and self._loaded:
            self._timer.start()

    def _make_preview(self) -> None:
        desk = self.desk
        if desk is None:
            return
        request = self.request()
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
                self._show_pages(result[1])
                self._show_warning(result[0])
                self.print_button.setEnabled(True)
                self.save_button.setEnabled(True)
                self.handed_out_button.setEnabled(True)

        def refused(error: BaseException) -> None:
            if generation != self._generation:
                return
            if not isinstance(error, HavreError) or isinstance(error, DeskLocked):
                tasks.report_failure(self, error)
                return
            self._made = None
            self._show_pages([])
            self.warning.setText(str(error))

        tasks.run(self, make, shown, refused, busy_cursor=False)

    def _show_pages(self, pixmaps: list[QPixmap]) -> None:
        for old in self.pages.findChildren(QLabel):
            self.pages_layout.removeWidget(old)
            old.deleteLater()
        width = self.preview.viewport().width() - 2 * PREVIEW_MARGIN
        for pixmap in pixmaps:
            scaled = pixmap.scaledToWidth(
                min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation
            )
            page = QLabel()
            page.setPixmap(scaled)
            page.setFixedSize(scaled.size())
            style.tone(page, Tone.PAPER)
            self.pages_layout.addWidget(page)

    def _show_warning(self, made: PrintedMaterial) -> None:
        self.warning.setToolTip("\n".join(made.to_verify))
        if not made.to_verify:
            self.warning.setText("")
            return
        self.warning.setText(
            ngettext(
                "{count} service printed is marked “to verify” in the directory (point here "
                "to see it): check its number before handing out.",
                "{count} services printed are marked “to verify” in the directory (point "
                "here to see them): check their numbers before handing out.",
                len(made.to_verify),
            ).format(count=len(made.to_verify))
        )

    def _show_case(self) -> None:
        if self._case is None:
            self.on_case.setText(_("Counted at desk level (no case open)"))
            self.on_case.setEnabled(False)
        else:
            self.on_case.setText(_("Count on case {code}").format(code=self._case[1]))
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
            lambda _r: self.warning.setText(saved),
        )

    def mark_handed_out(self) -> None:
        if self._request is not None:
            self._count(self._request)

    def _count(self, request: PrintRequest) -> None:
        desk = self.desk
        if desk is None:
            return
        case_id = self._case[0] if self._case and self.on_case.isChecked() else None
        copies = self.copies.value()

        def counted(_recorded: object) -> None:
            self.warning.setText(
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
        language = str(self.language.currentData())

        def done(languages: frozenset[str]) -> None:
            self._reviewed_languages = set(languages)
            self._changed()

        tasks.run(self, lambda: brochure_reviews.set_reviewed(desk, language, reviewed), done)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)


def _desk_choices(desk: OpenDesk) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """The services a slip can be printed for (by name), and the reviewed languages."""
    language = current_language()
    entries = [e for e in directory.all_entries(desk) if not e.retired]
    partners = sorted(((e.key, e.name(language)) for e in entries), key=lambda p: search_key(p[1]))
    return partners, brochure_reviews.reviewed_languages(desk)
