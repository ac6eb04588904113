"""Small helpers over the rows of any backend's connections that every store module uses."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from index.ingest.passages import Passage

from index.store.snapshots import Version


def rows_in(conn, query: str, keys: list[str], *params) -> Iterator[tuple]:
    """The rows of `query`, whose "IN ({})" takes the keys: 500 at a time, within SQLite's limit
    on variables; `params` fill the placeholders before it."""
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        yield from conn.execute(query.format(",".join("?" * len(chunk))), (*params, *chunk))


def has_table(conn, name: str = "live") -> bool:
    """Whether the store has this table yet (an older file gets its new tables when next written)."""
    return conn.has_table(name)


def version_of(row) -> Version:
    id_, corpus, number, created_at, author, action, changes = row
    return Version(id_, corpus, number, created_at, author, action, json.loads(changes))


def find_version(conn, corpus: str, number: int | None = None) -> Version | None:
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
def transaction(conn):
    """A write transaction on an autocommit connection: all of the block or, on any error or
    interruption, none of it; one writer at a time, the others wait (`begin_write`)."""
    conn.execute(conn.begin_write)
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def passages_in_order(fetch: Callable[[str, tuple], list[tuple]], owner: str, key, count: int,
                      staged: bool = False, batch: int = 1000) -> Iterator[Passage]:
    """The `count` passages of a version (owner "version_id", key its id) or of a staged one
    (owner "build", staged=True), by position, a batch at a time so that little is held in
    memory; each document's text is read once, its passages being consecutive. `fetch(query,
    params)` runs a query and returns its rows."""
    passages, documents = ("staged_passages", "staged_documents") if staged else ("passages", "documents")
    rows = (f'SELECT document, section, paragraph, start, "end", sentences FROM {passages} '
            f"WHERE {owner} = ? AND position BETWEEN ? AND ? ORDER BY position")
    text_of = (f"SELECT t.text FROM {documents} d JOIN texts t ON t.sha256 = d.sha256 "
               f"WHERE d.{owner} = ? AND d.name = ?")
    name = text = None
    for first in range(0, count, batch):
        for document, section, paragraph, start, end, sentences in fetch(rows, (key, first, first + batch - 1)):
            if document != name:
                name, text = document, fetch(text_of, (key, document))[0][0]
            yield Passage(document, section, paragraph, start, end, text[start:end],
                          tuple(tuple(s) for s in json.loads(sentences)))
