"""Alembic environment: Havre runs migrations in-process on a connection it opened itself
(SQLCipher key set, foreign keys off), see db/migrate.py."""

from alembic import context

from db.fulltext import compared_by_alembic
from db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Havre migrations run in-process through db.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=compared_by_alembic,
    # The engine emits BEGIN itself (db/engine.py), so DDL really is transactional: a
    # failing revision leaves neither half a schema nor a wrong alembic_version.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
