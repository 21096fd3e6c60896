"""The unlocked desk: the pages the signed-in person may use, and what happens to them at
a lock (drafts kept encrypted, every page emptied) and at the next unlock (drafts and the
same page given back)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from app.domain.accounts import UserInfo
from app.domain.roles import Role, roles_label
from app.errors import HavreError
from app.i18n import _, format_datetime, ngettext
from app.services import (
    accounts,
    auth,
    backup,
    desk_settings,
    directory,
    drafts,
    network_resources,
    notes_access,
    retention,
)
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.dialogs.password_dialog import PasswordDialog
from ui.pages.account_page import AccountPage
from ui.pages.activities_page import ActivitiesPage
from ui.pages.admin_page import AdminPage
from ui.pages.audit_page import AuditPage
from ui.pages.base import Page
from ui.pages.case_list_page import CaseListPage
from ui.pages.case_page import CasePage
from ui.pages.counts_page import CountsPage
from ui.pages.directory_page import DirectoryPage
from ui.pages.follow_up_page import FollowUpPage
from ui.pages.intake_page import IntakePage
from ui.pages.network_page import NetworkPage
from ui.pages.network_resources_page import NetworkResourcesPage
from ui.pages.printing_page import PrintingPage
from ui.settings import UiSettings
from ui.style import Tone
from ui.widgets import focus_path, screen_state, wheel_guard

log = logging.getLogger(__name__)
WINDOW_DRAFT = "_window"
#: the draft of a page's open dialog is kept under the page's key and this
DIALOG_DRAFT = "/dialog"
#: how often what is typed is written down (a crash or a power cut loses at most this)
AUTOSAVE_MS = 5_000


class Workspace(QWidget):
    idle_minutes_changed = Signal(int)
    lock_requested = Signal()
    rotation_requested = Signal(Path, str)
    language_changed = Signal(str)
    #: a note for the status line, found after the desk opened
    status_note = Signal(str)

    def __init__(self, settings: UiSettings) -> None:
        super().__init__()
        self.intake_page = IntakePage()
        self.case_list_page = CaseListPage()
        self.case_page = CasePage()
        self.follow_up_page = FollowUpPage()
        self.directory_page = DirectoryPage()
        self.printing_page = PrintingPage()
        self.activities_page = ActivitiesPage()
        self.counts_page = CountsPage()
        self.network_page = NetworkPage()
        self.network_resources_page = NetworkResourcesPage()
        self.admin_page = AdminPage()
        self.audit_page = AuditPage()
        self.account_page = AccountPage(settings)
        self.pages: list[Page] = [
            self.intake_page,
            self.case_list_page,
            self.case_page,
            self.follow_up_page,
            self.directory_page,
            self.printing_page,
            self.activities_page,
            self.counts_page,
            self.network_page,
            self.network_resources_page,
            self.admin_page,
            self.audit_page,
            self.account_page,
        ]
        self.intake_page.open_case.connect(self.open_case)
        self.case_list_page.open_case.connect(self.open_case)
        self.follow_up_page.open_case.connect(self.open_case)
        self.directory_page.refer.connect(self.case_page.refer_to)
        self.directory_page.print_slip.connect(self.print_slip)
        self.case_page.case_changed.connect(self.printing_page.set_case)
        self.printing_page.case_handout_counted.connect(self.case_page.reload)
        self.case_page.print_material.connect(lambda: self.show_page(self.printing_page.key))
        self.admin_page.idle_minutes_saved.connect(self.idle_minutes_changed)
        self.admin_page.rotation_requested.connect(self.rotation_requested)
        self.account_page.language_changed.connect(self.language_changed)
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(180)
        style.tone(self.navigation, Tone.NAVIGATION)
        self.navigation.setAccessibleName(_("Pages"))
        self.page_stack = QStackedWidget()
        for page in self.pages:
            self.page_stack.addWidget(page)
            wheel_guard.guard(page)
        # Each page as built, before anyone signed in: put back at every lock, so that
        # nobody finds a colleague's filters, searches, selections or scroll positions.
        self._first_screens = {page.key: screen_state.capture(page) for page in self.pages}
        self.navigation.currentItemChanged.connect(self._navigate)
        #: the desk while signed in, for the autosave
        self._desk: OpenDesk | None = None
        self._written: dict[str, dict[str, Any]] = {}
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        for page in self.pages:
            page.drafts_changed.connect(self.autosave)
        layout = QHBoxLayout(self)
        layout.addWidget(self.navigation)
        layout.addWidget(self.page_stack, 1)

    def allowed(self, page: Page, desk: OpenDesk) -> bool:
        return page.roles is None or any(desk.user.has(role) for role in page.roles)

    def enter(self, desk: OpenDesk) -> str:
        """Show the pages of `desk`'s user, with their drafts; returns the status line."""
        self.navigation.clear()
        for page in self.pages:
            if self.allowed(page, desk):
                item = QListWidgetItem(page.title)
                item.setData(Qt.ItemDataRole.UserRole, page.key)
                self.navigation.addItem(item)
                page.open_desk(desk)
        kept = drafts.load(desk)
        for page in self.pages:
            if page.key in kept and self.allowed(page, desk):
                page.offer_draft(kept[page.key])
        window = kept.get(WINDOW_DRAFT)
        self.show_page(window.values.get("page", "") if window else "")
        current = self.page_stack.currentWidget()
        if window is not None and isinstance(current, Page):
            focus = window.values.get("focus")
            QTimer.singleShot(0, current, lambda: focus_path.put_back(current, focus))
        for page in self.pages:
            dialog = kept.get(page.key + DIALOG_DRAFT)
            if dialog is not None and self.allowed(page, desk):
                page.reopen_dialog(dialog.values)
        self._written = {key: saved.values for key, saved in kept.items()}
        self._desk = desk
        self.autosave_timer.start()
        self.idle_minutes_changed.emit(desk_settings.idle_lock_minutes(desk))
        if desk.user.must_change_password:
            self._ask_own_password(desk)
        elif desk.holds_notes_key:
            tasks.run(self, lambda: notes_access.waiting(desk), self._offer_notes_access(desk))
        user = desk.user
        status = _("Signed in: {name} ({user}) · {roles} · {desk}").format(
            name=user.display_name,
            user=user.user_name,
            roles=roles_label(user.roles),
            desk=desk.desk.name,
        )
        if desk.desk.is_demo:
            status = _("DEMO DESK, synthetic data only") + " · " + status
        if desk.user.has(Role.ADMIN) and backup.backup_overdue(desk):
            status += " · " + _("Backup due: see Administration")
        if desk.user.has(Role.ADMIN):
            # In the background: on a large desk the check takes a moment, and the person
            # can start working meanwhile.
            tasks.run(
                self,
                lambda: retention.purge_due(desk),
                lambda due: self._note_purge_due(desk, due),
                lambda error: log.info("retention check not done: %s", error),
                busy_cursor=False,
            )
        if self.allowed(self.network_resources_page, desk):
            tasks.run(
                self,
                lambda: network_resources.renewals_due(desk),
                lambda due: self._note_renewals(desk, len(due)),
                lambda error: log.info("renewal check not done: %s", error),
                busy_cursor=False,
            )
        if desk.user.has_any(directory.UPKEEP_ROLES):
            tasks.run(
                self,
                lambda: directory.due_for_review(desk),
                lambda due: self._note_review(desk, len(due)),
                lambda error: log.info("directory review check not done: %s", error),
                busy_cursor=False,
            )
        return status

    def _note_review(self, desk: OpenDesk, due: int) -> None:
        if due and desk.is_open:
            self.status_note.emit(
                ngettext(
                    "{count} directory entry to review: see Directory",
                    "{count} directory entries to review: see Directory",
                    due,
                ).format(count=due)
            )

    def _note_renewals(self, desk: OpenDesk, due: int) -> None:
        if due and desk.is_open:
            self.status_note.emit(_("Agreement renewal to prepare: see Network resources"))

    def _note_purge_due(self, desk: OpenDesk, due: bool) -> None:
        # Not for a desk locked meanwhile: the next person's status line is theirs.
        if due and desk.is_open:
            self.status_note.emit(_("Purge due: see Administration"))

    def drafts(self) -> dict[str, dict[str, Any]]:
        """What is typed on every page and in the open dialog, and where the cursor is."""
        kept = {page.key: page.draft() for page in self.pages}
        kept.update({page.key + DIALOG_DRAFT: page.dialog_draft() for page in self.pages})
        current = self.page_stack.currentWidget()
        if isinstance(current, Page):
            kept[WINDOW_DRAFT] = {"page": current.key, "focus": focus_path.where(current)}
        return {key: values for key, values in kept.items() if values}

    def autosave(self) -> None:
        """Write the drafts down if they changed since last written: after a crash or a
        power cut, the same person finds them at the next sign-in."""
        desk = self._desk
        if desk is None:
            return
        current = self.drafts()
        if current == self._written:
            return
        self._written = current
        tasks.run(
            self,
            lambda: drafts.keep(desk, current) if desk.is_open else None,
            lambda _result: None,
            lambda error: log.warning("drafts not written: %s", error),
            busy_cursor=False,
        )

    def take_drafts(self) -> dict[str, dict[str, Any]]:
        """The drafts as the desk is about to lock, before its dialogs close; the autosave
        stops."""
        self.autosave_timer.stop()
        self._desk = None
        return self.drafts()

    def hand_over(self, desk: OpenDesk, kept: dict[str, dict[str, Any]]) -> None:
        """Write the drafts `kept` down and empty every page, the desk staying open: the
        window is built again (in another language) and takes them back."""
        self._empty()
        drafts.keep(desk, kept)

    def leave(self, desk: OpenDesk, kept: dict[str, dict[str, Any]]) -> None:
        """Keep the drafts `kept`, empty every page, then lock the desk (database closed, key
        gone)."""
        self._empty()
        try:
            drafts.keep(desk, kept)
            auth.lock(desk)
        except HavreError:
            log.exception("lock: drafts or audit could not be written")
        finally:
            desk.close()

    def _empty(self) -> None:
        for page in self.pages:
            page.clear()
            self._first_screens[page.key].restore()
        self.navigation.blockSignals(True)
        self.navigation.clear()
        self.navigation.blockSignals(False)

    def _ask_own_password(self, desk: OpenDesk) -> None:
        dialog = PasswordDialog(
            _("Choose your own password"),
            _(
                "Your password was set by an administrator. Choose your own now: type the "
                "password you just used, then your new one twice."
            ),
            lambda v: accounts.change_own_password(desk, v["current_password"], v["password"]),
            ask_current=True,
            user_name=desk.user.user_name,
            parent=self,
        )
        dialog.rejected.connect(self.lock_requested)
        dialog.open()

    def _offer_notes_access(self, desk: OpenDesk) -> Callable[[list[notes_access.Waiting]], None]:
        """Ask the counsellor who just signed in to give colleagues access to the notes: a
        person must vouch that they are counsellors here (see services/notes_access)."""

        def offer(waiting: list[notes_access.Waiting]) -> None:
            for asking in waiting:
                if not desk.is_open:
                    return  # locked meanwhile
                user = asking.user
                question = _(
                    "{name} ({user}) has the counsellor role but cannot read the counselling "
                    "notes yet. Give access only if you know this person is a counsellor of "
                    "your service."
                ).format(name=user.display_name, user=user.user_name)
                if asking.granted_at is not None:
                    question += " " + _("The role was granted by {granter} on {date}.").format(
                        granter=asking.granted_by, date=format_datetime(asking.granted_at)
                    )
                if prompts.confirm(self, question, _("Give access to the notes")):
                    self._give_notes_access(desk, user)

        return offer

    def _give_notes_access(self, desk: OpenDesk, user: UserInfo) -> None:
        done = _("{name} can now read the counselling notes.").format(name=user.display_name)
        tasks.run(
            self,
            lambda: notes_access.give(desk, user.id),
            lambda _result: prompts.show_info(self, done),
        )

    def open_case(self, case_id: str) -> None:
        self.case_page.show_case(case_id)
        self.show_page(self.case_page.key)

    def print_slip(self, partner_key: str) -> None:
        self.printing_page.choose_partner(partner_key)
        self.show_page(self.printing_page.key)

    def show_page(self, key: str) -> None:
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.setCurrentRow(row)
                return
        if self.navigation.count():
            self.navigation.setCurrentRow(0)

    def _navigate(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        self.page_stack.setCurrentWidget(next(p for p in self.pages if p.key == key))
