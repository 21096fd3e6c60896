"""`make bench`, second part: the budgets (docs/architecture.md) measured on the large demo
desk (200 000 persons, about a million sessions), the way the GUI uses it: the case list
page with its lazy model, the services behind the search box and the intake and session
forms, the likely duplicates searched at each key typed in an intake (p95 ≤ 50 ms), the
memory of the process with all of that open, and the quick exit of the main window (from
the third Shift press to the neutral screen painted in ≤ 200 ms; the time to locked
reported beside it) with the case list on display.
Exits with 1 when a budget is missed.

The large desk is made once and kept in .bench/ (tools/large_desk.py)
(synthetic data only, with a password written beside it).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import clock
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
from app.domain.duplicates import DuplicateProbe
from app.domain.intake import (
    ConsentForm,
    ContactForm,
    IdentityForm,
    IntakeForm,
    PersonForm,
    SituationForm,
)
from app.domain.sessions import SessionForm
from app.instance_lock import DeskLock
from app.services import auth, cases, intake, sessions
from app.services.open_desk import OpenDesk
from tools.bench import Report, percentile
from tools.large_desk import large_desk
from ui import tasks
from ui.main_window import MainWindow
from ui.models.case_list_model import PAGE_SIZE
from ui.pages.case_list_page import CaseListPage
from ui.settings import UiSettings
from ui.tasks import wait_until

RUNS = 15
SAVES = 60
SAVE_BUDGET_SECONDS = 0.030
FIRST_SCREEN_BUDGET_SECONDS = 0.200
RSS_BUDGET_MIB = 300
QUICK_EXIT_BUDGET_SECONDS = 0.200
# A neutral screen not painted this long after the third press counts as a miss.
PAINT_WAIT_SECONDS = 2.0
# What reception types, one key at a time: names, a code, a case number.
TYPED = ("marie", "dubois", "jo", "ahmed", "DEMO-2024-01", "0042")
DUPLICATE_BUDGET_SECONDS = 0.050


def timed(action: Callable[..., object], *arguments: object) -> float:
    start = time.perf_counter()
    action(*arguments)
    return time.perf_counter() - start


def first_screen(page: CaseListPage, desk: OpenDesk) -> list[float]:
    """From asking for the list to its first rows in the model, as the Cases page does it
    (an event loop waits for the rows, as the application's own does)."""
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


def duplicate_keystrokes(desk: OpenDesk) -> list[float]:
    """The likely-duplicate search after each key of an intake typed in the order of the
    form, as the intake page asks it: an age in the municipality of most of the large desk,
    a common first name, a phone number shared by many of its cases, an e-mail address."""
    age, pseudonym, phone, email = "34", "Marie D.", "+32 470 12 34 56", "marie.d@example.be"
    probes = [
        DuplicateProbe(age=int(age[:end]), municipality="21013") for end in range(1, len(age) + 1)
    ]
    known = probes[-1]
    probes += [replace(known, pseudonym=pseudonym[:end]) for end in range(1, len(pseudonym) + 1)]
    known = replace(known, pseudonym=pseudonym)
    probes += [replace(known, phone=phone[:end]) for end in range(1, len(phone) + 1)]
    known = replace(known, phone=phone)
    probes += [replace(known, email=email[:end]) for end in range(1, len(email) + 1)]
    return [timed(intake.likely_duplicates, desk, probe) for probe in probes]


def _search_and_first_rows(desk: OpenDesk, query: CaseQuery) -> None:
    cases.case_rows(desk, cases.find_case_ids(desk, query)[:PAGE_SIZE])


def an_intake(rng: random.Random) -> IntakeForm:
    now = clock.now()
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
            last_incident=clock.today() - timedelta(days=2),
            perpetrator_cohabiting=YesNoUnknown.YES,
        ),
    )


def a_session(rng: random.Random) -> SessionForm:
    return SessionForm(
        held_at=clock.now(),
        duration_minutes=rng.choice((30, 45, 60)),
        topics=frozenset({Topic.RIGHTS, Topic.PROTECTION}),
        risk_tool=RiskTool.RTI,
        risk_level=RiskLevel.MEDIUM,
        safety_plan=True,
        notes="Synthetic note written by the benchmark.",
    )


