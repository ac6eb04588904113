"""The inverted index in the store: written a part at a time, read a term at a time.

Rows are keyed by what the index was built from, the content digest of a version (two versions
or two corpora with the same content share one index) and the scheme (with or without pairs of
terms, index/retrieval/postings.py). A version published by a build gets its index in the same
transaction; a version from before, or a scheme no build wrote, is indexed at its first load.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable

import numpy as np

from index.errors import StoreError
from index.retrieval.postings import (
    SCHEME_PAIRS,
    MemoryPostings,
    Part,
    Posting,
    Postings,
    index_parts,
    is_pair,
)
from index.store.rows import has_table, rows_in
from index.text.tokens import DEFAULT_TOKENIZER

POSTINGS_KEPT = 20_000  # terms whose postings stay read between questions


def index_key(content: str, scheme: str) -> str:
    return f"{content}/{scheme}"


def has_index(conn: sqlite3.Connection, key: str) -> bool:
    if not has_table(conn, "term_parts"):
        return False  # a file from before indexes were kept, not written since
    return conn.execute("SELECT 1 FROM term_parts WHERE key = ? LIMIT 1", (key,)).fetchone() is not None


def write_part(conn: sqlite3.Connection, key: str, number: int, part: Part) -> None:
    """One part's rows, inside the caller's transaction."""
    conn.execute("INSERT INTO term_parts VALUES (?, ?, ?, ?, ?, ?)",
                 (key, number, part.first, part.lengths.astype(np.int32).tobytes(), part.sentences,
                  part.sentence_terms))
    conn.executemany(
        "INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((key, term, number, p.passages.astype(np.int32).tobytes(), p.counts.astype(np.int32).tobytes(),
          p.sentences, p.zipf) for term, p in part.postings.items()))
    conn.executemany("INSERT INTO words VALUES (?, ?, ?) ON CONFLICT (key, word) DO UPDATE "
                     "SET count = count + excluded.count", ((key, w, n) for w, n in part.words.items()))


def write_index(conn: sqlite3.Connection, key: str, parts: Iterable[Part]) -> None:
    """Every part, unless an index with this key is there already (same content)."""
    if has_index(conn, key):
        return
    for number, part in enumerate(parts):
        write_part(conn, key, number, part)


def index_passages(passages: list, scheme: str, frequencies) -> Iterable[Part]:
    """The parts of the passages' index (Passage objects, by the default tokenizer)."""
    return index_parts([p.text for p in passages], [p.sentences for p in passages], DEFAULT_TOKENIZER,
                       scheme == SCHEME_PAIRS, frequencies)


def open_postings(store, content: str, scheme: str, passages: list) -> Postings:
    """A version's index from the store (`content`: Version.content), written there first when it
    is missing (a version from before indexes were kept, or another scheme); held in memory when
    the file cannot be written."""
    key = index_key(content, scheme)
    with store.connect() as conn:
        present = has_index(conn, key)
    if not present:
        try:
            with store.connect(write=True) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    write_index(conn, key, index_passages(passages, scheme, ConnectionFrequencies(conn)))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except StoreError:  # a read-only file answers all the same
            return MemoryPostings(index_passages(passages, scheme, store))
    return StoredPostings(store.reader(), key)


def drop_unused(conn: sqlite3.Connection) -> None:
    """Delete the indexes of content no version holds any more (after pruning versions)."""
    used = "(SELECT COALESCE(json_extract(changes, '$.content'), 'version:' || id) FROM versions)"
    for table in ("term_parts", "postings", "words"):
        conn.execute(f"DELETE FROM {table} WHERE substr(key, 1, instr(key, '/') - 1) NOT IN {used}")


class ConnectionFrequencies:
    """The store's kept word frequencies (rarity.FrequencyStore) through a connection already in a
    transaction, so that indexing inside a publish does not wait on its own lock."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def word_frequencies(self, words: list[str]) -> dict[str, float]:
        return dict(rows_in(self.conn, "SELECT word, zipf FROM word_frequencies WHERE word IN ({})", words))

    def save_word_frequencies(self, frequencies: dict[str, float]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO word_frequencies VALUES (?, ?)", frequencies.items())


class StoredPostings(Postings):
    """An index in the store, read a term at a time through one read-only connection of its own.
    Loading reads the passages' lengths only (4 bytes a passage)."""

    def __init__(self, conn: sqlite3.Connection, key: str):
        self._conn = conn  # Store.reader(): its own, for as long as this index is loaded
        self._lock = threading.Lock()
        self.key = key
        rows = self._rows("SELECT lengths, sentences, sentence_terms FROM term_parts WHERE key = ? ORDER BY part",
                          (key,))
        lengths = np.concatenate([np.frombuffer(r[0], dtype=np.int32) for r in rows]) if rows \
            else np.zeros(0, dtype=np.int32)
        super().__init__(lengths, sum(r[1] for r in rows), sum(r[2] for r in rows))
        self._kept: OrderedDict[str, Posting | None] = OrderedDict()

    def _rows(self, query: str, params: tuple) -> list[tuple]:
        with self._lock:
            return self._conn.execute(query, params).fetchall()

    def posting(self, term: str) -> Posting | None:
        if term in self._kept:
            self._kept.move_to_end(term)
            return self._kept[term]
        rows = self._rows("SELECT passages, counts, sentences, zipf FROM postings WHERE key = ? AND term = ? "
                          "ORDER BY part", (self.key, term))
        pieces = [Posting(np.frombuffer(p, dtype=np.int32), np.frombuffer(c, dtype=np.int32), s, z)
                  for p, c, s, z in rows]
        posting = (pieces[0] if len(pieces) == 1 else Posting.joined(pieces)) if pieces else None
        self._kept[term] = posting
        if len(self._kept) > POSTINGS_KEPT:
            self._kept.popitem(last=False)
        return posting

    def known(self, terms: Iterable[str]) -> set[str]:
        terms = set(terms)
        found = {t for t in terms if self._kept.get(t) is not None}
        unsure = sorted(t for t in terms - found if t not in self._kept)
        if unsure:
            with self._lock:
                found.update(r[0] for r in rows_in(
                    self._conn, "SELECT DISTINCT term FROM postings WHERE key = ? AND term IN ({})", unsure, self.key))
        return found

    def starting_with(self, prefix: str) -> list[str]:
        # A range on the primary key (key, term, part): the terms from the prefix up to its next string.
        rows = self._rows("SELECT DISTINCT term FROM postings WHERE key = ? AND term >= ? AND term < ? ORDER BY term",
                          (self.key, prefix, prefix + "\U0010ffff"))
        return [r[0] for r in rows if not is_pair(r[0])]

    def word_counts(self) -> Counter:
        return Counter(dict(self._rows("SELECT word, count FROM words WHERE key = ?", (self.key,))))

    def close(self) -> None:
        self._conn.close()
