"""Storage: the SQLCipher engine, the SQLAlchemy models, repositories and migrations."""
