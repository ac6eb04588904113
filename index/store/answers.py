"""Answers the bot has shown, remembered in the store beside the content: members' votes on
them, and the follow-up threads that continue from them.

An answer shown with buttons is remembered (`remember`: the question, the answer, the passage
cited first, the corpus and its version); each member has one vote an answer, the latest one
counting (`vote`). Moderators read the answers marked wrong (`marked_wrong`); `rows` is every
remembered answer with its votes, for `python -m index feedback --export`. A thread opened under
an answer follows on from the latest answer in it (`follow_thread`, `thread_answer`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from index.store.base import Store
from index.store.rows import has_table

VOTES = ("helpful", "wrong")


@dataclass(frozen=True)
class Tally:
    question: str
    answer: str | None
    corpus: str
    version: int | None
    refused: bool
    helpful: int
    wrong: int
    passage: str | None = None
    answer_id: int | None = None


def remember(store: Store, corpus: str, version: int | None, question: str, answer: str | None,
             refused: bool, passage: str | None) -> int:
    with store.connect(write=True) as conn:
        return conn.execute("INSERT INTO answers (at, corpus, version, question, answer, refused, passage) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            (time.time(), corpus, version, question, answer, int(refused), passage)).fetchone()[0]


def vote(store: Store, answer_id: int, user_id: str, choice: str) -> Tally:
    """Record (or change) one member's vote; the answer's tally after it."""
    if choice not in VOTES:
        raise ValueError(f"a vote is one of {', '.join(VOTES)}")
    with store.connect(write=True) as conn:
        if conn.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
            raise KeyError(answer_id)
        conn.execute("INSERT INTO votes VALUES (?, ?, ?, ?) ON CONFLICT(answer_id, user_id) "
                     "DO UPDATE SET vote = excluded.vote, at = excluded.at",
                     (answer_id, user_id, choice, time.time()))
        return _tallies(conn, "WHERE a.id = ?", (answer_id,))[0]


def remembered(store: Store, answer_id: int) -> Tally | None:
    """One remembered answer with its votes; None when there is no such answer."""
    found = _read(store, "answers", lambda conn: _tallies(conn, "WHERE a.id = ?", (answer_id,)))
    return found[0] if found else None


def follow_thread(store: Store, thread_id: str, answer_id: int) -> None:
    """The thread now follows on from this answer (its first, then each one given in it)."""
    with store.connect(write=True) as conn:
        conn.execute("INSERT INTO threads VALUES (?, ?) ON CONFLICT(thread_id) DO UPDATE SET answer_id = excluded.answer_id",
                     (thread_id, answer_id))


def thread_answer(store: Store, thread_id: str) -> Tally | None:
    """The latest answer a follow-up thread continues from; None for any other channel."""
    row = _read(store, "threads", lambda conn: conn.execute(
        "SELECT answer_id FROM threads WHERE thread_id = ?", (thread_id,)).fetchone())
    return remembered(store, row[0]) if row else None


def marked_wrong(store: Store, corpus: str | None = None, limit: int = 20) -> list[Tally]:
    """The answers with wrong votes, most marked first."""
    where, params = ("WHERE a.corpus = ?", (corpus,)) if corpus else ("", ())
    rows = _read(store, "votes", lambda conn: _tallies(conn, where, params)) or []
    return sorted((t for t in rows if t.wrong), key=lambda t: (-t.wrong, t.helpful))[:limit]


def rows(store: Store, corpus: str | None = None) -> list[Tally]:
    """Every remembered answer that has votes, oldest first."""
    where, params = ("WHERE a.corpus = ?", (corpus,)) if corpus else ("", ())
    return [t for t in _read(store, "votes", lambda conn: _tallies(conn, where, params)) or [] if t.helpful or t.wrong]


def _read(store: Store, table: str, query):
    """query(conn) on the store; None when there is no store yet, or it predates `table`."""
    if not store.exists():
        return None
    with store.connect() as conn:
        if not has_table(conn, table):
            return None
        return query(conn)


def _tallies(conn, where: str, params: tuple) -> list[Tally]:
    query = ("SELECT a.id, a.question, a.answer, a.corpus, a.version, a.refused, a.passage, "
             "SUM(CASE WHEN v.vote = 'helpful' THEN 1 ELSE 0 END), SUM(CASE WHEN v.vote = 'wrong' THEN 1 ELSE 0 END) "
             "FROM answers a "
             f"LEFT JOIN votes v ON v.answer_id = a.id {where} GROUP BY a.id ORDER BY a.id")
    return [Tally(question, answer, corpus, version, bool(refused), int(helpful or 0), int(wrong or 0), passage,
                  answer_id)
            for answer_id, question, answer, corpus, version, refused, passage, helpful, wrong
            in conn.execute(query, params)]
