"""The record model behind every record editor: a proper Qt model (qtmodeltester), raw
values to sort by, numbers aligned right, the whole text as a tooltip, rows found by id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt

from ui.models.record_model import Column, RecordModel, SortRole


@dataclass(frozen=True)
class _Agreement:
    id: str
    partner: str
    ends: date
    meetings: int


def _model() -> RecordModel[_Agreement]:
    model = RecordModel(
        [
            Column("Partner", lambda a: a.partner, explained="Who signed"),
            Column("Ends", lambda a: a.ends.strftime("%d/%m/%Y"), sort=lambda a: a.ends),
            Column("Meetings", lambda a: str(a.meetings), lambda a: a.meetings, number=True),
        ],
        lambda a: a.id,
    )
    model.set_rows(
        [
            _Agreement("a", "GREOVA", date(2027, 1, 31), 12),
            _Agreement("b", "Ávila", date(2026, 12, 1), 3),
        ]
    )
    return model


def test_the_record_model_is_a_proper_qt_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(_model())


def test_columns_show_text_and_sort_by_their_raw_value() -> None:
    model = _model()
    assert model.data(model.index(0, 1)) == "31/01/2027"
    assert model.data(model.index(0, 1), SortRole) == date(2027, 1, 31).toordinal()
    assert model.data(model.index(1, 0), SortRole) == "ávila"  # without case
    assert model.data(model.index(1, 2), SortRole) == 3
    right = model.data(model.index(1, 2), Qt.ItemDataRole.TextAlignmentRole)
    assert right == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert model.data(model.index(1, 0), Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "GREOVA"
    assert (
        model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Who signed"
    )


def test_a_record_is_found_by_its_id() -> None:
    model = _model()
    assert model.number_of("b") == 1 and model.number_of("zz") is None
    assert model.id_of(model.row(0)) == "a"


def test_a_date_column_sorts_by_date() -> None:
    """Found on the housing tab: Qt held a Python date as an object it cannot order, and a
    click on the header left the rows as they were."""
    model = _model()
    model.set_rows(
        [
            _Agreement("a", "A", date(2026, 10, 28), 1),
            _Agreement("b", "B", date(2026, 11, 5), 1),
            _Agreement("c", "C", date(2026, 1, 1), 1),
        ]
    )
    ordered = QSortFilterProxyModel()
    ordered.setSourceModel(model)
    ordered.setSortRole(SortRole)
    ordered.sort(1, Qt.SortOrder.DescendingOrder)
    shown = [ordered.index(row, 0).data() for row in range(ordered.rowCount())]
    assert shown == ["B", "A", "C"]
