"""A row that a form creates, or changes when it names one by id."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.errors import RecordNotFound
from db.models import Base

M = TypeVar("M", bound=Base)


def row_to_save(session: Session, model: type[M], row_id: str | None, **new: Any) -> M:
    """The row `row_id` names, to change it; with no id, a new row (a fresh id and `new`)
    added to the session. An id that is gone (deleted meanwhile) is refused."""
    if row_id is None:
        row = model(id=str(uuid.uuid4()), **new)
        session.add(row)
        return row
    found = session.get(model, row_id)
    if found is None:
        raise RecordNotFound()
    return found
