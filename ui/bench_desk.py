"""`make bench`, second part: the budgets (docs/architecture.md) measured on the large demo
desk (200 000 persons, about a million sessions), the way the GUI uses it: the case list
page with its lazy model, the services behind the search box and the intake and session
forms, and the memory of the process with all of that open.

The large desk is made once and kept in .bench/ (app/bench_desk.py)
(synthetic data only, with a password written beside it).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from app.bench import percentile, verdict
from app.bench_desk import large_desk
from app.domain.cases import CaseQuery
from app.domain.codes import (
    ConsentDecision,
    ConsentScope,
    ContactMode,
    Relationship,
    RiskLevel,
    RiskTool,
    Sex,
    Topic,
    ViolenceForm,
    YesNoUnknown,
)
from app.domain.intake import (
    ConsentForm,
    ContactForm,
    IdentityForm,
    IntakeForm,
    PersonForm,
    SituationForm,
)
from app.domain.sessions import SessionForm
from app.services import auth, cases, intake, sessions
from app.services.open_desk import OpenDesk
from ui.models.case_list_model import PAGE_SIZE
from ui.pages.case_list_page import CaseListPage
from ui.screenshots import wait_until

RUNS = 15
SAVES = 60
SAVE_BUDGET_SECONDS = 0.030
FIRST_SCREEN_BUDGET_SECONDS = 0.200
RSS_BUDGET_MIB = 300
# What reception types, one key at a time: names, a code, a case number.
TYPED = ("marie", "dubois", "jo", "ahmed", "DEMO-2024-01", "0042")


def timed(action: Callable[..., object], *arguments: object) -> float:
    start = time.perf_counter()
    action(*arguments)
    return time.perf_counter() - start


def first_screen(desk: OpenDesk) -> list[float]:
    """From asking for the list to its first rows in the model, as the Cases page does it
    (an event loop waits for the rows, as the application's own does)."""
    page = CaseListPage()
    page.resize(1100, 700)
    page.show()
    page.open_desk(desk)
    wait_until(lambda: page.model.loaded_row(0) is not None, timeout=60)
    times = []
    for _ in range(RUNS):
        page.model.set_ids([])
        loop = QEventLoop()
        connection = page.model.dataChanged.connect(loop.quit)
        start = time.perf_counter()
        page.refresh()
        loop.exec()
        times.append(time.perf_counter() - start)
        page.model.dataChanged.disconnect(connection)
        assert page.model.loaded_row(0) is not None
    return times


def keystrokes(desk: OpenDesk) -> list[float]:
    """Each prefix of each typed text: the matching ids, then the rows of the first screen."""
    times = []
    for text in TYPED:
        for end in range(1, len(text) + 1):
            times.append(timed(_search_and_first_rows, desk, CaseQuery(text=text[:end])))
    return times


def _search_and_first_rows(desk: OpenDesk, query: CaseQuery) -> None:
    cases.case_rows(desk, cases.find_case_ids(desk, query)[:PAGE_SIZE])


def an_intake(rng: random.Random) -> IntakeForm:
    now = datetime.now(UTC)
    return IntakeForm(
        id=str(uuid.uuid4()),
        contact=ContactForm(occurred_at=now, mode=ContactMode.IN_PERSON),
        person=PersonForm(age=rng.randint(18, 80), sex=Sex.FEMALE, municipality="21013"),
        identity=IdentityForm(pseudonym=f"Bench {rng.randint(1, 99999)}", phone="0470 12 34 56"),
        consents=(
            ConsentForm(ConsentScope.STATISTICS, ConsentDecision.GIVEN),
            ConsentForm(ConsentScope.RECONTACT, ConsentDecision.GIVEN),
        ),
        situation=SituationForm(
            relationship=Relationship.PARTNER_CURRENT,
            forms=frozenset({ViolenceForm.PSYCHOLOGICAL, ViolenceForm.PHYSICAL}),
            last_incident=now.date() - timedelta(days=2),
            perpetrator_cohabiting=YesNoUnknown.YES,
        ),
    )


def a_session(rng: random.Random) -> SessionForm:
    return SessionForm(
        held_at=datetime.now(UTC),
        duration_minutes=rng.choice((30, 45, 60)),
        topics=frozenset({Topic.RIGHTS, Topic.PROTECTION}),
        risk_tool=RiskTool.RTI,
        risk_level=RiskLevel.MEDIUM,
        safety_plan=True,
        notes="Synthetic note written by the benchmark.",
    )


def resident_mib() -> float:
    """Memory the process holds now (Linux), or at its peak elsewhere."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main() -> int:
    database, password = large_desk()
    application = QApplication(sys.argv)
    rng = random.Random(2026)
    reception = auth.unlock(database, "reception", password)
    try:
        screen = first_screen(reception)
        typing = keystrokes(reception)
        memory = resident_mib()
        intake_saves = [
            timed(intake.record_intake, reception, an_intake(rng)) for _ in range(SAVES)
        ]
        case_ids = cases.find_case_ids(reception, CaseQuery())
    finally:
        reception.close()
    counsellor = auth.unlock(database, "counsellor", password)
    try:
        chosen = rng.sample(case_ids, SAVES)
        session_saves = [
            timed(sessions.add_session, counsellor, case_id, a_session(rng)) for case_id in chosen
        ]
    finally:
        counsellor.close()
    application.quit()

    print(f"large demo desk: {len(case_ids)} cases ({database})")
    median_screen = statistics.median(screen)
    print(
        f"case list, first screen: median {median_screen * 1000:.0f} ms, "
        f"worst {max(screen) * 1000:.0f} ms over {RUNS} runs "
        f"(budget <= {FIRST_SCREEN_BUDGET_SECONDS * 1000:.0f} ms) "
        f"{verdict(median_screen <= FIRST_SCREEN_BUDGET_SECONDS)}"
    )
    print(
        f"case search, per keystroke ({len(typing)} keystrokes, ids + first screen of rows): "
        f"median {statistics.median(typing) * 1000:.0f} ms, "
        f"p95 {percentile(typing, 0.95) * 1000:.0f} ms"
    )
    for label, saves in (("an intake", intake_saves), ("a session", session_saves)):
        p95 = percentile(saves, 0.95)
        print(
            f"save {label}: p95 {p95 * 1000:.1f} ms over {SAVES} saves "
            f"(budget <= {SAVE_BUDGET_SECONDS * 1000:.0f} ms) {verdict(p95 <= SAVE_BUDGET_SECONDS)}"
        )
    print(
        f"memory with the large desk open and its case list shown: {memory:.0f} MiB RSS "
        f"(budget <= {RSS_BUDGET_MIB} MiB) {verdict(memory <= RSS_BUDGET_MIB)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
