"""A person at the screen: finds inputs and buttons by what a screen reader calls them (or
the text they show) and uses them with the mouse and the keyboard, so the UI tests act as
people do and never reach into a page's attributes."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.widgets.dates import DateField
from ui.widgets.typed_input import part_of_another_input


def _name(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    return ""


def _columns(model: QAbstractItemModel) -> int:
    # A list's model (a QListWidget's) keeps its column count to itself: it has one.
    return 1 if isinstance(model, QAbstractListModel) else model.columnCount()


class User:
    def __init__(self, qtbot: QtBot, screen: QWidget) -> None:
        self.qtbot = qtbot
        self.screen = screen

    def find(self, name: str, kind: type[QWidget] = QWidget) -> QWidget:
        """The one widget in view called `name` (accessible name, or a button's text)."""
        called = [
            w
            for w in self.screen.findChildren(kind)
            if self._called(w, name) and not part_of_another_input(w)
        ]
        # A field made of inputs (a date that may be left out) bears the name of the input
        # in it too: the input is what a person uses.
        found = [w for w in called if not any(o is not w and w.isAncestorOf(o) for o in called)]
        assert len(found) == 1, f"{len(found)} widgets in view called {name!r}"
        return found[0]

    def sees(self, name: str, kind: type[QWidget] = QWidget) -> bool:
        return any(self._called(w, name) for w in self.screen.findChildren(kind))

    def _called(self, widget: QWidget, name: str) -> bool:
        return _name(widget) == name and widget.isVisibleTo(self.screen)

    def _scroll_to(self, widget: QWidget) -> None:
        """Scroll the form holding `widget` until it is in sight, as a person would before
        clicking it."""
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()

    def press(self, name: str) -> None:
        """Click the button called `name`; it must be there and enabled."""
        button = self.find(name, QAbstractButton)
        assert button.isEnabled(), f"{name!r} is disabled"
        self._scroll_to(button)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def keys(self, keys: str) -> None:
        """Press a key sequence ("Ctrl+S", "Delete") where the cursor is."""
        from PySide6.QtGui import QKeySequence

        combination = QKeySequence(keys)[0]
        focused = self.screen.focusWidget() or self.screen
        self.qtbot.keyClick(focused, combination.key(), combination.keyboardModifiers())

    def type(self, name: str, text: str) -> None:
        """Replace what the input called `name` holds by `text`, typed."""
        widget = self.find(name)
        edit = widget.line if isinstance(widget, DateField) else widget
        edit.setFocus()
        if isinstance(edit, QLineEdit):
            edit.selectAll()
            self.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
            # Typed key by key; text beyond ASCII as an input method would put it.
            if text.isascii():
                self.qtbot.keyClicks(edit, text)
            else:
                edit.insert(text)
            if isinstance(widget, DateField):
                self.qtbot.keyClick(edit, Qt.Key.Key_Tab)
        elif isinstance(edit, QPlainTextEdit):
            edit.selectAll()
            self.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
            edit.insertPlainText(text)
        elif isinstance(edit, QAbstractSpinBox):
            edit.selectAll()  # the number, not its unit
            self.qtbot.keyClicks(edit, text)
        else:
            raise AssertionError(f"{name!r} is no text input")

    def said(self) -> str:
        """Every line of text in view (labels, messages under the fields), one per line."""
        return "\n".join(
            label.text()
            for label in self.screen.findChildren(QLabel)
            if label.text() and label.isVisibleTo(self.screen)
        )

    def text(self, name: str) -> str:
        widget = self.find(name)
        if isinstance(widget, (QLineEdit, DateField)):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, (QAbstractSpinBox, QLabel)):
            return widget.text()
        raise AssertionError(f"{name!r} has no text")

    def choose(self, name: str, shown: str) -> None:
        """Pick `shown` in the drop-down list called `name`, with the keyboard."""
        combo = self.find(name, QComboBox)
        number = combo.findText(shown)
        assert number >= 0, f"{shown!r} is not offered in {name!r}"
        combo.setFocus()
        steps = number - combo.currentIndex()
        key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
        for _step in range(abs(steps)):
            self.qtbot.keyClick(combo, key)
        assert combo.currentIndex() == number

    def options(self, name: str) -> list[str]:
        """What the drop-down list called `name` offers, in its order."""
        combo = self.find(name, QComboBox)
        return [combo.itemText(number) for number in range(combo.count())]

    def tick(self, name: str, ticked: bool = True) -> None:
        box = self.find(name, QAbstractButton)
        self._scroll_to(box)
        if box.isChecked() != ticked:
            # On its box and words: a check box stretched wide takes no click beyond them.
            words = QPoint(min(box.width(), box.sizeHint().width()) // 2, box.height() // 2)
            self.qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=words)
        assert box.isChecked() == ticked

    def rows(self, table: str) -> list[list[str]]:
        """What the table called `table` shows, row by row, in the order shown."""
        view = self.find(table, QAbstractItemView)
        model = view.model()
        return [
            [str(model.index(r, c).data() or "") for c in range(_columns(model))]
            for r in range(model.rowCount())
        ]

    def selected(self, table: str) -> list[str]:
        """The row of `table` shown as chosen (empty if none is)."""
        view = self.find(table, QAbstractItemView)
        rows = view.selectionModel().selectedRows()
        if not rows:
            return []
        model = view.model()
        number = rows[0].row()
        return [str(model.index(number, c).data() or "") for c in range(model.columnCount())]

    def headers(self, table: str) -> list[str]:
        """The column headers of the table called `table`, as shown."""
        model = self.find(table, QAbstractItemView).model()
        return [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount())
        ]

    def click_row(self, table: str, text: str) -> None:
        """Click the first row of `table` with a cell showing `text`."""
        view = self.find(table, QAbstractItemView)
        model = view.model()
        for r in range(model.rowCount()):
            for c in range(_columns(model)):
                index = model.index(r, c)
                if index.data() == text:
                    view.scrollTo(index)
                    rect = view.visualRect(index)
                    self.qtbot.mouseClick(
                        view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
                    )
                    return
        raise AssertionError(f"no row of {table!r} shows {text!r}")

    def open_tab(self, title: str) -> None:
        """Click the tab called `title`."""
        for tabs in self.screen.findChildren(QTabWidget):
            bar = tabs.tabBar()
            for number in range(tabs.count()):
                if tabs.tabText(number).replace("&", "") == title and bar.isVisibleTo(self.screen):
                    self.qtbot.mouseClick(
                        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(number).center()
                    )
                    assert tabs.currentIndex() == number
                    return
        raise AssertionError(f"no tab called {title!r}")

    def tick_item(self, listing: str, text: str, ticked: bool = True) -> None:
        """Tick (or untick) the entry showing `text` in the list called `listing`, with the
        space bar, as the keyboard does."""
        view = self.find(listing, QListWidget)
        assert isinstance(view, QListWidget)
        (item,) = view.findItems(text, Qt.MatchFlag.MatchExactly)
        view.setCurrentItem(item)
        view.setFocus()
        if (item.checkState() == Qt.CheckState.Checked) != ticked:
            self.qtbot.keyClick(view, Qt.Key.Key_Space)
        assert (item.checkState() == Qt.CheckState.Checked) == ticked

    def click_header(self, table: str, column: int) -> None:
        view = self.find(table, QAbstractItemView)
        header = view.horizontalHeader()  # type: ignore[attr-defined]
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        self.qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
