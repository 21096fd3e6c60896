"""Likely duplicates looked for while the person is typed: what is typed about them (a
pseudonym, a phone, an e-mail, an age, a municipality) is probed once typing pauses, the
cases found shown in the panel and written to the audit log once each."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.duplicates import DuplicateCandidate, DuplicateProbe
from app.domain.intake import IdentityForm, parse_age
from app.errors import DeskLocked, ValidationError
from app.services import intake
from app.services.open_desk import OpenDesk
from ui import tasks
from ui.pages.intake.intake_form_area import IntakeFormArea
from ui.widgets.duplicate_panel import DuplicatePanel


def probe_of(area: IntakeFormArea) -> DuplicateProbe | None:
    """What is typed about the person, or None for an anonymous contact."""
    if area.anonymous.isChecked():
        return None
    try:
        age = parse_age(area.person.age.text())
    except ValidationError:
        age = None  # reported at saving; a half-typed age compares as unknown
    who = area.fields.record(IdentityForm)
    return DuplicateProbe(
        pseudonym=who.pseudonym,
        phone=who.phone,
        email=who.email,
        age=age,
        municipality=area.person.municipality.value(),
    )


def duplicate_panel(area: IntakeFormArea, desk: Callable[[], OpenDesk | None]) -> DuplicatePanel:
    """The panel of the cases that may be the person typed in `area`, searched on the
    desk `desk` gives (none while locked)."""

    def find(probe: DuplicateProbe) -> list[DuplicateCandidate]:
        opened = desk()
        if opened is None:
            raise DeskLocked()
        return intake.likely_duplicates(opened, probe)

    def record(case_ids: list[str]) -> None:
        opened = desk()
        if opened is not None:
            tasks.run(
                panel,
                lambda: intake.record_duplicates_shown(opened, case_ids),
                lambda _result: None,
                busy_cursor=False,
            )

    panel = DuplicatePanel(find, record)

    def ask() -> None:
        panel.ask(probe_of(area))

    for edit in (
        area.identity.pseudonym,
        area.identity.phone,
        area.identity.email,
        area.person.age,
    ):
        edit.textEdited.connect(ask)
    area.person.municipality.activated.connect(ask)
    area.anonymous.toggled.connect(ask)
    return panel
