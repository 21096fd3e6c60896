from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from app.errors import DatabaseTooNew
from app.services import auth
from db import engine as db_engine
from db import fulltext, migrate
from db.models import Base
from tests.conftest import ADMIN_PASSWORD, DeskFixture

KEY = b"\x07" * 32


def _make(database: Path, location: Path = migrate.MIGRATIONS_DIR) -> None:
    migrate.migrate(
        database,
        KEY,
        create=True,
        script_location=location,
        copy_before_upgrade=migrate.no_copy_needed,
    )


def _upgrade(database: Path, location: Path = migrate.MIGRATIONS_DIR) -> bool:
    """An upgrade whose copy is made and checked elsewhere (tests/unit/test_upgrade_copy.py)."""
    return migrate.migrate(
        database, KEY, script_location=location, copy_before_upgrade=lambda revision: None
    )


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    database = tmp_path / "head.db"
    _make(database)
    engine = db_engine.open_database(database, KEY)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": fulltext.compared_by_alembic}
        )
        differences = compare_metadata(context, Base.metadata)
    db_engine.close_database(engine)
    assert differences == []


def test_a_database_from_a_newer_havre_is_refused_untouched(desk: DeskFixture) -> None:
    opened = desk.unlock()
    with opened.transaction() as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    opened.close()
    before = desk.database.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of Havre"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    assert desk.database.read_bytes() == before
    assert not list(desk.database.parent.glob("*.bak"))


def _scripts_with(tmp_path: Path, body: str) -> Path:
    """The real migrations plus one more revision, as a later Havre would ship it."""
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    upgrade = textwrap.indent(textwrap.dedent(body).strip(), "    ")
    (location / "versions" / "9999_test.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9999"\ndown_revision = "{migrate.head_revision()}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{upgrade}\n\n\ndef downgrade():\n    pass\n"
    )
    return location


def _columns(database: Path, table: str) -> list[str]:
    engine = db_engine.open_database(database, KEY)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"PRAGMA table_info({table})").fetchall()
    db_engine.close_database(engine)
    return [row[1] for row in rows]


def test_an_upgrade_asks_for_a_copy_first_and_rebuilds_referenced_tables(tmp_path: Path) -> None:
    database = tmp_path / "desk.db"
    _make(database)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO user VALUES ('u1','anna','anna','Anna',1,0,'2026-01-01','2026-01-01',NULL)"
        )
        connection.exec_driver_sql("INSERT INTO user_role VALUES ('u1','admin')")
    db_engine.close_database(engine)
    # "user" is referenced by user_role: the batch rebuild only works with foreign keys off.
    location = _scripts_with(
        tmp_path,
        """
        with op.batch_alter_table("user") as batch:
            batch.add_column(sa.Column("phone_hint", sa.String(8), nullable=True))
        """,
    )
    copy = tmp_path / "copy.db"
    asked: list[str] = []

    def copy_first(revision: str) -> None:
        asked.append(revision)
        shutil.copyfile(database, copy)  # the desk is closed: its WAL is folded in

    assert migrate.migrate(database, KEY, script_location=location, copy_before_upgrade=copy_first)
    assert asked == [migrate.head_revision()]
    assert "phone_hint" in _columns(database, "user")
    assert "phone_hint" not in _columns(copy, "user")  # the copy is the pre-upgrade state


def test_no_upgrade_without_the_copy(tmp_path: Path) -> None:
    database = tmp_path / "desk.db"
    _make(database)
    location = _scripts_with(
        tmp_path, 'op.add_column("setting", sa.Column("extra", sa.Text(), nullable=True))'
    )
    before = database.read_bytes()

    def refuse(revision: str) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        migrate.migrate(database, KEY, script_location=location, copy_before_upgrade=refuse)
    assert database.read_bytes() == before
    assert "extra" not in _columns(database, "setting")


def test_a_failing_upgrade_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "desk.db"
    _make(database)
    location = _scripts_with(
        tmp_path,
        """
        op.add_column("setting", sa.Column("extra", sa.Text(), nullable=True))
        raise RuntimeError("half-way")
        """,
    )
    with pytest.raises(RuntimeError, match="half-way"):
        _upgrade(database, location)
    assert "extra" not in _columns(database, "setting")
    engine = db_engine.open_database(database, KEY)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    db_engine.close_database(engine)
    assert version == migrate.head_revision()


