"""The numbers of one desk for one month: every cell of every data element, zeros included.

`checked_values` is the gate for numbers that come from a file: exactly the elements and
cells of this schema, whole numbers within bounds, or a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.indicators import BY_CODE, ELEMENTS, SCHEMA_VERSION, DataElement, combo_code
from app.domain.periods import Month

# Far above any desk's month; a bigger number is a damaged or forged file.
MAX_VALUE = 10_000_000

Values = dict[str, dict[str, int]]


def empty_values() -> Values:
    return {element.code: dict.fromkeys(element.combo_codes, 0) for element in ELEMENTS}


@dataclass(frozen=True)
class MonthlyCounts:
    desk_code: str
    desk_name: str
    nis_code: str
    period: Month
    values: Values

    def value(self, element: DataElement, *options: str) -> int:
        return self.values[element.code][combo_code(options)]

    def total(self, element: DataElement) -> int:
        return sum(self.values[element.code].values())

    @property
    def is_empty(self) -> bool:
        return not any(any(cells.values()) for cells in self.values.values())


def checked_values(raw: Any, schema: int = SCHEMA_VERSION) -> Values:
    """The values of a file, or ValueError when they are not exactly the cells of its
    `schema`; the cells a later schema added are zero in a file of an earlier one."""
    if not isinstance(raw, dict) or set(raw) != set(BY_CODE):
        raise ValueError("data elements differ from the schema")
    values: Values = {}
    for code, cells in raw.items():
        element = BY_CODE[code]
        if not isinstance(cells, dict) or set(cells) != set(element.combo_codes_of_schema(schema)):
            raise ValueError(f"cells of {code} differ from the schema")
        for value in cells.values():
            # bool is an int in Python; a true/false is not a count.
            if type(value) is not int or not 0 <= value <= MAX_VALUE:
                raise ValueError(f"a value of {code} is not a count")
        values[code] = {combo: cells.get(combo, 0) for combo in element.combo_codes}
    return values
