"""An SQLite store copied into PostgreSQL whole (`python -m index migrate`): every version of
every corpus, the texts and originals moderators added, the audit log, answers and votes, the
kept questions (with their hashes' secret: a member keeps their hash), the indexes, channel
scopes and followed feeds, so that nothing is rebuilt and nothing is lost. In one transaction: a
copy that fails or is killed leaves the database as it was; the SQLite file is only read."""
from __future__ import annotations

from collections.abc import Callable

from index.errors import StoreError
from index.store.postgres import PostgresStore
from index.store.rows import transaction
from index.store.sqlite import SQLiteStore

# Parents before the rows that refer to them. Staged rows (builds under way or killed) and
# cooldowns are not worth moving.
TABLES = ("texts", "originals", "versions", "documents", "passages", "live", "sources", "excluded", "audit",
          "vectors", "word_frequencies", "answers", "threads", "votes", "term_indexes", "term_parts", "postings",
          "words", "vector_sets", "vector_parts", "vector_graphs", "scopes", "feeds", "feed_entries", "asked_salt",
          "asked")
IDENTITIES = ("versions", "audit", "answers", "asked")  # their ids go on from the highest copied
BATCH = 2_000

Progress = Callable[[str, int], None]


def migrate(source: SQLiteStore, target: PostgresStore, on_progress: Progress | None = None) -> dict[str, int]:
    """Copy `source` into the empty `target`; the rows copied, by table."""
    if not source.exists():
        raise StoreError(f"no index at {source.path} to migrate")
    with target.connect(write=True) as conn:
        if conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]:
            raise StoreError(f"{target.name} already holds content: migrate into an empty database "
                             "(nothing was copied)")
    with source.connect(write=True):  # an older file gets its new tables first, so that every table is there
        pass
    copied: dict[str, int] = {}
    with source.connect() as reading, target.connect(write=True) as conn, transaction(conn):
        for table in TABLES:
            copied[table] = _copy_table(reading, conn.raw, table, on_progress)
        for table in IDENTITIES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
    return copied


def _copy_table(reading, raw, table: str, on_progress: Progress | None) -> int:
    """The table's rows through COPY, a batch at a time."""
    cursor = reading.execute(f"SELECT * FROM {table}")
    columns = ", ".join(f'"{c[0]}"' for c in cursor.description)
    count = 0
    with raw.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                copy.write_row(row)
            count += len(rows)
            if on_progress is not None:
                on_progress(table, count)
    return count
