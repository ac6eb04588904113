"""Followed feeds kept beside the content: one row a feed of a corpus (a server's), with how its
polls went, and one row an entry already taken from it.

An entry is known by its link (a re-polled feed adds nothing) and by its text's hash (the same
text under a changed link adds nothing either); a moderator who removes an entry's document does
not get it back at the next poll. A feed that failed waits until `next_poll` (its back-off);
versions, reindexes and restarts leave all of it alone.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from index.store.base import Store
from index.store.rows import has_table, rows_in


@dataclass(frozen=True)
class FollowedFeed:
    corpus: str
    url: str
    title: str
    added_by: str
    added_at: float
    last_poll: float | None  # the last try, whatever came of it
    last_success: float | None
    entries_added: int
    failures: int  # in a row; 0 once a poll succeeds
    last_error: str | None
    next_poll: float  # not polled before this (its back-off after failures)


_COLUMNS = ("corpus, url, title, added_by, added_at, last_poll, last_success, entries_added, failures, "
            "last_error, next_poll")


def follow(store: Store, corpus: str, url: str, title: str, added_by: str) -> bool:
    """Keep the feed, due at once; False (and nothing changed) when the corpus follows it already."""
    now = time.time()
    with store.connect(write=True) as conn:
        return conn.execute(f"INSERT INTO feeds ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL, NULL, 0, 0, NULL, ?) "
                            "ON CONFLICT (corpus, url) DO NOTHING", (corpus, url, title, added_by, now, now)).rowcount > 0


def unfollow(store: Store, corpus: str, url: str) -> bool:
    """Forget the feed and its entries (their documents stay); False when it was not followed."""
    with store.connect(write=True) as conn:
        conn.execute("DELETE FROM feed_entries WHERE corpus = ? AND feed = ?", (corpus, url))
        return conn.execute("DELETE FROM feeds WHERE corpus = ? AND url = ?", (corpus, url)).rowcount > 0


def followed(store: Store, corpus: str | None = None) -> list[FollowedFeed]:
    """The feeds of a corpus (of every corpus when None), by corpus and address."""
    if not store.exists():
        return []
    with store.connect() as conn:
        if not has_table(conn, "feeds"):
            return []  # a store from before feeds, not written to since
        rows = conn.execute(f"SELECT {_COLUMNS} FROM feeds WHERE CAST(? AS TEXT) IS NULL OR corpus = ? "
                            "ORDER BY corpus, url", (corpus, corpus)).fetchall()
    return [FollowedFeed(*row) for row in rows]


def seen_links(store: Store, corpus: str, feed: str, links: Sequence[str]) -> set[str]:
    """Those of `links` already taken from this feed."""
    with store.connect() as conn:
        return {row[0] for row in rows_in(conn, "SELECT link FROM feed_entries WHERE corpus = ? AND feed = ? "
                                          "AND link IN ({})", list(links), corpus, feed)}


def seen_text(store: Store, corpus: str, sha256: str) -> str | None:
    """The document an entry of any of the corpus's feeds with this text became, if one did."""
    with store.connect() as conn:
        row = conn.execute("SELECT document FROM feed_entries WHERE corpus = ? AND sha256 = ? LIMIT 1",
                           (corpus, sha256)).fetchone()
    return row[0] if row else None


def record_entries(store: Store, corpus: str, feed: str, entries: Sequence[tuple[str, str, str]]) -> None:
    """Entries taken from the feed: (link, text hash, the document it is, or already was)."""
    now = time.time()
    with store.connect(write=True) as conn:
        conn.executemany("INSERT INTO feed_entries VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [(corpus, feed, link, sha, document, now) for link, sha, document in entries])


def record_success(store: Store, corpus: str, url: str, title: str, added: int, error: str | None,
                   now: float) -> None:
    """A poll that read the feed: due again at once (the poller's interval or cron paces the rounds).
    `error` says which entries could not be fetched, if any (they are tried again next time)."""
    with store.connect(write=True) as conn:
        conn.execute("UPDATE feeds SET title = ?, last_poll = ?, last_success = ?, entries_added = entries_added + ?, "
                     "failures = 0, last_error = ?, next_poll = ? WHERE corpus = ? AND url = ?",
                     (title, now, now, added, error, now, corpus, url))


def record_failure(store: Store, corpus: str, url: str, error: str, now: float, first_wait: float,
                   longest_wait: float) -> float:
    """A poll that could not read the feed: it waits `first_wait` seconds, twice as long after each
    failure in a row, at most `longest_wait`. The time of its next try."""
    with store.connect(write=True) as conn:
        row = conn.execute("SELECT failures FROM feeds WHERE corpus = ? AND url = ?", (corpus, url)).fetchone()
        failures = (row[0] if row else 0) + 1
        next_poll = now + min(first_wait * 2 ** min(failures - 1, 40), longest_wait)
        conn.execute("UPDATE feeds SET last_poll = ?, failures = ?, last_error = ?, next_poll = ? "
                     "WHERE corpus = ? AND url = ?", (now, failures, error, next_poll, corpus, url))
    return next_poll
