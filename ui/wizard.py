"""The set-up wizard: a new desk (or a demo desk) in a few steps, ending with the recovery
key shown once, to be printed and sealed."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import clock, desk_places, i18n, keyfile, paths
from app.desk_places import Machine, System
from app.domain import municipalities, validation
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.errors import DatabaseExists, HavreError, ValidationError
from app.i18n import _
from app.machine_facts import this_machine
from app.progress import Progress
from app.services import demo
from app.services.desk import CreatedDesk, DeskSetup, check_setup, create_desk
from ui import prompts, style, tasks
from ui.printing import print_html, recovery_sheet_html
from ui.style import Tone
from ui.widgets.month_picker import month_label
from ui.widgets.named_row import add_named_row
from ui.widgets.password_field import PasswordWithStrength, password_edit

WELCOME, DESK, FOLDER, ADMIN, CREATE, RECOVERY, DEMO = range(7)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    style.tone(label, Tone.ERROR)
    return label


def _shown_once_label() -> QLabel:
    """A secret shown only once (recovery key, demo password): large, easy to copy by hand."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    style.tone(label, Tone.SECRET)
    return label


class WelcomePage(QWizardPage):
    def __init__(self, ask_language: bool) -> None:
        super().__init__()
        self.setTitle(_("Welcome to Havre"))
        self.setSubTitle(_("Havre keeps the desk's records encrypted on this computer only."))
        self.language = QComboBox()
        for language in i18n.LANGUAGES:
            self.language.addItem(language.native_name, language.code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.setAccessibleName(_("Language"))
        self.real = QRadioButton(_("Set up the desk of my service"))
        self.demo = QRadioButton(_("Try Havre with demo desks (synthetic data, kept apart)"))
        demo_note = QLabel(
            _(
                "A network coordinator's desk and the desks of the five municipalities of "
                "police zone Secova, which have sent it a year of counts: every screen can "
                "be tried."
            )
        )
        demo_note.setWordWrap(True)
        demo_note.setContentsMargins(24, 0, 0, 0)
        self.real.setChecked(True)
        # Choosing the demo commits: the next page makes the desks, and going back to this
        # one while they are made must not start a second making.
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Create the demo desks"))
        self.demo.toggled.connect(self.setCommitPage)
        layout = QVBoxLayout(self)
        if ask_language:
            row = QHBoxLayout()
            row.addWidget(QLabel(_("Language")))
            row.addWidget(self.language)
            row.addStretch()
            layout.addLayout(row)
            layout.addSpacing(12)
        layout.addWidget(self.real)
        layout.addWidget(self.demo)
        layout.addWidget(demo_note)
        layout.addStretch()

    def nextId(self) -> int:
        return CREATE if self.demo.isChecked() else DESK


class DeskPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The desk"))
        self.setSubTitle(
            _(
                "Choose a discreet desk name: it appears inside Havre and on exports, never "
                "in the window title."
            )
        )
        self.desk_name = QLineEdit()
        self.desk_code = QLineEdit()
        self.desk_code.setMaxLength(8)
        self.desk_code.setPlaceholderText(_("e.g. SG"))
        self.organisation = QLineEdit()
        self.municipality = QComboBox()
        language = i18n.current_language()
        for place in municipalities.sorted_for(language):
            self.municipality.addItem(f"{place.name(language)} ({place.nis_code})", place.nis_code)
        self.municipality.setCurrentIndex(-1)
        self.municipality.setEditable(True)
        self.municipality.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        search = self.municipality.lineEdit()
        assert search is not None
        search.setPlaceholderText(_("Type to search, e.g. Saint-Gilles"))
        self.network = QLineEdit()
        self.network.setPlaceholderText(_("optional, e.g. STOPP VIF"))
        self.error = _error_label()
        form = QFormLayout(self)
        add_named_row(form, _("Desk name"), self.desk_name)
        add_named_row(form, _("Desk code"), self.desk_code)
        add_named_row(form, _("Organisation"), self.organisation)
        add_named_row(form, _("Municipality"), self.municipality)
        add_named_row(form, _("Network"), self.network)
        form.addRow(self.error)

    def nis_code(self) -> str:
        index = self.municipality.findText(self.municipality.currentText())
        return str(self.municipality.itemData(index)) if index >= 0 else ""

    def validatePage(self) -> bool:
        try:
            validation.clean_text(self.desk_name.text(), "desk_name", _("The desk name"), 120)
            validation.desk_code(self.desk_code.text())
            validation.clean_text(
                self.organisation.text(), "organisation", _("The organisation"), 160
            )
            municipalities.municipality(self.nis_code())
        except ValidationError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        return True


# How far a choice's folder and explanation sit right of the choice: past its round button.
CHOICE_INDENT = 24


class FolderPage(QWizardPage):
    """For one OS account (the personal folder), for all the accounts of this PC (the
    shared folder, offered only once IT has made it ready), or another folder."""

    def __init__(self, machine: Machine) -> None:
        super().__init__()
        self.machine = machine
        self.setTitle(_("Where to keep the desk"))
        self.setSubTitle(
            _(
                "Keep it on this computer's own disk (not a network share). Back up the desk "
                "and its key file together."
            )
        )
        self.personal = QRadioButton(
            _("For me only (this Windows account)")
            if machine.system is System.WINDOWS
            else _("For me only (my account on this computer)")
        )
        self.shared = QRadioButton(_("Shared by the accounts of this PC"))
        self.other = QRadioButton(_("In another folder"))
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName(_("Other folder"))
        self.folder.setPlaceholderText(_("Choose a folder on this PC's own disk"))
        change = QPushButton(_("Change…"))
        change.clicked.connect(self._choose)
        shared = desk_places.shared_folder(machine)
        self.shared_reason = QLabel(shared.problem or "")
        self.shared_reason.setWordWrap(True)
        self.shared_reason.setIndent(CHOICE_INDENT)
        style.tone(self.shared_reason, Tone.WARNING)
        self.shared_reason.setVisible(not shared.ready)
        self.shared.setEnabled(shared.ready)
        (self.shared if shared.ready else self.personal).setChecked(True)
        row = QHBoxLayout()
        row.addSpacing(CHOICE_INDENT)  # under its choice, as the folders of the others
        row.addWidget(self.folder, 1)
        row.addWidget(change)
        self.error = _error_label()
        self.error.setIndent(CHOICE_INDENT)
        layout = QVBoxLayout(self)
        left = Qt.AlignmentFlag.AlignLeft  # a click beside a choice's words does not choose it
        layout.addWidget(self.personal, 0, left)
        layout.addWidget(_folder_note(machine.personal))
        layout.addWidget(self.shared, 0, left)
        layout.addWidget(_folder_note(machine.shared))
        layout.addWidget(self.shared_reason)
        layout.addWidget(self.other, 0, left)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch()
        for choice in (self.personal, self.shared, self.other):
            choice.toggled.connect(self._check_choice)

    def database(self) -> Path:
        if self.personal.isChecked():
            return Path(self.machine.personal) / desk_places.DESK_FILE_NAME
        if self.shared.isChecked():
            return Path(self.machine.shared) / desk_places.DESK_FILE_NAME
        return Path(self.folder.text()) / desk_places.DESK_FILE_NAME

    def _choose(self) -> None:
        start = Path(self.folder.text() or self.machine.personal)
        chosen = prompts.choose_folder(self, start)
        if chosen is not None:
            self.folder.setText(str(chosen))
            self.other.setChecked(True)
            self._check_choice()

    def _check_choice(self) -> None:
        """A place where the desk may not live is said at once, under the folder."""
        if self.other.isChecked() and not self.folder.text():
            self.error.clear()
            return
        refusal = desk_places.danger(self.machine, self.database())
        self.error.setText("" if refusal is None else str(refusal))

    def validatePage(self) -> bool:
        if self.other.isChecked() and not self.folder.text():
            self.error.setText(_("Choose the folder with the button beside the field."))
            return False
        database = self.database()
        try:
            desk_places.check_desk_folder(database, self.machine)
            if database.exists() or keyfile.path_for(database).exists():
                raise DatabaseExists(database)
        except HavreError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        return True


def _folder_note(folder: str) -> QLabel:
    note = QLabel(folder)
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setIndent(CHOICE_INDENT)
    style.tone(note, Tone.SMALL_NOTE)
    return note


class AdminAccountPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The first administrator"))
        self.setSubTitle(_("This account manages the desk: other accounts, settings and backups."))
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText(_("e.g. a.dupont"))
        self.display_name = QLineEdit()
        self.also = {role: QCheckBox(role.label) for role in Role if role is not Role.ADMIN}
        self.also[Role.COORDINATOR].setChecked(True)
        roles_row = QHBoxLayout()
        for box in self.also.values():
            roles_row.addWidget(box)
        roles_row.addStretch()
        self.password = PasswordWithStrength(self.user_name.text)
        self.repeat = password_edit()
        self.error = _error_label()
        form = QFormLayout(self)
        add_named_row(form, _("User name"), self.user_name)
        add_named_row(form, _("Full name"), self.display_name)
        form.addRow(_("Other roles"), roles_row)
        form.addRow(_("Password"), self.password)
        add_named_row(form, _("Repeat the password"), self.repeat)
        form.addRow(self.error)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Create the desk"))

    def account(self) -> NewAccount:
        roles = {Role.ADMIN, *(role for role, box in self.also.items() if box.isChecked())}
        return NewAccount(
            self.user_name.text(),
            self.display_name.text(),
            frozenset(roles),
            self.password.password(),
        )

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        try:
            if self.password.password() != self.repeat.text():
                raise ValidationError(_("The two passwords differ."), field="password")
            wizard.setup = check_setup(wizard.collect_setup())
        except ValidationError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        return True


class CreatePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Creating the desk"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = _error_label()
        self.retry = QPushButton(_("Try again"))
        self.retry.hide()
        self.retry.clicked.connect(self._start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.retry)
        layout.addStretch()
        self.created: CreatedDesk | None = None
        # Never pressed: the page moves on by itself once the desk is made.
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Continue"))

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        if wizard.is_demo():
            self.setTitle(_("Creating the demo desks"))
            self.status.setText(
                _(
                    "Havre makes the network coordinator's desk and the desks of Aywaille, "
                    "Chaudfontaine, Esneux, Sprimont and Trooz, fills them with synthetic "
                    "cases, then each desk sends the network its counts of the last twelve "
                    "months. This takes a minute or two."
                )
            )
        else:
            self.status.setText(
                _(
                    "Havre measures this computer's speed to protect the passwords, then "
                    "creates the encrypted database. This takes a few seconds."
                )
            )
        self._start()

    def _start(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        # Back to this page (or a second click) while the desk is being made, or once it is
        # made, starts nothing: there is one desk to make.
        if not wizard.start_creation():
            return
        self.error.clear()
        self.retry.hide()
        progress = Progress()
        tasks.run(
            self,
            wizard.creation(progress),
            self._created,
            self._failed,
            progress=progress,
            title=self.title(),
        )

    def _created(self, made: CreatedDesk | demo.DemoNetwork) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        self.created = wizard.creation_done(made)
        self.completeChanged.emit()
        self.wizard().next()

    def _failed(self, error: BaseException) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        wizard.creation_failed()
        if not isinstance(error, HavreError):
            tasks.report_failure(self, error)
        self.error.setText(str(error))
        self.retry.show()

    def isComplete(self) -> bool:
        return self.created is not None

    def nextId(self) -> int:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return DEMO if wizard.is_demo() else RECOVERY


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The recovery key"))
        self.setSubTitle(
            _(
                "It is shown only now. Print it (or copy it by hand), seal it in an envelope "
                "and keep it in a safe place."
            )
        )
        self.key = _shown_once_label()
        explain = QLabel(
            _(
                "If every administrator forgets their password, this key is the only way back "
                "into the desk. Whoever holds it can reset any password."
            )
        )
        explain.setWordWrap(True)
        self.print_button = QPushButton(_("Print the recovery key…"))
        self.print_button.clicked.connect(self._print)
        self.confirmed = QCheckBox(
            _("I have printed or written down the recovery key and will keep it sealed.")
        )
        self.confirmed.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addWidget(explain)
        layout.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch()
        layout.addWidget(self.confirmed)
        self.created_at = clock.now()

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard) and wizard.created is not None
        wizard.show_final_page()
        self.key.setText(wizard.created.recovery_key)
        self.created_at = clock.now()

    def _print(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard) and wizard.created and wizard.setup
        printer = prompts.choose_printer(self, _("Print the recovery key"))
        if printer is not None:
            print_html(
                printer,
                recovery_sheet_html(
                    wizard.setup.desk_name,
                    wizard.created.recovery_key,
                    wizard.created.authority_fingerprint,
                    self.created_at,
                ),
            )

    def isComplete(self) -> bool:
        return self.confirmed.isChecked()

    def nextId(self) -> int:
        return -1


class DemoPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Your demo desks are ready"))
        self.setSubTitle(_("The password is shown only now: write it down."))
        self.accounts = QLabel()
        self.accounts.setWordWrap(True)
        self.password = _shown_once_label()
        self.desks = QLabel()
        self.desks.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.desks.setWordWrap(True)
        self.roles = QLabel(
            _(
                "Each account sees what its role allows: reception records contacts, the "
                "counsellor holds the sessions and their notes, the coordinator the counts, "
                "the network and its publication, the administrator the accounts, backups "
                "and retention."
            )
        )
        self.roles.setWordWrap(True)
        layout = QVBoxLayout(self)
        for label in (self.accounts, self.password, self.desks, self.roles):
            layout.addWidget(label)
            layout.addSpacing(6)
        layout.addStretch()

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard) and wizard.demo_network is not None
        wizard.show_final_page()
        made = wizard.demo_network
        names = ", ".join(f"<b>{name}</b>" for name, _roles in demo.DEMO_ACCOUNTS)
        self.accounts.setText(
            _(
                "Sign in with one of these accounts: {names}. On every demo desk they all "
                "have this password:"
            ).format(names=names)
        )
        self.password.setText(wizard.demo_password)
        members = ", ".join(created.database.name for created in made.members)
        self.desks.setText(
            # TRANSLATORS: {button} is the sign-in screen's button “Open another desk…”.
            _(
                "The network coordinator's desk, {network}, opens now: its Network page holds "
                "the counts of {first} to {last} sent by the desks {members}. They are all in "
                "the folder {folder}, apart from any real desk; open another one with "
                "“{button}” on the sign-in screen."
            ).format(
                network=f"<b>{made.network.database.name}</b>",
                first=month_label(made.months[0]),
                last=month_label(made.months[-1]),
                members=members,
                folder=html.escape(str(made.folder)),
                # As the sign-in screen (ui/lock_screen.py) names it, in any language.
                button=_("Open another desk…"),
            )
        )

    def nextId(self) -> int:
        return -1


