"""Content figures: `python -m bench.content` (from the repo root).

Times, on a fresh store in a temporary folder: reindexing the default content, adding a 2 MB
document (read, split, published as a new version), reindexing with that document kept, and
rolling back. Each figure is the median of a few runs.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from index.content.operations import ContentManager
from index.settings import IndexSettings

TWO_MB = 2_000_000


def two_mb_document(content: list[Path]) -> bytes:
    """About 2 MB of article-like text: the default content's paragraphs, numbered so none repeats."""
    files = [f for folder in content for f in (sorted(Path(folder).rglob("*.txt")) if Path(folder).is_dir()
                                               else [Path(folder)])]
    paragraphs = [p.strip() for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    out, part = ["A long report\n"], 0
    size = len(out[0])
    while True:
        part += 1
        chunk = f"Part {part}\n\n" + "\n\n".join(f"({part}.{i}) {p}" for i, p in enumerate(paragraphs)) + "\n\n"
        if size + len(chunk.encode()) > TWO_MB:
            break
        out.append(chunk)
        size += len(chunk.encode())
    return "".join(out).encode()


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.content")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    settings = IndexSettings()
    document = two_mb_document(settings.content)
    with tempfile.TemporaryDirectory() as folder:
        manager = ContentManager.from_settings(settings.model_copy(update={"index_path": Path(folder) / "b.db"}))
        reindex = [timed(lambda: manager.reindex("default", "bench"))[0] for _ in range(args.runs)]
        adds, reports = [], []
        for run in range(args.runs):
            corpus = f"bench-{run}"
            manager.ensure(corpus, "bench")
            seconds, report = timed(lambda: manager.add_file(corpus, "bench", "report.txt", document))
            adds.append(seconds)
            reports.append(report)
        reindex_big = [timed(lambda: manager.reindex("bench-0", "bench"))[0] for _ in range(args.runs)]
        rollback = [timed(lambda: manager.rollback("bench-0", "bench", 1))[0] for _ in range(args.runs)]
    added = reports[0]
    print(f"reindex the default content ({settings.content[0]}): {statistics.median(reindex) * 1000:.0f} ms "
          f"(median of {args.runs})")
    print(f"add a {len(document):,}-byte document ({added.passages_added:,} passages): "
          f"{statistics.median(adds):.2f} s (median of {args.runs})")
    print(f"reindex the default content with that document kept (re-read): "
          f"{statistics.median(reindex_big):.2f} s")
    print(f"rollback ({added.passages:,} passages): {statistics.median(rollback) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
