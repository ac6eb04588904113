"""The versioned store: whole versions, sources and originals, the audit log, old files."""
from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest

from index.errors import StoreConflict, StoreError
from index.ingest.passages import split_passages
from index.ingest.reading import read_bytes
from index.store import schema
from index.store import staging
from index.store.schema import SCHEMA_VERSION
from index.store.vectors import open_vectors
from index.store.snapshots import ADDED, AUDIT_STARTED, CONFIGURED, Source, text_hash
from index.store.sqlite import SQLiteStore


def doc(name: str, text: str):
    return read_bytes(text.encode(), name, "text")


def publish(store: SQLiteStore, docs, corpus="default", author="test", **kw):
    passages = [p for d in docs for p in split_passages(d)]
    return store.publish(corpus, docs, passages, author, kw.pop("action", "build"), **kw)


A = doc("a.txt", "Apples\n\nApples grow on trees in the orchard.\n\nThey are picked in autumn.\n")
B = doc("b.txt", "Boats\n\nBoats float on the water of the harbour.\n")


def test_publish_and_load_a_whole_version(new_store):
    store = new_store()
    v1 = publish(store, [A])
    v2 = publish(store, [A, B])
    assert (v1.number, v2.number) == (1, 2)
    live = store.load()
    assert live.version.number == 2
    assert [d.name for d in live.documents] == ["a.txt", "b.txt"]
    assert [p.text for p in live.passages] == [p.text for d in (A, B) for p in split_passages(d)]
    assert [d.name for d in store.load(number=1).documents] == ["a.txt"]
    assert store.load("other") is None


def test_texts_are_stored_once(new_store):
    store = new_store()
    for _ in range(3):
        publish(store, [A, B])
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 2


def test_sources_excluded_and_originals_are_versioned(new_store):
    store = new_store()
    original = b"Boats\n\nBoats float on the water of the harbour.\n"
    added = Source(ADDED, "text", "f" * 64, "mod", 123.0)
    publish(store, [A, B], sources={"b.txt": added}, excluded=frozenset({"c.txt"}),
            originals={"f" * 64: original})
    live = store.load()
    assert live.source("b.txt") == added
    assert live.source("a.txt") == Source(CONFIGURED, "text")
    assert live.excluded == {"c.txt"}
    assert store.original("f" * 64) == original
    assert store.original("0" * 64) is None


def test_publish_without_sources_keeps_the_live_ones(new_store):
    store = new_store()
    added = Source(ADDED, "text", None, "mod", 1.0)
    publish(store, [A, B], sources={"b.txt": added}, excluded=frozenset({"c.txt"}))
    publish(store, [A, B])  # e.g. a caller that knows nothing of sources
    live = store.load()
    assert live.source("b.txt") == added and live.excluded == {"c.txt"}


def test_a_failed_publish_changes_nothing(new_store):
    store = new_store()
    publish(store, [A])
    with pytest.raises(StoreConflict):
        publish(store, [A, A])  # two documents with one name: the transaction is rolled back
    assert store.load().version.number == 1
    assert [v.number for v in store.history()] == [1]


def test_readers_see_the_old_version_while_a_version_is_being_written(new_store, monkeypatch):
    store = new_store()
    publish(store, [A])
    slow_hash = staging.text_hash
    monkeypatch.setattr(staging, "text_hash", lambda text: time.sleep(0.3) or slow_hash(text))  # per document written
    writer = threading.Thread(target=publish, args=(store, [A, B]))
    writer.start()
    time.sleep(0.15)  # inside the write transaction
    started = time.perf_counter()
    assert store.load().version.number == 1
    assert time.perf_counter() - started < 0.2  # not blocked by the writer (WAL)
    writer.join()
    assert store.load().version.number == 2


def test_audit_entries_started_finished_and_interrupted(new_store):
    store = new_store()
    entry = store.record("g", "mod", "add", "file 'x.txt'", AUDIT_STARTED)
    store.finish_record(entry, "version 2")
    dead = store.record("g", "mod", "reindex", "from content", AUDIT_STARTED)
    assert store.mark_interrupted("g") == 1
    log = store.audit_log("g")
    assert [e["result"] for e in log][0].startswith("interrupted")
    assert log[1]["result"] == "version 2" and log[1]["actor"] == "mod"
    assert dead > entry
    assert store.audit_log("other") == []


def write_version_1(conn: sqlite3.Connection, doc) -> None:
    """A version as the first Verbatim wrote it, row by row."""
    sha = text_hash(doc.text)
    conn.execute("INSERT INTO versions VALUES (1, 'default', 1, 0, 'old', 'build', '{}')")
    conn.execute("INSERT INTO texts VALUES (?, ?)", (sha, doc.text))
    conn.execute("INSERT INTO documents VALUES (1, 0, ?, ?, ?, ?, ?, ?, ?)",
                 (doc.name, sha, doc.title, doc.byline, doc.date, doc.source,
                  json.dumps([[b.kind, b.start, b.end] for b in doc.blocks])))
    conn.executemany("INSERT INTO passages VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                     [(i, p.document, p.section, p.paragraph, p.start, p.end, json.dumps(p.sentences))
                      for i, p in enumerate(split_passages(doc))])
    conn.execute("INSERT INTO live VALUES ('default', 1)")


def test_a_version_1_file_is_read_and_upgraded(tmp_path):
    path = tmp_path / "old.db"
    old_schema = schema.SCHEMA.split("CREATE TABLE IF NOT EXISTS originals")[0]
    with sqlite3.connect(path) as conn:
        conn.executescript(old_schema)
        conn.execute("INSERT INTO meta VALUES ('schema', '1')")
    with sqlite3.connect(path) as conn:  # a version written by the old code: no sources rows, no index
        write_version_1(conn, A)
    store = SQLiteStore(path)
    live = store.load()  # read without writing: the new tables do not exist yet
    assert live.version.number == 1 and live.source("a.txt").origin == CONFIGURED
    assert open_vectors(store, live.version.content, "model", 384) is None  # no vectors table yet: none kept
    assert store.word_frequencies(["people"]) == {}
    publish(store, [A, B])
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
    assert store.load().version.number == 2
    store.save_word_frequencies({"people": 6.25, "gunmen": 3.23})
    assert store.word_frequencies(["gunmen", "unseen"]) == {"gunmen": 3.23}


def test_a_newer_schema_is_refused(tmp_path):
    store = SQLiteStore(tmp_path / "x.db")
    publish(store, [A])
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="newer"):
        publish(store, [A, B])
