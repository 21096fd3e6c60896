"""One person's screen state never shows to the next (issue 20, point 7): driven in the real
window, a counsellor's municipality filter and a case search appeared for the coordinator.

Two colleagues with every role: bea signs in and the state of every input of every page is
noted; ava signs in, types in every field, chooses in every list, ticks every box, selects
and scrolls, then locks; bea signs in again and finds every page as she first did."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import accounts, auth
from tests.conftest import ADMIN_PASSWORD, DeskFixture
from tests.ui.conftest import lock, sign_in
from ui import tasks
from ui.main_window import MainWindow
from ui.widgets.typed_input import part_of_another_input

PASSWORD = "lantern harbour willow 58"
EVERY_ROLE = frozenset(Role)


@pytest.fixture
def colleagues(desk: DeskFixture) -> Iterator[None]:
    admin = desk.unlock()
    try:
        for name in ("ava", "bea"):
            accounts.add_user(admin, NewAccount(name, name.title(), EVERY_ROLE, ADMIN_PASSWORD))
            own = auth.unlock(desk.database, name, ADMIN_PASSWORD)
            accounts.change_own_password(own, ADMIN_PASSWORD, PASSWORD)
            own.close()
    finally:
        admin.close()
    yield


def inputs(window: MainWindow) -> list[tuple[str, str, QWidget]]:
    """Every input of every page, named by its page, its kind and its place (the widgets
    live as long as the window, so the same place is the same widget)."""
    found = []
    for page in window.workspace.pages:
        for widget in page.findChildren(QWidget):
            if not part_of_another_input(widget):
                name = widget.accessibleName() or widget.objectName()
                found.append((page.key, f"{type(widget).__name__} {name} #{id(widget)}", widget))
    return found


def state_of(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString("yyyy-MM-dd HH:mm")
    if isinstance(widget, QTabWidget):
        return widget.currentIndex()
    if isinstance(widget, QAbstractItemView):
        return (
            len(widget.selectionModel().selectedIndexes()) if widget.selectionModel() else 0,
            widget.verticalScrollBar().value(),
        )
    if isinstance(widget, QAbstractScrollArea):
        return widget.verticalScrollBar().value()
    return None


def screen(qtbot: QtBot, window: MainWindow) -> dict[tuple[str, str], object]:
    """The state of every input once the pages have loaded what they show (in the
    background: a list selects its first row when its rows arrive)."""
    for _round in range(3):
        tasks.wait_for_all()
        qtbot.wait(20)
    return {
        (key, place): state
        for key, place, widget in inputs(window)
        if (state := state_of(widget)) is not None
    }


def use_everything(window: MainWindow) -> None:
    """What ava leaves behind: something in every input a person can change."""
    # harness: every input of every page, set directly: typing into hundreds of them would
    # prove no more, only slower.
    for _key, _place, widget in inputs(window):
        if not widget.isEnabled():
            continue
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            widget.setText("Schaerbeek")
        elif isinstance(widget, QPlainTextEdit) and not widget.isReadOnly():
            widget.setPlainText("ava was here")
        elif isinstance(widget, QComboBox) and widget.count() > 1:
            widget.setCurrentIndex(widget.count() - 1)
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            widget.setChecked(not widget.isChecked())
        elif isinstance(widget, QDateTimeEdit):
            widget.setDateTime(widget.dateTime().addDays(-3))
        elif isinstance(widget, QTabWidget) and widget.count() > 1:
            widget.setCurrentIndex(widget.count() - 1)
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            if widget.model().rowCount() > 0:
                widget.selectRow(0) if hasattr(widget, "selectRow") else None
            widget.verticalScrollBar().setValue(widget.verticalScrollBar().maximum())


def test_the_next_person_finds_every_page_as_it_first_was(
    qtbot: QtBot, window: MainWindow, colleagues: None
) -> None:
    sign_in(qtbot, window, "bea", PASSWORD)
    first = screen(qtbot, window)
    lock(qtbot, window)
    sign_in(qtbot, window, "ava", PASSWORD)
    use_everything(window)
    assert screen(qtbot, window) != first  # ava did leave something behind
    lock(qtbot, window)
    sign_in(qtbot, window, "bea", PASSWORD)

    again = screen(qtbot, window)
    left = {
        place: (state, again[place])
        for place, state in first.items()
        if place in again and again[place] != state
    }
    assert left == {}
