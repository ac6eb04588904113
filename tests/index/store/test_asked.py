"""Kept questions' rows on both backends: by corpus and outcome, newest first, the member only
hashed (the same hash for the same member, another store another hash), old rows deleted by the
retention, bad outcomes refused, and a file from before them upgraded when written."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from index.store import asked
from index.store.asked import Closest
from index.store.sqlite import SQLiteStore

DAY = asked.DAY_SECONDS


def test_questions_are_kept_by_corpus_and_outcome_newest_first(new_store):
    store = new_store()
    assert asked.questions(store, "guild-1") == []
    where = Closest("ferry.txt", "Crossings", 2)
    asked.keep(store, "guild-1", 3, "member-1", "How many ferries sail?", asked.PASSAGES, where, now=1000.0)
    asked.keep(store, "guild-1", 3, "member-2", "Who owns the harbour?", asked.REFUSED, None, now=2000.0)
    asked.keep(store, "guild-1", 4, "member-1", "When does the ferry leave?", asked.ANSWERED, where, now=3000.0)
    asked.keep(store, "guild-2", 1, "member-1", "What is the toll?", asked.REFUSED, None, now=4000.0)
    reopened = new_store()  # what another process sees
    every = asked.questions(reopened, "guild-1")
    assert [q.question for q in every] == ["When does the ferry leave?", "Who owns the harbour?",
                                          "How many ferries sail?"]
    assert [(q.outcome, q.version, q.closest) for q in every] == [
        ("answered", 4, where), ("refused", 3, None), ("passages", 3, where)]
    missed = asked.questions(reopened, "guild-1", asked.MISSED)
    assert [q.question for q in missed] == ["Who owns the harbour?", "How many ferries sail?"]
    assert [q.corpus for q in asked.questions(reopened)] == ["guild-2", "guild-1", "guild-1", "guild-1"]
    assert [q.question for q in asked.questions(reopened, "guild-1", limit=1)] == ["When does the ferry leave?"]


def test_the_member_is_kept_as_a_keyed_hash_not_the_id(new_store, tmp_path):
    store = new_store()
    asked.keep(store, "default", 1, "412345678901234567", "Who won?", asked.REFUSED, None)
    asked.keep(store, "default", 1, "412345678901234567", "Who lost?", asked.REFUSED, None)
    asked.keep(store, "default", 1, "999", "Who drew?", asked.REFUSED, None)
    first, second, third = sorted(asked.questions(store), key=lambda q: q.id)
    assert first.asker == second.asker != third.asker  # one member, one hash
    assert first.asker == asked.asker_hash(store, "412345678901234567")
    # Neither the id nor its plain hash is anywhere in the row.
    plain = hashlib.sha256(b"412345678901234567").hexdigest()
    with store.connect() as conn:
        rows = [tuple(map(str, r)) for r in conn.execute("SELECT * FROM asked").fetchall()]
    assert not any("412345678901234567" in value or plain in value for row in rows for value in row)
    # Another store has another secret: the same member's hash says nothing across stores.
    other = SQLiteStore(tmp_path / "other.sqlite3")
    assert asked.asker_hash(other, "412345678901234567") != first.asker


def test_retention_deletes_the_old_rows_as_questions_are_written(new_store):
    store = new_store()
    now = 100 * DAY
    asked.keep(store, "default", 1, "m", "old one", asked.REFUSED, None, now=now - 40 * DAY)
    asked.keep(store, "default", 1, "m", "recent one", asked.REFUSED, None, now=now - 20 * DAY)
    asked.keep(store, "default", 1, "m", "kept forever with 0", asked.REFUSED, None, days=0, now=now)
    assert len(asked.questions(store)) == 3
    asked.keep(store, "default", 1, "m", "new one", asked.PASSAGES, None, days=30, now=now)
    assert [q.question for q in asked.questions(store)] == ["new one", "kept forever with 0", "recent one"]
    # A row just past the retention waits for the hourly sweep; one an hour past goes with the next question.
    asked.keep(store, "default", 1, "m", "just past", asked.REFUSED, None, now=now - 30 * DAY - 60)
    asked.keep(store, "default", 1, "m", "newer", asked.REFUSED, None, days=30, now=now)
    assert "just past" in [q.question for q in asked.questions(store)]
    asked.keep(store, "default", 1, "m", "an hour on", asked.REFUSED, None, days=30, now=now + asked.SWEEP_SLACK)
    assert "just past" not in [q.question for q in asked.questions(store)]
    asked.keep(store, "default", 1, "m", "a recent row again", asked.REFUSED, None, now=now - 20 * DAY)
    assert asked.sweep(store, 10, now=now) == 2  # at start: every row past the cut-off, at once
    assert [q.question for q in asked.questions(store)] == ["an hour on", "newer", "new one", "kept forever with 0"]
    assert asked.sweep(store, 0, now=now) == 0


def test_a_bad_outcome_is_refused_and_nothing_is_kept(new_store):
    store = new_store()
    with pytest.raises(ValueError, match="answered, passages, refused"):
        asked.keep(store, "default", 1, "m", "Who?", "maybe", None)
    assert asked.questions(store) == []


def test_a_file_from_before_kept_questions_reads_none_and_upgrades_when_written(tmp_path):
    store = SQLiteStore(tmp_path / "old.sqlite3")
    assert asked.questions(store) == []  # no file at all yet
    with store.connect(write=True):
        pass
    with sqlite3.connect(store.path) as conn:  # as schema 9 left it
        conn.execute("DROP TABLE asked")
        conn.execute("DROP TABLE asked_salt")
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    assert asked.questions(store) == []
    asked.keep(store, "default", 1, "m", "Who?", asked.REFUSED, None)
    assert [q.question for q in asked.questions(store)] == ["Who?"]
    with store.connect() as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == "10"
