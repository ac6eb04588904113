"""`python -m index eval --summaries FILE`: ROUGE of our summaries and of Lead-3 on news stories.

FILE holds one story a line, `{"id", "article", "summary"}` (the summary: reference highlights, one
a line). Each story becomes a Document read like any plain-text file, and is summarised by the
same `summaries.summarize` the bot uses, so these figures measure the product. Lead-3 (the first
three sentences, by the same sentence splitter) is scored in the same run. ROUGE F1 x 100 from
rouge-score with `use_stemmer=True`; Lsum is computed with one sentence a line, as in the papers.
Output length moves ROUGE F1 a lot, so words out stand beside every score.

With --ablate, the product is also scored with each part of its sentence score switched off
(position, centrality, length, quotation), to show what each one is worth on news.
"""
from __future__ import annotations

import json
import math
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.passages import split_passages
from index.ingest.reading import read_text
from index.store.snapshots import Snapshot, Version
from index.summaries import summarise as summaries
from index.text.sentences import sentence_spans

METRICS = ("rouge1", "rouge2", "rougeLsum")


@dataclass
class Story:
    id: str
    article: str
    highlights: list[str]


def load_stories(path: Path, limit: int | None = None) -> list[Story]:
    stories = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                stories.append(Story(str(row.get("id", number)), row["article"],
                                     [h.strip() for h in row["summary"].splitlines() if h.strip()]))
            except (ValueError, KeyError, AttributeError) as exc:
                raise SystemExit(f"{path}:{number}: not a story with article and summary ({exc})")
            if limit is not None and len(stories) >= limit:
                break
    return stories


def snapshot_of(article: str, name: str = "story.txt") -> Snapshot:
    """The story as the engine would hold it after `build`: one document, its passages."""
    document = read_text(article, name)
    passages = split_passages(document)
    return Snapshot(Version(0, "eval", 0, 0.0, "eval", "eval", {}), [document], passages)


def ours(article: str, sentences: int = 3) -> list[str]:
    result = summaries.summarize(snapshot_of(article), sentences=sentences)
    return [s.text for s in result.sentences]


def lead(article: str, n: int = 3) -> list[str]:
    return [article[start:end] for start, end in sentence_spans(article)[:n]]


@dataclass
class Figures:
    system: str
    totals: dict[str, float] = field(default_factory=lambda: dict.fromkeys(METRICS, 0.0))
    words: int = 0
    sentences: int = 0
    stories: int = 0

    def add(self, scores: dict, picked: list[str]) -> None:
        for metric in METRICS:
            self.totals[metric] += scores[metric].fmeasure
        self.words += sum(len(s.split()) for s in picked)
        self.sentences += len(picked)
        self.stories += 1

    def as_dict(self) -> dict:
        n = max(1, self.stories)
        return {"system": self.system, "stories": self.stories,
                **{m: round(100 * self.totals[m] / n, 2) for m in METRICS},
                "words_out": round(self.words / n, 1), "sentences_out": round(self.sentences / n, 2)}


# Each part of the sentence score at the value that makes it count for nothing.
ABLATIONS = {
    "no position": {"LEAD_HALF_LIFE": math.inf},
    "no centrality": {"CENTRALITY_FLOOR": math.inf},
    "no length": {"FULL_SENTENCE_WORDS": 1, "LENGTH_DAMPING": 0.0},
    "no quotation": {"QUOTATION_PENALTY": 0.0},
}


@contextmanager
def switched(settings: dict):
    saved = {name: getattr(summaries, name) for name in settings}
    try:
        for name, value in settings.items():
            setattr(summaries, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(summaries, name, value)


def evaluate(stories: list[Story], ablate: bool = False) -> list[dict]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    references = ["\n".join(story.highlights) for story in stories]

    def score(name: str, summarise) -> dict:
        figures = Figures(name)
        for story, reference in zip(stories, references):
            picked = summarise(story.article)
            figures.add(scorer.score(reference, "\n".join(picked)), picked)
        return figures.as_dict()

    rows = [score("verbatim", ours), score("lead-3", lead)]
    if ablate:
        for name, settings in ABLATIONS.items():
            with switched(settings):
                rows.append(score(f"verbatim, {name}", ours))
    return rows


def main(args) -> int:
    started = time.perf_counter()
    stories = load_stories(args.file, args.limit)
    if not stories:
        print(f"{args.file}: no stories", file=sys.stderr)
        return 2
    rows = evaluate(stories, ablate=getattr(args, "ablate", False))
    if args.json:
        print(json.dumps({"file": str(args.file), "stories": len(stories), "systems": rows}))
        return 0
    print(f"{len(stories)} stories from {args.file} (ROUGE F1 x 100, rouge-score, use_stemmer=True)")
    print(f"{'system':<26} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'words out':>10} {'sentences':>10}")
    for row in rows:
        print(f"{row['system']:<26} {row['rouge1']:>6.2f} {row['rouge2']:>6.2f} {row['rougeLsum']:>7.2f} "
              f"{row['words_out']:>10.1f} {row['sentences_out']:>10.2f}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0
