"""Shared fixtures: offscreen Qt, English messages, one clock the tests set, real encrypted
desks in temp folders, and a home of their own so that nothing lands in the user's."""

from __future__ import annotations

import atexit
import gc
import itertools
import os
import re
import shutil
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from app import clock, crypto, desk_places, i18n, machine_facts
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import auth
from app.services.desk import CreatedDesk, DeskSetup, create_desk
from app.services.open_desk import OpenDesk
from ui import garbage


def _users_folders() -> list[str]:
    """Where Havre keeps the user's data, logs, settings and caches, and their home: read
    by the first pytest process before it moves them, and passed on to the processes it
    starts (xdist workers included), which only see the tests' own."""
    recorded = os.environ.get("HAVRE_TESTS_USERS_FOLDERS")
    if recorded is not None:
        return recorded.split(os.pathsep)
    import platformdirs

    folders = [
        os.path.expanduser("~"),
        platformdirs.user_data_dir("Havre", appauthor=False, roaming=False),
        platformdirs.user_log_dir("Havre", appauthor=False),
        platformdirs.user_config_dir("Havre", appauthor=False),
        platformdirs.user_cache_dir("Havre", appauthor=False),
        desk_places.shared_folder_of(machine_facts.this_system(), os.environ),
    ]
    os.environ["HAVRE_TESTS_USERS_FOLDERS"] = os.pathsep.join(folders)
    return folders


REAL_HOME, *USERS_HAVRE_FOLDERS = _users_folders()


