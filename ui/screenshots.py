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
from app.domain.roles import Role
from app.instance_lock import DeskLock
from app.services import accounts, auth
from app.services.desk import create_desk, working_desk_setup
from ui import tasks
from ui.application import HavreApplication, apply_language
from ui.main_window import MainWindow
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
    auth.unlock(database, "m.janssens", PASSWORD).close()

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
    window.close()
    tasks.wait_for_all()
    discard(window)


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
