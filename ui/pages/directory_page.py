"""Directory: find the partner service to refer someone to while typing, with filters, and
its details (phone to copy, hours, languages, address unless confidential, source). For the
coordinator and the admin, the upkeep of the directory and its signed packs."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.areas import PROVINCE_LABELS, REGION_LABELS
from app.domain.codes import ContactLanguage, ServiceType
from app.domain.directory import (
    SPOKEN,
    DirectoryEntry,
    DirectoryQuery,
    DirectoryResults,
    Verification,
    day_slots_text,
    dialable,
)
from app.domain.municipalities import municipality, sorted_for
from app.domain.phone_format import belgian_display, belgian_numbers_in
from app.errors import ValidationError
from app.i18n import _, current_language, format_date, ngettext, weekday_names
from app.progress import Progress
from app.services import directory, directory_packs
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import clipboard_care, key_trust, prompts, style, tasks
from ui.dialogs.directory_entry_dialog import DirectoryEntryDialog
from ui.dialogs.pack_preview_dialog import PackPreviewDialog
from ui.models.directory_model import DirectoryModel
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.tables import ColumnsByPriority

SEARCH_DELAY_MS = 120
NAME_LETTERS = 38
KIND_WIDTH = 170
MUNICIPALITY_LETTERS = 26  # "Saint-Gilles / Sint-Gillis", whole
PACK_FILTER = "*" + directory_packs.PACK_SUFFIX


class DirectoryPage(Page):
    #: record a referral to this service on the case that is open
    refer = Signal(object)
    #: print a referral slip for this service (its directory key)
    print_slip = Signal(str)

    def __init__(self) -> None:
        super().__init__("directory", _("Directory"), directory.SEARCH_ROLES)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Service, need or keyword, in any language"))
        self.search.setAccessibleName(_("Search the directory"))
        self.search.setClearButtonEnabled(True)
        self.kind = CodeCombo(ServiceType, _("Kind of service"), empty_label=_("Any kind"))
        self.serving = QComboBox()
        self.serving.setAccessibleName(_("Municipality served"))
        self.serving.addItem(_("Any municipality"), None)
        for place in sorted_for(current_language()):
            self.serving.addItem(place.name(current_language()), place.nis_code)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language spoken"))
        self.language.addItem(_("Any language"), None)
        for code in SPOKEN:
            self.language.addItem(ContactLanguage(code).label, code)
        for combo in (self.kind, self.serving, self.language):
            # Sized to a short text, not the longest name in the list (which opens wide).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        # A Brussels municipality is named in both languages ("Schaerbeek / Schaarbeek"):
        # room for such a name once chosen, the row's width for the longest ones.
        self.serving.setMinimumContentsLength(MUNICIPALITY_LETTERS)
        self.open_now = QCheckBox(_("Open now"))
        self.always_open = QCheckBox(_("24/7 only"))
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of services found"))

        self.model = DirectoryModel(self._fetch_more, self.refresh)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Services found"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # The name is what people read: it keeps room for about 38 letters (whole names
        # wrap onto a second line) and the other columns give way, the least needed first.
        self.columns = ColumnsByPriority(
            self.table,
            DirectoryModel.NAME,
            self.table.fontMetrics().averageCharWidth() * NAME_LETTERS,
            (DirectoryModel.PHONE, DirectoryModel.OPEN, DirectoryModel.KIND, DirectoryModel.NOTE),
            widest=KIND_WIDTH,
        )
        # Best first until a column is clicked; a third click on it gives that order back.
        header = self.table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.details = QLabel(_("Choose a service to see its details."))
        self.details.setWordWrap(True)
        self.details.setOpenExternalLinks(False)
        self.details.setAccessibleName(_("Details of the service"))
        self.details.setMinimumWidth(320)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.copy_button = QPushButton(_("Copy the number"))
        self.copy_button.clicked.connect(self.copy_number)
        self.refer_button = QPushButton(_("Record a referral on the open case…"))
        self.refer_button.clicked.connect(self._refer)
        self.slip_button = QPushButton(_("Print a referral slip…"))
        self.slip_button.clicked.connect(self._print_slip)
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.addWidget(self.details, 1)
        details_layout.addWidget(self.copy_button)
        details_layout.addWidget(self.refer_button)
        details_layout.addWidget(self.slip_button)

        # Upkeep (coordinator, admin): the entries on one row, the packs on the next, so that
        # the page stays as narrow as the others in every language.
        self.upkeep = QWidget()
        self.new_button = QPushButton(_("New entry…"))
        self.edit_button = QPushButton(_("Edit…"))
        # TRANSLATORS: a button: the entry is no longer offered, but kept and can be restored.
        self.retire_button = QPushButton(_("Retire"))
        self.verify_button = QPushButton(_("Mark verified today"))
        self.export_button = QPushButton(_("Export a pack…"))
        self.import_button = QPushButton(_("Import a pack…"))
        self.trust_button = QPushButton(_("Trust a key file…"))
        self.show_retired = QCheckBox(_("Show retired entries"))
        self.show_retired.toggled.connect(self.refresh)
        entry_row, pack_row = QHBoxLayout(), QHBoxLayout()
        for row, buttons in (
            (
                entry_row,
                (
                    (self.new_button, self.new_entry),
                    (self.edit_button, self.edit_entry),
                    (self.retire_button, self.retire_entry),
                    (self.verify_button, self.mark_verified),
                ),
            ),
            (
                pack_row,
                (
                    (self.export_button, self.export_pack),
                    (self.import_button, self.import_pack),
                    (self.trust_button, self.trust_key),
                ),
            ),
        ):
            for button, action in buttons:
                button.clicked.connect(action)
                row.addWidget(button)
            row.addStretch()
        entry_row.addWidget(self.show_retired)
        upkeep_layout = QVBoxLayout(self.upkeep)
        upkeep_layout.setContentsMargins(0, 0, 0, 0)
        upkeep_layout.addLayout(entry_row)
        upkeep_layout.addLayout(pack_row)

        filters = QHBoxLayout()
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.serving, 2)
        filters.addWidget(self.language)
        # The boxes to tick beside the count: the lists keep the filters' row to themselves.
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.open_now)
        count_row.addWidget(self.always_open)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(details_box)
        # The list takes what a wide window adds: the details read well at their least width.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addLayout(count_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.upkeep)

        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._delay.start)
        self.search.returnPressed.connect(self._first)
        for combo in (self.kind, self.serving, self.language):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.open_now, self.always_open):
            box.toggled.connect(self.refresh)
        self._show_entry(None)

    # -- search -------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        upkeep = desk.user.has_any(directory.UPKEEP_ROLES)
        self.upkeep.setVisible(upkeep)
        self.refer_button.setVisible(desk.user.has_any(CASE_ROLES))
        self.refresh()

    def query(self) -> DirectoryQuery:
        return DirectoryQuery(
            text=self.search.text(),
            service_type=self.kind.value(),
            municipality=self.serving.currentData(),
            language=self.language.currentData(),
            open_now=self.open_now.isChecked(),
            always_open_only=self.always_open.isChecked(),
            include_retired=self.show_retired.isChecked(),
        )

    def refresh(self) -> None:
        desk = self.desk
        if desk is None:
            return
        query = self.query()
        limit = directory.ALL if self.model.sorted_on_a_column else directory.SHOWN
        tasks.run(
            self, lambda: directory.search(desk, query, limit=limit), self._show, busy_cursor=False
        )

    def _show(self, results: DirectoryResults) -> None:
        if self.desk is None:
            return
        shown = self.selected()
        self.model.set_hits(results.hits, results.total)
        if results.more:
            text = _("More than {count} services").format(count=results.total)
        elif results.places:
            # Said, so that a service without the typed word in its name is no surprise.
            places = ", ".join(municipality(nis).name(current_language()) for nis in results.places)
            text = ngettext(
                "{count} service serving {places}",
                "{count} services serving {places}",
                results.total,
            ).format(count=results.total, places=places)
        else:
            text = ngettext("{count} service", "{count} services", results.total).format(
                count=results.total
            )
        self.count.setText(text)
        keys_shown = [hit.entry.key for hit in results.hits]
        if shown is not None and shown.key in keys_shown:
            self.table.selectRow(keys_shown.index(shown.key))
        elif results.hits:
            self.table.selectRow(0)
        else:
            self._show_entry(None)

    def _fetch_more(self, offset: int) -> None:
        desk = self.desk
        if desk is None:
            return
        query, generation = self.query(), self.model.generation
        tasks.run(
            self,
            lambda: directory.search(desk, query, offset=offset),
            lambda results: self.model.add_hits(generation, offset, results.hits),
            busy_cursor=False,
        )

    def _first(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def selected(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_entry(self.selected())

    # -- details ------------------------------------------------------------------------

    def _show_entry(self, entry: DirectoryEntry | None) -> None:
        for button in (
            self.copy_button,
            self.refer_button,
            self.edit_button,
            self.slip_button,
            self.retire_button,
            self.verify_button,
        ):
            button.setEnabled(entry is not None)
        if entry is None:
            self.details.setText(_("Choose a service to see its details."))
            return
        self.copy_button.setEnabled(bool(entry.phone))
        self.slip_button.setEnabled(not entry.retired)
        self.retire_button.setText(_("Restore") if entry.retired else _("Retire"))
        self.details.setText(details_html(entry))

    def copy_number(self) -> None:
        entry = self.selected()
        if entry is not None and entry.phone:
            clipboard_care.care().copy(dialable(entry.phone))
            self.count.setText(
                _("Number copied: {phone} (cleared from the clipboard in 30 seconds)").format(
                    phone=belgian_display(entry.phone)
                )
            )

    def _refer(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.refer.emit(entry)

    def _print_slip(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.print_slip.emit(entry.key)

    # -- upkeep -------------------------------------------------------------------------

    def new_entry(self) -> None:
        self._edit(None)

    def edit_entry(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._edit(entry)

    def _edit(self, entry: DirectoryEntry | None) -> None:
        desk = self.desk
        if desk is None:
            return
        dialog = DirectoryEntryDialog(
            entry, lambda e: directory.save(desk, e, is_new=entry is None), self
        )
        dialog.accepted.connect(self.refresh)
        self.open_dialog(dialog)

    def reopen_dialog(self, draft: dict[str, Any]) -> None:
        desk, context = self.desk, draft.get("context")
        key = context.get("entry_key") if isinstance(context, dict) else None
        if desk is None:
            return
        if not isinstance(key, str):
            self.reopen(draft, {DirectoryEntryDialog.draft_kind: self.new_entry})
            return
        tasks.run(
            self,
            lambda: directory.entry(desk, key),
            lambda entry: self.reopen(
                draft, {DirectoryEntryDialog.draft_kind: lambda: self._edit(entry)}
            ),
        )

    def retire_entry(self) -> None:
        """Retire the selected entry, or restore it when it is retired (the undo)."""
        desk, entry = self.desk, self.selected()
        if desk is None or entry is None:
            return
        if not entry.retired:
            question = _("Retire {name}? It will no longer be found or printed.").format(
                name=entry.name(current_language())
            )
            if not prompts.confirm(self, question, _("Retire")):
                return
        retired = not entry.retired
        tasks.run(
            self, lambda: directory.retire(desk, entry.key, retired), lambda _e: self.refresh()
        )

    def mark_verified(self) -> None:
        desk, entry = self.desk, self.selected()
        if desk is not None and entry is not None:
            tasks.run(
                self, lambda: directory.mark_verified(desk, entry.key), lambda _e: self.refresh()
            )

    def export_pack(self) -> None:
        desk = self.desk
        if desk is None:
            return
        path = prompts.choose_file_to_save(
            self,
            _("Export a directory pack"),
            Path.home() / f"directory{directory_packs.PACK_SUFFIX}",
            _("Directory packs ({pattern})").format(pattern=PACK_FILTER),
        )
        if path is None:
            return
        tasks.run_replacing(
            self,
            lambda replace: directory_packs.export_pack(desk, path, replace=replace),
            lambda pack: prompts.show_info(
                self,
                _("Directory pack version {version} written: {path} ({count} entries).").format(
                    version=pack.version, path=path, count=len(pack.entries)
                ),
            ),
        )

    def import_pack(self) -> None:
        desk = self.desk
        if desk is None:
            return
        path = prompts.choose_file_to_open(
            self,
            _("Import a directory pack"),
            Path.home(),
            _("Directory packs ({pattern})").format(pattern=PACK_FILTER),
        )
        if path is not None:
            self.read_pack(path)

    def read_pack(self, path: Path) -> None:
        desk = self.desk
        if desk is None:
            return
        progress = Progress()
        tasks.run(
            self,
            lambda: directory_packs.read_pack(desk, path, progress),
            self._preview,
            progress=progress,
            title=_("Import a directory pack"),
        )

    def _preview(self, preview: directory_packs.PackPreview) -> None:
        desk = self.desk
        if desk is None:
            return
        dialog = PackPreviewDialog(
            preview, lambda progress: directory_packs.apply_pack(desk, preview, progress), self
        )
        dialog.accepted.connect(self.refresh)
        dialog.open()

    def trust_key(self) -> None:
        if self.desk is not None:
            key_trust.choose_and_trust(self, self.desk, lambda _info: None)

    def trust_key_file(self, path: Path) -> None:
        if self.desk is not None:
            key_trust.trust_key_file(self, self.desk, path, lambda _info: None)

    def clear(self) -> None:
        super().clear()
        self._delay.stop()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_hits(())
        self.search.clear()
        self.count.clear()
        self._show_entry(None)


def details_html(entry: DirectoryEntry) -> str:
    """What the details panel shows. The address of a confidential entry is never in it."""
    language = current_language()
    lines = [f"<h3>{escape(entry.name(language))}</h3>"]
    badge = entry.service_type.label
    if entry.verification is Verification.TO_VERIFY:
        warning = style.colour(Tone.WARNING).name()
        badge += f" · <b style='color:{warning}'>" + escape(_("TO VERIFY")) + "</b>"
    if entry.retired:
        badge += " · " + escape(_("retired"))
    lines.append(f"<p>{badge}</p>")
    if entry.description(language):
        lines.append(f"<p>{escape(belgian_numbers_in(entry.description(language)))}</p>")
    if entry.phone:
        lines.append(f"<p style='font-size:15pt'><b>{escape(belgian_display(entry.phone))}</b></p>")
    if entry.other_phones:
        others = ", ".join(belgian_display(phone) for phone in entry.other_phones)
        lines.append("<p>" + escape(_("Other numbers: {phones}").format(phones=others)) + "</p>")
    lines.append("<p>" + _hours_html(entry) + "</p>")
    if entry.languages:
        spoken = ", ".join(ContactLanguage(code).label for code in entry.languages)
        lines.append("<p>" + escape(_("Languages: {languages}").format(languages=spoken)) + "</p>")
    if entry.confidential_address:
        lines.append("<p><i>" + escape(_("Address confidential: never given out.")) + "</i></p>")
    elif entry.address:
        lines.append("<p>" + escape(_("Address: {address}").format(address=entry.address)) + "</p>")
    for label, value in ((_("Website"), entry.website), (_("E-mail"), entry.email)):
        if value:
            lines.append(f"<p>{escape(label)}: {escape(value)}</p>")
    lines.append("<p>" + escape(_("Area served: {area}").format(area=area_text(entry))) + "</p>")
    verified = format_date(entry.last_verified) if entry.last_verified else _("never")
    lines.append(
        "<p><small>"
        + escape(_("Last verified: {date}").format(date=verified))
        + "<br>"
        + escape(_("Source: {sources}").format(sources=" ; ".join(entry.sources) or "—"))
        + "</small></p>"
    )
    return "".join(lines)


def _hours_html(entry: DirectoryEntry) -> str:
    hours = entry.hours
    note = entry.hours_note.get(current_language()) or next(iter(entry.hours_note.values()), "")
    if hours.always_open:
        text = escape(_("Open day and night, every day (24/7)."))
    elif hours.unknown:
        text = escape(_("Opening hours not known."))
    else:
        days = weekday_names("abbreviated")
        text = "<br>".join(
            f"{escape(days[day])} {escape(day_slots_text(hours, day) or _('closed'))}"
            for day in range(7)
        )
    return text + (f"<br><i>{escape(belgian_numbers_in(note))}</i>" if note else "")


def area_text(entry: DirectoryEntry) -> str:
    area = entry.area
    parts = [_("the whole country")] if area.national else []
    parts += [_(REGION_LABELS[r]) for r in sorted(area.regions)]
    parts += [_(PROVINCE_LABELS[p]) for p in sorted(area.provinces)]
    names = []
    for nis in sorted(area.municipalities):
        try:
            names.append(municipality(nis).name(current_language()))
        except ValidationError:  # a municipality this Havre does not list by name
            names.append(nis)
    return ", ".join(parts + names)
