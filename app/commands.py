"""The headless commands of the command line: init, demo, keys, export, import, publish,
directory, brochure, selfcheck."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from app import clock, i18n, selfcheck
from app.cli import Frontend
from app.domain.accounts import NewAccount
from app.domain.disclosure import Level, Method
from app.domain.periods import Month
from app.domain.roles import Role
from app.errors import HavreError, ValidationError
from app.files import atomic_write
from app.i18n import N_, _, ngettext, pgettext
from app.logging_setup import log_versions, setup_logging
from app.services import (
    audit_anchor,
    audit_log,
    auth,
    backup,
    counts_export,
    demo,
    directory_packs,
    key_rotation,
    keys,
    network,
    printing,
    publication,
    restore,
)
from app.services.desk import CreatedDesk, DeskSetup, create_desk
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintRequest

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, frontend: Callable[[], Frontend]) -> int:
    """Run `args.command`: 0 success, 1 refused input or failed check (one line on stderr)."""
    log_file = setup_logging()
    log_versions()
    try:
        if args.command == "init":
            return _init(args)
        if args.command == "demo":
            return _demo(args)
        if args.command in ("keys", "directory", "export", "import", "publish", "audit", "backup"):
            return _signed_in(args)
        if args.command == "brochure":
            return _brochure(args)
        if args.command == "restore":
            return _restore(args)
        if args.command == "rotate-key":
            return _rotate_key(args)
        return 0 if selfcheck.run(frontend().check_window) else 1
    except HavreError as exc:
        print(f"havre: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        print(
            _("havre: unexpected error ({kind}: {message}). Details are in {log}.").format(
                kind=type(exc).__name__, message=exc, log=log_file or "stderr"
            ),
            file=sys.stderr,
        )
        return 1


def _read_password(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """The password from a file, stdin or a prompt; None when none is available."""
    if args.password_file is not None:
        try:
            text = Path(args.password_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                _("Cannot read the password file {path}: {reason}.").format(
                    path=args.password_file, reason=getattr(exc, "strerror", None) or exc
                ),
                field="password",
            ) from exc
        return _first_line(text)
    if args.password_stdin:
        return _first_line(sys.stdin.read())
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass(_("Password: "))
    if confirm and getpass.getpass(_("Password again: ")) != password:
        raise ValidationError(_("The two passwords differ. Nothing was created."), field="password")
    return password


def _first_line(text: str) -> str:
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise ValidationError(_("The password is empty."), field="password")
    return line


def _required_password(args: argparse.Namespace, *, confirm: bool) -> str:
    password = _read_password(args, confirm=confirm)
    if password is None:
        raise ValidationError(
            _("No password given: use --password-file FILE or --password-stdin."),
            field="password",
        )
    return password


def _init(args: argparse.Namespace) -> int:
    password = _required_password(args, confirm=True)
    setup = DeskSetup(
        database=args.db,
        desk_name=args.desk_name,
        desk_code=args.desk_code,
        organisation=args.organisation or args.desk_name,
        nis_code=args.nis,
        network_name=args.network,
        language=args.lang or i18n.current_language(),
        admin=NewAccount(args.admin, args.admin_name, frozenset({Role.ADMIN}), password),
    )
    _print_created(create_desk(setup))
    return 0


def _signed_in(args: argparse.Namespace) -> int:
    """The commands run as a user of a desk: unlock, act, lock."""
    desk = auth.unlock(args.db, args.user, _required_password(args, confirm=False))
    try:
        if args.command == "keys":
            return _keys(desk, args)
        if args.command == "export":
            return _export(desk, args)
        if args.command == "import":
            return _import(desk, args)
        if args.command == "publish":
            return _publish(desk, args)
        if args.command == "audit":
            return _audit(desk, args)
        if args.command == "backup":
            return _backup(desk, args)
        return _directory(desk, args)
    finally:
        auth.lock(desk)


def _brochure(args: argparse.Namespace) -> int:
    """Print to a PDF file; with a desk, from its directory, and the hand-out is counted."""
    material, layout = {
        "a4": (Material.BROCHURE, Layout.A4),
        "a5-booklet": (Material.BROCHURE, Layout.A5_BOOKLET),
        "wallet-card": (Material.WALLET_CARD, Layout.A4),
        "referral-slip": (Material.REFERRAL_SLIP, Layout.A4),
    }[args.layout]
    request = PrintRequest(
        material, args.brochure_language, args.municipality, layout, args.partner
    )
    if args.db is None:
        printing.save_pdf(printing.make_without_desk(request).pdf, args.out, replace=True)
    else:
        if not args.user:
            raise ValidationError(_("With --db, give your user name with --user."), field="user")
        desk = auth.unlock(args.db, args.user, _required_password(args, confirm=False))
        try:
            printing.save_pdf(printing.make_for_desk(desk, request).pdf, args.out, replace=True)
            printing.record_handout(desk, request)
        finally:
            auth.lock(desk)
    print(_("PDF written: {path}").format(path=args.out))
    return 0


def _keys(desk: OpenDesk, args: argparse.Namespace) -> int:
    if args.action == "show":
        if args.out is None:
            sys.stdout.write(keys.public_key_file(desk).decode())
        else:
            keys.write_public_key_file(desk, args.out, replace=True)
            print(_("Public key file written: {path}").format(path=args.out))
        own = keys.own_public_key(desk)
        print(_("Fingerprint: {fingerprint}").format(fingerprint=own.fingerprint), file=sys.stderr)
        print(_("Age recipient: {key}").format(key=own.age_recipient), file=sys.stderr)
        return 0
    if args.action == "recipient":
        recipient = keys.read_recipient(args.file)
        keys.set_recipient(desk, recipient)
        print(
            _("Counts files will be encrypted to {name}: {key}").format(
                name=recipient.name, key=recipient.age_recipient
            )
        )
        return 0
    info = keys.read_public_key_file(args.file)
    trusted = keys.trust(desk, info)
    print(
        _("Trusted: {code} ({name}), fingerprint {fingerprint}.").format(
            code=info.desk_code, name=info.desk_name, fingerprint=info.fingerprint
        )
    )
    if trusted.replaced is not None:
        print(trusted.replacement_note())
    return 0


def _export(desk: OpenDesk, args: argparse.Namespace) -> int:
    month = Month.parse(args.period)
    target = Path(args.out)
    if target.is_dir():
        target = target / counts_export.default_file_name(desk, month)
    exported = counts_export.export_counts(desk, month, target, replace=args.overwrite)
    print(
        _("Counts of {month} written: {path} (revision {revision}, encrypted to {name}).").format(
            month=month,
            path=exported.path,
            revision=exported.revision,
            name=exported.recipient.name,
        )
    )
    return 0


def _import(desk: OpenDesk, args: argparse.Namespace) -> int:
    results = network.import_files(desk, args.files)
    for result in results:
        print(f"{result.path}: {_(OUTCOME_WORDS[result.outcome])}: {result.message}")
    return 1 if any(r.outcome is network.Outcome.REFUSED for r in results) else 0


def _publish(desk: OpenDesk, args: argparse.Namespace) -> int:
    fmt = publication.Format(args.publish_format)
    first, last = Month.parse(args.first, "from"), Month.parse(args.last, "to")
    if fmt is publication.Format.DHIS2_METADATA:
        ready = None  # codes and names only: no numbers are needed
    else:
        ready = publication.publish(
            desk, first, last, method=Method(args.method), k=args.k, level=Level(args.level)
        )
    written = publication.write(desk, ready, fmt, args.out, replace=args.overwrite)
    for path in written:
        print(_("Written: {path}").format(path=path))
    if ready is not None:
        withheld = len(ready.suppressed())
        print(
            ngettext("{count} number withheld.", "{count} numbers withheld.", withheld).format(
                count=withheld
            )
        )
    return 0


def _backup(desk: OpenDesk, args: argparse.Namespace) -> int:
    target = Path(args.out)
    if target.is_dir():
        target = target / backup.default_name(desk, clock.today())
    made = backup.make_backup(desk, target, replace=args.overwrite)
    print(
        _("Backup written and verified: {path} and {keys} ({size} bytes).").format(
            path=made.database, keys=made.key_file, size=made.bytes
        )
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    password = _required_password(args, confirm=False)
    backup_password = None
    if args.backup_password_file is not None:
        backup_password = _read_password(
            argparse.Namespace(password_file=args.backup_password_file, password_stdin=False),
            confirm=False,
        )
    if args.other_desk and not args.yes:
        if not sys.stdin.isatty():
            print(_("Nothing restored: add --yes to confirm --other-desk."), file=sys.stderr)
            return 1
        question = _("Put a backup of another desk in place of {path}? [y/N] ").format(path=args.db)
        if input(question).strip().lower() not in ("y", "yes", "o", "j"):
            print(_("Nothing restored."))
            return 1
    done = restore.restore(
        Path(args.backup),
        Path(args.db),
        args.user,
        password,
        backup_user=args.backup_user,
        backup_password=backup_password,
        other_desk=args.other_desk,
        authority_fingerprint=args.authority,
    )
    print(_("Backup verified and restored."))
    if done.set_aside is not None:
        print(_("The desk it replaced is kept as {path}.").format(path=done.set_aside))
    print(restore.summary(done))
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    password = _required_password(args, confirm=False)
    done = key_rotation.rotate(Path(args.db), args.user, password, Path(args.backup))
    print(
        _(
            "The desk is now encrypted under a new data key, verified; {accounts} accounts and "
            "the recovery key open it. Backup made first, with the old key: {path}."
        ).format(accounts=done.accounts, path=done.backup.database)
    )
    print(
        _(
            "The desk also has a new signing key. Give its new public key file (havre keys "
            "show) to the network coordinator and to the desks that trust this one: it "
            "carries the change, signed by the old key."
        )
    )
    if done.dropped:
        print(
            ngettext(
                "{count} key of a disabled account was removed.",
                "{count} keys of disabled accounts were removed.",
                done.dropped,
            ).format(count=done.dropped)
        )
    if done.unconfirmed:
        print(
            ngettext(
                "{count} account was left out: its key slot was not signed by its own key "
                "(changed outside Havre, or not used since an older version). Reset its "
                "password with the recovery key.",
                "{count} accounts were left out: their key slots were not signed by their own "
                "keys (changed outside Havre, or not used since an older version). Reset their "
                "passwords with the recovery key.",
                done.unconfirmed,
            ).format(count=done.unconfirmed)
        )
    return 0


def _audit(desk: OpenDesk, args: argparse.Namespace) -> int:
    if args.action == "verify":
        given = None if args.anchor is None else audit_anchor.parse(args.anchor)
        report = audit_log.verify(desk, given)
        print(report.message, file=sys.stdout if report.intact else sys.stderr)
        return 0 if report.intact else 1
    if args.action == "anchor":
        anchor = audit_anchor.make(desk)
        print(anchor.text)
        if args.out is not None:
            atomic_write(args.out, anchor.text.encode() + b"\n")
        print(
            _(
                "Keep this line outside the desk (printed, or on a stick kept elsewhere). "
                "`havre audit verify --anchor` checks that the log still holds it."
            ),
            file=sys.stderr,
        )
        return 0
    count = audit_log.export_csv(desk, args.out)
    print(_("{count} events written to {path}.").format(count=count, path=args.out))
    print(_("It names who did what and when: keep it as personal data."), file=sys.stderr)
    return 0


OUTCOME_WORDS = {
    network.Outcome.ACCEPTED: N_("accepted"),
    network.Outcome.REPLACED: N_("replaced"),
    network.Outcome.UNCHANGED: N_("unchanged"),
    network.Outcome.REFUSED: N_("refused"),
}


def _directory(desk: OpenDesk, args: argparse.Namespace) -> int:
    if args.action == "export-pack":
        pack = directory_packs.export_pack(desk, args.file, replace=True)
        print(
            _("Directory pack version {version} written: {path} ({count} entries).").format(
                version=pack.version, path=args.file, count=len(pack.entries)
            )
        )
        return 0
    preview = directory_packs.read_pack(desk, args.file)
    pack = preview.pack
    print(
        _("Pack version {version} from {code} ({name}); this desk has version {current}.").format(
            version=pack.version,
            code=pack.signer.desk_code,
            name=pack.signer.desk_name,
            current=preview.current_version,
        )
    )
    for label, names in (
        (_("added"), preview.added),
        (_("changed"), preview.changed),
        # TRANSLATORS: the entries a directory pack retires (their number follows).
        (pgettext("directory pack", "retired"), preview.retired),
    ):
        print(f"{label} ({len(names)}):")
        for name in names:
            print(f"  {name}")
    print(_("unchanged: {count}").format(count=preview.unchanged))
    if not args.yes:
        if not sys.stdin.isatty():
            print(_("Nothing imported: add --yes to import after the preview."), file=sys.stderr)
            return 1
        if input(_("Import this pack? [y/N] ")).strip().lower() not in ("y", "yes", "o", "j"):
            print(_("Nothing imported."))
            return 1
    directory_packs.apply_pack(desk, preview)
    print(_("Directory pack version {version} imported.").format(version=pack.version))
    return 0


def _demo(args: argparse.Namespace) -> int:
    password = _read_password(args, confirm=False)
    shown = password is None
    password = password or demo.new_demo_password()
    started = time.monotonic()
    if args.network is not None:
        _demo_network(args.network, password, args.seed)
    else:
        created = demo.create_demo_desk(
            args.db,
            password,
            scale=args.scale or "small",
            seed=args.seed,
            progress=lambda done, total: print(
                _("{done} of {total} cases").format(done=done, total=total), file=sys.stderr
            ),
            desk_code=args.desk_code or demo.DEFAULT_CODE,
            nis_code=args.nis or demo.DEFAULT_NIS,
        )
        _print_created(created)
    print(
        _("Synthetic cases created in {seconds:.0f} s.").format(seconds=time.monotonic() - started)
    )
    users = ", ".join(name for name, _roles in demo.DEMO_ACCOUNTS)
    print(_("Demo accounts: {users}.").format(users=users))
    if shown:
        print(_("Their password: {password}").format(password=password))
    return 0


def _demo_network(folder: Path, password: str, seed: int) -> None:
    def report(done: int, total: int) -> None:
        # About every tenth of the way: a line per step would bury the rest.
        if done == total or done * 10 // total != (done - 1) * 10 // total:
            print(_("{done} of {total} steps").format(done=done, total=total), file=sys.stderr)

    made = demo.create_demo_network(folder, password, seed=seed, progress=report)
    print(_("Demo network created in {folder}:").format(folder=made.folder))
    for created in (made.network, *made.members):
        print(
            _("    {file}, recovery key {key}").format(
                file=created.database.name, key=created.recovery_key
            )
        )
    print(
        _(
            "The network coordinator's desk, {file}, has imported {files} counts files "
            "({first} to {last}); they are in {counts}."
        ).format(
            file=made.network.database.name,
            files=made.imported,
            first=made.months[0],
            last=made.months[-1],
            counts=made.folder / "counts",
        )
    )


def _print_created(created: CreatedDesk) -> None:
    print(_("Desk created: {path}").format(path=created.database))
    print(
        _("Key file (keep it with the database and its backups): {path}").format(
            path=created.key_file
        )
    )
    print(
        _(
            "Recovery key, shown only this once. Print or write it down, seal it in an "
            "envelope and keep it in a safe place:"
        )
    )
    print(f"    {created.recovery_key}")
    print(
        _(
            "Write down with it the fingerprint of the desk's authority key, which signs the "
            "roles: {fingerprint}"
        ).format(fingerprint=created.authority_fingerprint)
    )
