"""A new version written a document at a time: a build of any size in bounded memory.

Each document is staged as soon as it is read and split: its text, its row and its passages'
rows go to the store in a short transaction of their own, and the build forgets it. Then the
version's index is built from the staged passages, read back a part at a time
(index/store/postings.py), and one last transaction copies the staged rows into the new version
and makes it live. A killed build leaves staged rows only, which a later prune deletes; the
live version never changes until that last transaction.
"""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from index.ingest.documents import Document
from index.ingest.passages import Passage
from index.retrieval.postings import SCHEME_PAIRS
from index.store.postings import indexed
from index.store.rows import passages_in_order, transaction
from index.store.snapshots import CONFIGURED, ContentDigest, Source, Version, kind_of, text_hash
from index.store.vectors import Progress, embedded_before, has_vectors, vector_key, write_vectors

READ_BACK = 2_000  # staged passages read back at a time to be indexed
LEFTOVER_SECONDS = 86_400  # a staging older than a day was killed: prune deletes it


class Staging:
    """One version being written; `add` each document, then `publish` (or `discard`)."""

    def __init__(self, store, corpus: str, embedder=None, on_embedding: Progress | None = None):
        """`embedder` (embedding.Embedder), when given, embeds the passages the corpus's live
        version has not, at publish time (vectors.py); `on_embedding` hears how far it got."""
        self.store, self.corpus = store, corpus
        self.embedder, self.on_embedding = embedder, on_embedding
        self.build = uuid.uuid4().hex
        self.documents = self.passages = 0
        self.digest = ContentDigest()
        self.started = time.time()

    def add(self, doc: Document, passages: list[Passage], source: Source | None = None,
            original: bytes | None = None) -> None:
        """Stage a document; `original` is the bytes an ADDED source refers to (kept with it)."""
        source = source or Source(CONFIGURED, kind_of(doc.name))
        sha = text_hash(doc.text)
        with self._writing() as conn:
            conn.execute("INSERT INTO texts VALUES (?, ?) ON CONFLICT DO NOTHING", (sha, doc.text))
            if original is not None:
                conn.execute("INSERT INTO originals VALUES (?, ?) ON CONFLICT DO NOTHING", (source.original, original))
            conn.execute("INSERT INTO staged_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (self.build, self.documents, doc.name, sha, doc.title, doc.byline, doc.date, doc.source,
                          json.dumps([[b.kind, b.start, b.end] for b in doc.blocks]), source.origin,
                          source.kind, source.original, source.added_by, source.added_at, self.started))
            conn.executemany("INSERT INTO staged_passages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [(self.build, self.passages + i, p.document, p.section, p.paragraph, p.start, p.end,
                               json.dumps(p.sentences)) for i, p in enumerate(passages)])
        self.digest.add(doc, passages)
        self.documents += 1
        self.passages += len(passages)

    def copy(self, version_id: int, without: str | None = None) -> None:
        """Stage every document of a stored version but `without`, with its passages, in the
        store itself: an addition to an archive reads none of its texts."""
        first_document, first_passage = self.documents, self.passages
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO staged_documents SELECT ?, ? + ROW_NUMBER() OVER (ORDER BY d.position) - 1, d.name, "
                "d.sha256, d.title, d.byline, d.date, d.source, d.blocks, COALESCE(s.origin, ?), "
                "COALESCE(s.kind, kind_of(d.name)), s.original, s.added_by, s.added_at, ? FROM documents d "
                "LEFT JOIN sources s ON s.version_id = d.version_id AND s.name = d.name "
                "WHERE d.version_id = ? AND d.name IS DISTINCT FROM ?",
                (self.build, first_document, CONFIGURED, self.started, version_id, without))
            conn.execute(
                "INSERT INTO staged_passages SELECT ?, ? + ROW_NUMBER() OVER (ORDER BY position) - 1, document, "
                'section, paragraph, start, "end", sentences FROM passages '
                "WHERE version_id = ? AND document IS DISTINCT FROM ?",
                (self.build, first_passage, version_id, without))
            self.documents += conn.execute("SELECT COUNT(*) FROM staged_documents WHERE build = ?",
                                           (self.build,)).fetchone()[0] - first_document
            self.passages += conn.execute("SELECT COUNT(*) FROM staged_passages WHERE build = ?",
                                          (self.build,)).fetchone()[0] - first_passage
        self._digest_copied(first_document, first_passage)

    def _digest_copied(self, first_document: int, first_passage: int) -> None:
        """The copied documents into the content digest, read back in order (no text)."""
        with self.store.connect() as conn:
            passages = conn.execute('SELECT document, start, "end", section FROM staged_passages '
                                    "WHERE build = ? AND position >= ? ORDER BY position", (self.build, first_passage))
            pending = passages.fetchone()
            for name, sha, title in conn.execute("SELECT name, sha256, title FROM staged_documents "
                                                 "WHERE build = ? AND position >= ? ORDER BY position",
                                                 (self.build, first_document)).fetchall():
                rows = []
                while pending is not None and pending[0] == name:
                    rows.append(pending)
                    pending = passages.fetchone()
                self.digest.add_rows(name, sha, title, rows)

    def staged_passages(self) -> Iterator[Passage]:
        """The staged passages in order, read back from the store (rows.passages_in_order)."""
        with self.store.connect() as conn:
            yield from passages_in_order(lambda query, params: conn.execute(query, params).fetchall(), "build",
                                         self.build, self.passages, staged=True, batch=READ_BACK)

    def publish(self, author: str, action: str, changes: dict, excluded: frozenset[str]) -> Version:
        """Index the staged passages, then make them the corpus's new live version, in one transaction."""
        changes = {"content": self.digest.hexdigest(), **changes}
        with indexed(self.store, changes["content"], SCHEME_PAIRS, self.staged_passages()):
            self._write_vectors(changes["content"])
            return self._publish(author, action, changes, excluded)

    def vectors_only(self) -> None:
        """Content that did not change: its vectors written if they are missing (a store from
        before vectors were kept at build time, or built without them), nothing published."""
        content = self.digest.hexdigest()
        if self.embedder is not None:
            with indexed(self.store, content, SCHEME_PAIRS, self.staged_passages()):
                self._write_vectors(content)

    def _write_vectors(self, content: str) -> None:
        """The staged passages' vectors, unless the store has them for this content already
        (under the indexing lock, so that pruning cannot take them before the version is live)."""
        if self.embedder is None:
            return
        key = vector_key(content, self.embedder.model)
        with self.store.connect(write=True) as conn:
            if has_vectors(conn, key):
                return
            known = embedded_before(conn, self.corpus, self.embedder.model, self.embedder.dimensions)
            write_vectors(conn, key, self.staged_passages(), self.passages, self.embedder.embed,
                          self.embedder.dimensions, known, self.on_embedding)

    def _publish(self, author: str, action: str, changes: dict, excluded: frozenset[str]) -> Version:
        with self._writing() as conn:
            number = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE corpus = ?",
                                  (self.corpus,)).fetchone()[0]
            now = time.time()
            version_id = conn.execute(
                "INSERT INTO versions (corpus, number, created_at, author, action, changes) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING id", (self.corpus, number, now, author, action, json.dumps(changes))).fetchone()[0]
            conn.execute("INSERT INTO documents SELECT ?, position, name, sha256, title, byline, date, source, "
                         "blocks FROM staged_documents WHERE build = ?", (version_id, self.build))
            conn.execute('INSERT INTO passages SELECT ?, position, document, section, paragraph, start, "end", '
                         "sentences FROM staged_passages WHERE build = ?", (version_id, self.build))
            conn.execute("INSERT INTO sources SELECT ?, name, origin, kind, original, added_by, added_at "
                         "FROM staged_documents WHERE build = ?", (version_id, self.build))
            conn.executemany("INSERT INTO excluded VALUES (?, ?)", [(version_id, n) for n in sorted(excluded)])
            conn.execute("INSERT INTO live VALUES (?, ?) ON CONFLICT(corpus) DO UPDATE "
                         "SET version_id = excluded.version_id", (self.corpus, version_id))
            _delete(conn, self.build)
        return Version(version_id, self.corpus, number, now, author, action, changes)

    def discard(self) -> None:
        """Delete what was staged, as well as can be: the error that stopped the build is the one
        to report, and a later prune deletes what is left."""
        try:
            with self._writing() as conn:
                _delete(conn, self.build)
        except Exception:
            pass

    @contextmanager
    def _writing(self):
        with self.store.connect(write=True) as conn, transaction(conn):
            yield conn


def _delete(conn, build: str) -> None:
    conn.execute("DELETE FROM staged_passages WHERE build = ?", (build,))
    conn.execute("DELETE FROM staged_documents WHERE build = ?", (build,))


def drop_leftovers(conn) -> None:
    """Delete what killed builds staged (inside the caller's transaction)."""
    stale = [r[0] for r in conn.execute("SELECT DISTINCT build FROM staged_documents WHERE started_at < ?",
                                        (time.time() - LEFTOVER_SECONDS,))]
    for build in stale:
        _delete(conn, build)
