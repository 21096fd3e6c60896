"""`make screenshots`: render the main screens offscreen, in French and Dutch, into
docs/screenshots/ (shown in the README; look at them after every UI change)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from app import crypto
from app.domain.accounts import NewAccount
from app.domain.codes import RequestType
from app.domain.roles import Role
from app.instance_lock import DeskLock
from app.services import accounts, auth, demo_data
from app.services.desk import create_desk, working_desk_setup
from ui import tasks
from ui.application import HavreApplication, apply_language
from ui.dialogs.session_dialog import SessionDialog
from ui.main_window import MainWindow
from ui.pages.case_list_page import CaseListPage
from ui.settings import UiSettings
from ui.wizard import ADMIN, DESK, RECOVERY, SetupWizard

PASSWORD = "harbour lantern blue 42"
KDF = crypto.KdfParams(crypto.MIN_MEMORY_KIB, crypto.MIN_TIME_COST)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get ready")
        QApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, folder: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(folder / f"{name}.png"))


def discard(widget: QWidget) -> None:
    """Delete a window while the application still exists (not at interpreter exit)."""
    widget.close()
    widget.deleteLater()
    QApplication.processEvents()


def wizard_screens(folder: Path, code: str, work: Path) -> None:
    wizard = SetupWizard(ask_language=True)
    wizard.resize(760, 560)
    wizard.show()
    save(wizard, folder, f"wizard-welcome-{code}")
    wizard.next()
    assert wizard.currentId() == DESK
    desk_page = wizard.desk_page
    desk_page.desk_name.setText(
        "Permanence Saint-Gilles" if code == "fr" else "Permanentie Sint-Gillis"
    )
    desk_page.desk_code.setText("SG")
    desk_page.organisation.setText("Commune de Saint-Gilles / Gemeente Sint-Gillis")
    desk_page.municipality.setCurrentIndex(desk_page.municipality.findData("21013"))
    save(wizard, folder, f"wizard-desk-{code}")
    wizard.next()
    wizard.folder_page.folder.setText(str(work / f"wizard-{code}"))
    wizard.next()
    assert wizard.currentId() == ADMIN
    admin = wizard.admin_page
    admin.user_name.setText("a.dupont")
    admin.display_name.setText("Anne Dupont")
    admin.password.edit.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)
    save(wizard, folder, f"wizard-admin-{code}")
    wizard.next()
    wait_until(lambda: wizard.currentId() == RECOVERY)
    save(wizard, folder, f"wizard-recovery-{code}")
    discard(wizard)


def desk_screens(folder: Path, code: str, work: Path) -> None:
    database = work / f"desk-{code}" / "desk.havre"
    database.parent.mkdir()
    admin = NewAccount(
        "a.dupont", "Anne Dupont", frozenset({Role.ADMIN, Role.COORDINATOR}), PASSWORD
    )
    create_desk(
        replace(
            working_desk_setup(database, "Permanence Saint-Gilles", "SG", admin, language=code),
            organisation="Commune de Saint-Gilles",
            other_accounts=(
                NewAccount("m.janssens", "Marie Janssens", frozenset({Role.RECEPTION}), PASSWORD),
                NewAccount("k.elamrani", "Karim El Amrani", frozenset({Role.COUNSELLOR}), PASSWORD),
                NewAccount(
                    "s.peeters",
                    "Sofie Peeters",
                    frozenset({Role.COUNSELLOR, Role.RECEPTION}),
                    PASSWORD,
                ),
            ),
        ),
        kdf=KDF,
    )
    opened = auth.unlock(database, "a.dupont", PASSWORD)
    karim = next(u for u in accounts.list_users(opened) if u.user_name == "k.elamrani")
    accounts.disable_user(opened, karim.id)
    opened.close()
    reception = auth.unlock(database, "m.janssens", PASSWORD)
    demo_data.fill(reception, demo_data.Scale(persons=120, sessions=400, years=1), seed=7)
    reception.close()

    window = MainWindow(DeskLock(database), UiSettings(work / f"ui-{code}.ini"))
    window.desk_lock.acquire()
    window.resize(1180, 720)
    window.show()
    save(window, folder, f"unlock-{code}")
    window.lock_screen.user_name.setText("a.dupont")
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.sign_in()
    wait_until(lambda: window.desk is not None)
    window.show_page("admin")
    wait_until(lambda: window.workspace.admin_page.model.rowCount() == 4)
    window.workspace.admin_page.table.selectRow(1)
    save(window, folder, f"main-admin-{code}")
    window.show_page("account")
    save(window, folder, f"main-account-{code}")
    window.lock()
    case_screens(window, folder, code)
    window.close()
    tasks.wait_for_all()
    discard(window)


def case_screens(window: MainWindow, folder: Path, code: str) -> None:
    """Intake, case list, case page and session form, as a counsellor at the desk sees them."""
    window.lock_screen.user_name.setText("s.peeters")
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.sign_in()
    wait_until(lambda: window.desk is not None)
    workspace = window.workspace
    window.show_page("intake")
    page = workspace.intake_page
    page.identity.pseudonym.setText("Nadia")
    page.person.age.setText("34")
    page.person.sex.set_value("female")
    page.person.municipality.setCurrentIndex(page.person.municipality.findData("21013"))
    page.requests.boxes[RequestType.LISTENING].setChecked(True)
    page.identity.may_recontact.set_value("no")
    page.situation.relationship.set_value("partner_former")
    page.situation.forms.set_value(["psychological_verbal", "threats", "economic"])
    save(window, folder, f"intake-{code}")
    window.show_page("cases")
    cases_page = workspace.case_list_page
    wait_until(lambda: cases_page.model.rowCount() > 0)
    wait_until(lambda: cases_page.model.loaded_row(0) is not None)
    save(window, folder, f"cases-{code}")
    workspace.open_case(_case_with_sessions(cases_page))
    wait_until(lambda: workspace.case_page.detail is not None)
    save(window, folder, f"case-{code}")
    detail = workspace.case_page.detail
    assert detail is not None
    dialog = SessionDialog(detail.code, lambda _id, _form: None, parent=window)
    dialog.topics.set_value(["rights", "safety_planning"])
    dialog.risk_tool.set_value("rti_partnergeweld")
    dialog.risk_level.set_value("medium")
    dialog.notes.setPlainText("…")
    dialog.show()
    save(dialog, folder, f"session-{code}")
    discard(dialog)
    window.lock()


def _case_with_sessions(page: CaseListPage) -> str:
    for row in range(page.model.rowCount()):
        loaded = page.model.loaded_row(row)
        if loaded is not None and loaded.sessions >= 2 and loaded.pseudonym:
            return loaded.id
    return page.model.case_id(0)


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    HavreApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="havre-shots-") as work:
        for code in ("fr", "nl"):
            apply_language(code)
            wizard_screens(folder, code, Path(work))
            desk_screens(folder, code, Path(work))
    print(f"screenshots written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