def files_under(folders: list[str]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under `folders` (absent ones hold none)."""
    found: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in Path(folder).rglob("*") if os.path.isdir(folder) else ():
            if path.is_file():
                status = path.stat()
                found[str(path)] = (status.st_size, status.st_mtime_ns)
    return found


def _home_of_their_own() -> str:
    """The tests, and every process they start (the command line, writers killed on
    purpose, xdist workers), get a home, settings, data and log folders of their own,
    removed at exit. Set before any test asks where the user's files go."""
    sandbox = tempfile.mkdtemp(prefix="havre-tests-")
    atexit.register(shutil.rmtree, sandbox, ignore_errors=True)
    for variable, folder in {
        "HOME": "home",
        "USERPROFILE": "home",
        "XDG_CONFIG_HOME": "home/.config",
        "XDG_DATA_HOME": "home/.local/share",
        "XDG_STATE_HOME": "home/.local/state",
        "XDG_CACHE_HOME": "home/.cache",
        "XDG_RUNTIME_DIR": "runtime",
        "APPDATA": "home/AppData/Roaming",
        "LOCALAPPDATA": "home/AppData/Local",
    }.items():
        os.environ[variable] = os.path.join(sandbox, folder)
        os.makedirs(os.environ[variable], mode=0o700, exist_ok=True)
    # The PC's shared desk folder (/var/lib/havre once the .deb is installed) is not the
    # tests': theirs is not made, so the wizard and the launcher find no shared desk.
    os.environ[desk_places.SHARED_FOLDER_VARIABLE] = os.path.join(sandbox, "shared")
    return sandbox


SANDBOX = _home_of_their_own()
_USERS_FILES_AT_START = files_under(USERS_HAVRE_FOLDERS)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The whole run, every test and every process it started, left the user's Havre
    folders as they were (checked once, by the first process)."""
    if hasattr(session.config, "workerinput"):
        return
    changed = sorted(
        set(files_under(USERS_HAVRE_FOLDERS).items()) ^ set(_USERS_FILES_AT_START.items())
    )
    if changed:
        names = sorted({name for name, _state in changed})
        print("\nThe tests wrote in the user's own folders:\n  " + "\n  ".join(names))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `slow` first, in their order, then the others in theirs: xdist
    hands tests out in this order, so the long ones start at once on every worker instead
    of leaving one worker busy at the end while the others wait."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


class UnmarkedSlowTest(Exception):
    """A test not marked `slow` started Havre in a process of its own."""


# The test being run in this process, while it runs (its fixtures included).
_running: list[pytest.Item] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.remove(item)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    """Once a UI test has handed the collection of cycles to the GUI thread (ui/garbage.py),
    the tests that run no event loop have theirs collected here, between tests."""
    try:
        return (yield)
    finally:
        if not gc.isenabled():
            garbage.collect_if_due()


_HAVRE_PACKAGES = ("app", "ui", "db", "tests", "tools")
# An import of one of them at the start of a line or after a `;`, in a `-c` script.
_IMPORTS_HAVRE = re.compile(rf"(^|;)\s*(from|import)\s+({'|'.join(_HAVRE_PACKAGES)})\b", re.M)


def starts_havre(arguments: Sequence[str]) -> bool:
    """Whether a command line starts this Python on Havre's code (`-m app`, `-m
    tests.crash_writer`, `-c "from app…"`): a new interpreter that imports the application,
    seconds each time."""
    if not arguments or os.path.realpath(arguments[0]) != os.path.realpath(sys.executable):
        return False
    for option, value in itertools.pairwise(arguments[1:]):
        if option == "-m":
            return value.split(".")[0] in _HAVRE_PACKAGES
        if option == "-c":
            return _IMPORTS_HAVRE.search(value) is not None
    return False


def _refuse_unmarked_havre_processes(event: str, details: tuple[object, ...]) -> None:
    """The marker policy, held at run time: a test that starts Havre in a process of its
    own is slow (an interpreter start and the application's imports per process) and must
    say so, so that `pytest -m "not slow"` stays a quick loop."""
    if event != "subprocess.Popen" or not _running:
        return
    item = _running[-1]
    arguments = details[1]
    if isinstance(arguments, (str, bytes, os.PathLike)):
        words = [os.fsdecode(arguments)]
    else:
        words = [os.fsdecode(word) for word in cast("Sequence[str | bytes]", arguments)]
    if item.get_closest_marker("slow") is None and starts_havre(words):
        raise UnmarkedSlowTest(
            f"{item.nodeid} starts Havre in a process of its own ({' '.join(words[:3])}…): "
            "mark it @pytest.mark.slow, or run the command in the test's process"
        )


sys.addaudithook(_refuse_unmarked_havre_processes)


# Fixtures shared by the tests of the counts, their files and their publication.
pytest_plugins = ["tests.counts_support"]

# Cheap Argon2 parameters: tests exercise the real code path without waiting on the KDF.
FAST_KDF = crypto.KdfParams(memory_kib=1024, time_cost=1, parallelism=4)
ADMIN_PASSWORD = "blue harbour lantern 42"
STAFF_PASSWORD = "quiet meadow river 17"


# The moment the tests' clock starts at: a Tuesday morning in Brussels. HAVRE_TEST_NOW moves
# it (CI runs the tests marked `dates` at awkward moments); dates in test data are taken
# from this clock, never from the machine's.
TEST_START = datetime.fromisoformat(os.environ.get("HAVRE_TEST_NOW", "2026-11-17T10:00:00+01:00"))
# Its day in Brussels, for test data written down before any test runs.
TEST_DAY = clock.local_day(TEST_START)


class TestClock:
    """The application's clock during a test: starts at `TEST_START` and ticks with real
    elapsed time (so events keep their order); a test can set it to another moment."""

    __test__ = False  # not a test class

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the tests' clock takes aware moments")
        self._start, self._started = moment, time.monotonic()

    @property
    def start(self) -> datetime:
        """The moment it was started at, or last set to."""
        return self._start


@pytest.fixture(autouse=True)
def test_clock() -> Iterator[TestClock]:
    """Every test runs on the tests' clock; `clock.today()` is the day it says."""
    source = TestClock(TEST_START)
    clock.set_source(source)
    yield source
    clock.set_source(None)


def clock_env(moment: Callable[[], datetime] = clock.now) -> dict[str, str]:
    """The environment for a process a test starts: its clock travels to the tests' clock
    (tests/time_travel/sitecustomize.py), so that it sees the same day."""
    here = Path(__file__).resolve().parent
    paths = [str(here / "time_travel"), str(here.parent), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(part for part in paths if part),
        "HAVRE_TRAVEL_TO": moment().isoformat(),
    }


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def desk_setup(database: Path, **changes: object) -> DeskSetup:
    values: dict[str, object] = {
        "database": database,
        "desk_name": "Permanence Saint-Gilles",
        "desk_code": "SG",
        "organisation": "Commune de Saint-Gilles",
        "nis_code": "21013",
        "network_name": "",
        "language": "fr",
        "admin": NewAccount("admin", "Ada Admin", frozenset({Role.ADMIN}), ADMIN_PASSWORD),
        "other_accounts": (
            NewAccount("rita", "Rita Reception", frozenset({Role.RECEPTION}), STAFF_PASSWORD),
            NewAccount("carl", "Carl Counsellor", frozenset({Role.COUNSELLOR}), STAFF_PASSWORD),
        ),
    }
    values.update(changes)
    return DeskSetup(**values)  # type: ignore[arg-type]


@dataclass
class DeskFixture:
    created: CreatedDesk

    @property
    def database(self) -> Path:
        return self.created.database

    def unlock(self, user: str = "admin", password: str = ADMIN_PASSWORD) -> OpenDesk:
        return auth.unlock(self.database, user, password)


# Made a few seconds before the tests' clock starts: every copy was made before the test's
# first moment, as a desk made by the test itself would be, on the same day.
TEMPLATE_LEAD = timedelta(seconds=5)


@pytest.fixture(scope="session")
def desk_templates() -> dict[datetime, CreatedDesk]:
    """The desks made so far in this process, by the moment the tests' clock started at."""
    return {}


@pytest.fixture
def desk(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    test_clock: TestClock,
    desk_templates: dict[datetime, CreatedDesk],
) -> DeskFixture:
    """A desk of the test's own: a copy of its files, made once per process and clock start.
    Making one runs every migration and seals every key slot (about 0.4 s of CPU, and some
    500 tests ask for one); copying its files costs a tenth of that."""
    template = desk_templates.get(test_clock.start)
    if template is None:
        folder = tmp_path_factory.mktemp("desk-template")
        clock.set_source(TestClock(test_clock.start - TEMPLATE_LEAD))
        try:
            template = create_desk(desk_setup(folder / "desk.havre"), kdf=FAST_KDF)
        finally:
            clock.set_source(test_clock)
        desk_templates[test_clock.start] = template
    for made in template.database.parent.iterdir():
        shutil.copy2(made, tmp_path / made.name)
    database = tmp_path / template.database.name
    return DeskFixture(
        replace(template, database=database, key_file=tmp_path / template.key_file.name)
    )


@pytest.fixture
def reception(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock("rita", STAFF_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def counsellor(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock("carl", STAFF_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def admin_desk(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock()
    yield opened
    opened.close()


COORDINATOR_PASSWORD = "lantern harbour willow 58"


@pytest.fixture
def coordinator(desk: DeskFixture, admin_desk: OpenDesk) -> Iterator[OpenDesk]:
    from app.services import accounts

    account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), COORDINATOR_PASSWORD)
    accounts.add_user(admin_desk, account)
    opened = desk.unlock("cora", COORDINATOR_PASSWORD)
    yield opened
    opened.close()
