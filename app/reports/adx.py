"""ADX (IHE QRPH, `urn:ihe:qrph:adx:2015`): one group per org unit and month, the
disaggregation as category attributes (SEX="SEX_FEMALE"); withheld cells are left out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.domain import indicators
from app.domain.publication import Publication

NAMESPACE = "urn:ihe:qrph:adx:2015"


def adx_xml(publication: Publication) -> bytes:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}adx", {"exported": publication.created_at.isoformat()})
    groups: dict[tuple[str, str], ET.Element] = {}
    for published in publication.groups:
        key = (published.org_unit, published.period.adx)
        group = groups.get(key)
        if group is None:
            group = ET.SubElement(
                root,
                f"{{{NAMESPACE}}}group",
                {
                    "orgUnit": published.org_unit,
                    "period": published.period.adx,
                    "dataSet": indicators.DATA_SET,
                },
            )
            groups[key] = group
        element = published.element
        for combo, value in published.group.cells.items():
            if value is None:
                continue
            attributes = {"dataElement": element.code}
            for dimension, option in zip(
                element.dimensions, element.options_of(combo), strict=True
            ):
                attributes[dimension.code] = dimension.global_option(option)
            attributes["value"] = str(value)
            ET.SubElement(group, f"{{{NAMESPACE}}}dataValue", attributes)
    ET.indent(root)
    content: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return content + b"\n"
