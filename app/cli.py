"""The command line: `python -m app [COMMAND]` (and the `havre` executable).

Passwords come from a prompt, `--password-file` or `--password-stdin`, never from an
argument. Exit status: 0 success, 1 refused input or failed check (one line on stderr),
2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Protocol

from app import __version__, i18n
from app.i18n import N_, _

# argparse's own messages, routed through our catalogues so usage errors are translated too.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


@dataclass(frozen=True)
class GuiOptions:
    database: Path | None
    language: str | None
    crash_dialog: bool
    exit_after_start: bool


class Frontend(Protocol):
    """What the GUI package offers the command line (see app/__main__.py)."""

    def run_gui(self, options: GuiOptions) -> int: ...

    def check_window(self) -> str: ...


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


PRINT_FORMATS = ("a4", "a5-booklet", "wallet-card", "referral-slip")
PUBLISH_FORMATS = ("dhis2-json", "dhis2-csv", "adx", "xlsx", "pdf", "dhis2-metadata")


def _window_parser(exit_on_error: bool = True) -> argparse.ArgumentParser:
    """The options of the window alone, without the commands."""
    parser = _Parser(
        prog="havre",
        description=_("Havre: the encrypted, offline desk."),
        exit_on_error=exit_on_error,
    )
    parser.add_argument("--version", action="version", version=f"Havre {__version__}")
    parser.add_argument("--db", type=Path, help=_("the desk database to open"))
    parser.add_argument("--lang", choices=i18n.LANGUAGE_CODES, help=_("language of Havre"))
    parser.add_argument(
        "--no-crash-dialog",
        action="store_true",
        help=_("report unexpected errors on the console only (for scripts and CI)"),
    )
    parser.add_argument(
        "--exit-after-start",
        action="store_true",
        help=_("show the first screen, then quit (for benchmarks and smoke tests)"),
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _window_parser()
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    init = commands.add_parser("init", help=_("create a desk database"))
    init.add_argument("--db", type=Path, required=True, help=_("the database file to create"))
    init.add_argument("--desk-name", required=True, help=_("name of the desk"))
    init.add_argument("--desk-code", required=True, help=_("short code, e.g. SG"))
    init.add_argument("--nis", required=True, help=_("NIS code of the municipality"))
    init.add_argument("--admin", required=True, help=_("user name of the first administrator"))
    init.add_argument("--admin-name", default="", help=_("full name of the administrator"))
    init.add_argument("--organisation", default="", help=_("organisation running the desk"))
    init.add_argument("--network", default="", help=_("name of the network of desks"))
    init.add_argument("--lang", choices=i18n.LANGUAGE_CODES, help=_("language of the desk"))
    _add_password_options(init)

    demo_parser = commands.add_parser("demo", help=_("create a demo desk with synthetic data"))
    demo_target = demo_parser.add_mutually_exclusive_group(required=True)
    demo_target.add_argument("--db", type=Path, help=_("the database file to create"))
    demo_target.add_argument(
        "--network",
        type=Path,
        metavar=_("FOLDER"),
        help=_(
            "create in FOLDER a network coordinator's desk and five desks of its network, "
            "which have sent it twelve months of counts"
        ),
    )
    demo_parser.add_argument(
        "--scale",
        choices=("small", "large"),
        help=_("small: a few hundred cases; large: ten years of a busy desk (default: small)"),
    )
    demo_parser.add_argument("--seed", type=int, default=2026, help=_("random seed"))
    demo_parser.add_argument(
        "--desk-code", help=_("short code of the demo desk, e.g. SG (default: DEMO)")
    )
    demo_parser.add_argument(
        "--nis", help=_("NIS code of its municipality (default: 21013, Saint-Gilles)")
    )
    _add_password_options(demo_parser)

    keys_parser = commands.add_parser("keys", help=_("this desk's public key, trusted keys"))
    _add_signed_in_options(keys_parser)
    key_actions = keys_parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    show = key_actions.add_parser("show", help=_("print this desk's public key file"))
    show.add_argument("--out", type=Path, help=_("write it to this file instead"))
    trust = key_actions.add_parser("trust", help=_("trust another desk's public key file"))
    trust.add_argument("file", type=Path, help=_("the public key file"))
    recipient = key_actions.add_parser(
        "recipient", help=_("encrypt the counts files to the network coordinator's key")
    )
    recipient.add_argument(
        "file", type=Path, help=_("their public key file, or a file with an age public key")
    )

    export_parser = commands.add_parser(
        "export", help=_("write the signed, encrypted monthly counts file")
    )
    _add_signed_in_options(export_parser)
    export_parser.add_argument("--period", required=True, help=_("the month, as YYYY-MM"))
    export_parser.add_argument(
        "--out", type=Path, required=True, help=_("the file, or a folder to write it in")
    )
    export_parser.add_argument(
        "--overwrite", action="store_true", help=_("replace the file if it exists")
    )

    import_parser = commands.add_parser(
        "import", help=_("import counts files at the network level")
    )
    _add_signed_in_options(import_parser)
    import_parser.add_argument("files", type=Path, nargs="+", help=_("the counts files"))

    publish_parser = commands.add_parser(
        "publish", help=_("publish the network's numbers with disclosure control")
    )
    _add_signed_in_options(publish_parser)
    publish_parser.add_argument(
        "--from", dest="first", required=True, help=_("first month, YYYY-MM")
    )
    publish_parser.add_argument("--to", dest="last", required=True, help=_("last month, YYYY-MM"))
    publish_parser.add_argument(
        "--format",
        dest="publish_format",
        required=True,
        choices=PUBLISH_FORMATS,
        help=_("what to write"),
    )
    publish_parser.add_argument(
        "--method",
        choices=("suppress", "round5"),
        default="suppress",
        help=_("disclosure control (default: %(default)s)"),
    )
    publish_parser.add_argument(
        "--k",
        type=int,
        default=5,
        help=_("threshold of suppression, 3 to 11 (default: %(default)s)"),
    )
    publish_parser.add_argument(
        "--level",
        choices=("network", "municipality"),
        default="network",
        help=_("org units (default: %(default)s)"),
    )
    publish_parser.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    publish_parser.add_argument(
        "--overwrite", action="store_true", help=_("replace the file if it exists")
    )

    backup_parser = commands.add_parser("backup", help=_("write a verified, encrypted backup"))
    _add_signed_in_options(backup_parser)
    backup_parser.add_argument(
        "--out", type=Path, required=True, help=_("the backup file (.havre), or a folder")
    )
    backup_parser.add_argument(
        "--overwrite", action="store_true", help=_("replace the file if it exists")
    )
    restore_parser = commands.add_parser(
        "restore", help=_("verify a backup, then put it in place of the desk")
    )
    restore_parser.add_argument(
        "--from", dest="backup", type=Path, required=True, help=_("the backup file (.havre)")
    )
    restore_parser.add_argument(
        "--db", type=Path, required=True, help=_("the desk database to replace")
    )
    restore_parser.add_argument(
        "--user",
        required=True,
        help=_(
            "an administrator of the desk being replaced, with an account of the same name "
            "in the backup"
        ),
    )
    _add_password_options(restore_parser)
    restore_parser.add_argument(
        "--backup-user", help=_("the account of the backup, if its name differs")
    )
    restore_parser.add_argument(
        "--backup-password-file",
        type=Path,
        help=_("the backup account's password, if it differs (read from this file)"),
    )
    restore_parser.add_argument(
        "--other-desk",
        action="store_true",
        help=_("put a backup of another desk in place of this one (asks to confirm)"),
    )
    restore_parser.add_argument(
        "--yes", action="store_true", help=_("confirm --other-desk without asking")
    )
    restore_parser.add_argument(
        "--authority",
        metavar="FINGERPRINT",
        help=_(
            "the authority fingerprint on the recovery sheet of the backup's desk: needed "
            "when the desk to replace is missing or does not open, and with --other-desk"
        ),
    )

    rotate_parser = commands.add_parser(
        "rotate-key",
        help=_("re-encrypt the desk under a new data key, after a verified backup (admin)"),
    )
    _add_signed_in_options(rotate_parser)
    rotate_parser.add_argument(
        "--backup",
        type=Path,
        required=True,
        help=_("where the backup made first goes: a .havre file, or a folder"),
    )

    audit_parser = commands.add_parser("audit", help=_("the audit log"))
    _add_signed_in_options(audit_parser)
    audit_actions = audit_parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    audit_verify = audit_actions.add_parser(
        "verify", help=_("verify the chain of the audit log and its signatures")
    )
    audit_verify.add_argument(
        "--anchor", help=_("an anchor kept outside the desk, to check that the log still holds it")
    )
    audit_anchor = audit_actions.add_parser(
        "anchor", help=_("print an anchor of the audit log, to keep outside the desk")
    )
    audit_anchor.add_argument("--out", type=Path, help=_("write it to this file too"))
    audit_export = audit_actions.add_parser(
        "export", help=_("write the audit log as CSV for the data protection officer")
    )
    audit_export.add_argument("--out", type=Path, required=True, help=_("the CSV file to write"))

    directory_parser = commands.add_parser("directory", help=_("signed directory packs"))
    _add_signed_in_options(directory_parser)
    pack_actions = directory_parser.add_subparsers(
        dest="action", metavar=_("ACTION"), required=True
    )
    export = pack_actions.add_parser("export-pack", help=_("write the next signed pack"))
    export.add_argument("file", type=Path, help=_("the pack file to write"))
    import_ = pack_actions.add_parser("import-pack", help=_("preview, then import a pack"))
    import_.add_argument("file", type=Path, help=_("the pack file to read"))
    import_.add_argument(
        "--yes", action="store_true", help=_("import without asking after the preview")
    )

    brochure = commands.add_parser(
        "brochure", help=_("print the brochure, wallet card or referral slip as a PDF")
    )
    brochure.add_argument(
        "--lang", dest="brochure_language", required=True, help=_("language of the material")
    )
    brochure.add_argument(
        "--municipality", help=_("NIS code of the municipality whose help services are listed")
    )
    brochure.add_argument(
        "--format",
        dest="layout",
        choices=PRINT_FORMATS,
        default=PRINT_FORMATS[0],
        help=_("what to print (default: %(default)s)"),
    )
    brochure.add_argument("--partner", help=_("directory key of the service on a referral slip"))
    brochure.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    brochure.add_argument(
        "--db", type=Path, help=_("use this desk's directory and count the hand-out")
    )
    brochure.add_argument("--user", help=_("your user name (with --db)"))
    _add_password_options(brochure)

    check = commands.add_parser("selfcheck", help=_("check that this installation works"))
    check.add_argument(
        "--no-crash-dialog",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("report unexpected errors on the console only (for scripts and CI)"),
    )
    return parser


def _add_signed_in_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, help=_("the desk database"))
    parser.add_argument("--user", required=True, help=_("your user name"))
    _add_password_options(parser)


def _add_password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password-file", type=Path, help=_("read the password from this file"))
    group.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )


def main(argv: Sequence[str], frontend: Callable[[], Frontend]) -> int:
    owner_only()
    args = _window_options(argv)
    if args is None:
        i18n.set_language(_language_from_environment(argv))
        _route_argparse_messages()
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command == "demo":
            _check_demo_options(parser, args)
    if args.command is None:
        return frontend().run_gui(
            GuiOptions(
                database=args.db,
                language=args.lang,
                crash_dialog=not args.no_crash_dialog,
                exit_after_start=args.exit_after_start,
            )
        )
    # The headless commands load the database stack; the GUI must not wait for it before
    # showing the sign-in screen (start-up budget, docs/architecture.md), so it is imported
    # only here.
    from app import commands

    return commands.run(args, frontend)


_WINDOW_OPTIONS_WITH_VALUES = ("--db", "--lang")
_WINDOW_FLAGS = ("--no-crash-dialog", "--exit-after-start", "--version")


def _window_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The window's options when `argv` holds them alone, well formed; None for anything
    else (a command, a call for help, a mistake), which the full parser reads and answers
    in the person's language. The window waits neither for every command's parser nor for
    that language's catalogue (start-up budget, docs/architecture.md): it shows in its
    own."""
    value_next = False
    for word in argv:
        name = word.split("=", 1)[0]
        if value_next:
            value_next = False
        elif name in _WINDOW_OPTIONS_WITH_VALUES:
            value_next = "=" not in word
        elif word not in _WINDOW_FLAGS:
            return None
    try:
        args = _window_parser(exit_on_error=False).parse_args(argv)
    except argparse.ArgumentError:
        return None
    args.command = None
    return args


