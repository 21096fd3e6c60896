"""DHIS2 payloads (docs/disclosure-control.md): dataValueSets as JSON and CSV (idScheme
CODE; withheld cells are left out, a missing value is not a zero), and the metadata package
a DHIS2 instance imports once: data set, data elements, categories, category combos and
option combos, with codes and fixed ids."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

from app.domain import indicators
from app.domain.indicators import DataElement
from app.domain.publication import Publication
from app.i18n import _

CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
)
# DHIS2's built-in default category combo, for data elements without disaggregation.
DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"
_UID_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def data_values(publication: Publication) -> Iterator[dict[str, str]]:
    for published in publication.groups:
        element = published.element
        for combo, value in published.group.cells.items():
            if value is None:
                continue
            row = {
                "dataElement": element.code,
                "period": published.period.dhis2,
                "orgUnit": published.org_unit,
                "value": str(value),
            }
            coc = element.coc_code(combo)
            if coc is not None:
                row["categoryOptionCombo"] = coc
            yield row


def data_value_set_json(publication: Publication) -> bytes:
    document = {
        "dataSet": indicators.DATA_SET,
        "completeDate": publication.created_at.date().isoformat(),
        "dataValues": list(data_values(publication)),
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode() + b"\n"


def data_value_set_csv(publication: Publication) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data_values(publication):
        writer.writerow(
            (
                row["dataElement"],
                row["period"],
                row["orgUnit"],
                row.get("categoryOptionCombo", ""),
                "",
                row["value"],
                "havre",
                publication.created_at.isoformat(),
                "",
            )
        )
    return out.getvalue().encode()


def uid(kind: str, code: str) -> str:
    """A DHIS2 id (a letter then ten letters or digits), fixed by the kind of object and its
    code, so that importing the package again updates the same objects; ids are unique
    across kinds (a one-category combo and its category share a code, not an id)."""
    number = int.from_bytes(hashlib.sha256(f"havre:{kind}:{code}".encode()).digest(), "big")
    characters = [_UID_CHARACTERS[number % 52]]
    number //= 52
    for _index in range(10):
        characters.append(_UID_CHARACTERS[number % 62])
        number //= 62
    return "".join(characters)


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:49] + "…"


def metadata_package() -> bytes:
    options: dict[str, dict[str, Any]] = {}
    categories: dict[str, dict[str, Any]] = {}
    combos: dict[str, dict[str, Any]] = {}
    option_combos: dict[str, dict[str, Any]] = {}
    elements = []
    for element in indicators.ELEMENTS:
        combo = _category_combo(element, options, categories, combos, option_combos)
        elements.append(
            {
                "id": uid("dataElement", element.code),
                "code": element.code,
                "name": element.label,
                "shortName": _short(element.label),
                "domainType": "AGGREGATE",
                "valueType": "INTEGER_ZERO_OR_POSITIVE",
                "aggregationType": "SUM",
                "zeroIsSignificant": True,
                "categoryCombo": {"id": combo},
            }
        )
    data_set = {
        "id": uid("dataSet", indicators.DATA_SET),
        "code": indicators.DATA_SET,
        "name": _("Partner and intrafamilial violence desks, monthly"),
        "shortName": _short(_("Partner and intrafamilial violence desks, monthly")),
        "periodType": "Monthly",
        "categoryCombo": {"id": DEFAULT_CATEGORY_COMBO},
        "dataSetElements": [{"dataElement": {"id": e["id"]}} for e in elements],
    }
    package = {
        "categoryOptions": list(options.values()),
        "categories": list(categories.values()),
        "categoryCombos": list(combos.values()),
        "categoryOptionCombos": list(option_combos.values()),
        "dataElements": elements,
        "dataSets": [data_set],
    }
    return json.dumps(package, indent=1, ensure_ascii=False).encode() + b"\n"


def _category_combo(
    element: DataElement,
    options: dict[str, dict[str, Any]],
    categories: dict[str, dict[str, Any]],
    combos: dict[str, dict[str, Any]],
    option_combos: dict[str, dict[str, Any]],
) -> str:
    code = element.category_combo
    if code is None:
        return DEFAULT_CATEGORY_COMBO
    for dimension in element.dimensions:
        for option, _label in dimension.options:
            global_code = dimension.global_option(option)
            options.setdefault(
                global_code,
                {
                    "id": uid("categoryOption", global_code),
                    "code": global_code,
                    "name": f"{dimension.label}: {dimension.option_label(option)}",
                    "shortName": _short(f"{dimension.label}: {dimension.option_label(option)}"),
                },
            )
        categories.setdefault(
            dimension.code,
            {
                "id": uid("category", dimension.code),
                "code": dimension.code,
                "name": dimension.label,
                "shortName": _short(dimension.label),
                "dataDimensionType": "DISAGGREGATION",
                "categoryOptions": [
                    {"id": uid("categoryOption", dimension.global_option(o))}
                    for o, _label in dimension.options
                ],
            },
        )
    combos.setdefault(
        code,
        {
            "id": uid("categoryCombo", code),
            "code": code,
            "name": " × ".join(d.label for d in element.dimensions),
            "dataDimensionType": "DISAGGREGATION",
            "categories": [{"id": uid("category", d.code)} for d in element.dimensions],
        },
    )
    for combo in element.combo_codes:
        coc = element.coc_code(combo)
        assert coc is not None
        option_combos.setdefault(
            coc,
            {
                "id": uid("categoryOptionCombo", coc),
                "code": coc,
                "name": element.combo_label(combo),
                "categoryCombo": {"id": uid("categoryCombo", code)},
                "categoryOptions": [
                    {"id": uid("categoryOption", d.global_option(o))}
                    for d, o in zip(element.dimensions, element.options_of(combo), strict=True)
                ],
            },
        )
    return uid("categoryCombo", code)
