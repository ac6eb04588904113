"""The inverted index in the store: written a part at a time, read a term at a time.

Rows are keyed by what the index was built from, the content digest of a version (two versions
or two corpora with the same content share one index) and the scheme (with or without pairs of
terms, index/retrieval/postings.py). A build writes the index before it publishes the version,
a part of 5,000 passages in each short transaction, so that questions, votes and other corpora's
changes go on between them even while an archive of a million passages is indexed; the index
counts only once marked complete (`term_indexes`). One builder at a time per store, by the store's
lock that is freed when its holder dies;
the next builder deletes what a killed one left.
A version from before indexes were kept, or a scheme no build wrote, is indexed at its first load.
"""
from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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
from index.store.rows import has_table, rows_in, transaction, version_of
from index.text.tokens import DEFAULT_TOKENIZER

POSTINGS_KEPT_BYTES = 32_000_000  # postings kept read between questions (a common word's are megabytes)
KNOWN_KEPT = 200_000  # terms whose presence stays known between questions
LEFTOVER_SECONDS = 86_400  # an index still incomplete a day after it was started was killed
INDEXING = "indexing"  # the store's lock held by the one builder of indexes at a time
_TABLES = ("term_parts", "postings", "words")


def index_key(content: str, scheme: str) -> str:
    return f"{content}/{scheme}"


def has_index(conn, key: str) -> bool:
    if not has_table(conn, "term_indexes"):
        return False  # a file from before indexes were kept, not written since
    return conn.execute("SELECT 1 FROM term_indexes WHERE key = ? AND complete = 1", (key,)).fetchone() is not None


def index_passages(passages: Iterable, scheme: str, frequencies) -> Iterable[Part]:
    """The parts of the passages' index (Passage objects, by the default tokenizer)."""
    return index_parts(((p.text, p.sentences) for p in passages), DEFAULT_TOKENIZER, scheme == SCHEME_PAIRS,
                       frequencies)


@contextmanager
def indexed(store, content: str, scheme: str, passages: Iterable) -> Iterator[None]:
    """The passages' index, complete in the store for the duration of the block (a publish):
    written now unless it is there already. The lock is held throughout, so pruning cannot take
    the index away before the version that uses it is live."""
    key = index_key(content, scheme)
    lock = store.lock(INDEXING)
    lock.acquire(timeout=-1)
    try:
        with store.connect(write=True) as conn:
            if not has_index(conn, key):
                _write_index(conn, key, index_passages(passages, scheme, store))
        yield
    finally:
        lock.release()


def _write_index(conn, key: str, parts: Iterable[Part]) -> None:
    with transaction(conn):
        for table in _TABLES:  # what a killed builder left
            conn.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
        conn.execute("INSERT INTO term_indexes VALUES (?, 0, ?) ON CONFLICT (key) DO UPDATE "
                     "SET complete = 0, started_at = excluded.started_at", (key, time.time()))
    for number, part in enumerate(parts):
        with transaction(conn):
            _write_part(conn, key, number, part)
    with transaction(conn):
        conn.execute("UPDATE term_indexes SET complete = 1 WHERE key = ?", (key,))


def _write_part(conn, key: str, number: int, part: Part) -> None:
    conn.execute("INSERT INTO term_parts VALUES (?, ?, ?, ?, ?, ?)",
                 (key, number, int(part.first), part.lengths.astype(np.int32).tobytes(), int(part.sentences),
                  int(part.sentence_terms)))
    conn.executemany(
        "INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((key, term, number, p.passages.astype(np.int32).tobytes(), p.counts.astype(np.int32).tobytes(),
          int(p.sentences), None if p.zipf is None else float(p.zipf)) for term, p in part.postings.items()))
    conn.executemany("INSERT INTO words VALUES (?, ?, ?) ON CONFLICT (key, word) DO UPDATE "
                     "SET count = words.count + excluded.count", ((key, w, int(n)) for w, n in part.words.items()))


def open_postings(store, content: str, scheme: str, passages: Iterable) -> Postings:
    """A version's index from the store (`content`: Version.content), written there first when it
    is missing (a version from before indexes were kept, or another scheme); held in memory when
    the file cannot be written."""
    key = index_key(content, scheme)
    with store.connect() as conn:
        present = has_index(conn, key)
    if not present:
        try:
            store.check_writable()
            with indexed(store, content, scheme, passages):
                pass
        except StoreError:  # a read-only file answers all the same (word frequencies looked up, not kept)
            return MemoryPostings(index_passages(passages, scheme, None))
    return StoredPostings(store.reader(), key)


