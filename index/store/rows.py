"""Small helpers over SQLite rows that every store module uses."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from index.store.snapshots import Version


def rows_in(conn: sqlite3.Connection, query: str, keys: list[str], *params) -> Iterator[tuple]:
    """The rows of `query`, whose "IN ({})" takes the keys: 500 at a time, within SQLite's limit
    on variables; `params` fill the placeholders before it."""
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        yield from conn.execute(query.format(",".join("?" * len(chunk))), (*params, *chunk))


def has_table(conn: sqlite3.Connection, name: str = "live") -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def version_of(row) -> Version:
    id_, corpus, number, created_at, author, action, changes = row
    return Version(id_, corpus, number, created_at, author, action, json.loads(changes))


def find_version(conn: sqlite3.Connection, corpus: str, number: int | None = None) -> Version | None:
    """The corpus's live version, or its version `number`; None when there is none (or no tables yet)."""
    if not has_table(conn):
        return None
    if number is None:
        row = conn.execute("SELECT v.* FROM live l JOIN versions v ON v.id = l.version_id WHERE l.corpus = ?",
                           (corpus,)).fetchone()
    else:
        row = conn.execute("SELECT * FROM versions WHERE corpus = ? AND number = ?", (corpus, number)).fetchone()
    return version_of(row) if row else None


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on an autocommit connection: all of the block or, on any error or
    interruption, none of it. IMMEDIATE: one writer at a time, the others wait on the lock."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
