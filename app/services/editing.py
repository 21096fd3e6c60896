"""A row that a form creates, or changes when it names one by id.

A form for a new record is given the record's id when it starts (made by the client, like
an intake's): a save of that form says "create this record". The answer of a save may be
lost (the desk locked before it came), and the same form, kept as a draft, saved again: that
second save finds the row the first one made and changes it, instead of making another."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.errors import RecordNotFound
from db.models import Base

M = TypeVar("M", bound=Base)


def row_to_save(
    session: Session, model: type[M], row_id: str | None, *, new: bool = False, **fields: Any
) -> M:
    """The row to write a form into. With `new`, `row_id` is the id the form made for its
    record: a new row with that id (and `fields`), or the row an earlier save of the same
    form made. Without, `row_id` names a row to change, and one that is gone (deleted
    meanwhile) is refused; no id at all is a new row with a fresh id."""
    found = None if row_id is None else session.get(model, row_id)
    if found is not None:
        return found
    if row_id is not None and not new:
        raise RecordNotFound()
    row = model(id=row_id or str(uuid.uuid4()), **fields)
    session.add(row)
    return row


def saved_again_as_it_is(session: Session, row: Base) -> bool:
    """The form's record was made by an earlier save and the form changes nothing in it:
    nothing to write, nothing to audit (the first save was audited)."""
    return row not in session.new and not session.is_modified(row)
