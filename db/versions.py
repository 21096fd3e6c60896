"""Versions of the encryption and database libraries, for the log and Help → About.

Kept apart from engine.py so that reading them does not load SQLAlchemy (start-up time).
"""

from __future__ import annotations

import sqlcipher3.dbapi2 as sqlcipher


def library_versions() -> dict[str, str]:
    connection = sqlcipher.connect(":memory:")
    try:
        cipher_version = connection.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        connection.close()
    return {"sqlcipher": str(cipher_version), "sqlite": str(sqlcipher.sqlite_version)}
