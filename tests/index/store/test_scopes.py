"""Channel scopes' rows on both backends: per corpus and channel, replaced and dropped, read by a
new store object (a new process), and a file from before they existed upgraded when written."""
from __future__ import annotations

import sqlite3

from index.store import scopes
from index.store.schema import SCHEMA_VERSION
from index.store.sqlite import SQLiteStore


def test_scopes_are_kept_by_corpus_and_channel(new_store):
    store = new_store()
    assert scopes.of_corpus(store, "guild-1") == []
    scopes.save(store, "guild-1", "10", ["a.txt", "b.md"], "mod")
    scopes.save(store, "guild-1", "11", ["c.html"], "mod")
    scopes.save(store, "guild-2", "10", ["z.txt"], "other")
    assert scopes.of_channel(store, "guild-1", "10") == ("a.txt", "b.md")
    assert scopes.of_channel(store, "guild-2", "10") == ("z.txt",)
    assert scopes.of_channel(store, "guild-1", "12") is None
    scopes.save(store, "guild-1", "10", ["b.md"], "mod2")  # replaced, not added to
    reopened = new_store()  # what another process sees
    assert scopes.of_channel(reopened, "guild-1", "10") == ("b.md",)
    [first, second] = scopes.of_corpus(reopened, "guild-1")
    assert (first.channel, first.documents, first.set_by) == ("10", ("b.md",), "mod2")
    assert (second.channel, second.documents) == ("11", ("c.html",)) and second.set_at > 0
    assert scopes.drop(reopened, "guild-1", "10") is True
    assert scopes.drop(reopened, "guild-1", "10") is False
    assert scopes.of_channel(store, "guild-1", "10") is None
    assert [s.channel for s in scopes.of_corpus(store, "guild-1")] == ["11"]
    assert scopes.of_channel(store, "guild-2", "10") == ("z.txt",)


def test_a_file_from_before_scopes_reads_none_and_upgrades_when_written(tmp_path):
    store = SQLiteStore(tmp_path / "old.sqlite3")
    assert scopes.of_channel(store, "default", "console") is None  # no file at all yet
    with store.connect(write=True):
        pass
    with sqlite3.connect(store.path) as conn:  # as schema 8 left it
        conn.execute("DROP TABLE scopes")
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema'")
    assert scopes.of_channel(store, "default", "console") is None
    assert scopes.of_corpus(store, "default") == []
    scopes.save(store, "default", "console", ["a.txt"], "mod")
    assert scopes.of_channel(store, "default", "console") == ("a.txt",)
    with store.connect() as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION) == "10"
