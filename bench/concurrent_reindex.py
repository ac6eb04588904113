"""Questions while a reindex runs: `python -m bench.concurrent_reindex` (from the repo root).

On a fresh store in a temporary folder: a corpus of the default content plus a 2 MB document
(so that a reindex takes seconds, not milliseconds), then a reindex of it while several threads
ask questions in a loop through one shared Engine, as the bot does. An answer is correct when its
first passage is the one the same question got before the reindex (the rebuilt version holds the
same passages); anything else, or an exception, is a failure. Also times adding the 2 MB document
and reindexing the default content alone.
"""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from bench.content import two_mb_document
from bench.questions import QUESTIONS
from index.content.operations import ContentManager
from index.engine import Engine
from index.settings import IndexSettings


def first_passage(engine: Engine, question: str) -> tuple[str | None, str | None, int]:
    """What a user sees first: the best passage (none for a question nothing matches)."""
    result = engine.ask(question)
    best = result.passages[0] if result.passages else None
    return (best.document, best.text, result.version) if best else (None, None, result.version)


def ask_in_a_loop(engine: Engine, expected: dict, stop: threading.Event, tally: dict, lock: threading.Lock,
                  pause: float) -> None:
    n = 0
    while not stop.wait(pause):
        question = QUESTIONS[n % len(QUESTIONS)]
        n += 1
        try:
            document, text, version = first_passage(engine, question)
            outcome = "correct" if (document, text) == expected[question] else "wrong"
        except Exception as exc:  # noqa: BLE001 - a failure is what is counted
            outcome, version = f"error: {type(exc).__name__}: {exc}", None
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1
            if version is not None:
                tally.setdefault("versions", set()).add(version)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrent_reindex")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.05, metavar="SECONDS",
                        help="between one thread's questions (0: flat out, which starves the reindex of the GIL)")
    args = parser.parse_args(argv)
    settings = IndexSettings()
    document = two_mb_document(settings.content)
    with tempfile.TemporaryDirectory() as folder:
        settings = settings.model_copy(update={"index_path": Path(folder) / "bench.sqlite3"})
        manager = ContentManager.from_settings(settings)
        started = time.perf_counter()
        manager.reindex("default", "bench")
        print(f"reindex the default content: {(time.perf_counter() - started) * 1000:.0f} ms")
        manager.ensure("big", "bench")
        started = time.perf_counter()
        added = manager.add_file("big", "bench", "report.txt", document)
        print(f"add a {len(document):,}-byte document ({added.passages_added:,} passages): "
              f"{time.perf_counter() - started:.2f} s")

        started = time.perf_counter()
        manager.reindex("big", "bench")
        alone = time.perf_counter() - started

        engine = Engine.from_settings(settings, corpus="big")
        expected = {q: first_passage(engine, q)[:2] for q in QUESTIONS}
        stop, lock, tally = threading.Event(), threading.Lock(), {}
        askers = [threading.Thread(target=ask_in_a_loop, args=(engine, expected, stop, tally, lock, args.pause))
                  for _ in range(args.threads)]
        for thread in askers:
            thread.start()
        started = time.perf_counter()
        report = manager.reindex("big", "bench")
        seconds = time.perf_counter() - started
        time.sleep(0.5)  # questions after the new version went live, too
        stop.set()
        for thread in askers:
            thread.join()
    versions = sorted(tally.pop("versions", set()))
    correct = tally.pop("correct", 0)
    failed = sum(tally.values())
    print(f"reindex with the 2 MB document ({report.passages:,} passages): {alone:.2f} s alone, "
          f"{seconds:.2f} s while questions are asked")
    print(f"questions meanwhile ({args.threads} threads, {args.pause:g} s apart): {correct + failed} asked, {correct} correct "
          f"(expected passage first), {failed} failed; versions answered from: {versions}")
    for outcome, count in tally.items():
        print(f"  {outcome}: {count}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
