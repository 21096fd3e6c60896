"""Municipalities a desk can serve, with their NIS (INS) codes from Statbel's REFNIS list.

At least the 19 communes of Brussels-Capital and the five communes of police zone Secova;
extend the list here when a desk elsewhere joins.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ValidationError
from app.i18n import _


@dataclass(frozen=True)
class Municipality:
    nis_code: str
    name_fr: str
    name_nl: str
    #: the codes of bpost for its addresses (a search may type one for the place)
    postal_codes: tuple[str, ...] = ()
    #: other names people type for it: the German one where it differs, the short form
    other_names: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """The name people will look for: bilingual in Brussels, Dutch first for nl."""
        if self.name_fr == self.name_nl:
            return self.name_fr
        if language == "nl":
            return f"{self.name_nl} / {self.name_fr}"
        return f"{self.name_fr} / {self.name_nl}"

    def spellings(self) -> tuple[str, ...]:
        """Every way a search may name it: French, Dutch, other names, postal codes."""
        names = (self.name_fr, self.name_nl, *self.other_names, *self.postal_codes)
        return tuple(dict.fromkeys(names))


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("21001", "Anderlecht", "Anderlecht", ("1070",)),
    Municipality("21002", "Auderghem", "Oudergem", ("1160",)),
    Municipality("21003", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem", ("1082",)),
    Municipality(
        "21004", "Bruxelles", "Brussel", ("1000", "1020", "1120", "1130"), ("Brüssel", "Brussels")
    ),
    Municipality("21005", "Etterbeek", "Etterbeek", ("1040",)),
    Municipality("21006", "Evere", "Evere", ("1140",)),
    Municipality("21007", "Forest", "Vorst", ("1190",)),
    Municipality("21008", "Ganshoren", "Ganshoren", ("1083",)),
    Municipality("21009", "Ixelles", "Elsene", ("1050",)),
    Municipality("21010", "Jette", "Jette", ("1090",)),
    Municipality("21011", "Koekelberg", "Koekelberg", ("1081",)),
    Municipality("21012", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", ("1080",), ("Molenbeek",)),
    Municipality("21013", "Saint-Gilles", "Sint-Gillis", ("1060",)),
    Municipality(
        "21014",
        "Saint-Josse-ten-Noode",
        "Sint-Joost-ten-Node",
        ("1210",),
        ("Saint-Josse", "Sint-Joost"),
    ),
    Municipality("21015", "Schaerbeek", "Schaarbeek", ("1030",)),
    Municipality("21016", "Uccle", "Ukkel", ("1180",)),
    Municipality("21017", "Watermael-Boitsfort", "Watermaal-Bosvoorde", ("1170",)),
    Municipality("21018", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", ("1200",)),
    Municipality("21019", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe", ("1150",)),
    Municipality("62009", "Aywaille", "Aywaille", ("4920",)),
    Municipality("62022", "Chaudfontaine", "Chaudfontaine", ("4050", "4051", "4052", "4053")),
    Municipality("62032", "Esneux", "Esneux", ("4130",)),
    Municipality("62100", "Sprimont", "Sprimont", ("4140", "4141")),
    Municipality("62122", "Trooz", "Trooz", ("4870",)),
)

_BY_CODE = {municipality.nis_code: municipality for municipality in MUNICIPALITIES}


def municipality(nis_code: str) -> Municipality:
    """The municipality with this NIS code, or a clear refusal."""
    code = nis_code.strip()
    found = _BY_CODE.get(code)
    if found is None:
        raise ValidationError(
            _(
                "{code} is not the NIS code of a municipality Havre knows. "
                "Use a five-digit code from the list, e.g. 21013 for Saint-Gilles."
            ).format(code=code or "—"),
            field="nis_code",
        )
    return found


def sorted_for(language: str) -> list[Municipality]:
    return sorted(MUNICIPALITIES, key=lambda m: m.name(language).casefold())
