"""`make screenshots`: render the main screens offscreen, in French and Dutch, into
docs/screenshots/ (shown in the README; look at them after every UI change)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app import clock, crypto
from app.domain.accounts import NewAccount
from app.domain.codes import AttemptOutcome, ProtocolStatus, RequestType, ServiceType
from app.domain.periods import Month, last_closed_months
from app.domain.protocols import in_language
from app.domain.retention import RetentionPeriods
from app.domain.roles import Role
from app.instance_lock import DeskLock
from app.services import (
    accounts,
    auth,
    counts_export,
    demo_data,
    demo_follow_up,
    demo_resources,
    directory,
    directory_packs,
    keys,
    printing,
    protocols,
    publication,
    retention,
)
from app.services.desk import create_desk, working_desk_setup
from app.services.printing import Layout, Material, PrintRequest
from ui import tasks
from ui.application import HavreApplication, apply_language
from ui.dialogs.attempt_dialog import AttemptDialog
from ui.dialogs.pack_preview_dialog import PackPreviewDialog
from ui.dialogs.publication_dialog import PublicationDialog
from ui.dialogs.purge_dialog import PurgeDialog
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.main_window import MainWindow
from ui.pages.case_list_page import CaseListPage
from ui.settings import UiSettings
from ui.tasks import wait_until
from ui.widgets.dates import qdatetime
from ui.wizard import ADMIN, DESK, RECOVERY, SetupWizard

PASSWORD = "harbour lantern blue 42"
KDF = crypto.KdfParams(crypto.MIN_MEMORY_KIB, crypto.MIN_TIME_COST)


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
    wizard.folder_page.other.setChecked(True)
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
    demo_resources.fill_resources(reception, 1, reception.user.id, seed=7)
    demo_follow_up.fill_follow_up(reception, seed=7)
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
    wait_until(lambda: window.workspace.admin_page.accounts.model.rowCount() == 4)
    window.workspace.admin_page.accounts.table.selectRow(1)
    save(window, folder, f"main-admin-{code}")
    window.workspace.admin_page.tabs.setCurrentIndex(1)
    tasks.wait_for_all()
    QApplication.processEvents()
    save(window, folder, f"main-admin-data-{code}")
    purge_screen(window, folder, code)
    window.workspace.admin_page.tabs.setCurrentIndex(0)
    window.show_page("account")
    save(window, folder, f"main-account-{code}")
    pack_screen(window, folder, code, work)
    activities_screens(window, folder, code)
    counts_screen(window, folder, code, work)
    audit_screen(window, folder, code)
    network_resources_screens(window, folder, code)
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
    page.fields.set_values(
        {
            "pseudonym": "Nadia",
            "age": "34",
            "sex": "female",
            "municipality": "21013",
            "requests": [RequestType.LISTENING.value],
            "may_recontact": "no",
            "relationship": "partner_former",
            "forms": ["psychological_verbal", "threats", "economic"],
        }
    )
    save(window, folder, f"intake-{code}")
    protocol_screen(window, folder, code)
    follow_up_screens(window, folder, code)
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
    dialog.fields.set_values(
        {
            "topics": ["rights", "safety_planning"],
            "risk_tool": "rti_partnergeweld",
            "risk_level": "medium",
            "notes": "…",
        }
    )
    dialog.show()
    save(dialog, folder, f"session-{code}")
    discard(dialog)
    directory_screens(window, folder, code)
    printing_screen(window, folder, code)
    window.lock()


def protocol_screen(window: MainWindow, folder: Path, code: str) -> None:
    """The intake with the "immediate danger" protocol open beside it, two steps ticked."""
    page = window.workspace.intake_page
    page.protocol_button.setChecked(True)
    panel = page.protocol_panel
    wait_until(lambda: panel.choice.count() > 0)
    panel.choice.setCurrentIndex(panel.choice.findData("immediate_danger"))
    for index in (0, 1):
        panel.steps.item(index).setCheckState(Qt.CheckState.Checked)
    save(window, folder, f"intake-protocol-{code}")
    page.protocol_panel.reset()
    page.protocol_button.setChecked(False)


def follow_up_screens(window: MainWindow, folder: Path, code: str) -> None:
    """The call-backs due on a weekday morning, an attempt outside the person's safe times
    (warned, a reason asked), and tomorrow's appointments."""
    window.show_page("follow_up")
    page = window.workspace.follow_up_page
    day = clock.today()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    morning = clock.at(day, clock_time(10))
    clock.set_source(lambda: morning)  # the worklist of a weekday morning
    page.tabs.setCurrentIndex(0)
    callbacks = page.callbacks
    callbacks.load()
    wait_until(lambda: callbacks.table.records.rowCount() > 0)
    tasks.wait_for_all()
    save(window, folder, f"worklist-{code}")
    rows = callbacks.table.rows()
    morning_only = next((row for row in rows if len(row.safe_times) == 1), rows[0])
    callbacks.table.select(morning_only.item_id)
    callbacks.log_attempt()
    dialog = page.findChild(AttemptDialog)
    assert dialog is not None
    dialog.attempted_at.setDateTime(qdatetime(clock.at(day, clock_time(21, 30))))
    dialog.outcome.set_value(AttemptOutcome.NO_ANSWER)
    dialog.show()
    save(dialog, folder, f"attempt-{code}")
    discard(dialog)
    page.tabs.setCurrentIndex(1)
    page.agenda.day.setDate(page.agenda.day.date().addDays(1))
    wait_until(lambda: page.agenda.table.records.rowCount() > 0)
    tasks.wait_for_all()
    save(window, folder, f"appointments-day-{code}")
    page.tabs.setCurrentIndex(0)
    clock.set_source(None)


