"""What a desk is, as the rest of Havre sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DeskInfo:
    id: str
    name: str
    code: str
    organisation: str
    nis_code: str
    network_name: str | None
    language: str
    is_demo: bool
    created_at: datetime