class SetupWizard(QWizard):
    desk_created = Signal(Path)
    language_chosen = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        ask_language: bool = False,
        machine: Machine | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up Havre"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(640, 480)
        self.setup: DeskSetup | None = None
        self.created: CreatedDesk | None = None
        self.demo_network: demo.DemoNetwork | None = None
        self.creating = False
        self.demo_password = demo.new_demo_password()
        self.welcome = WelcomePage(ask_language)
        self.desk_page = DeskPage()
        self.folder_page = FolderPage(machine or this_machine())
        self.admin_page = AdminAccountPage()
        self.create_page = CreatePage()
        self.recovery_page = RecoveryPage()
        self.demo_page = DemoPage()
        for page_id, page in (
            (WELCOME, self.welcome),
            (DESK, self.desk_page),
            (FOLDER, self.folder_page),
            (ADMIN, self.admin_page),
            (CREATE, self.create_page),
            (RECOVERY, self.recovery_page),
            (DEMO, self.demo_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(WELCOME)
        self.welcome.language.currentIndexChanged.connect(
            lambda _index: self.language_chosen.emit(self.welcome.language.currentData())
        )
        self.accepted.connect(self._finished)

    def reject(self) -> None:
        # While the desk is being made there is nothing to cancel midway; once it exists,
        # leaving without seeing the recovery key (or the demo password) would lose them:
        # the wizard can only be finished.
        if self.created is None and not self.creating:
            super().reject()

    def show_final_page(self) -> None:
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def is_demo(self) -> bool:
        return self.welcome.demo.isChecked()

    def start_creation(self) -> bool:
        """Whether a creation may start now: never a second one beside the first."""
        if self.creating or self.created is not None:
            return False
        self.creating = True
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        return True

    def creation_done(self, made: CreatedDesk | demo.DemoNetwork) -> CreatedDesk:
        """Keeps what the creation made (on the GUI thread); returns the desk to open."""
        self.creating = False
        if isinstance(made, demo.DemoNetwork):
            self.demo_network = made
            self.created = made.network
        else:
            self.created = made
        return self.created

    def creation_failed(self) -> None:
        self.creating = False
        self.setOption(QWizard.WizardOption.NoCancelButton, False)

    def collect_setup(self) -> DeskSetup:
        return DeskSetup(
            database=self.folder_page.database(),
            desk_name=self.desk_page.desk_name.text(),
            desk_code=self.desk_page.desk_code.text(),
            organisation=self.desk_page.organisation.text(),
            nis_code=self.desk_page.nis_code(),
            network_name=self.desk_page.network.text(),
            language=i18n.current_language(),
            admin=self.admin_page.account(),
        )

    def creation(self, progress: Progress) -> Callable[[], CreatedDesk | demo.DemoNetwork]:
        """What to make, read off the pages here on the GUI thread: the work returned runs
        on the database thread with plain values only. A demo goes to a new folder of its
        own."""
        if self.is_demo():
            stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
            folder = paths.default_demo_dir() / f"demo-{stamp}"
            password = self.demo_password
            return lambda: _make_demo(folder, password, progress.step)
        setup = self.setup
        assert setup is not None
        return lambda: create_desk(setup)

    def _finished(self) -> None:
        if self.created is not None:
            self.desk_created.emit(self.created.database)


def _make_demo(folder: Path, password: str, progress: demo.Progress) -> demo.DemoNetwork:
    """The demo network in `folder`, once the leftovers of a demo whose making was cut short
    (the computer stopped) are gone: the wizard makes one demo at a time."""
    demo.remove_unfinished(folder.parent)
    return demo.create_demo_network(folder, password, progress=progress)
