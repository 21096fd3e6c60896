"""The installers, as far as they can be checked on Linux: the MSI source compiled by Debian's
wixl over a small build-like tree and read back with msitools, what wixl cannot compile
checked in the source, and the file list script. The Windows and macOS builds themselves run
only on CI's hosted runners (.github/workflows/)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

import app

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = ROOT / "packaging" / "windows"
UPGRADE_CODE = "{5B0C7D3E-2F4A-4E61-9A8B-7C1D2E3F4A5B}"
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"
BUILD_FILES = [
    "havre.exe",
    "havre-cli.exe",
    "_internal/base_library.zip",
    "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/app/bundle/translations/nl/LC_MESSAGES/messages.mo",
    "_internal/app/bundle/resources/icons/havre.svg",
]


def _harvest() -> ModuleType:
    """packaging/windows/harvest.py, loaded by path: `packaging` is also a PyPI package."""
    spec = importlib.util.spec_from_file_location("harvest", WINDOWS / "harvest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: make installers-check installs it (wixl, msitools)")
        pytest.skip(f"{name} is not installed")
    return found


def _build(folder: Path, files: list[str]) -> Path:
    for name in files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())
    return folder


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MSI wixl makes from havre.wxs and the file list of a small build-like tree."""
    wixl = _tool("wixl")
    work = tmp_path_factory.mktemp("msi")
    build = _build(work / "havre", BUILD_FILES)
    files = work / "files.wxs"
    assert _harvest().main([str(build), str(files)]) == 0
    output = work / "havre.msi"
    # wixl finds the files relative to the folder it runs in (it refuses absolute paths).
    made = subprocess.run(
        [
            wixl,
            "-a",
            "x64",
            "-D",
            "Compiler=wixl",
            "-D",
            f"Version={app.__version__}",
            "-D",
            f"SourceDir={build.name}",
            "-o",
            str(output),
            str(WINDOWS / "havre.wxs"),
            str(files),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=work,
    )
    assert made.returncode == 0 and output.is_file(), made.stderr
    return output


def _table(msi: Path, name: str) -> list[dict[str, str]]:
    """The rows of one table of the MSI, as msiinfo exports them (names, types, keys, rows)."""
    exported = subprocess.run(
        [_tool("msiinfo"), "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    columns = exported[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in exported[3:]]


def _properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in _table(msi, "Property")}


def test_the_msi_installs_for_every_account_of_the_pc(msi: Path) -> None:
    properties = _properties(msi)
    assert properties["ALLUSERS"] == "1"
    summary = subprocess.run(
        [_tool("msiinfo"), "suminfo", str(msi)], capture_output=True, text=True, check=True
    ).stdout
    assert "Template: x64;1033" in summary


def test_the_msi_carries_havres_version_and_the_fixed_upgrade_code(msi: Path) -> None:
    properties = _properties(msi)
    assert properties["ProductVersion"] == app.__version__
    assert properties["UpgradeCode"] == UPGRADE_CODE
    assert properties["ProductName"] == "Havre"


def test_a_newer_msi_replaces_an_older_havre_and_an_older_one_is_refused(msi: Path) -> None:
    upgrades = {row["ActionProperty"]: row for row in _table(msi, "Upgrade")}
    older = upgrades["WIX_UPGRADE_DETECTED"]
    assert older["UpgradeCode"] == UPGRADE_CODE and older["VersionMax"] == app.__version__
    assert older["VersionMin"] == ""
    newer = upgrades["WIX_DOWNGRADE_DETECTED"]
    assert newer["UpgradeCode"] == UPGRADE_CODE and newer["VersionMin"] == app.__version__
    sequence = {row["Action"] for row in _table(msi, "InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts"} <= sequence


def test_the_program_goes_to_program_files_and_the_desk_folder_to_programdata(msi: Path) -> None:
    directories = {row["Directory"]: row for row in _table(msi, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert directories["INSTALLDIR"]["DefaultDir"] == "Havre"
    assert directories["HAVREDATA"]["Directory_Parent"] == "CommonAppDataFolder"
    assert directories["HAVREDATA"]["DefaultDir"] == "Havre"
    created = {(row["Directory_"], row["Component_"]) for row in _table(msi, "CreateFolder")}
    assert ("HAVREDATA", "DeskFolder") in created


def test_the_desk_folder_holds_no_file_of_the_msi(msi: Path) -> None:
    """What the MSI never installed, it never removes: the desk and its backups stay."""
    components = {row["Component"]: row for row in _table(msi, "Component")}
    assert components["DeskFolder"]["Directory_"] == "HAVREDATA"
    assert components["DeskFolder"]["KeyPath"] == ""
    assert "DeskFolder" not in {row["Component_"] for row in _table(msi, "File")}


def test_every_file_of_the_build_is_installed_where_it_was(msi: Path) -> None:
    files = _table(msi, "File")
    assert sorted(row["FileName"].split("|")[-1] for row in files) == sorted(
        Path(name).name for name in BUILD_FILES
    )
    components = {row["Component"]: row for row in _table(msi, "Component")}
    by_id = {row["File"]: components[row["Component_"]] for row in files}
    assert by_id["HavreExe"]["Directory_"] == "INSTALLDIR"
    assert by_id["HavreCliExe"]["Directory_"] == "INSTALLDIR"
    directories = {row["Directory"]: row for row in _table(msi, "Directory")}
    qwindows = next(row for row in files if row["FileName"].endswith("qwindows.dll"))
    folder, path = components[qwindows["Component_"]]["Directory_"], []
    while folder != "INSTALLDIR":
        path.append(directories[folder]["DefaultDir"].split("|")[-1])
        folder = directories[folder]["Directory_Parent"]
    assert path[::-1] == ["_internal", "PySide6", "plugins", "platforms"]


def test_the_start_menu_shortcut_is_for_all_users(msi: Path) -> None:
    (shortcut,) = _table(msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Target"] == "[INSTALLDIR]havre.exe"
    (registry,) = [
        row for row in _table(msi, "Registry") if row["Component_"] == "StartMenuShortcut"
    ]
    assert registry["Root"] == "2"  # HKLM: the key path of a per-machine component


def test_the_group_is_havre_users_unless_it_sets_another() -> None:
    source = ET.parse(WINDOWS / "havre.wxs").getroot()
    (group,) = [p for p in source.iter(f"{WIX}Property") if p.get("Id") == "HAVREGROUP"]
    assert group.get("Value") == "Havre users"
    # Secure: a value given on msiexec's command line reaches the deferred custom actions.
    assert group.get("Secure") == "yes"


def test_what_wixl_ignores_is_in_the_source_for_wix() -> None:
    """wixl drops Permanent, MajorUpgrade's Schedule and the custom actions: the WiX build on
    Windows gets them from the source, read here."""
    text = (WINDOWS / "havre.wxs").read_text(encoding="utf-8")
    source = ET.fromstring(text)
    (desk,) = [c for c in source.iter(f"{WIX}Component") if c.get("Id") == "DeskFolder"]
    assert desk.get("Permanent") == "yes"
    (upgrade,) = source.iter(f"{WIX}MajorUpgrade")
    assert upgrade.get("Schedule") == "afterInstallInitialize"
    actions = {action.get("Id"): action for action in source.iter(f"{WIX}CustomAction")}
    for action in actions.values():
        assert (action.get("Execute"), action.get("Impersonate")) == ("deferred", "no")
        # Run in a folder that exists right after CreateFolders: the program's folder is
        # only made by InstallFiles, later.
        assert action.get("Directory") == "HAVREDATA"
    assert "net.exe&quot; localgroup &quot;[HAVREGROUP]&quot; /add" in text
    grant = actions["GrantHavreGroup"].get("ExeCommand", "")
    assert '"[CommonAppDataFolder]Havre"' in grant and '"[HAVREGROUP]:(OI)(CI)M"' in grant
    assert "/inheritance:r" in grant and actions["GrantHavreGroup"].get("Return") == "check"
    custom = {c.get("Action"): c for c in source.iter(f"{WIX}Custom")}
    assert custom["CreateHavreGroup"].get("After") == "CreateFolders"
    assert custom["GrantHavreGroup"].get("After") == "CreateHavreGroup"
    assert all(c.text == 'NOT REMOVE~="ALL"' for c in custom.values())


def test_the_file_list_is_the_same_for_the_same_build(tmp_path: Path) -> None:
    harvest = _harvest()
    first = harvest.file_list(_build(tmp_path / "one", BUILD_FILES))
    again = harvest.file_list(_build(tmp_path / "two", [*reversed(BUILD_FILES), "extra.dll"]))
    guids = [line for line in first.splitlines() if "Guid=" in line]
    assert len(guids) == len(BUILD_FILES) == len(set(guids))
    assert set(guids) < {line for line in again.splitlines() if "Guid=" in line}


def test_the_file_list_refuses_a_folder_that_is_not_a_windows_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = _build(tmp_path / "havre", ["havre", "_internal/base_library.zip"])
    output = tmp_path / "files.wxs"
    assert _harvest().main([str(build), str(output)]) == 1
    assert "is not a Windows build of Havre: no havre.exe, havre-cli.exe" in capsys.readouterr().err
    assert not output.exists()


def _workflows() -> dict[str, dict[str, Any]]:
    yaml = YAML(typ="safe")
    return {
        path.name: yaml.load(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    }


def test_signing_runs_only_when_its_secrets_exist_and_each_is_documented() -> None:
    """A fork or a pull request has no secrets: its build must go on, unsigned. Each step that
    uses a secret is guarded by it, and the workflow's header names every secret it reads."""
    guarded = 0
    for name, workflow in _workflows().items():
        secrets = {
            variable: re.search(r"secrets\.(\w+)", str(value))
            for variable, value in workflow.get("env", {}).items()
        }
        secret_names = {variable: found.group(1) for variable, found in secrets.items() if found}
        header = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        header = header.split("\nname:", 1)[0]
        for secret in secret_names.values():
            assert re.search(rf"^#\s+.*\b{secret}\b", header, re.M), (name, secret)
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                # The signing scripts read their secrets from the environment.
                signs = re.search(r"sign|notari", step.get("name", ""), re.I)
                if signs or any(v in step.get("run", "") for v in secret_names):
                    guarded += 1
                    condition = step.get("if", "")
                    assert any(f"env.{v} != ''" in condition for v in secret_names), (
                        name,
                        step["name"],
                    )
    assert guarded == 5  # Windows: programs, MSI; macOS: certificate, app, disk image


def test_installers_are_built_on_tags_and_by_hand_tests_on_every_push() -> None:
    for name in ("windows.yml", "macos.yml"):
        workflow = _workflows()[name]
        triggers = workflow["on"]
        assert triggers["push"]["tags"] == ["v*"] and "pull_request" in triggers, name
        assert "workflow_dispatch" in triggers, name
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        uploads = [step for step in steps if step.get("uses", "").startswith("actions/upload")]
        assert uploads and all("env.RELEASE == 'true'" in step["if"] for step in uploads), name
        assert any(step.get("uses") == "./.github/actions/checks" for step in steps), name
