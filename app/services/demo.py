"""A demo desk, separate from any real one, to try Havre without real people's data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from app import crypto
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.i18n import _, current_language
from app.services import auth, demo_data, demo_follow_up, demo_resources
from app.services.desk import CreatedDesk, DeskSetup, create_desk

DEMO_ACCOUNTS: tuple[tuple[str, frozenset[Role]], ...] = (
    ("admin", frozenset({Role.ADMIN})),
    ("reception", frozenset({Role.RECEPTION})),
    ("counsellor", frozenset({Role.COUNSELLOR})),
    ("coordinator", frozenset({Role.COORDINATOR})),
)


def new_demo_password() -> str:
    """Four groups of random characters: strong, and easy to read off the screen."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def create_demo_desk(
    database: Path,
    password: str,
    kdf: crypto.KdfParams | None = None,
    scale: str = "small",
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> CreatedDesk:
    """The demo desk (Saint-Gilles), with one account per role, all with `password`, filled
    with synthetic cases (`demo_data.SCALES`), activities, housing and hand-outs."""
    accounts = [
        NewAccount(user_name=name, display_name=name.capitalize(), roles=roles, password=password)
        for name, roles in DEMO_ACCOUNTS
    ]
    setup = DeskSetup(
        database=database,
        desk_name=_("Demo desk"),
        desk_code="DEMO",
        organisation=_("Demonstration (synthetic data)"),
        nis_code="21013",
        network_name="",
        language=current_language(),
        admin=accounts[0],
        is_demo=True,
        other_accounts=tuple(accounts[1:]),
    )
    created = create_desk(setup, kdf)
    desk = auth.unlock(database, "reception", password)
    try:
        demo_data.fill(desk, demo_data.SCALES[scale], seed, progress)
        demo_resources.fill_resources(desk, demo_data.SCALES[scale].years, desk.user.id, seed)
        demo_follow_up.fill_follow_up(desk, seed)
    finally:
        desk.close()
    return created
