"""Engine speed on the default article: `python -m bench.engine`.

Each figure is printed beside a baseline measured in the same run (this machine is small and
noisy): the engine answering by its rules alone (no reader) and plain rank-bm25 scoring for a
question, a bare interpreter start for the cold start.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

from bench.questions import QUESTIONS
from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared/eval/article_dev.jsonl"


def questions() -> list[str]:
    """The benchmark's questions, with the development set's when it is beside the repository."""
    lines = DEV_SET.read_text().splitlines() if DEV_SET.exists() else []
    return [json.loads(line)["q"] for line in lines if line.strip()] + QUESTIONS


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def ask_times(engine: Engine, rounds: int) -> list[float]:
    engine.ask("warm up")
    return [t for _ in range(rounds) for q in questions() for t in timed(lambda q=q: engine.ask(q), 1)]


def bench_ask(engine: Engine, rounds: int = 30) -> dict:
    times = ask_times(engine, rounds)
    rules = ask_times(Engine(engine.store, settings=engine.settings.model_copy(update={"reader": False})), rounds)
    asked = questions()
    passages = [p.text.lower().split() for p in engine.current().passages]
    bm25 = BM25Okapi(passages)
    base = [t for _ in range(rounds) for q in asked
            for t in timed(lambda q=q: bm25.get_scores(q.lower().split()), 1)]
    return {"ask_ms_p50": statistics.median(times), "ask_ms_p99": percentile(times, 99),
            "rules_only_ask_ms_p50": statistics.median(rules), "rules_only_ask_ms_p99": percentile(rules, 99),
            "plain_rank_bm25_ms_p50": statistics.median(base), "questions": len(times)}


def bench_build(settings: IndexSettings, rounds: int = 10) -> dict:
    times = []
    for i in range(rounds):
        store = SQLiteStore(Path(tempfile.mkdtemp()) / f"b{i}.sqlite3")
        times.append(timed(lambda: Engine(store, settings=settings).build(), 1)[0])
    return {"build_ms_median": statistics.median(times), "build_ms_max": max(times)}


def bench_cold_start(index: Path, rounds: int = 5) -> dict:
    ask = [sys.executable, "-m", "index", "ask", "--index", str(index), "how many died?"]
    bare = [sys.executable, "-c", "pass"]
    run = lambda cmd: subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # noqa: E731
    asks = timed(lambda: run(ask), rounds)
    bares = timed(lambda: run(bare), rounds)
    return {"cold_ask_ms_median": statistics.median(asks), "cold_ask_ms_max": max(asks),
            "bare_python_ms_median": statistics.median(bares)}


def main() -> int:
    settings = IndexSettings(index_path=Path(tempfile.mkdtemp()) / "bench.sqlite3", content=[ROOT / "content"])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    figures = {**bench_build(settings), **bench_ask(engine), **bench_cold_start(settings.index_path)}
    targets = {"ask_ms_p99": 50, "build_ms_median": 100, "cold_ask_ms_median": 1000}
    for key, value in figures.items():
        target = f"  (target < {targets[key]})" if key in targets else ""
        print(f"{key:<26} {value:10.2f}{target}" if isinstance(value, float) else f"{key:<26} {value:>10}")
    return 0 if all(figures[k] < v for k, v in targets.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
