"""Demo desks, separate from any real one, to try Havre without real people's data.

`create_demo_desk` makes one desk. `create_demo_network` makes what a newcomer needs to try
everything at once: the coordinator's desk of a network (STOPP VIF) beside the desks of the
five municipalities of police zone Secova, each of which has sent it, through the real
export and import, the counts of the last twelve closed months.

Every demo desk is left as a well-kept desk would be on the day it is made: a verified
backup made (in `backups/` beside it; but for the bench's large desk, tools/large_desk.py),
nothing past its retention period (see app/services/demo_data.py), no agreement to renew
yet; so it says nothing is due.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from app import clock, crypto, file_ops
from app.desk_places import refuse_unsafe
from app.domain import municipalities, validation
from app.domain import retention as retention_rules
from app.domain.accounts import NewAccount
from app.domain.desk import DeskInfo
from app.domain.periods import Month, last_closed_months
from app.domain.retention import RetentionPeriods
from app.domain.roles import Role
from app.errors import TargetExists, ValidationError
from app.files import check_writable_folder
from app.i18n import LANGUAGE_CODES, N_, _, current_language, load_catalog
from app.instance_lock import path_for as lock_path_for
from app.services import (
    auth,
    backup,
    counts_export,
    demo_data,
    demo_follow_up,
    demo_notes,
    demo_resources,
    keys,
    network,
    retention,
)
from app.services.desk import (
    CreatedDesk,
    DeskSetup,
    check_setup,
    companion_files,
    create_desk,
)
from app.services.open_desk import OpenDesk

Progress = Callable[[int, int], None]

# The Argon2id floors (docs/security-model.md) rather than the calibration of a real desk
# (0.3-0.5 s a derivation): a demo desk's password is shown on screen and its data are
# synthetic, so a slower derivation would protect nothing, and a network of six desks takes
# some fifty.
DEMO_KDF = crypto.KdfParams(crypto.MIN_MEMORY_KIB, crypto.MIN_TIME_COST)

DEMO_ACCOUNTS: tuple[tuple[str, frozenset[Role]], ...] = (
    ("admin", frozenset({Role.ADMIN})),
    ("reception", frozenset({Role.RECEPTION})),
    ("counsellor", frozenset({Role.COUNSELLOR})),
    ("coordinator", frozenset({Role.COORDINATOR})),
)
DEFAULT_CODE = "DEMO"
DEMO_ORGANISATION = N_("Demonstration (synthetic data)")
DEFAULT_NIS = "21013"  # Saint-Gilles
BACKUP_FOLDER = "backups"
# Beside a network's desks: their public key files, the counts files they sent (to try
# importing them again), and their backups.
SUBFOLDERS = ("keys", "counts", BACKUP_FOLDER)
NETWORK_NAME = "STOPP VIF"
NETWORK_MONTHS = 12
# The start of the name of the hidden folder a network is made in, beside its own.
STAGING_PREFIX = ".demo-"


@dataclass(frozen=True)
class NetworkDesk:
    """One desk of the demo network: its file name, code, municipality and size (cases over
    two years, in proportion to the municipality's population)."""

    file_stem: str
    code: str
    nis_code: str
    persons: int

    @property
    def file_name(self) -> str:
        return f"{self.file_stem}.havre"


# The coordination is placed in Chaudfontaine (any of the five would do). It receives people
# too, so that every page can be tried from its desk; its own counts stay out of the
# network's until someone exports and imports them (its recipient is itself).
COORDINATION = NetworkDesk("network", "STOPP", "62022", 120)
SECOVA = (
    NetworkDesk("aywaille", "AYW", "62009", 170),
    NetworkDesk("chaudfontaine", "CHF", "62022", 290),
    NetworkDesk("esneux", "ESN", "62032", 190),
    NetworkDesk("sprimont", "SPR", "62100", 210),
    NetworkDesk("trooz", "TRZ", "62122", 120),
)
# Made, filled, backed up: the steps of one desk in the progress of a network.
_DESK_STEPS = 3


@dataclass(frozen=True)
class DemoNetwork:
    folder: Path
    network: CreatedDesk
    members: tuple[CreatedDesk, ...]
    months: tuple[Month, ...]
    imported: int


def new_demo_password() -> str:
    """Four groups of random characters: strong, and easy to read off the screen."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join(crypto.random_characters(alphabet, 4) for _ in range(4))


def create_demo_desk(
    database: Path,
    password: str,
    kdf: crypto.KdfParams | None = None,
    scale: str = "small",
    seed: int = 2026,
    progress: Progress | None = None,
    desk_code: str = DEFAULT_CODE,
    nis_code: str = DEFAULT_NIS,
    *,
    backup: bool = True,
) -> CreatedDesk:
    """A demo desk with one account per role, all with `password`, filled with synthetic
    cases (`demo_data.SCALES`), activities, housing, hand-outs and follow-up work, and
    (unless `backup` is false) a verified backup in `backups/` beside it. The code,
    municipality and backup name are checked first; nothing is made if one is wrong, and a
    failure removes what this call made, nothing else."""
    code = validation.desk_code(desk_code)
    name = _("Demo desk") if code == DEFAULT_CODE else _("Demo desk {code}").format(code=code)
    setup = check_setup(_with_place(_setup(database, password, name, code), nis_code))
    target = _backup_target(setup.database.parent, setup.desk_code) if backup else None
    backup_files = () if target is None else (target, *companion_files(target))
    for path in backup_files:
        if path.exists():
            raise TargetExists(path)
    made = _absent(
        setup.database,
        *companion_files(setup.database),
        lock_path_for(setup.database),
        *backup_files,
        *(() if target is None else (target.parent,)),
    )
    created = create_desk(setup, kdf or DEMO_KDF)
    try:
        _fill(setup.database, password, demo_data.SCALES[scale], seed, progress)
        _settle(setup.database, password, demo_data.SCALES[scale].years, target)
    except BaseException:
        _remove(made)
        raise
    return created


def create_demo_network(
    folder: Path,
    password: str,
    kdf: crypto.KdfParams | None = None,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoNetwork:
    """The network coordinator's desk (`network.havre`) and the five Secova desks in
    `folder`, a new or an empty folder. They are made in a hidden folder beside it, which
    takes its place in one rename once all is done: a failure leaves no desk and no folder
    behind (an empty folder given stays). A hidden folder left by a machine stopped midway
    is removed by `remove_unfinished`."""
    folder = folder.expanduser().absolute()
    # The desks are made in a new folder of Havre's beside it, then moved into it: both
    # places are checked (the new one may sit in a folder like /tmp, where all may write
    # but nobody may move what is not theirs).
    refuse_unsafe(folder / COORDINATION.file_name)
    refuse_unsafe(folder.parent / STAGING_PREFIX / COORDINATION.file_name)
    check_writable_folder(folder.parent)
    given = folder.exists()
    if given:
        check_writable_folder(folder)  # a file of that name is refused here
        if any(folder.iterdir()):
            raise ValidationError(
                _("{folder} is not empty: choose an empty or a new folder.").format(folder=folder),
                field="folder",
            )
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder.parent))
    try:
        made = _Network(staging, password, kdf or DEMO_KDF, seed, progress).make()
        if given:
            folder.rmdir()  # a folder cannot be renamed onto another one on Windows
        file_ops.replace(staging, folder)
    except BaseException:
        file_ops.discard_tree(staging)
        if given:
            with suppress(OSError):  # the failure already says what went wrong
                folder.mkdir(exist_ok=True)
        raise

    def moved(created: CreatedDesk) -> CreatedDesk:
        return CreatedDesk(
            folder / created.database.name,
            folder / created.key_file.name,
            created.desk_id,
            created.recovery_key,
            created.authority_fingerprint,
        )

    return DemoNetwork(
        folder, moved(made.network), tuple(map(moved, made.members)), made.months, made.imported
    )


def remove_unfinished(parent: Path) -> None:
    """The hidden folders in `parent` of networks whose making never finished (the computer
    was stopped midway): nothing else uses them. Called where no other demo is being made
    at the same time."""
    for staging in parent.glob(STAGING_PREFIX + "*"):
        if staging.is_dir():
            file_ops.discard_tree(staging)


class _Network:
    """The making of a demo network, step by step, with its progress."""

    def __init__(
        self,
        folder: Path,
        password: str,
        kdf: crypto.KdfParams,
        seed: int,
        progress: Progress | None,
    ) -> None:
        self.folder = folder
        self.password = password
        self.kdf = kdf
        self.seed = seed
        self.progress = progress
        self.months = tuple(last_closed_months(clock.today(), NETWORK_MONTHS))
        files = len(SECOVA) * len(self.months)
        # Each desk's steps, then an export and an import per file.
        self.total = (1 + len(SECOVA)) * _DESK_STEPS + 2 * files
        self.done = 0
        for name in SUBFOLDERS:
            (folder / name).mkdir()

    def step(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def make(self) -> DemoNetwork:
        hub = self._desk(COORDINATION, _("{network} coordination (demo)"), 0)
        coordinator = auth.unlock(hub.database, "coordinator", self.password)
        try:
            hub_key = self._public_key(coordinator)
            # Its own counts files go to itself, so that its Counts page can export too.
            keys.set_recipient(coordinator, keys.read_recipient(hub_key))
            members: list[CreatedDesk] = []
            files: list[Path] = []
            for index, plan in enumerate(SECOVA, start=1):
                member = self._desk(plan, _("{place} (demo)"), index)
                member_key, exported = self._export(member.database, hub_key)
                keys.trust(coordinator, keys.read_public_key_file(member_key))
                self._settle(plan, member.database)
                members.append(member)
                files.extend(exported)
            imported = 0
            for path in files:
                results = network.import_files(coordinator, [path])
                imported += sum(r.outcome is network.Outcome.ACCEPTED for r in results)
                self.step()
        finally:
            coordinator.close()
        self._settle(COORDINATION, hub.database)
        return DemoNetwork(self.folder, hub, tuple(members), self.months, imported)

    def _desk(self, plan: NetworkDesk, name: str, index: int) -> CreatedDesk:
        """The desk of `plan`, made and filled (two steps)."""
        database = self.folder / plan.file_name
        place = municipalities.municipality(plan.nis_code).name(current_language())
        setup = _setup(
            database, self.password, name.format(place=place, network=NETWORK_NAME), plan.code
        )
        created = create_desk(check_setup(_with_place(setup, plan.nis_code)), self.kdf)
        self.step()
        _fill(database, self.password, self._scale(plan), self.seed + index)
        self.step()
        return created

    def _scale(self, plan: NetworkDesk) -> demo_data.Scale:
        return demo_data.Scale(persons=plan.persons, sessions=3 * plan.persons, years=2)

    def _settle(self, plan: NetworkDesk, database: Path) -> None:
        """Last, so that the backup holds everything the desk did (a restore of an older
        copy would be pointed out by the network as a desk put back in time)."""
        target = _backup_target(self.folder, plan.code)
        _settle(database, self.password, self._scale(plan).years, target)
        self.step()

    def _public_key(self, desk: OpenDesk) -> Path:
        path = self.folder / "keys" / f"{desk.desk.code}.havre-key"
        path.write_bytes(keys.public_key_file(desk))
        return path

    def _export(self, database: Path, hub_key: Path) -> tuple[Path, list[Path]]:
        """The member's coordinator writes its public key, sets the network as recipient,
        trusts the network's key (for the directory packs it sends) and exports every
        month; returns its public key file and the counts files."""
        desk = auth.unlock(database, "coordinator", self.password)
        files: list[Path] = []
        try:
            own_key = self._public_key(desk)
            keys.set_recipient(desk, keys.read_recipient(hub_key))
            keys.trust(desk, keys.read_public_key_file(hub_key))
            for month in self.months:
                target = self.folder / "counts" / counts_export.default_file_name(desk, month)
                files.append(counts_export.export_counts(desk, month, target).path)
                self.step()
        finally:
            desk.close()
        return own_key, files


def organisation_shown(desk: DeskInfo) -> str:
    """The desk's organisation as the screen shows it. A demo desk's is Havre's own wording,
    stored in the language the demo was made in: it is shown in the screen's language."""
    if desk.is_demo and desk.organisation in {
        load_catalog(code).gettext(DEMO_ORGANISATION) for code in LANGUAGE_CODES
    } | {DEMO_ORGANISATION}:
        return _(DEMO_ORGANISATION)
    return desk.organisation


def _setup(database: Path, password: str, desk_name: str, desk_code: str) -> DeskSetup:
    accounts = [
        # Named by their role in the language the demo is made in, as the desk's organisation.
        NewAccount(user_name=name, display_name=min(roles).label, roles=roles, password=password)
        for name, roles in DEMO_ACCOUNTS
    ]
    return DeskSetup(
        database=database,
        desk_name=desk_name,
        desk_code=desk_code,
        organisation=_(DEMO_ORGANISATION),
        nis_code=DEFAULT_NIS,
        network_name="",
        language=current_language(),
        admin=accounts[0],
        is_demo=True,
        other_accounts=tuple(accounts[1:]),
    )


def _with_place(setup: DeskSetup, nis_code: str) -> DeskSetup:
    """The set-up for a desk of `nis_code`; a desk of the Secova zone is in its network."""
    in_network = nis_code.strip() in {desk.nis_code for desk in SECOVA}
    return replace(setup, nis_code=nis_code, network_name=NETWORK_NAME if in_network else "")


def _fill(
    database: Path,
    password: str,
    scale: demo_data.Scale,
    seed: int,
    progress: Progress | None = None,
) -> None:
    desk = auth.unlock(database, "reception", password)
    try:
        demo_data.fill(desk, scale, seed, progress)
        demo_resources.fill_resources(desk, scale.years, desk.user.id, seed)
        demo_follow_up.fill_follow_up(desk, seed)
    finally:
        desk.close()
    counsellor = auth.unlock(database, "counsellor", password)
    try:
        demo_notes.fill_notes(counsellor, seed)
    finally:
        counsellor.close()


def _settle(database: Path, password: str, years: int, backup_target: Path | None) -> None:
    """What a well-kept desk has done by now: cases kept as long as the demo goes back (ten
    years for the large scale), and a verified backup (unless `backup_target` is None)."""
    desk = auth.unlock(database, "admin", password)
    try:
        default = retention_rules.DEFAULT_PERIODS
        if years * 12 >= default.case:
            retention.set_periods(
                desk, RetentionPeriods(default.identity, default.notes, years * 12 + 1)
            )
        if backup_target is not None:
            backup_target.parent.mkdir(parents=True, exist_ok=True)
            backup.make_backup(desk, backup_target)
    finally:
        desk.close()


def _backup_target(folder: Path, desk_code: str) -> Path:
    """The backup of a demo desk of `folder`: in `backups/`, named as any backup made today."""
    return folder / BACKUP_FOLDER / backup.name_for(desk_code, clock.today())


def _absent(*paths: Path) -> list[Path]:
    """Those of `paths` that are not there yet: all that a failure may remove."""
    return [path for path in paths if not path.exists()]


def _remove(made: Iterable[Path]) -> None:
    """The files and folders a failed making created; a folder only once emptied."""
    for path in made:
        if path.is_dir():
            with suppress(OSError):  # something else was put in it meanwhile: it stays
                path.rmdir()
        else:
            file_ops.discard(path)
