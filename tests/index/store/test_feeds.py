"""Followed feeds' rows on both backends: per corpus, their polls and back-off, the entries taken
(by link and by text), read by a new store object (a new process); a file from before feeds
upgraded when written; and `python -m index migrate` copying both tables."""
from __future__ import annotations

import sqlite3

from index.store import feeds
from index.store.migration import migrate
from index.store.postgres import PostgresStore
from index.store.schema import SCHEMA_VERSION
from index.store.sqlite import SQLiteStore


def test_feeds_and_their_entries_are_kept(new_store):
    store = new_store()
    assert feeds.followed(store) == []
    assert feeds.follow(store, "guild-1", "https://a.example/feed.xml", "A news", "mod") is True
    assert feeds.follow(store, "guild-1", "https://a.example/feed.xml", "again", "other") is False  # kept as it was
    feeds.follow(store, "guild-2", "https://b.example/atom", "B news", "mod2")
    reopened = new_store()
    [a] = feeds.followed(reopened, "guild-1")
    assert (a.url, a.title, a.added_by, a.entries_added, a.failures, a.last_error, a.last_poll) == \
        ("https://a.example/feed.xml", "A news", "mod", 0, 0, None, None)
    assert a.next_poll == a.added_at  # due at once
    assert [f.corpus for f in feeds.followed(reopened)] == ["guild-1", "guild-2"]

    feeds.record_entries(store, "guild-1", a.url, [("https://a.example/1", "sha1", "a-1.html"),
                                                   ("https://a.example/2", "sha2", "a-2.html")])
    feeds.record_entries(store, "guild-1", a.url, [("https://a.example/1", "sha1", "a-1.html")])  # once
    assert feeds.seen_links(reopened, "guild-1", a.url, ["https://a.example/1", "https://a.example/3"]) == \
        {"https://a.example/1"}
    assert feeds.seen_links(reopened, "guild-2", a.url, ["https://a.example/1"]) == set()
    assert feeds.seen_text(reopened, "guild-1", "sha2") == "a-2.html"
    assert feeds.seen_text(reopened, "guild-2", "sha2") is None

    first = feeds.record_failure(store, "guild-1", a.url, "timed out", 1000.0, 60, 200)
    second = feeds.record_failure(store, "guild-1", a.url, "timed out again", 2000.0, 60, 200)
    third = feeds.record_failure(store, "guild-1", a.url, "still", 3000.0, 60, 200)
    assert (first, second, third) == (1060.0, 2120.0, 3200.0)  # doubling, capped
    [a] = feeds.followed(reopened, "guild-1")
    assert (a.failures, a.last_error, a.last_poll, a.next_poll, a.last_success) == (3, "still", 3000.0, 3200.0, None)
    feeds.record_success(store, "guild-1", a.url, "A news (new title)", 2, None, 4000.0)
    [a] = feeds.followed(reopened, "guild-1")
    assert (a.title, a.failures, a.last_error, a.entries_added, a.last_success, a.next_poll) == \
        ("A news (new title)", 0, None, 2, 4000.0, 4000.0)

    assert feeds.unfollow(reopened, "guild-1", a.url) is True
    assert feeds.unfollow(reopened, "guild-1", a.url) is False
    assert feeds.followed(store, "guild-1") == [] and feeds.seen_links(store, "guild-1", a.url, ["https://a.example/1"]) == set()
    assert [f.url for f in feeds.followed(store)] == ["https://b.example/atom"]


def test_a_file_from_before_feeds_reads_none_and_upgrades_when_written(tmp_path):
    store = SQLiteStore(tmp_path / "old.sqlite3")
    assert feeds.followed(store) == []  # no file at all yet
    with store.connect(write=True):
        pass
    with sqlite3.connect(store.path) as conn:  # as schema 9 left it
        conn.execute("DROP TABLE feeds")
        conn.execute("DROP TABLE feed_entries")
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    assert feeds.followed(store) == []
    feeds.follow(store, "default", "https://a.example/feed.xml", "A", "mod")
    assert [f.url for f in feeds.followed(store)] == ["https://a.example/feed.xml"]
    with store.connect() as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION) == "10"


def test_migration_copies_the_feeds_and_their_entries(tmp_path, postgres_url):
    source = SQLiteStore(tmp_path / "i.sqlite3")
    feeds.follow(source, "guild-1", "https://a.example/feed.xml", "A news", "mod")
    feeds.record_entries(source, "guild-1", "https://a.example/feed.xml", [("https://a.example/1", "sha1", "a-1.html")])
    feeds.record_failure(source, "guild-1", "https://a.example/feed.xml", "timed out", 1000.0, 60, 3600)
    with source.connect(write=True) as conn:  # migrate copies only into an empty database; any version is fine
        conn.execute("INSERT INTO versions (corpus, number, created_at, author, action, changes) "
                     "VALUES ('guild-1', 1, 0, 'op', 'build', '{}')")
    target = PostgresStore(postgres_url)
    copied = migrate(source, target)
    assert (copied["feeds"], copied["feed_entries"]) == (1, 1)
    assert feeds.followed(target) == feeds.followed(source)
    assert feeds.seen_text(target, "guild-1", "sha1") == "a-1.html"
    assert feeds.seen_links(target, "guild-1", "https://a.example/feed.xml", ["https://a.example/1"]) == \
        {"https://a.example/1"}