def test_an_upgrade_leaving_dangling_rows_is_rolled_back(tmp_path: Path) -> None:
    database = tmp_path / "desk.db"
    _make(database)
    location = _scripts_with(
        tmp_path,
        """
        op.execute("INSERT INTO user_role VALUES ('nobody', 'admin')")
        """,
    )
    with pytest.raises(migrate.ForeignKeyCheckError):
        _upgrade(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT count(*) FROM user_role").scalar()
    db_engine.close_database(engine)
    assert rows == 0


def test_an_empty_or_foreign_file_is_not_turned_into_a_desk(tmp_path: Path) -> None:
    database = tmp_path / "other.db"
    with pytest.raises(migrate.NotHavreDatabaseError):
        _upgrade(database)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (x)")
    db_engine.close_database(engine)
    with pytest.raises(migrate.NotHavreDatabaseError, match="notes"):
        _make(database)


def _insert_blank(connection: Connection, table: str, **values: object) -> None:
    """A row of `table` with the given values and a neutral one everywhere else."""
    columns = connection.exec_driver_sql(f"PRAGMA table_info({table})").fetchall()
    row = {
        name: values.get(name, 0 if kind in ("INTEGER", "BOOLEAN") else "")
        for _, name, kind, *_ in columns
    }
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values())
    )


def test_pseudonyms_recorded_before_the_search_index_are_found_after_the_upgrade(
    tmp_path: Path,
) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    for later in (location / "versions").glob("*.py"):
        if later.name > "0003":  # the revisions from the search index on
            later.unlink()
    database = tmp_path / "desk.db"
    _make(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        for number, pseudonym in enumerate(("hélène dubois", "marc")):
            _insert_blank(connection, "person", id=f"p{number}", age=None)
            _insert_blank(connection, "identity", person_id=f"p{number}", pseudonym_key=pseudonym)
    db_engine.close_database(engine)

    _upgrade(database)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:

        def found(query: str) -> list[str]:
            return [
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT person_id FROM identity JOIN identity_search"
                    " ON identity_search.rowid = identity.id WHERE identity_search MATCH ?",
                    (query,),
                )
            ]

        assert found('"dub"*') == ["p0"]
        connection.exec_driver_sql("DELETE FROM identity WHERE person_id = 'p1'")
        assert found('"marc"*') == []
        _insert_blank(connection, "person", id="p2", age=None)
        _insert_blank(connection, "identity", id=7, person_id="p2", pseudonym_key="marcel")
        assert found('"marc"*') == ["p2"]
    db_engine.close_database(engine)


