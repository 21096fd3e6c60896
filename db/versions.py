"""Versions of the encryption and database libraries, for the log and Help → About.

Kept apart from engine.py, and loading the driver only when asked, so that showing the
sign-in screen does not wait for it (start-up budget, docs/architecture.md).
"""

from __future__ import annotations


def library_versions() -> dict[str, str]:
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(":memory:")
    try:
        cipher_version = connection.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        connection.close()
    return {"sqlcipher": str(cipher_version), "sqlite": str(sqlcipher.sqlite_version)}
