"""Many corpora in one process, and a newsroom-sized one: `python -m bench.corpora`.

- Alternating: questions to 10 corpora in turn, against the same questions asked corpus by
  corpus, in the same run. Each corpus owns its loaded version and caches, so taking turns must cost no more
  than 1.5 times (target).
- Servers: a thousand servers on the untouched default content share one loaded version:
  resident memory (target under 300 MB) and p99 per question (target under 20 ms).
- News: 418 PolNeAR articles (about 4,300 passages) as one corpus, p50 per question after loading
  (target under 10 ms), beside plain rank-bm25 scoring the same passages.

The articles come from ../shared/train/polnear/text (PolNeAR's train split, read as plain text);
without them the benchmark says so and stops.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

from bench.engine import percentile
from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from index.text.tokens import DEFAULT_TOKENIZER

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared/train/polnear/text"
CORPORA = 10
ARTICLES_EACH = 5
NEWS_ARTICLES = 418
QUESTIONS = ["Who said the campaign would win?", "How many delegates did Clinton win?", "When is the primary?",
             "What did Trump say about the wall?", "Where did Sanders speak?", "Who is the governor?",
             "How many votes were counted?", "What did the senator announce?"]
ROUNDS = 6
QUESTIONS_ARTICLE = ["How many people died in the Paris attacks?", "Who is Peskov?", "Where is Belek?",
                     "When did Putin speak at the UN?", "What did Erdogan say?"]


def build(store: SQLiteStore, corpus: str, files: list[Path], folder: Path, reader: bool = True) -> Engine:
    content = folder / corpus
    content.mkdir()
    for f in files:
        shutil.copy(f, content / f.name)
    settings = IndexSettings(_env_file=None, index_path=store.path, content=[content], corpus=corpus,
                             reader=reader)
    engine = Engine(store, corpus, settings)
    engine.build()
    engine.ask(QUESTIONS[0])  # loaded: what is measured is questions, not loading
    return engine


def per_question(pairs: list[tuple[Engine, str]]) -> list[float]:
    times = []
    for engine, question in pairs:
        started = time.perf_counter()
        engine.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    return times


def alternating(articles: list[Path], folder: Path) -> dict:
    store = SQLiteStore(folder / "many.sqlite3")
    engines = [build(store, f"c{i}", articles[i * ARTICLES_EACH:(i + 1) * ARTICLES_EACH], folder)
               for i in range(CORPORA)]
    # The same questions to the same corpora, once grouped corpus by corpus, once taking turns:
    # only the order differs, so any difference is what switching corpora costs.
    pairs = [(engines[c], q) for c in range(CORPORA) for _ in range(ROUNDS // 2) for q in QUESTIONS]
    grouped = per_question(pairs)
    turns = per_question([pairs[(i % CORPORA) * (len(pairs) // CORPORA) + i // CORPORA] for i in range(len(pairs))])
    ratio = statistics.median(turns) / statistics.median(grouped)
    return {"corpus by corpus p50 ms": round(statistics.median(grouped), 2),
            "10 corpora in turn p50 ms": round(statistics.median(turns), 2),
            "ratio (target <= 1.5)": round(ratio, 2), "met": ratio <= 1.5}


def news(articles: list[Path], folder: Path) -> dict:
    store = SQLiteStore(folder / "news.sqlite3")
    started = time.perf_counter()
    engine = build(store, "news", articles[:NEWS_ARTICLES], folder)
    built = time.perf_counter() - started
    passages = engine.current().passages
    times = per_question([(engine, q) for _ in range(ROUNDS) for q in QUESTIONS])
    plain = BM25Okapi([DEFAULT_TOKENIZER.terms(p.text) for p in passages])
    baseline = []
    for _ in range(ROUNDS):
        for q in QUESTIONS:
            terms = DEFAULT_TOKENIZER.terms(q)
            t = time.perf_counter()
            plain.get_scores(terms)
            baseline.append((time.perf_counter() - t) * 1000)
    rules = build(store, "news-rules", articles[:NEWS_ARTICLES], folder, reader=False)
    rules_times = per_question([(rules, q) for _ in range(ROUNDS) for q in QUESTIONS])
    p50 = statistics.median(rules_times)
    return {"documents": len(engine.documents()), "passages": len(passages), "built and loaded s": round(built, 1),
            "question p50 ms, reader on": round(statistics.median(times), 2),
            "question p99 ms, reader on": round(percentile(times, 99), 2),
            "question p50 ms, rules alone (target < 10)": round(p50, 2),
            "plain rank-bm25 scoring p50 ms (same run)": round(statistics.median(baseline), 2),
            "met": p50 < 10}


SERVERS = 1000


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def servers(folder: Path) -> dict:
    """A thousand servers on the untouched default content, in one process: they share one
    loaded version. Questions go to servers in turn."""
    from index.content.operations import ContentManager

    settings = IndexSettings(_env_file=None, index_path=folder / "servers.sqlite3", content=[ROOT / "content"])
    manager = ContentManager(SQLiteStore(settings.index_path), settings)
    manager.reindex("default", "bench")
    started = time.perf_counter()
    for i in range(SERVERS):
        manager.ensure(f"guild-{i}", "bench")
    made = time.perf_counter() - started
    before = resident_mb()
    engines = [Engine(manager.store, f"guild-{i}", settings, manager) for i in range(SERVERS)]
    times = per_question([(engines[i % SERVERS], QUESTIONS_ARTICLE[i % len(QUESTIONS_ARTICLE)])
                          for i in range(2 * SERVERS)])
    rules = settings.model_copy(update={"reader": False})
    rules_engines = [Engine(manager.store, f"guild-{i}", rules, manager) for i in range(SERVERS)]
    rules_times = per_question([(rules_engines[i % SERVERS], QUESTIONS_ARTICLE[i % len(QUESTIONS_ARTICLE)])
                                for i in range(2 * SERVERS)])
    resident = resident_mb()
    return {"servers": SERVERS, "servers made s": round(made, 1), "resident MB before questions": round(before),
            "resident MB after (target < 300)": round(resident),
            "loaded versions": Engine.loaded_stats().entries,
            "question p50 / p99 ms, reader on": [round(statistics.median(times), 2), round(percentile(times, 99), 2)],
            "question p50 / p99 ms, rules alone (target p99 < 20)": [round(statistics.median(rules_times), 2),
                                                                     round(percentile(rules_times, 99), 2)],
            "met": resident < 300 and percentile(rules_times, 99) < 20}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        figures = {"servers": servers(Path(tmp))}
        if POLNEAR.is_dir():
            articles = sorted(POLNEAR.glob("*.txt"))
            figures.update(alternating=alternating(articles, Path(tmp)), news=news(articles, Path(tmp)))
        else:
            print(f"bench.corpora: {POLNEAR} is missing (PolNeAR's articles, see README): servers only")
    print(json.dumps(figures, indent=2))
    return 0 if all(f["met"] for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
