"""The help services printed in a brochure, from the directory, for a municipality."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.help_services import Reach, help_services
from app.domain.phone_format import belgian_display, belgian_numbers_in
from app.errors import ValidationError
from app.services.directory_seed import load_seed


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("101", "101"),
        ("1712", "1712"),
        ("0800 30 030", "0800 30 030"),
        ("02/559.85.74", "02 559 85 74"),
        ("+32 2 535 45 42", "02 535 45 42"),
        ("04 223 45 67", "04 223 45 67"),
        ("071/92.41.00", "071 92 41 00"),
        ("0478/11.54.88", "0478 11 54 88"),
        ("084/21.48.28", "084 21 48 28"),
        ("080/64.37.34", "080 64 37 34"),  # a landline of the Malmedy zone, not an 0800 line
        ("0800/98.100", "0800 98 100"),
        ("0903 99 000", "0903 99 000"),
        ("12345", "12345"),  # not a Belgian number: left as written
    ],
)
def test_phone_numbers_are_printed_the_belgian_way(written: str, printed: str) -> None:
    assert belgian_display(written) == printed


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        (
            "Coordination de zone : 02/559.85.60 ; garde",
            "Coordination de zone : 02 559 85 60 ; garde",
        ),
        ("Zonecoördinatie: 02/559.85.60.", "Zonecoördinatie: 02 559 85 60."),
        ("appelez le +32 478 11 54 88 ou le 112", "appelez le 0478 11 54 88 ou le 112"),
        ("0800 30 030, 24 h/24", "0800 30 030, 24 h/24"),
        # Neither dates, postal codes nor account numbers are phone numbers.
        ("vérifié le 02.03.2026", "vérifié le 02.03.2026"),
        ("1060 Saint-Gilles", "1060 Saint-Gilles"),
        ("BE12 0011 2233 4455", "BE12 0011 2233 4455"),
    ],
)
def test_numbers_in_a_description_are_printed_the_belgian_way(written: str, printed: str) -> None:
    assert belgian_numbers_in(written) == printed


def test_the_printed_description_writes_its_numbers_the_belgian_way() -> None:
    sapv = next(s for s in help_services(load_seed(), "21013", "fr") if s.key.startswith("sapv"))
    assert "02 559 85 60" in sapv.description and "02/559" not in sapv.description


def test_local_then_regional_then_national_for_saint_gilles() -> None:
    listed = help_services(load_seed(), "21013", "fr")
    reaches = [s.reach for s in listed]
    assert reaches == sorted(reaches) and set(reaches) == set(Reach)
    local = [s.key for s in listed if s.reach is Reach.LOCAL]
    assert "sapv-zone-midi-saint-gilles" in local and "stopp-vif" not in local
    sapv = next(s for s in listed if s.key == "sapv-zone-midi-saint-gilles")
    assert sapv.phone == "02 559 85 74" and sapv.to_verify
    assert sapv.address == "Rue Antoine Bréart 104, 1060 Saint-Gilles"
    regional = {s.key for s in listed if s.reach is Reach.REGIONAL}
    assert {"cpvs-bruxelles", "ecoute-violences-conjugales"} <= regional
    assert "cvfe" not in {s.key for s in listed}  # Liège province only
    national = [s.key for s in listed if s.reach is Reach.NATIONAL]
    assert {"emergency-112", "police-101"} <= set(national)
    # Services nobody can reach from a brochure (no phone, no website) are left out.
    assert "justice-de-proximite-saint-gilles" not in {s.key for s in listed}


def test_a_secova_municipality_gets_its_own_network_first() -> None:
    listed = help_services(load_seed(), "62022", "nl")
    assert {s.key for s in listed if s.reach is Reach.LOCAL} == {"stopp-vif", "police-secova"}
    assert "cvfe" in {s.key for s in listed if s.reach is Reach.REGIONAL}
    assert next(s for s in listed if s.key == "stopp-vif").name.startswith("STOPP VIF")


@pytest.mark.parametrize(
    ("nis_code", "own"),
    [
        ("62032", {"stopp-vif", "police-secova", "cpas-esneux"}),
        ("62009", {"stopp-vif", "police-secova", "police-secova-aywaille"}),
        ("21013", {"sapv-zone-midi-saint-gilles", "eva-zone-midi", "chat-zone-midi"}),
    ],
)
def test_each_pilot_municipality_gets_its_own_services_before_the_province(
    nis_code: str, own: set[str]
) -> None:
    listed = help_services(load_seed(), nis_code, "fr")
    assert {s.key for s in listed if s.reach is Reach.LOCAL} == own
    regional = {s.key for s in listed if s.reach is Reach.REGIONAL}
    if nis_code == "21013":
        assert {"rainbowhouse-brussels", "ecoute-seniors-bruxelles"} <= regional
        assert "eva-zone-montgomery" not in {s.key for s in listed}  # another zone's
    else:
        assert {"baj-liege", "commission-aide-juridique-liege", "le-tournesol-malmedy"} <= regional
        assert "prisma-frauenhaus-eupen" not in {s.key for s in listed}  # the DG's


def test_confidential_addresses_and_retired_services_are_never_printed() -> None:
    seed = list(load_seed())
    shelter = next(e for e in seed if e.key == "cpvcf")
    seed[seed.index(shelter)] = replace(shelter, address="Rue secrète 1, 1000 Bruxelles")
    seed = [replace(e, retired=True) if e.key == "cpvs-bruxelles" else e for e in seed]
    listed = {s.key: s for s in help_services(seed, "21013", "fr")}
    assert listed["cpvcf"].address == ""
    assert "cpvs-bruxelles" not in listed


def test_an_unknown_municipality_or_an_empty_directory_is_refused() -> None:
    with pytest.raises(ValidationError) as unknown:
        help_services(load_seed(), "99999", "fr")
    assert unknown.value.field == "nis_code"
    with pytest.raises(ValidationError, match="no service for Saint-Gilles") as empty:
        help_services([], "21013", "en")
    assert empty.value.field == "municipality"
