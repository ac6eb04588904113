"""Questions kept beside the content, so that moderators see what their members asked that the
content does not answer (`python -m index gaps`, /content gaps; index/content/gaps.py groups them).

One row a question: its corpus and content version, its outcome (answered, passages only,
refused), the passage it came closest to (document, section, paragraph), the time, and who asked
as a keyed hash: HMAC-SHA256 of the member's id under a secret made once per store (`asked_salt`,
copied by `python -m index migrate`), so the same member has the same hash in one store while
hashing every possible id, without the secret, finds nobody. The id itself is never written.

Rows older than the retention are deleted as questions are written, an hour's worth at a time:
the statement first reads the oldest row's time (the end of an index) and deletes only when that
row is more than SWEEP_SLACK past the retention, so almost every question deletes nothing and
scans nothing (PostgreSQL would otherwise plan a scan of the table for each), and no row outlives
its retention by more than the slack while questions come. The bot's start sweeps too (`sweep`).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from index.store.base import Store
from index.store.rows import has_table

ANSWERED, PASSAGES, REFUSED = "answered", "passages", "refused"
OUTCOMES = (ANSWERED, PASSAGES, REFUSED)
MISSED = (PASSAGES, REFUSED)  # what /content gaps lists: the content did not answer them
DAY_SECONDS = 86_400.0
SWEEP_SLACK = 3_600.0  # seconds past the retention a row may stay, so that deleting happens hourly


@dataclass(frozen=True)
class Closest:
    """The passage a question came closest to, as its citation names it."""
    document: str
    section: str | None
    paragraph: int


@dataclass(frozen=True)
class Asked:
    id: int
    at: float
    corpus: str
    version: int | None
    asker: str  # the member's keyed hash
    question: str
    outcome: str
    closest: Closest | None


def outcome_of(answer: str | None, refused: bool) -> str:
    """How a question went: a short answer, passages without one, or the content does not say."""
    return REFUSED if refused else (ANSWERED if answer else PASSAGES)


def keep(store: Store, corpus: str, version: int | None, member: str, question: str, outcome: str,
         closest: Closest | None, days: int = 0, now: float | None = None) -> int:
    """Write one question (the member's id only hashed); delete the rows older than `days` (0:
    none) once the oldest is SWEEP_SLACK past them. The new row's id."""
    if outcome not in OUTCOMES:
        raise ValueError(f"an outcome is one of {', '.join(OUTCOMES)}")
    now = time.time() if now is None else now
    with store.connect(write=True) as conn:
        asker = _hashed(_salt(conn), member)
        where = (closest.document, closest.section, closest.paragraph) if closest else (None, None, None)
        kept = conn.execute("INSERT INTO asked (at, corpus, version, asker, question, outcome, document, section, "
                            "paragraph) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            (now, corpus, version, asker, question, outcome, *where)).fetchone()[0]
        if days:
            cutoff = now - days * DAY_SECONDS
            conn.execute("DELETE FROM asked WHERE at < ? AND (SELECT MIN(at) FROM asked) < ?",
                         (cutoff, cutoff - SWEEP_SLACK))
    return kept


def asker_hash(store: Store, member: str) -> str:
    """The hash a member's questions carry in this store."""
    with store.connect(write=True) as conn:
        return _hashed(_salt(conn), member)


def sweep(store: Store, days: int, now: float | None = None) -> int:
    """Delete the questions older than `days` (0 keeps them all); how many were deleted."""
    if not days or not store.exists():
        return 0
    now = time.time() if now is None else now
    with store.connect(write=True) as conn:
        return conn.execute("DELETE FROM asked WHERE at < ?", (now - days * DAY_SECONDS,)).rowcount


def questions(store: Store, corpus: str | None = None, outcomes: tuple[str, ...] = OUTCOMES,
              limit: int | None = None) -> list[Asked]:
    """The kept questions of a corpus (every corpus for None) with these outcomes, newest first."""
    if not store.exists():
        return []
    marks = ", ".join("?" * len(outcomes))
    query = ("SELECT id, at, corpus, version, asker, question, outcome, document, section, paragraph FROM asked "
             f"WHERE (CAST(? AS TEXT) IS NULL OR corpus = ?) AND outcome IN ({marks}) ORDER BY at DESC, id DESC")
    params: tuple = (corpus, corpus, *outcomes)
    if limit is not None:
        query, params = query + " LIMIT ?", (*params, limit)
    with store.connect() as conn:
        if not has_table(conn, "asked"):
            return []  # a store from before kept questions, not written to since
        rows = conn.execute(query, params).fetchall()
    return [Asked(id_, at, corpus_, version, asker, question, outcome,
                  Closest(document, section, paragraph) if document is not None else None)
            for id_, at, corpus_, version, asker, question, outcome, document, section, paragraph in rows]


def _salt(conn) -> bytes:
    """The store's secret, made by the first question ever kept (two first writers agree on one)."""
    row = conn.execute("SELECT salt FROM asked_salt WHERE one = 1").fetchone()
    if row is None:
        conn.execute("INSERT INTO asked_salt VALUES (1, ?) ON CONFLICT DO NOTHING", (secrets.token_hex(32),))
        row = conn.execute("SELECT salt FROM asked_salt WHERE one = 1").fetchone()
    return bytes.fromhex(row[0])


def _hashed(salt: bytes, member: str) -> str:
    return hmac.new(salt, member.encode("utf-8"), hashlib.sha256).hexdigest()