def network_resources_screens(window: MainWindow, folder: Path, code: str) -> None:
    """The network coordinator's register of referents, and the training plan."""
    window.show_page("network_resources")
    page = window.workspace.network_resources_page
    page.tabs.setCurrentIndex(0)
    wait_until(lambda: page.referents.model.rowCount() > 0)
    page.referents.table.selectRow(1)
    tasks.wait_for_all()
    save(window, folder, f"referents-{code}")
    page.tabs.setCurrentIndex(2)
    wait_until(lambda: page.trainings.model.rowCount() > 0)
    page.trainings.table.selectRow(page.trainings.model.rowCount() - 3)
    tasks.wait_for_all()
    save(window, folder, f"training-plan-{code}")
    page.tabs.setCurrentIndex(0)


def directory_screens(window: MainWindow, folder: Path, code: str) -> None:
    """The directory searched for a care centre, its details, and the referral it fills."""
    window.show_page("directory")
    page = window.workspace.directory_page.search
    page.search.setText("viol")
    page.kind.set_value(ServiceType.SVCC)
    wait_until(lambda: page.query().text == "viol" and page.model.rowCount() > 0)
    wait_until(lambda: not page._delay.isActive())
    tasks.wait_for_all()
    wait_until(
        lambda: page.model.rowCount() > 0 and page.model.entry(0).service_type is ServiceType.SVCC
    )
    page.table.selectRow(0)
    save(window, folder, f"directory-{code}")
    page.refer_button.click()
    dialog = window.workspace.case_page.findChild(ReferralDialog)
    assert dialog is not None
    save(dialog, folder, f"referral-{code}")
    discard(dialog)


def pack_screen(window: MainWindow, folder: Path, code: str, work: Path) -> None:
    """The preview of a directory pack from the network coordinator, before importing it."""
    desk = window.desk
    assert desk is not None
    network_db = work / f"network-{code}.havre"
    coordinator = NewAccount("coord", "Coordination", frozenset({Role.COORDINATOR}), PASSWORD)
    create_desk(
        working_desk_setup(network_db, "Réseau STOPP VIF", "SVIF", coordinator, language=code),
        kdf=KDF,
    )
    network = auth.unlock(network_db, "coord", PASSWORD)
    try:
        key_file = work / f"network-{code}.havre-key"
        key_file.write_bytes(keys.public_key_file(network))
        keys.trust(desk, keys.read_public_key_file(key_file))
        seniors = directory.entry(network, "respect-seniors")
        directory.save(network, replace(seniors, phone="0800 30 331"), is_new=False)
        directory.retire(network, "olista")
        danger = next(p for p in protocols.current(network) if p.key == "immediate_danger")
        protocols.save_edit(
            network,
            danger,
            code,
            danger.title_in(code),
            [in_language(step.text, code) for step in danger.steps],
            ProtocolStatus.APPROVED,
        )
        directory.save(
            network,
            replace(
                directory.entry(network, "stopp-vif"),
                key="stopp-vif-logement",
                names={
                    "fr": "STOPP VIF : logement d'urgence",
                    "nl": "STOPP VIF: noodwoning",
                },
            ),
            is_new=True,
        )
        pack = work / f"network-{code}{directory_packs.PACK_SUFFIX}"
        directory_packs.export_pack(network, pack)
    finally:
        network.close()
    window.show_page("directory")
    page = window.workspace.directory_page
    page.tabs.setCurrentWidget(page.entries)
    wait_until(lambda: page.entries.select("respect-seniors"))
    tasks.wait_for_all()
    save(window, folder, f"directory-upkeep-{code}")
    page.tabs.setCurrentWidget(page.packs)
    page.packs.preview(directory_packs.read_pack(desk, pack))
    dialog = page.findChild(PackPreviewDialog)
    assert dialog is not None
    save(dialog, folder, f"pack-import-{code}")
    discard(dialog)


