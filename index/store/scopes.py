"""Channel scopes kept beside the content: the documents a channel of a server answers from.

One row a channel of a corpus (a server's), naming its documents; versions, reindexes and
restarts leave it alone, and a document removed later simply matches nothing (the engine
answers from the others; /status says which are gone). Questions read their channel's row
through the process's lasting connection (Store.reader): no new connection a question.
"""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from index.store.base import Store
from index.store.rows import has_table


@dataclass(frozen=True)
class Scope:
    channel: str
    documents: tuple[str, ...]
    set_by: str
    set_at: float


def save(store: Store, corpus: str, channel: str, documents: Sequence[str], set_by: str) -> None:
    """The channel answers from these documents from now on (replacing its scope, if any)."""
    with store.connect(write=True) as conn:
        conn.execute("INSERT INTO scopes VALUES (?, ?, ?, ?, ?) ON CONFLICT (corpus, channel) DO UPDATE SET "
                     "documents = excluded.documents, set_by = excluded.set_by, set_at = excluded.set_at",
                     (corpus, channel, json.dumps(list(documents)), set_by, time.time()))


def drop(store: Store, corpus: str, channel: str) -> bool:
    """The channel answers from every document again; False when it had no scope."""
    with store.connect(write=True) as conn:
        return conn.execute("DELETE FROM scopes WHERE corpus = ? AND channel = ?", (corpus, channel)).rowcount > 0


def of_channel(store: Store, corpus: str, channel: str) -> tuple[str, ...] | None:
    """The channel's documents; None when it answers from all of them."""
    if not store.exists():
        return None
    reader = store.reader()
    with reader.lock:
        if not has_table(reader.conn, "scopes"):
            return None  # a store from before scopes, not written to since
        row = reader.conn.execute("SELECT documents FROM scopes WHERE corpus = ? AND channel = ?",
                                  (corpus, channel)).fetchone()
    return tuple(json.loads(row[0])) if row else None


def of_corpus(store: Store, corpus: str) -> list[Scope]:
    """Every scope of the corpus, by channel."""
    if not store.exists():
        return []
    with store.connect() as conn:
        if not has_table(conn, "scopes"):
            return []
        rows = conn.execute("SELECT channel, documents, set_by, set_at FROM scopes WHERE corpus = ? "
                            "ORDER BY channel", (corpus,)).fetchall()
    return [Scope(channel, tuple(json.loads(documents)), set_by, set_at) for channel, documents, set_by, set_at in rows]
