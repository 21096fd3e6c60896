"""A choice of calendar month, newest first, labelled in the language of the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.domain.periods import Month, months_between
from app.i18n import format_date


def month_label(month: Month) -> str:
    return format_date(month.first_day, "LLLL yyyy")


class MonthPicker(QComboBox):
    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)

    def set_months(self, first: Month, last: Month, chosen: Month | None = None) -> None:
        """Offer `first` to `last`, newest first, keeping the choice if it is still offered;
        the change is announced once."""
        keep = chosen or self.month()
        self.blockSignals(True)
        self.clear()
        for month in reversed(months_between(first, last)):
            self.addItem(month_label(month), str(month))
        self.setCurrentIndex(max(0, self.findData(str(keep)) if keep else 0))
        self.blockSignals(False)
        self.currentIndexChanged.emit(self.currentIndex())

    def month(self) -> Month | None:
        code = self.currentData()
        return Month.parse(code) if code else None
