"""The partner services a demo desk refers people to: the services of the bundled directory
that serve the desk's municipality (a desk in Sprimont refers to the CPVS of Liège, not to
the one of Brussels), and a generic local service of each kind, which the directory does not
list (a housing agency, a family doctor)."""

from __future__ import annotations

from app.domain.codes import ServiceType
from app.services import directory_seed

# Generic local services, named as a desk worker would write them on a referral.
_GENERIC: dict[ServiceType, tuple[str, ...]] = {
    ServiceType.POLICE: ("Commissariat de quartier",),
    ServiceType.JUSTICE: ("Maison de justice",),
    ServiceType.PSYCHOSOCIAL: ("Service de santé mentale",),
    ServiceType.MEDICAL: ("Maison médicale", "Médecin traitant"),
    ServiceType.SVCC: ("Centre de prise en charge des violences sexuelles",),
    ServiceType.SHELTER: ("Maison d'accueil",),
    ServiceType.LEGAL_AID: ("Bureau d'aide juridique",),
    ServiceType.CPAS: ("CPAS de la commune",),
    ServiceType.HOUSING: ("Agence immobilière sociale", "Logement d'urgence communal"),
    ServiceType.CHILD_PROTECTION: ("Service d'aide à la jeunesse",),
    ServiceType.PERPETRATOR_PROGRAMME: ("Praxis",),
    ServiceType.HELPLINE: ("Écoute Violences Conjugales",),
    ServiceType.OTHER: ("Service de médiation de dettes", "Planning familial"),
}


def partners_near(nis_code: str, language: str) -> dict[ServiceType, tuple[str, ...]]:
    """For every kind of service, the services of the directory serving `nis_code` and a
    generic local one."""
    found: dict[ServiceType, list[str]] = {service: [] for service in ServiceType}
    for entry in directory_seed.load_seed():
        # The emergency numbers serve everyone but are not where a desk refers someone.
        if entry.area.closeness(nis_code) is None or entry.phone.strip() in ("101", "112"):
            continue
        found[entry.service_type].append(entry.name(language))
    return {
        service: tuple(dict.fromkeys((*names, *_GENERIC[service])))
        for service, names in found.items()
    }