def test_who_calls_the_note_and_safe_hours_go_up_and_down(tmp_path: Path) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    [revision] = (location / "versions").glob("*_who_calls_note_and_safe_hours.py")
    for later in (location / "versions").glob("*.py"):
        if later.name > revision.name:
            later.unlink()
    aside = revision.rename(tmp_path / revision.name)
    database = tmp_path / "desk.db"
    _make(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        _insert_blank(connection, "person", id="p1", age=None, safe_times="weekend")
    db_engine.close_database(engine)

    aside.rename(revision)
    _upgrade(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        # A person recorded before: her coarse safe times kept, no safe hours made up.
        row = connection.exec_driver_sql("SELECT safe_times, safe_hours FROM person").one()
        assert tuple(row) == ("weekend", "")
        columns = {c[1] for c in connection.exec_driver_sql("PRAGMA table_info(contact)")}
        assert {"caller_relation", "victim_age", "victim_sex", "note"} <= columns
    db_engine.close_database(engine)

    config = migrate.alembic_config(location)
    engine = db_engine.open_database(database, KEY, foreign_keys=False)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        columns = {c[1] for c in connection.exec_driver_sql("PRAGMA table_info(contact)")}
        assert "note" not in columns and "caller_relation" not in columns
        person = {c[1] for c in connection.exec_driver_sql("PRAGMA table_info(person)")}
        assert "safe_hours" not in person and "safe_times" in person
        assert connection.exec_driver_sql("SELECT count(*) FROM person").scalar() == 1
    db_engine.close_database(engine)


def test_the_desk_lists_start_with_the_reports_kinds_and_old_activities_keep_theirs(
    tmp_path: Path,
) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    [revision] = (location / "versions").glob("*_desk_lists_of_activity_kinds_and_.py")
    for later in (location / "versions").glob("*.py"):
        if later.name > revision.name:
            later.unlink()
    aside = revision.rename(tmp_path / revision.name)
    database = tmp_path / "desk.db"
    _make(database, location)
    engine = db_engine.open_database(database, KEY, foreign_keys=False)
    with engine.begin() as connection:
        _insert_blank(connection, "user", id="u1", last_login_at=None)
        for number, (kind, audience) in enumerate(
            (("la_cabane", "children"), ("white_ribbon", "general_public"), ("zumba", "women"))
        ):
            _insert_blank(
                connection,
                "activity",
                id=f"a{number}",
                held_on="2026-03-04",
                kind=kind,
                audience=audience,
                partnership_id=None,
                recorded_by="u1",
            )
    db_engine.close_database(engine)

    aside.rename(revision)
    _upgrade(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        entries = {
            (row[0], row[1]): (row[2], row[3], row[4])
            for row in connection.exec_driver_sql(
                "SELECT list_name, id, network, name_fr, retired FROM activity_list_entry"
            )
        }
        kinds = {entry_id for list_name, entry_id in entries if list_name == "kind"}
        assert kinds == {
            "white_ribbon",
            "la_cabane",
            "discussion_group",
            "support_group",
            "digital_workshop",
            "animation_module",
            "professional_training",
            "platform_meeting",
            "other",
        }
        assert entries["audience", "la_cabane_parents"] == (
            "parents",
            "Parents accueillis en parallèle de « La cabane »",
            0,
        )
        assert entries["kind", "discussion_group"][:2] == (
            "discussion_group",
            "Groupe de parole pour mères",
        )
        # The activities recorded before keep their codes: each is an entry's id now, and a
        # code no entry holds stays as it was, for the screens to read as "other".
        stored = connection.exec_driver_sql("SELECT kind, audience FROM activity ORDER BY id")
        assert [tuple(row) for row in stored] == [
            ("la_cabane", "children"),
            ("white_ribbon", "general_public"),
            ("zumba", "women"),
        ]
    db_engine.close_database(engine)

    config = migrate.alembic_config(location)
    engine = db_engine.open_database(database, KEY, foreign_keys=False)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        tables = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "activity_list_entry" not in tables
        assert connection.exec_driver_sql("SELECT count(*) FROM activity").scalar() == 3
    db_engine.close_database(engine)


def test_the_day_entries_were_last_verified_is_taken_out_of_their_documents(
    tmp_path: Path,
) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    [revision] = (location / "versions").glob("*_last_verified_day_of_directory_entries.py")
    for later in (location / "versions").glob("*.py"):
        if later.name > revision.name:
            later.unlink()
    aside = revision.rename(tmp_path / revision.name)
    database = tmp_path / "desk.db"
    _make(database, location)
    engine = db_engine.open_database(database, KEY)
    documents = {
        "checked": '{"key": "checked", "last_verified": "2025-11-17"}',
        "never": '{"key": "never", "last_verified": null}',
        "unreadable": '{"key": "unreadable", "last_verified": "17/11/2025"}',
        "damaged": "{not json",
    }
    with engine.begin() as connection:
        for number, (key, document) in enumerate(documents.items(), start=1):
            _insert_blank(
                connection,
                "directory_entry",
                id=number,
                key=key,
                document=document,
                updated_at="2026-11-17 09:00:00.000000",
            )
    db_engine.close_database(engine)

    aside.rename(revision)
    _upgrade(database, location)
    engine = db_engine.open_database(database, KEY)
    with engine.begin() as connection:
        days = dict(
            connection.exec_driver_sql("SELECT key, last_verified FROM directory_entry").all()
        )
        # A day that cannot be read is none: the entry comes up for review.
        assert days == {"checked": "2025-11-17", "never": None, "unreadable": None, "damaged": None}
        indexes = {i[1] for i in connection.exec_driver_sql("PRAGMA index_list(directory_entry)")}
        assert "ix_directory_entry_last_verified" in indexes
    db_engine.close_database(engine)

    config = migrate.alembic_config(location)
    engine = db_engine.open_database(database, KEY, foreign_keys=False)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        columns = {c[1] for c in connection.exec_driver_sql("PRAGMA table_info(directory_entry)")}
        assert "last_verified" not in columns and "document" in columns
        assert connection.exec_driver_sql("SELECT count(*) FROM directory_entry").scalar() == 4
    db_engine.close_database(engine)
