"""The store: versioned corpora, the same on every backend (sqlite.py: one file, the default;
postgres.py: a server that several bot processes share).

Every change publishes a whole new version and moves the corpus's live pointer to it in the
same transaction, so a reader sees the old version or the new one, never half of either, and a
build killed at any instant leaves the previous version answering. A version is first staged a
document at a time and indexed (staging.py, postings.py), in short transactions that leave the
store to other writers; only the last one, which makes it live, touches the live version.
Document texts are stored once by content hash and shared between versions, so nothing indexed
is ever lost.

Each version also records where its documents came from (`sources`): read from the configured
content files, or added by a moderator, whose original bytes are kept (`originals`) so a
rebuild can read them again; and which configured documents moderators removed (`excluded`),
so a rebuild does not bring them back. Rolling back copies all of it.

A backend gives connections that take the same SQL (`?` parameters; `has_table`, `begin_read`
and `begin_write` for what differs), named locks that die with their holder, and a `stamp` that
changes when anything is published; the SQL lives here and in the modules beside this one.
"""
from __future__ import annotations

import json
import shlex
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from index.ingest.documents import Block, Document
from index.ingest.passages import Passage
from index.store.postings import drop_unused
from index.store.rows import find_version, has_table, rows_in, transaction, version_of
from index.store.snapshots import DEFAULT_CORPUS, AUDIT_STARTED, Snapshot, Source, Version, by_document
from index.store.staging import Staging, drop_leftovers
from index.store.vectors import drop_unused_vectors


class Lock(Protocol):
    """A named lock across threads and processes, freed when its holder dies."""

    def acquire(self, timeout: float) -> bool:
        """Hold it within `timeout` seconds (-1: wait as long as it takes); False if not."""

    def release(self) -> None: ...


@dataclass(frozen=True)
class Reader:
    """The process's lasting connection for reading a store, used by any thread under its lock."""
    conn: Any
    lock: Any


