"""Summary speed: `python -m bench.summaries [--json]`.

Targets (issue 4): a summary of the default article under 50 ms; a topic summary over 100
documents under 500 ms. "Cold" is the first summary of a snapshot (its sentences are read then);
"warm" is any later one (they are cached for the live snapshot); "first" is the very first cold
run of the process, which also stems the vocabulary once. Each figure is in milliseconds: the
median of several runs, of wall-clock time and of this process's CPU time (on a busy machine the
wall clock also counts waiting for a CPU).
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from index.engine import Engine
from index.ingest.documents import Document
from index.ingest.passages import split_passages
from index.ingest.reading import read_path, read_text
from index.settings import IndexSettings
from index.store.snapshots import Snapshot, Version
from index.store.sqlite import SQLiteStore
from index.summaries import summarise as summaries

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "content" / "putin-anti-terror-coalition-2015-11-16.txt"
STORIES = ROOT.parent / "shared" / "eval" / "news_summaries" / "cnndm_250.jsonl"
TARGETS_MS = {"article": 50.0, "topic_100_documents": 500.0}


def snapshot_of(documents: list[Document]) -> Snapshot:
    passages = [p for d in documents for p in split_passages(d)]
    return Snapshot(Version(0, "bench", 0, 0.0, "bench", "bench", {}), documents, passages)


def hundred_documents() -> tuple[list[Document], str]:
    """100 real news stories when the evaluation set is at hand, else 100 copies of the article."""
    if STORIES.exists():
        with open(STORIES, encoding="utf-8") as lines:
            rows = [json.loads(line) for _, line in zip(range(100), lines)]
        return [read_text(r["article"], f"story-{i:03}.txt") for i, r in enumerate(rows)], str(STORIES)
    text = ARTICLE.read_text(encoding="utf-8")
    return [read_text(text, f"copy-{i:03}.txt") for i in range(100)], f"100 copies of {ARTICLE.name}"


def timed(run, repeats: int, fresh=None) -> dict[str, float]:
    """Times of `run` in ms; with `fresh`, a new snapshot for every run (the cold case)."""
    wall, cpu = [], []
    for _ in range(repeats):
        argument = fresh() if fresh else None
        started, started_cpu = time.perf_counter(), time.process_time()
        run(argument)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    out = {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}
    if fresh:
        out["first_wall"] = wall[0]
    return out


def measure(repeats: int = 20) -> dict:
    article = read_path(ARTICLE)
    warm_article = snapshot_of([article])
    warm_sentences = summaries.read_sentences(warm_article)  # what a loaded version keeps
    figures = {
        "article cold": timed(lambda snap: summaries.summarize(snap), repeats,
                              fresh=lambda: snapshot_of([read_path(ARTICLE)])),
        "article warm": timed(lambda _: summaries.summarize(warm_article, every=warm_sentences), repeats),
        "article through Engine.summary, warm": engine_timed(repeats),
    }
    documents, source = hundred_documents()
    many = snapshot_of(documents)
    many_sentences = summaries.read_sentences(many)
    for topic in ("police", "the UN speech"):
        figures[f"topic {topic!r}, 100 documents, cold"] = timed(
            lambda snap: summaries.summarize(snap, topic=topic), max(3, repeats // 4),
            fresh=lambda: snapshot_of(documents))
        figures[f"topic {topic!r}, 100 documents, warm"] = timed(
            lambda _: summaries.summarize(many, topic=topic, every=many_sentences), repeats)
    figures["all content, 100 documents, warm"] = timed(
        lambda _: summaries.summarize(many, every=many_sentences), repeats)
    return {"documents": source,
            "ms": {name: {k: round(v, 2) for k, v in times.items()} for name, times in figures.items()}}


def engine_timed(repeats: int) -> dict[str, float]:
    """Engine.summary as the bot calls it, store look-up included, on a built default article."""
    with tempfile.TemporaryDirectory() as folder:
        engine = Engine(SQLiteStore(Path(folder) / "bench.sqlite3"), settings=IndexSettings(content=[ARTICLE]))
        engine.build([ARTICLE])
        engine.summary()  # loads the live version once, as the first question would
        return timed(lambda _: engine.summary(), repeats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.summaries", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    figures = measure(args.repeats)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"100 documents: {figures['documents']}")
    print(f"{'ms (median)':<44} {'wall':>8} {'cpu':>8} {'first':>8}")
    for name, times in figures["ms"].items():
        first = f"{times['first_wall']:>8.1f}" if "first_wall" in times else ""
        print(f"{name:<44} {times['wall']:>8.1f} {times['cpu']:>8.1f} {first}")
    print(f"targets: article < {TARGETS_MS['article']:.0f} ms, "
          f"topic over 100 documents < {TARGETS_MS['topic_100_documents']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
