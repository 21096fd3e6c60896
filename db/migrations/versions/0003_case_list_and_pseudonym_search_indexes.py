"""case list and pseudonym search indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:50:57.824774

The case list is read from covering indexes; pseudonyms are found through an FTS5 index
(db/fulltext.py), which needs `identity` to have an integer key that survives VACUUM and
backups: the table is rebuilt with one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITY_COLUMNS = "person_id, pseudonym, pseudonym_key, phone, email, code_word, retention_class"

# The external-content pattern of the FTS5 documentation: the index holds no copy of the
# words, and a 'delete' with the old values takes a row out of it.
CREATE_SEARCH = (
    "CREATE VIRTUAL TABLE identity_search USING fts5("
    "pseudonym_key, content='identity', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2', detail=none)",
    "CREATE TRIGGER identity_search_insert AFTER INSERT ON identity BEGIN "
    "INSERT INTO identity_search (rowid, pseudonym_key) VALUES (new.id, new.pseudonym_key); "
    "END",
    "CREATE TRIGGER identity_search_delete AFTER DELETE ON identity BEGIN "
    "INSERT INTO identity_search (identity_search, rowid, pseudonym_key) "
    "VALUES ('delete', old.id, old.pseudonym_key); "
    "END",
    "CREATE TRIGGER identity_search_update AFTER UPDATE OF pseudonym_key ON identity BEGIN "
    "INSERT INTO identity_search (identity_search, rowid, pseudonym_key) "
    "VALUES ('delete', old.id, old.pseudonym_key); "
    "INSERT INTO identity_search (rowid, pseudonym_key) VALUES (new.id, new.pseudonym_key); "
    "END",
    "INSERT INTO identity_search (identity_search) VALUES ('rebuild')",
)


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_opened_at"))
        batch_op.drop_index(batch_op.f("ix_case_file_person_id"))
        batch_op.create_index(
            "ix_case_file_list", ["opened_at", "code", "id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_case_file_person", ["person_id", "opened_at", "code", "id", "status"], unique=False
        )

    op.create_table(
        "identity_rebuilt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("pseudonym", sa.String(length=120), nullable=False),
        sa.Column("pseudonym_key", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=160), nullable=False),
        sa.Column("code_word", sa.String(length=80), nullable=False),
        sa.Column("retention_class", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_identity_person_id_person"),
        sa.PrimaryKeyConstraint("id", name="pk_identity"),
        sa.UniqueConstraint("person_id", name="uq_identity_person_id"),
    )
    op.execute(
        f"INSERT INTO identity_rebuilt ({IDENTITY_COLUMNS}) "
        f"SELECT {IDENTITY_COLUMNS} FROM identity ORDER BY rowid"
    )
    op.drop_index("ix_identity_pseudonym_key", table_name="identity")
    op.drop_table("identity")
    op.rename_table("identity_rebuilt", "identity")
    op.create_index("ix_identity_pseudonym_key", "identity", ["pseudonym_key"], unique=False)
    for statement in CREATE_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER identity_search_{trigger}")
    op.execute("DROP TABLE identity_search")
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_constraint("uq_identity_person_id", type_="unique")
        batch_op.drop_column("id")
        batch_op.create_primary_key("pk_identity", ["person_id"])

    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_file_person")
        batch_op.drop_index("ix_case_file_list")
        batch_op.create_index(batch_op.f("ix_case_file_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_file_opened_at"), ["opened_at"], unique=False)