class _PaintClock(QObject):
    """The moment a widget was first painted after `start()`."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: float | None = None

    def start(self) -> None:
        self.painted = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None:
            self.painted = time.perf_counter()
        return False


def quick_exits(database: Path, password: str) -> tuple[list[float | None], list[float]]:
    """Each run of `quick_exit` (the main window signed in as reception, with the case list
    of the large desk on display)."""
    with tempfile.TemporaryDirectory(prefix="havre-bench-window-") as folder:
        lock = DeskLock(database)
        lock.acquire()
        window = MainWindow(lock, UiSettings(Path(folder) / "ui.ini"))
        painted = _PaintClock()
        window.lock_screen.installEventFilter(painted)
        window.resize(1100, 700)
        window.show()
        window.activateWindow()
        # The chord is watched on the window that has the keyboard.
        wait_until(lambda: QGuiApplication.focusWindow() is window.windowHandle())
        blanks: list[float | None] = []
        locks: list[float] = []
        try:
            for _ in range(RUNS):
                window.lock_screen.user_name.setText("reception")
                window.lock_screen.password.setText(password)
                window.lock_screen.sign_in()
                wait_until(lambda: window.desk is not None, timeout=60)
                window.show_page("cases")
                model = window.workspace.case_list_page.model
                wait_until(lambda: model.loaded_row(0) is not None, timeout=60)  # noqa: B023
                tasks.wait_for_all()
                QApplication.processEvents()
                blank, locked = quick_exit(window, painted)
                blanks.append(blank)
                locks.append(locked)
        finally:
            if window.desk is not None:
                window.lock()
            tasks.wait_for_all()
            window.close()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            lock.release()
    return blanks, locks


def quick_exit(window: MainWindow, painted: _PaintClock) -> tuple[float | None, float]:
    """Three Shift presses on the signed-in `window` (`painted` watching its lock screen).
    Seconds from the third press to the neutral screen painted, None when it was not painted
    within PAINT_WAIT_SECONDS; and to the desk locked (drafts kept, database closed, key
    gone), which the press itself does before it returns."""
    handle = window.windowHandle()
    for _press in range(2):
        QTest.keyClick(handle, Qt.Key.Key_Shift)
    painted.start()
    start = time.perf_counter()
    QTest.keyClick(handle, Qt.Key.Key_Shift)
    locked = time.perf_counter()
    if window.desk is not None or window.stack.currentWidget() is not window.lock_screen:
        raise SystemExit("three Shift presses did not blank and lock the window")
    # The paint may still be waiting in the event queue: let the application deliver it,
    # as its own event loop would.
    while painted.painted is None and time.perf_counter() - start < PAINT_WAIT_SECONDS:
        QApplication.processEvents()
    blank = None if painted.painted is None else painted.painted - start
    return blank, locked - start


def quick_exit_line(blanks: list[float | None], locks: list[float], report: Report) -> str:
    """The quick exit against its budget: every neutral screen painted within it (one not
    painted at all is a miss); the time to locked is reported, with no budget of its own."""
    shown = [blank for blank in blanks if blank is not None]
    unpainted = len(blanks) - len(shown)
    within = bool(shown) and unpainted == 0 and max(shown) <= QUICK_EXIT_BUDGET_SECONDS
    painted = (
        f"neutral screen painted after median {statistics.median(shown) * 1000:.0f} ms, "
        f"worst {max(shown) * 1000:.0f} ms"
        if shown
        else "neutral screen never painted"
    )
    if unpainted:
        painted += (
            f", not painted within {PAINT_WAIT_SECONDS:.0f} s in {unpainted} of {len(blanks)} runs"
        )
    return (
        f"quick exit (third Shift press) with the case list on display, over {len(blanks)} "
        f"runs: {painted} (budget <= {QUICK_EXIT_BUDGET_SECONDS * 1000:.0f} ms) "
        f"{report.check('quick exit', within)}; "
        f"locked (drafts kept, database closed) after median "
        f"{statistics.median(locks) * 1000:.0f} ms, worst {max(locks) * 1000:.0f} ms"
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
    page = CaseListPage()
    try:
        screen = first_screen(page, reception)
        typing = keystrokes(reception)
        duplicates = duplicate_keystrokes(reception)
        memory = resident_mib()
        intake_saves = [
            timed(intake.record_intake, reception, an_intake(rng)) for _ in range(SAVES)
        ]
        case_ids = cases.find_case_ids(reception, CaseQuery())
    finally:
        # As the window does at a lock: the page let go, its work on the database thread
        # ended, then the desk closed.
        page.clear()
        page.close()
        page.deleteLater()
        tasks.wait_for_all()
        reception.close()
    counsellor = auth.unlock(database, "counsellor", password)
    try:
        chosen = rng.sample(case_ids, SAVES)
        session_saves = [
            timed(sessions.add_session, counsellor, case_id, a_session(rng)) for case_id in chosen
        ]
    finally:
        counsellor.close()
    blanks, locks = quick_exits(database, password)
    application.quit()

    report = Report()
    print(f"large demo desk: {len(case_ids)} cases ({database})")
    median_screen = statistics.median(screen)
    print(
        f"case list, first screen: median {median_screen * 1000:.0f} ms, "
        f"worst {max(screen) * 1000:.0f} ms over {RUNS} runs "
        f"(budget <= {FIRST_SCREEN_BUDGET_SECONDS * 1000:.0f} ms) "
        f"{report.check('case list', median_screen <= FIRST_SCREEN_BUDGET_SECONDS)}"
    )
    print(
        f"case search, per keystroke ({len(typing)} keystrokes, ids + first screen of rows): "
        f"median {statistics.median(typing) * 1000:.0f} ms, "
        f"p95 {percentile(typing, 0.95) * 1000:.0f} ms"
    )
    duplicate_p95 = percentile(duplicates, 0.95)
    print(
        f"likely duplicates while typing an intake, per keystroke ({len(duplicates)} "
        f"keystrokes): median {statistics.median(duplicates) * 1000:.1f} ms, "
        f"p95 {duplicate_p95 * 1000:.1f} ms "
        f"(budget <= {DUPLICATE_BUDGET_SECONDS * 1000:.0f} ms) "
        f"{report.check('likely duplicates', duplicate_p95 <= DUPLICATE_BUDGET_SECONDS)}"
    )
    for label, saves in (("an intake", intake_saves), ("a session", session_saves)):
        p95 = percentile(saves, 0.95)
        print(
            f"save {label}: p95 {p95 * 1000:.1f} ms over {SAVES} saves "
            f"(budget <= {SAVE_BUDGET_SECONDS * 1000:.0f} ms) "
            f"{report.check(f'save {label}', p95 <= SAVE_BUDGET_SECONDS)}"
        )
    print(
        f"memory with the large desk open and its case list shown: {memory:.0f} MiB RSS "
        f"(budget <= {RSS_BUDGET_MIB} MiB) {report.check('memory', memory <= RSS_BUDGET_MIB)}"
    )
    print(quick_exit_line(blanks, locks, report))
    return report.exit_status()


if __name__ == "__main__":
    sys.exit(main())
