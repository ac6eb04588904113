"""A newsroom's archive in one corpus: `python -m bench.scale [--quick] [--sizes N,N,...] [--postgres]`.

Builds corpora of 10k, 100k and 1M passages from real news text, PolNeAR's train articles
(../shared/train/polnear/text), each copied as often as needed with variations: the copy's
paragraphs in another order, its numbers shifted and its names traded with another article's,
so that no two copies index alike. For each size, in a process of its own: the build time
(`python -m index build` on the generated files), the index's size on disk, the load (the first
question's wait, before any question), p50 and p99 per question with the rules alone and with
the reader (a hundred questions made of the words of passages drawn at random), resident
memory, and the time and memory of adding one more article. Plain rank-bm25 over the same passages runs at 10k and 100k
as the baseline of the same run (its build, p50 per question, memory).

Targets at 1M passages: p50 under 20 ms, p99 under 100 ms, load under 2 s, resident memory
under 1.5 GB, built in under 20 minutes. `--quick` runs 2k and 10k passages only.
"""
from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpora import POLNEAR, QUESTIONS, resident_mb
from bench.engine import percentile

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
BASELINE_UP_TO = 100_000  # rank-bm25 keeps every passage's term counts in Python: no further
QUESTIONS_ASKED = 100
QUESTION_FORMS = ("What did {name} say about the {a}?", "Who {a} the {b}?", "How many {a} did {name} {b}?",
                  "When did {name} {a}?", "Where did the {a} {b}?", "Why did {name} {a} the {b}?")