class Store:
    """What every backend shares; a backend implements the methods that raise NotImplementedError."""
    name: str  # where the store is, for messages and as the key of loaded versions (no secrets)
    index_option = ""  # how the command line names this store (its default: VERBATIM_DATABASE_URL)

    def build_command(self, corpus: str | None = None) -> str:
        """The command that builds this store (and `corpus`, when not the configured one), for hints."""
        return "python -m index build" + self.index_option + (f" --corpus {shlex.quote(corpus)}" if corpus else "")

    def exists(self) -> bool:
        raise NotImplementedError

    def connect(self, write: bool = False) -> AbstractContextManager:
        """A connection; failures become one StoreError that says what to do."""
        raise NotImplementedError

    def reader(self) -> Reader:
        raise NotImplementedError

    def stamp(self) -> tuple:
        """What changes whenever a version is published: cheaper than reading the live versions."""
        raise NotImplementedError

    def check_writable(self) -> None:
        """StoreError unless a change can be written."""
        raise NotImplementedError

    def lock(self, name: str) -> Lock:
        """The named lock (a corpus's changes, the index's builder)."""
        raise NotImplementedError

    def vacuum(self) -> None:
        """Give the space of deleted rows back."""
        raise NotImplementedError

    def size(self) -> int:
        """Bytes the store takes."""
        raise NotImplementedError

    # -- reading -------------------------------------------------------------------------

    def live_version(self, corpus: str = DEFAULT_CORPUS) -> Version | None:
        if not self.exists():
            return None
        with self.connect() as conn:
            return find_version(conn, corpus)

    def history(self, corpus: str = DEFAULT_CORPUS) -> list[Version]:
        if not self.exists():
            return []
        with self.connect() as conn:
            if not has_table(conn):
                return []
            rows = conn.execute("SELECT * FROM versions WHERE corpus = ? ORDER BY number DESC",
                                (corpus,)).fetchall()
        return [version_of(r) for r in rows]

    def corpora(self) -> list[str]:
        if not self.exists():
            return []
        with self.connect() as conn:
            if not has_table(conn):
                return []
            return [r[0] for r in conn.execute("SELECT corpus FROM live ORDER BY corpus")]

    def load(self, corpus: str = DEFAULT_CORPUS, number: int | None = None) -> Snapshot | None:
        """The live version of a corpus (or version `number`), read in one transaction."""
        if not self.exists():
            return None
        with self.connect() as conn:
            conn.execute(conn.begin_read)
            try:
                return self._load(conn, corpus, number)  # None without a version (or tables)
            finally:
                conn.execute("COMMIT")

    def _load(self, conn, corpus: str, number: int | None) -> Snapshot | None:
        version = find_version(conn, corpus, number)
        if version is None:
            return None
        documents = [
            Document(name=name, text=text, title=title, byline=byline, date=date, source=source,
                     blocks=[Block(*b) for b in json.loads(blocks)])
            for name, text, title, byline, date, source, blocks in conn.execute(
                "SELECT d.name, t.text, d.title, d.byline, d.date, d.source, d.blocks FROM documents d "
                "JOIN texts t ON t.sha256 = d.sha256 WHERE d.version_id = ? ORDER BY d.position",
                (version.id,))
        ]
        texts = {d.name: d.text for d in documents}
        passages = [
            Passage(document, section, paragraph, start, end, texts[document][start:end],
                    tuple(tuple(s) for s in json.loads(sentences)))
            for document, section, paragraph, start, end, sentences in conn.execute(
                'SELECT document, section, paragraph, start, "end", sentences FROM passages '
                "WHERE version_id = ? ORDER BY position", (version.id,))
        ]
        sources, excluded = self.sources(conn, version.id)
        return Snapshot(version, documents, passages, sources, excluded)

    def sources(self, conn, version_id: int | None) -> tuple[dict[str, Source], frozenset[str]]:
        if version_id is None or not has_table(conn, "sources"):  # a version 1 file not yet upgraded
            return {}, frozenset()
        sources = {row[0]: Source(*row[1:]) for row in conn.execute(
            "SELECT name, origin, kind, original, added_by, added_at FROM sources WHERE version_id = ?",
            (version_id,))}
        excluded = frozenset(r[0] for r in conn.execute(
            "SELECT name FROM excluded WHERE version_id = ?", (version_id,)))
        return sources, excluded

    # -- writing -------------------------------------------------------------------------

    def publish(self, corpus: str, documents: list[Document], passages: list[Passage],
                author: str, action: str, changes: dict | None = None, *,
                sources: dict[str, Source] | None = None, excluded: frozenset[str] | None = None,
                originals: dict[str, bytes] | None = None) -> Version:
        """Write a complete new version and make it live (staging.py: the index first, then the
        version in one transaction). `sources` and `excluded` default to what the live version
        says (a document not in it counts as configured content); `originals` are the bytes that
        ADDED sources refer to."""
        if sources is None or excluded is None:
            with self.connect(write=True) as conn:
                live = conn.execute("SELECT version_id FROM live WHERE corpus = ?", (corpus,)).fetchone()
                live_sources, live_excluded = self.sources(conn, live[0] if live else None)
            sources = live_sources if sources is None else sources
            excluded = live_excluded if excluded is None else excluded
        staging = self.staging(corpus)
        try:
            for doc, its in by_document(documents, passages):
                source = sources.get(doc.name)
                original = (originals or {}).get(source.original) if source and source.original else None
                staging.add(doc, its, source, original)
            return staging.publish(author, action, changes or {}, excluded)
        except BaseException:
            staging.discard()
            raise

    def staging(self, corpus: str, embedder=None, on_embedding=None) -> Staging:
        """A new version of `corpus` to write a document at a time (staging.py), its passages
        embedded at publish time when an `embedder` is given (vectors.py)."""
        return Staging(self, corpus, embedder, on_embedding)

    # -- space ------------------------------------------------------------------------------

    def prune(self, corpus: str, keep: int) -> int:
        """Delete the versions of `corpus` older than its newest `keep` (never the live one),
        then every text and original bytes no kept version of any corpus uses. The number of
        versions deleted. In one transaction: a kill leaves all of it or none."""
        if keep < 1:
            raise ValueError("keep at least one version")
        with self.connect(write=True) as conn, transaction(conn):
            doomed = [row[0] for row in conn.execute(
                "SELECT id FROM versions WHERE corpus = ? AND id NOT IN (SELECT version_id FROM live) "
                "AND number <= (SELECT MAX(number) FROM versions WHERE corpus = ?) - ?", (corpus, corpus, keep))]
            for table in ("documents", "passages", "sources", "excluded"):
                conn.executemany(f"DELETE FROM {table} WHERE version_id = ?", [(v,) for v in doomed])
            conn.executemany("DELETE FROM versions WHERE id = ?", [(v,) for v in doomed])
            drop_unused(conn, self, drop_unused_vectors)
            drop_leftovers(conn)
            conn.execute("DELETE FROM texts WHERE sha256 NOT IN (SELECT sha256 FROM documents "
                         "UNION SELECT sha256 FROM staged_documents)")  # a build under way keeps its texts
            conn.execute("DELETE FROM originals WHERE sha256 NOT IN (SELECT original FROM sources WHERE "
                         "original IS NOT NULL UNION SELECT original FROM staged_documents WHERE original IS NOT NULL)")
        return len(doomed)

    def original(self, sha256: str) -> bytes | None:
        """The bytes a moderator added, as they came."""
        with self.connect() as conn:
            if not has_table(conn, "originals"):
                return None
            row = conn.execute("SELECT data FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    # -- English frequencies of the content's words (index/retrieval/rarity.py) -------------------------

    def word_frequencies(self, words: list[str]) -> dict[str, float]:
        """The kept Zipf frequencies of these words, where there are any."""
        with self.connect() as conn:
            if not has_table(conn, "word_frequencies"):
                return {}  # a file from before schema 4, not yet written to
            return dict(rows_in(conn, "SELECT word, zipf FROM word_frequencies WHERE word IN ({})", words))

    def save_word_frequencies(self, frequencies: dict[str, float]) -> None:
        with self.connect(write=True) as conn:
            conn.executemany("INSERT INTO word_frequencies VALUES (?, ?) ON CONFLICT DO NOTHING",
                             [(w, float(z)) for w, z in frequencies.items()])

    # -- the audit log ----------------------------------------------------------------------

    def record(self, corpus: str, actor: str, action: str, detail: str, result: str) -> int:
        """Append to the audit log: every change, failures included. Returns the entry's id."""
        with self.connect(write=True) as conn:
            return conn.execute("INSERT INTO audit (at, corpus, actor, action, detail, result) "
                                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                (time.time(), corpus, actor, action, detail, result)).fetchone()[0]

    def finish_record(self, entry: int, result: str) -> None:
        """Say how a change recorded as started ended."""
        with self.connect(write=True) as conn:
            conn.execute("UPDATE audit SET result = ? WHERE id = ?", (result, entry))

    def mark_interrupted(self, corpus: str) -> int:
        """Entries still 'started' whose process died (call it holding the corpus's change lock)."""
        with self.connect(write=True) as conn:
            return conn.execute("UPDATE audit SET result = 'interrupted: the process ended before it finished' "
                                "WHERE corpus = ? AND result = ?", (corpus, AUDIT_STARTED)).rowcount

    def audit_log(self, corpus: str | None = None, limit: int = 50) -> list[dict]:
        if not self.exists():
            return []
        with self.connect() as conn:
            if not has_table(conn):
                return []
            rows = conn.execute(
                "SELECT at, corpus, actor, action, detail, result FROM audit "
                "WHERE CAST(? AS TEXT) IS NULL OR corpus = ? ORDER BY id DESC LIMIT ?", (corpus, corpus, limit))
            keys = ("at", "corpus", "actor", "action", "detail", "result")
            return [dict(zip(keys, r)) for r in rows]