def printing_screen(window: MainWindow, folder: Path, code: str) -> None:
    """The printing page with the preview of an A5 booklet, counted on the open case."""
    window.show_page("printing")
    page = window.workspace.printing_page
    layout = page.choices.layout_choice
    layout.setCurrentIndex(layout.findData(Layout.A5_BOOKLET))
    wait_until(page.print_button.isEnabled)
    save(window, folder, f"printing-{code}")


def activities_screens(window: MainWindow, folder: Path, code: str) -> None:
    """Last month's activities, and the housing units with their occupancy."""
    window.show_page("activities")
    page = window.workspace.activities_page
    last_month = Month.of(clock.today()).previous()
    page.month.setCurrentIndex(page.month.findData(str(last_month)))
    wait_until(lambda: bool(page.activities.rows()))
    tasks.wait_for_all()
    QApplication.processEvents()
    page.activities.table.selectRow(0)
    save(window, folder, f"activities-{code}")
    page.tabs.setCurrentIndex(1)  # the first unit chosen once read, with its stays
    wait_until(lambda: bool(page.housing.stays.rows()))
    tasks.wait_for_all()
    QApplication.processEvents()
    save(window, folder, f"housing-{code}")


def counts_screen(window: MainWindow, folder: Path, code: str, work: Path) -> None:
    """The export preview of last month, encrypted to the network coordinator of the pack."""
    desk = window.desk
    assert desk is not None
    keys.set_recipient(desk, keys.read_recipient(work / f"network-{code}.havre-key"))
    window.show_page("counts")
    page = window.workspace.counts_page
    page.reload()
    wait_until(lambda: page.preview.topLevelItemCount() > 0 and page._recipient is not None)
    tasks.wait_for_all()
    save(window, folder, f"counts-{code}")


def purge_screen(window: MainWindow, folder: Path, code: str) -> None:
    """The purge preview over a year of demo data, identities kept six months."""
    page = window.workspace.admin_page
    assert window.desk is not None
    retention.set_periods(window.desk, RetentionPeriods(identity=6, notes=24, case=60))
    page.desk_tab.retention.preview_button.click()
    wait_until(lambda: bool(page.findChildren(PurgeDialog)))
    dialog = page.findChildren(PurgeDialog)[0]
    QApplication.processEvents()
    save(dialog, folder, f"purge-preview-{code}")
    dialog.close()
    discard(dialog)


def audit_screen(window: MainWindow, folder: Path, code: str) -> None:
    """The audit log as the administrator sees it, its chain just verified."""
    window.show_page("audit")
    page = window.workspace.audit_page
    wait_until(lambda: page.table.records.rowCount() > 0)
    page.verify_button.click()
    wait_until(lambda: bool(page.verdict.text()))
    tasks.wait_for_all()
    QApplication.processEvents()
    save(window, folder, f"audit-{code}")