_NUMBER = re.compile(r"\b\d+\b")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def articles() -> list[tuple[str, list[str]]]:
    """(name, paragraphs) of every PolNeAR train article."""
    out = []
    for path in sorted(POLNEAR.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        if len(paragraphs) > 2:
            out.append((path.stem, paragraphs))
    return out


def variant(paragraphs: list[str], copy: int, names: list[str]) -> list[str]:
    """The article's copy number `copy`: the first paragraph (the headline) stays first, the rest
    in another order; numbers shifted by the copy number; a third of its names another article's."""
    if copy == 0:
        return paragraphs
    rng = random.Random(copy)
    body = paragraphs[1:]
    rng.shuffle(body)
    traded = {}

    def trade(match: re.Match) -> str:
        word = match.group()
        if word not in traded:
            traded[word] = rng.choice(names) if rng.random() < 0.33 else word
        return traded[word]

    out = [paragraphs[0], *body]
    out = [_NUMBER.sub(lambda m: str(int(m.group()) + copy), p) for p in out]
    return [_NAME.sub(trade, p) for p in out]


def write_corpus(folder: Path, passages: int) -> int:
    """Article files holding about `passages` paragraphs; the number of paragraphs written."""
    source = articles()
    names = sorted({n for _, ps in source for p in ps for n in _NAME.findall(p)})
    written = copy = 0
    while written < passages:
        for name, paragraphs in source:
            text = "\n\n".join(variant(paragraphs, copy, names))
            (folder / f"{name}-{copy}.txt").write_text(text + "\n", encoding="utf-8")
            written += len(paragraphs)
            if written >= passages:
                break
        copy += 1
    return written


def run_size(size: int, database: str | None = None) -> dict:
    """One size, in this process: build, load, questions, memory; on the SQLite file, or on the
    PostgreSQL `database` (an empty one)."""
    from index.engine import Engine
    from index.loading import LOADED
    from index.settings import IndexSettings
    from index.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        folder.mkdir()
        write_corpus(folder, size)
        index = Path(tmp) / "index.sqlite3"
        env = {**os.environ, "VERBATIM_INDEX_PATH": str(index), "VERBATIM_CONTENT": json.dumps([str(folder)]),
               "VERBATIM_MAX_DOCUMENT_BYTES": "50000000", "VERBATIM_DATABASE_URL": database or ""}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "index", "build"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        built = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1000  # kB on Linux
        base = IndexSettings(_env_file=None, index_path=index, content=[folder], database_url=database)
        figures = {"store": "postgresql" if database else "sqlite", "passages": None, "build s": round(built, 1),
                   "build peak resident MB": round(peak), "index MB on disk": round(open_store(base).size() / 1e6)}
        before = resident_mb()
        for reader in (False, True):
            settings = base.model_copy(update={"reader": reader})
            engine = Engine.from_settings(settings)
            LOADED.clear()
            started = time.perf_counter()
            loaded = engine.current()
            load = time.perf_counter() - started
            engine.ask(QUESTIONS[0])
            first = time.perf_counter() - started
            figures["passages"] = len(loaded.passages)
            times = []
            for question in questions(loaded.passages, reader):
                started = time.perf_counter()
                engine.ask(question)
                times.append((time.perf_counter() - started) * 1000)
            label = "reader" if reader else "rules alone"
            figures[f"load s ({label})"] = round(load, 2)
            figures[f"first question s, load included ({label})"] = round(first, 2)
            figures[f"p50 / p99 ms ({label})"] = [round(statistics.median(times), 1), round(percentile(times, 99), 1)]
        figures["resident MB (process)"] = round(resident_mb())
        figures["resident MB added by loading and asking"] = round(resident_mb() - before)
        if size <= BASELINE_UP_TO:
            figures["plain rank-bm25"] = baseline(loaded.passages)
        figures["adding one article: s, peak resident MB"] = add_one(env, Path(tmp))
        return figures


def add_one(env: dict, folder: Path) -> list[float]:
    """`python -m index add` of one more article: the archive is copied in the store and indexed again."""
    article = folder / "late-news.txt"
    article.write_text("Late news\n\nThe harbour of Vell was dredged by a Dutch crew in the winter.\n")
    measure = ("import resource, sys; from index.cli import main; code = main(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", measure, "add", str(article)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    return [round(time.perf_counter() - started, 1), round(int(done.stderr.strip().splitlines()[-1]) / 1000)]


def questions(passages, seed: int) -> list[str]:
    """Questions made of the words of passages drawn at random, a different draw per seed: each
    names what one passage is about, as a member would, and none repeats (no cache helps)."""
    rng = random.Random(seed)
    out = []
    while len(out) < QUESTIONS_ASKED:
        text = passages[rng.randrange(len(passages))].text
        names = _NAME.findall(text)
        words = [w for w in re.findall(r"\b[a-z]{6,}\b", text)]
        if names and len(words) >= 2:
            form = rng.choice(QUESTION_FORMS)
            out.append(form.format(name=rng.choice(names), a=rng.choice(words), b=rng.choice(words)))
    return out


def baseline(passages) -> dict:
    """rank-bm25 over the same passages, in the same process: its build, question and memory."""
    from rank_bm25 import BM25Okapi

    from index.text.tokens import DEFAULT_TOKENIZER

    before = resident_mb()
    started = time.perf_counter()
    plain = BM25Okapi([DEFAULT_TOKENIZER.terms(p.text) for p in passages])
    built = time.perf_counter() - started
    times = []
    for question in questions(passages, 0):
        started = time.perf_counter()
        plain.get_scores(DEFAULT_TOKENIZER.terms(question))
        times.append((time.perf_counter() - started) * 1000)
    return {"build s (tokenizing included)": round(built, 1),
            "p50 / p99 ms": [round(statistics.median(times), 1), round(percentile(times, 99), 1)],
            "resident MB added": round(resident_mb() - before)}


def met(size: int, figures: dict) -> bool | None:
    if size < 1_000_000:
        return None
    p50, p99 = figures["p50 / p99 ms (rules alone)"]
    return (p50 < 20 and p99 < 100 and figures["load s (rules alone)"] < 2
            and figures["resident MB (process)"] < 1500 and figures["build s"] < 1200)


def main(argv: list[str] | None = None) -> int:
    """`python -m bench` calls it without arguments: the quick sizes."""
    argv = ["--quick"] if argv is None else argv
    if not POLNEAR.is_dir():
        print(f"bench.scale: {POLNEAR} is missing (PolNeAR's articles, see README)")
        return 2
    database = argv[argv.index("--database") + 1] if "--database" in argv else None
    if "--one" in argv:
        print(json.dumps(run_size(int(argv[argv.index("--one") + 1]), database)))
        return 0
    sizes = QUICK_SIZES if "--quick" in argv else SIZES
    if "--sizes" in argv:
        sizes = tuple(int(n) for n in argv[argv.index("--sizes") + 1].split(","))
    server = None
    if "--postgres" in argv:  # a throwaway server, a fresh database for each size
        from tests import postgres_server
        server = postgres_server.Server()
        admin = server.start()
    results = {}
    for size in sizes:
        on = ["--database", postgres_server.create_database(admin)] if server else []
        child = subprocess.run([sys.executable, "-m", "bench.scale", "--one", str(size), *on], cwd=ROOT,
                               capture_output=True, text=True)
        if child.returncode != 0:
            results[size] = {"failed": child.stderr.strip().splitlines()[-1:]}
            continue
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        figures["targets met"] = met(size, figures)
        results[size] = figures
        print(json.dumps({size: figures}), flush=True)
    print(json.dumps(results, indent=2))
    if server is not None:
        server.stop()
    return 0 if all(f.get("targets met") is not False and "failed" not in f for f in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
