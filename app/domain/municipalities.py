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

    def name(self, language: str) -> str:
        """The name people will look for: bilingual in Brussels, Dutch first for nl."""
        if self.name_fr == self.name_nl:
            return self.name_fr
        if language == "nl":
            return f"{self.name_nl} / {self.name_fr}"
        return f"{self.name_fr} / {self.name_nl}"


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("21001", "Anderlecht", "Anderlecht"),
    Municipality("21002", "Auderghem", "Oudergem"),
    Municipality("21003", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem"),
    Municipality("21004", "Bruxelles", "Brussel"),
    Municipality("21005", "Etterbeek", "Etterbeek"),
    Municipality("21006", "Evere", "Evere"),
    Municipality("21007", "Forest", "Vorst"),
    Municipality("21008", "Ganshoren", "Ganshoren"),
    Municipality("21009", "Ixelles", "Elsene"),
    Municipality("21010", "Jette", "Jette"),
    Municipality("21011", "Koekelberg", "Koekelberg"),
    Municipality("21012", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek"),
    Municipality("21013", "Saint-Gilles", "Sint-Gillis"),
    Municipality("21014", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node"),
    Municipality("21015", "Schaerbeek", "Schaarbeek"),
    Municipality("21016", "Uccle", "Ukkel"),
    Municipality("21017", "Watermael-Boitsfort", "Watermaal-Bosvoorde"),
    Municipality("21018", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"),
    Municipality("21019", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe"),
    Municipality("62009", "Aywaille", "Aywaille"),
    Municipality("62022", "Chaudfontaine", "Chaudfontaine"),
    Municipality("62032", "Esneux", "Esneux"),
    Municipality("62100", "Sprimont", "Sprimont"),
    Municipality("62122", "Trooz", "Trooz"),
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
