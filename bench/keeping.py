"""What keeping questions costs: `python -m bench.keeping [--postgres]`.

The default article's benchmark questions, each asked in turn without keeping and asked and kept
(Engine.keep: the member hashed, the row written, the retention's range probe), which one first
alternating by round, in the same run, on an SQLite store that already holds a season of kept
questions (FILLED rows, all within the retention, so the probe deletes nothing, as on almost
every question). The keep's own time is printed too, and the time /content gaps takes to group
the latest missed questions by meaning, the first time and again. Target: a kept question costs
at most 1.1 times one not kept (p50). `--postgres` measures the same on a throwaway PostgreSQL
server (tests/postgres_server.py) after the SQLite file.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.engine import percentile, questions
from index.content.gaps import forget_vectors
from index.engine import GAPS_READ_AT_MOST, Engine
from index.settings import IndexSettings
from index.store import asked
from index.store.rows import transaction
from index.store.sqlite import SQLiteStore

CONTENT = Path(__file__).resolve().parents[1] / "content"
ROUNDS = 20
FILLED = 100_000  # rows already kept: about 90 days of a busy server's questions
TARGET_RATIO = 1.1
MEMBER = "412345678901234567"


def fill(store, rows: int) -> None:
    """`rows` missed questions asked over the last 60 days (made-up wordings), in one transaction."""
    now = time.time()
    asker = asked.asker_hash(store, MEMBER)
    with store.connect(write=True) as conn, transaction(conn):
        conn.executemany("INSERT INTO asked (at, corpus, version, asker, question, outcome, document, section, "
                         "paragraph) VALUES (?, 'default', 1, ?, ?, 'refused', 'article', NULL, ?)",
                         [(now - 60 * asked.DAY_SECONDS * i / rows, asker, f"filler question {i % 400} about "
                           f"topic {i % 37}?", i % 40) for i in range(rows)])


def measure(store, settings: IndexSettings) -> bool:
    """Print the figures on this store; whether the target is met."""
    forget_vectors()  # the first /content gaps embeds every wording, whichever store ran before
    engine = Engine(store, settings=settings)
    engine.build()
    fill(engine.store, FILLED)
    engine.ask(questions()[0])  # loaded, the reader too: what is measured is questions
    plain, kept, keeps = [], [], []

    def not_kept(question: str) -> None:
        started = time.perf_counter()
        engine.ask(question)
        plain.append((time.perf_counter() - started) * 1000)

    def and_kept(question: str) -> None:
        started = time.perf_counter()
        result = engine.ask(question)
        asked_at = time.perf_counter()
        engine.keep(result, MEMBER)
        done = time.perf_counter()
        kept.append((done - started) * 1000)
        keeps.append((done - asked_at) * 1000)

    for round_ in range(ROUNDS):  # each goes first in every other round: the second asking finds caches warm
        for question in questions():
            for ask in ((not_kept, and_kept) if round_ % 2 == 0 else (and_kept, not_kept)):
                ask(question)
    rows = len(asked.questions(engine.store, limit=None))
    grouping = []  # the first call embeds every wording; the next ones only those new since
    for _ in range(2):
        started = time.perf_counter()
        gaps = engine.gaps()
        grouping.append((time.perf_counter() - started) * 1000)
    ratio = statistics.median(kept) / statistics.median(plain)
    print(f"{type(store).__name__}: {len(plain)} questions each way, on a store holding {FILLED:,} kept questions "
          f"({rows:,} at the end)")
    print(f"not kept: p50 {statistics.median(plain):.2f} ms, p99 {percentile(plain, 99):.2f} ms")
    print(f"kept:     p50 {statistics.median(kept):.2f} ms, p99 {percentile(kept, 99):.2f} ms "
          f"({ratio:.3f} times; target <= {TARGET_RATIO})")
    print(f"the keep alone: p50 {statistics.median(keeps):.3f} ms, p99 {percentile(keeps, 99):.3f} ms")
    print(f"gaps of the latest {GAPS_READ_AT_MOST:,} missed questions, grouped by meaning: {grouping[0]:.0f} ms, "
          f"again (their vectors kept) {grouping[1]:.0f} ms ({len(gaps)} groups)", flush=True)
    return ratio <= TARGET_RATIO


def main(argv: list[str] | None = None) -> int:
    argv = argv or []
    with tempfile.TemporaryDirectory() as folder:
        settings = IndexSettings(_env_file=None, index_path=Path(folder) / "i.sqlite3", content=[CONTENT])
        met = [measure(SQLiteStore(settings.index_path), settings)]
    if "--postgres" in argv:
        from index.store.postgres import PostgresStore
        from tests import postgres_server
        server = postgres_server.Server()
        try:
            url = postgres_server.create_database(server.start())
            with tempfile.TemporaryDirectory() as folder:
                settings = IndexSettings(_env_file=None, index_path=Path(folder) / "unused.sqlite3", content=[CONTENT])
                met.append(measure(PostgresStore(url), settings))
        finally:
            server.stop()
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
