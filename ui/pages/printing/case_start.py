"""The language and municipality the material starts in: those of the case open on the case
page (read in the background), else the desk's. The same case shown again keeps what the
person chose since; an answer for a case no longer open is dropped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.errors import DeskLocked, HavreError
from app.services import printing
from app.services.open_desk import OpenDesk
from app.services.printing import StartingChoice
from ui import tasks


class CaseStart:
    def __init__(self, owner: QWidget, start_with: Callable[[StartingChoice], None]) -> None:
        self._owner = owner
        self._start_with = start_with
        self.desk: OpenDesk | None = None
        #: the case open on the case page (id, code), on which hand-outs are counted
        self.case: tuple[str, str] | None = None
        self._started_for: str | None = None  # the case whose language and place were chosen
        self._generation = 0

    def open_desk(self, desk: OpenDesk) -> None:
        self.desk = desk
        self._start_with(printing.starting_choice(desk))
        if self.case is not None:
            self._start_for_case(self.case[0])

    def set_case(self, case: tuple[str, str] | None) -> None:
        self.case = case
        desk = self.desk
        case_id = case[0] if case else None
        if desk is None or case_id == self._started_for:
            return
        if case_id is None:
            self._generation += 1
            self._started_for = None
            self._start_with(printing.starting_choice(desk))
        else:
            self._start_for_case(case_id)

    def clear(self) -> None:
        self.desk = None
        self.case = None
        self._started_for = None
        self._generation += 1

    def _start_for_case(self, case_id: str) -> None:
        desk = self.desk
        if desk is None:
            return
        self._started_for = case_id
        self._generation += 1
        generation = self._generation

        def chosen(choice: StartingChoice) -> None:
            if generation == self._generation:
                self._start_with(choice)

        def refused(error: BaseException) -> None:
            # A case purged meanwhile: the desk's language and place stay chosen.
            if not isinstance(error, HavreError) or isinstance(error, DeskLocked):
                tasks.report_failure(self._owner, error)

        tasks.run(
            self._owner,
            lambda: printing.starting_choice(desk, case_id),
            chosen,
            refused,
            busy_cursor=False,
        )