def owner_only() -> None:
    """Every file and folder Havre makes is its user's alone: the database and its WAL
    and SHM (SQLite gives them the database's mode), backups and their key files, exports,
    publications, logs. On POSIX the process umask does it for every way a file is made;
    on Windows the files inherit the ACL of the user's profile folder
    (docs/security-model.md). The one exception: the files of a desk in a folder shared
    by a group take its group permissions (app/files.py desk_file_mode)."""
    if os.name == "posix":
        os.umask(0o077)


def _check_demo_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The desks of `demo --network` have their own codes, municipalities and size."""
    if args.network is None:
        return
    options = {"--desk-code": args.desk_code, "--nis": args.nis, "--scale": args.scale}
    given = [option for option, value in options.items() if value is not None]
    if given:
        parser.error(
            _("{options}: only with --db (the network's desks have their own)").format(
                options=", ".join(given)
            )
        )


def _language_from_environment(argv: Sequence[str]) -> str:
    options = _global_options(argv)
    if "--lang" in options[:-1]:
        wanted = options[options.index("--lang") + 1]
        if wanted in i18n.LANGUAGE_CODES:
            return wanted
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(variable, "")[:2].lower()
        if code in i18n.LANGUAGE_CODES:
            return code
    return "en"


def _global_options(argv: Sequence[str]) -> list[str]:
    """The options before the command: after it, `--lang` is the command's own (the desk's
    language for `init`, the material's for `brochure`), not the language of Havre."""
    end = 0
    while end < len(argv) and argv[end].startswith("-"):
        end += 2 if argv[end] in ("--db", "--lang") else 1
    return list(argv[:end])


def _route_argparse_messages() -> None:
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