def drop_unused(conn, store, *also) -> None:
    """Delete the indexes of content no version holds any more (after pruning versions), and
    those a killed build left, and what each of `also` (a function of the connection) drops
    beside them; not while an index is being built (the next prune will)."""
    lock = store.lock(INDEXING)
    if not lock.acquire(timeout=0):
        return
    try:
        _drop_unused(conn)
        for drop in also:
            drop(conn)
    finally:
        lock.release()


def _drop_unused(conn) -> None:
    used = {version_of(row).content for row in conn.execute("SELECT * FROM versions")}
    stale = time.time() - LEFTOVER_SECONDS
    for key, complete, started in conn.execute("SELECT key, complete, started_at FROM term_indexes").fetchall():
        if key.rsplit("/", 1)[0] in used or (not complete and started > stale):
            continue
        for table in (*_TABLES, "term_indexes"):
            conn.execute(f"DELETE FROM {table} WHERE key = ?", (key,))


class StoredPostings(Postings):
    """An index in the store, read a term at a time through the file's shared reading connection.
    Loading reads the passages' lengths only (4 bytes a passage)."""

    def __init__(self, reader, key: str):
        self._conn, self._lock = reader.conn, reader.lock  # Store.reader(): the file's, shared
        self.key = key
        rows = self._rows("SELECT lengths, sentences, sentence_terms FROM term_parts WHERE key = ? ORDER BY part",
                          (key,))
        lengths = np.concatenate([np.frombuffer(r[0], dtype=np.int32) for r in rows]) if rows \
            else np.zeros(0, dtype=np.int32)
        super().__init__(lengths, sum(r[1] for r in rows), sum(r[2] for r in rows))
        self._kept: OrderedDict[str, Posting | None] = OrderedDict()
        self._kept_bytes = 0
        self._known: dict[str, bool] = {}  # terms looked up: held by some passage or not

    def _rows(self, query: str, params: tuple) -> list[tuple]:
        with self._lock:
            return self._conn.execute(query, params).fetchall()

    def posting(self, term: str) -> Posting | None:
        with self._lock:  # questions of many servers share a loaded version, from worker threads
            if term in self._kept:
                self._kept.move_to_end(term)
                return self._kept[term]
            rows = self._conn.execute("SELECT passages, counts, sentences, zipf FROM postings WHERE key = ? "
                                      "AND term = ? ORDER BY part", (self.key, term)).fetchall()
            pieces = [Posting(np.frombuffer(p, dtype=np.int32), np.frombuffer(c, dtype=np.int32), s, z)
                      for p, c, s, z in rows]
            posting = (pieces[0] if len(pieces) == 1 else Posting.joined(pieces)) if pieces else None
            self._kept[term] = posting
            self._kept_bytes += _size(posting)
            while self._kept_bytes > POSTINGS_KEPT_BYTES and len(self._kept) > 1:
                self._kept_bytes -= _size(self._kept.popitem(last=False)[1])
            return posting

    def known(self, terms: Iterable[str]) -> set[str]:
        terms = set(terms)
        with self._lock:
            unsure = sorted(t for t in terms if t not in self._known)
            if unsure:
                if len(self._known) > KNOWN_KEPT:
                    self._known.clear()
                found = {r[0] for r in rows_in(
                    self._conn, "SELECT DISTINCT term FROM postings WHERE key = ? AND term IN ({})", unsure, self.key)}
                self._known.update((t, t in found) for t in unsure)
            return {t for t in terms if self._known[t]}

    def starting_with(self, prefix: str) -> list[str]:
        # A range on the primary key (key, term, part): the terms from the prefix up to its next string.
        rows = self._rows("SELECT DISTINCT term FROM postings WHERE key = ? AND term >= ? AND term < ? ORDER BY term",
                          (self.key, prefix, prefix + "\U0010ffff"))
        return [r[0] for r in rows if not is_pair(r[0])]

    def word_counts(self) -> Counter:
        return Counter(dict(self._rows("SELECT word, count FROM words WHERE key = ?", (self.key,))))


def _size(posting: Posting | None) -> int:
    return 64 if posting is None else 64 + posting.passages.nbytes + posting.counts.nbytes
