"""The insider with a reception account (no counsellor role, so barred from changing the
GBVIMS correction) tries to erase a counsellor's correction that a newer version wrote and
this one cannot read (shown as none), by saving the case page as shown after an unrelated
fix. The correction and its author stay."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import update

from app.domain.cases import CaseEdit
from app.domain.codes import GbvimsType
from app.errors import AccessDenied
from app.services import cases, intake
from app.services.open_desk import OpenDesk
from db.models import Situation
from tests.factories import named_intake
from tests.unknown_codes_support import NEWER


def _case_with_correction(reception: OpenDesk, counsellor: OpenDesk, code: str) -> str:
    case_id = intake.record_intake(reception, named_intake("Hélène Dubois")).case_id
    with reception.transaction() as session:
        session.execute(
            update(Situation)
            .where(Situation.case_id == case_id)
            .values(gbvims_corrected=code, corrected_by=counsellor.user.id)
        )
    return case_id


def _reception_saves_as_shown(reception: OpenDesk, case_id: str) -> None:
    detail = cases.case_detail(reception, case_id)
    assert detail.identity is not None
    identity = replace(detail.identity, phone="0470 99 88 77")  # an unrelated fix
    cases.update_case(
        reception,
        case_id,
        detail.version,
        CaseEdit(detail.status, detail.person, identity, detail.situation),
    )


def _stored(desk: OpenDesk, case_id: str) -> tuple[str | None, str | None]:
    with desk.transaction() as session:
        row = session.get(Situation, case_id)
        assert row is not None
        return row.gbvims_corrected, row.corrected_by


def test_control_reception_cannot_clear_a_known_correction(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    case_id = _case_with_correction(reception, counsellor, GbvimsType.RAPE.value)
    detail = cases.case_detail(reception, case_id)
    assert detail.situation is not None
    cleared = replace(detail.situation, gbvims_correction=None)
    with pytest.raises(AccessDenied):
        cases.update_case(
            reception,
            case_id,
            detail.version,
            CaseEdit(detail.status, detail.person, detail.identity, cleared),
        )
    assert _stored(reception, case_id)[0] == GbvimsType.RAPE.value


def test_attack_reception_clears_an_unreadable_correction(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    case_id = _case_with_correction(reception, counsellor, NEWER)
    _reception_saves_as_shown(reception, case_id)
    assert _stored(reception, case_id) == (NEWER, counsellor.user.id)