def network_screens(folder: Path, code: str, work: Path) -> None:
    """The network coordinator's desk: files of four desks dropped (one twice, one not a
    counts file), the months received, the charts, the publication dialog and the report."""
    network_db = work / f"network-{code}.havre"
    hub = auth.unlock(network_db, "coord", PASSWORD)
    hub_key = work / f"network-{code}.havre-key"
    files: list[Path] = []
    usb = work / f"usb-{code}"
    usb.mkdir()
    try:
        for index, (desk_code, nis, name) in enumerate(NETWORK_DESKS):
            database = work / f"{desk_code}-{code}.havre"
            member = NewAccount(
                "coord", "Coordination", frozenset({Role.COORDINATOR, Role.RECEPTION}), PASSWORD
            )
            setup = working_desk_setup(database, name, desk_code, member, language=code)
            create_desk(replace(setup, nis_code=nis), kdf=KDF)
            desk = auth.unlock(database, "coord", PASSWORD)
            try:
                scale = demo_data.Scale(persons=90 + 40 * index, sessions=300, years=1)
                demo_data.fill(desk, scale, seed=11 + index)
                demo_resources.fill_resources(desk, 1, desk.user.id, seed=11 + index)
                keys.set_recipient(desk, keys.read_recipient(hub_key))
                own = work / f"{desk_code}-{code}.havre-key"
                own.write_bytes(keys.public_key_file(desk))
                keys.trust(hub, keys.read_public_key_file(own))
                for month in last_closed_months(clock.today(), 12):
                    target = usb / counts_export.default_file_name(desk, month)
                    counts_export.export_counts(desk, month, target)
                    files.append(target)
            finally:
                desk.close()
    finally:
        hub.close()
    junk = usb / "notes.havre-counts"
    junk.write_bytes(b"not a counts file")
    window = MainWindow(DeskLock(network_db), UiSettings(work / f"ui-network-{code}.ini"))
    window.desk_lock.acquire()
    window.resize(1180, 720)
    window.show()
    window.lock_screen.user_name.setText("coord")
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.sign_in()
    wait_until(lambda: window.desk is not None)
    window.show_page("network")
    page = window.workspace.network_page
    page.import_files(files[:-12])
    tasks.wait_for_all()
    page.import_files([*files[-14:], files[-1], junk])
    received = page.received
    wait_until(
        lambda: received.results_model.rowCount() == 16 and received.received_model.rowCount() > 0
    )
    tasks.wait_for_all()
    QApplication.processEvents()
    received.results.scrollToBottom()
    save(window, folder, f"network-{code}")
    page.charts.setCurrentIndex(2)
    save(window, folder, f"network-forms-{code}")
    hub_desk = window.desk
    assert hub_desk is not None
    dialog = PublicationDialog(hub_desk, sorted({r.period for r in page._received}), window)
    dialog.show()
    wait_until(lambda: dialog._ready is not None)
    save(dialog, folder, f"publication-{code}")
    discard(dialog)
    if code == "fr":
        desk = hub_desk
        months = sorted({r.period for r in page._received})
        report = work / "report.pdf"
        publication.write(
            desk, publication.publish(desk, months[0], months[-1]), publication.Format.PDF, report
        )
        printed = folder.parent / "printed"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(report), str(printed / "council-report-fr")],
            check=True,
        )
    window.lock()
    window.close()
    tasks.wait_for_all()
    discard(window)


NETWORK_DESKS = (
    ("AY", "62009", "Aywaille"),
    ("ES", "62032", "Esneux"),
    ("SP", "62100", "Sprimont"),
    ("CH", "62022", "Chaudfontaine"),
)


def _case_with_sessions(page: CaseListPage) -> str:
    for row in range(page.model.rowCount()):
        loaded = page.model.loaded_row(row)
        if loaded is not None and loaded.sessions >= 2 and loaded.pseudonym:
            return loaded.id
    return page.model.case_id(0)


PRINTED_SAMPLES = (
    ("brochure-fr", PrintRequest(Material.BROCHURE, "fr", "21013")),
    ("brochure-nl", PrintRequest(Material.BROCHURE, "nl", "21013")),
    ("brochure-ar", PrintRequest(Material.BROCHURE, "ar", "21013")),
    ("booklet-fr", PrintRequest(Material.BROCHURE, "fr", "21013", Layout.A5_BOOKLET)),
    ("wallet-card-fr", PrintRequest(Material.WALLET_CARD, "fr", "21013")),
    ("wallet-card-ar", PrintRequest(Material.WALLET_CARD, "ar", "21013")),
    ("referral-slip-fr", PrintRequest(Material.REFERRAL_SLIP, "fr", partner="sos-viol")),
)


def printed_samples(folder: Path, work: Path) -> None:
    """The printed material of Saint-Gilles from the bundled directory, page by page as
    pdftoppm (poppler) renders it, the way a printer sees the PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for name, request in PRINTED_SAMPLES:
        pdf = work / f"{name}.pdf"
        pdf.write_bytes(printing.make_without_desk(request).pdf)
        dpi = "150" if request.material is Material.WALLET_CARD else "75"
        subprocess.run(["pdftoppm", "-r", dpi, "-png", str(pdf), str(folder / name)], check=True)


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    HavreApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="havre-shots-") as work:
        for code in ("fr", "nl"):
            apply_language(code)
            wizard_screens(folder, code, Path(work))
            desk_screens(folder, code, Path(work))
        printed_samples(folder.parent / "printed", Path(work))
        for code in ("fr", "nl"):
            apply_language(code)
            network_screens(folder, code, Path(work))
    print(f"screenshots written to {folder}, printed material to {folder.parent / 'printed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
