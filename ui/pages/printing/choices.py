"""What to print: the material, its language (and whether the service reviewed it), the
municipality whose help services it lists, the layout of a brochure and the service of a
referral slip. Only the choices that apply to the material chosen can be changed."""

from __future__ import annotations

from babel import Locale
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from app.domain.codes import ContactLanguage
from app.domain.directory import DirectoryEntry
from app.domain.intake import search_key
from app.domain.municipalities import sorted_for
from app.i18n import _, current_language
from app.services import brochure_content, brochure_reviews, directory
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintRequest, StartingChoice
from ui import style
from ui.style import Tone


def select(combo: QComboBox, value: object) -> None:
    """Choose the item of `combo` holding `value`, if it offers one."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for label, data in items:
        combo.addItem(label, data)
    return combo


def _narrow(combo: QComboBox) -> None:
    """Long names (of places, of services) do not widen the controls."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(18)


def _languages() -> list[tuple[str, object]]:
    items: list[tuple[str, object]] = []
    for code in brochure_content.available_languages():
        native = Locale.parse(code).get_display_name(code) or code
        items.append((f"{ContactLanguage(code).label} · {native}", code))
    return items


def _review_lines() -> tuple[QLabel, QCheckBox]:
    """The line saying the language was not reviewed yet, and the box to say it was."""
    unreviewed = QLabel(_("Not reviewed by the service yet"))
    style.tone(unreviewed, Tone.WARNING)
    # Hidden once reviewed, still taking its room: the rows under it stay where they are.
    policy = unreviewed.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    unreviewed.setSizePolicy(policy)
    reviewed = QCheckBox(_("Reviewed by the service"))
    reviewed.setToolTip(
        _("Coordinators: tick once someone of the service has checked this language.")
    )
    return unreviewed, reviewed


class MaterialChoices(QWidget):
    #: a choice changed: the preview is made again
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.material = _combo(
            _("Material"),
            [
                (_("Information brochure"), Material.BROCHURE),
                (_("Wallet card (useful numbers)"), Material.WALLET_CARD),
                (_("Referral slip"), Material.REFERRAL_SLIP),
            ],
        )
        self.language = _combo(_("Language of the material"), _languages())
        self.unreviewed, self.reviewed = _review_lines()
        places = [(p.name(current_language()), p.nis_code) for p in sorted_for(current_language())]
        self.municipality = _combo(
            _("Municipality of the help services"),
            [(_("Belgium (national services only)"), None), *places],
        )
        _narrow(self.municipality)
        self.layout_choice = _combo(
            _("Layout"),
            [(_("A4 pages"), Layout.A4), (_("A5 booklet (fold A4 sheets)"), Layout.A5_BOOKLET)],
        )
        self.partner = _combo(_("Service on the slip"), [])
        _narrow(self.partner)
        self.form = self._form()
        for combo in (
            self.material,
            self.language,
            self.municipality,
            self.layout_choice,
            self.partner,
        ):
            combo.currentIndexChanged.connect(self.changed)

    def _form(self) -> QFormLayout:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Material"), self.material)
        form.addRow(_("Language"), self.language)
        # Each across the whole width: beside the labels' column, they were cut at the
        # controls' width (in German).
        unreviewed_row = QHBoxLayout()  # a row of the form alone would go with the line
        unreviewed_row.addWidget(self.unreviewed)
        form.addRow(unreviewed_row)
        form.addRow(self.reviewed)
        form.addRow(_("Help services for"), self.municipality)
        form.addRow(_("Layout"), self.layout_choice)
        form.addRow(_("Service"), self.partner)
        return form

    def request(self) -> PrintRequest:
        return PrintRequest(
            material=Material(self.material.currentData()),
            language=str(self.language.currentData()),
            municipality=self.municipality.currentData(),
            layout=Layout(self.layout_choice.currentData()),
            partner=self.partner.currentData(),
        )

    def start_with(self, choice: StartingChoice) -> None:
        select(self.language, choice.language)
        select(self.municipality, choice.municipality)

    def set_partners(self, partners: list[tuple[str, str]], wanted: str | None) -> None:
        """The services a slip can be printed for (key, name); `wanted` chosen if listed,
        else the one chosen before."""
        wanted = wanted or self.partner.currentData()
        self.partner.blockSignals(True)
        self.partner.clear()
        for key, name in partners:
            self.partner.addItem(name, key)
        select(self.partner, wanted)
        self.partner.blockSignals(False)

    def show_state(self, reviewed_languages: set[str]) -> None:
        """Only the choices of this material open; whether its language was reviewed."""
        material = Material(self.material.currentData())
        self.layout_choice.setEnabled(material is Material.BROCHURE)
        self.municipality.setEnabled(material is not Material.REFERRAL_SLIP)
        self.partner.setEnabled(material is Material.REFERRAL_SLIP)
        reviewed = str(self.language.currentData()) in reviewed_languages
        self.unreviewed.setVisible(not reviewed)
        self.reviewed.blockSignals(True)
        self.reviewed.setChecked(reviewed)
        self.reviewed.blockSignals(False)


def desk_choices(desk: OpenDesk) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """The services a slip can be printed for (by name), and the reviewed languages."""
    language = current_language()
    entries = [e for e in directory.all_entries(desk) if not e.retired]
    partners = sorted(
        ((e.key, _partner(e, language)) for e in entries), key=lambda p: search_key(p[1])
    )
    return partners, brochure_reviews.reviewed_languages(desk)


def _partner(entry: DirectoryEntry, language: str) -> str:
    """The service's name, marked when its details are still to verify."""
    name = entry.name(language)
    # TRANSLATORS: a service in a list, whose details the directory marks "to verify".
    return _("{name} (to verify)").format(name=name) if entry.to_verify else name
