"""The store: versioned corpora with the audit trail, in one SQLite file (`sqlite`, the default)
or on a PostgreSQL server (`postgres`, VERBATIM_DATABASE_URL). The engine and content operations
reach it through `Store` (base.py) only."""
from __future__ import annotations

from index.store.base import Store


def open_store(settings) -> Store:
    """The store the settings name: PostgreSQL when VERBATIM_DATABASE_URL is set, else the file."""
    if settings.database_url is not None:
        from index.store.postgres import PostgresStore
        return PostgresStore(settings.database_url.get_secret_value())
    from index.store.sqlite import SQLiteStore
    return SQLiteStore(settings.index_path)
