"""Questions in a scoped channel against the same questions unscoped: `python -m bench.scopes`.

A corpus of PolNeAR articles; a channel scoped to two of them. Each question is asked in turn
unscoped and in the channel (its scope read from the store at every question, as the bot does),
in the same run. The first scoped question cuts the version down to the scope (the scope's
own index, built in memory); it is timed on its own. Target: a scoped question costs at most
1.5 times an unscoped one (p50).

The articles come from ../shared/train/polnear/text; without them the benchmark says so and stops.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpora import POLNEAR, QUESTIONS, ROUNDS
from bench.engine import percentile
from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore

ARTICLES = 20
SCOPED = 2
CHANNEL = "bench"
TARGET_RATIO = 1.5


def main() -> int:
    files = sorted(POLNEAR.glob("*.txt"))[:ARTICLES] if POLNEAR.exists() else []
    if len(files) < ARTICLES:
        print(f"needs {ARTICLES} PolNeAR articles in {POLNEAR}")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        for f in files:
            (content / f.name).write_bytes(f.read_bytes())
        settings = IndexSettings(_env_file=None, index_path=Path(folder) / "i.sqlite3", content=[content])
        engine = Engine(SQLiteStore(settings.index_path), settings=settings)
        engine.build()
        engine.ask(QUESTIONS[0])  # loaded, the reader too: what is measured is questions
        engine.content.scope(engine.corpus, "bench", CHANNEL, [f.name for f in files[:SCOPED]])

        def scoped(question: str):
            return engine.within(engine.content.scope_of(engine.corpus, CHANNEL)).ask(question)

        started = time.perf_counter()
        scoped(QUESTIONS[0])
        first = (time.perf_counter() - started) * 1000
        whole, within = [], []
        for _ in range(ROUNDS):
            for question in QUESTIONS:
                for times, ask in ((whole, engine.ask), (within, scoped)):
                    started = time.perf_counter()
                    ask(question)
                    times.append((time.perf_counter() - started) * 1000)
        passages = engine.stats().passages
    ratio = statistics.median(within) / statistics.median(whole)
    print(f"{ARTICLES} articles ({passages} passages), scoped to {SCOPED}; {len(whole)} questions each")
    print(f"unscoped: p50 {statistics.median(whole):.1f} ms, p99 {percentile(whole, 99):.1f} ms")
    print(f"scoped:   p50 {statistics.median(within):.1f} ms, p99 {percentile(within, 99):.1f} ms "
          f"({ratio:.2f} times; target <= {TARGET_RATIO})")
    print(f"first scoped question (the scope's index built): {first:.0f} ms")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
