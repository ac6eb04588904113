"""News questions written for the project (train/news_questions.jsonl) as training examples.

Each line is one question about a PolNeAR article (train/WRITING.md says how they were written):
its kind, the shortest verbatim span that answers it at its character offset, other acceptable
spans, and the evidence sentence; or no answer, for a question the article does not answer.

An answerable question is an example whose context is the paragraphs from the answer to the
evidence (a name may be given a paragraph before the words it said; when that is far, the two
paragraphs alone), its answers the written
spans inside that context, the shortest (the written answer) first: that one is trained on. A question the article
does not answer is paired with the paragraph of its article that rank-bm25 ranks best for it,
as a "no answer" example: the passage the reader would be shown at run time.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

from index.text.tokens import DEFAULT_TOKENIZER
from index.training.examples import PARAGRAPH_BREAK, Example, paragraph_bounds

SOURCE = "written"
MAX_CONTEXT_CHARS = 3000  # from the answer's paragraph to the evidence's; beyond, those two alone


class WrittenError(ValueError):
    """A written question whose span is not where it says, or whose article is missing."""


@dataclass(frozen=True)
class Span:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class WrittenQuestion:
    id: str
    article: str
    kind: str
    variant: str
    question: str
    answer: Span | None  # None: the article does not answer it
    alternatives: tuple[Span, ...] = ()
    evidence: Span | None = None


def load(path: Path) -> list[WrittenQuestion]:
    """Every question of a written file (one JSON object a line)."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(WrittenQuestion(
                row["id"], row["article"], row["type"], row["variant"], row["q"], _span(row.get("answer")),
                tuple(_span(a) for a in row.get("alternatives") or ()), _span(row.get("evidence"))))
        except (ValueError, KeyError, TypeError) as exc:
            raise WrittenError(f"{path}, line {number}: not a written question ({exc})") from None
    return out


def _span(value: dict | None) -> Span | None:
    return None if value is None else Span(str(value["text"]), int(value["start"]))


def misplaced_spans(question: WrittenQuestion, text: str) -> list[Span]:
    """The question's spans that are not verbatim at their offsets in the article's text."""
    spans = [question.answer, question.evidence, *question.alternatives]
    return [s for s in spans if s is not None and text[s.start:s.end] != s.text]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split(PARAGRAPH_BREAK) if p.strip()]


def written_examples(path: Path, polnear_root: Path) -> list[Example]:
    """Training examples from a written file; WrittenError when a span is not where it says."""
    texts: dict[str, str] = {}
    out = []
    for question in load(path):
        if question.article not in texts:
            article = Path(polnear_root) / "text" / f"{question.article}.txt"
            if not article.is_file():
                raise WrittenError(f"{path}: {question.id}'s article is missing: {article}")
            texts[question.article] = article.read_text(encoding="utf-8")
        text = texts[question.article]
        if misplaced_spans(question, text):
            raise WrittenError(f"{path}: {question.id} has a span that is not verbatim at its offset")
        example = _answerable(question, text) if question.answer else _unanswerable(question, text)
        if example is not None:
            out.append(example)
    return out


def _answerable(question: WrittenQuestion, text: str) -> Example:
    answer, evidence = question.answer, question.evidence or question.answer
    start, end = paragraph_bounds(text, min(answer.start, evidence.start), max(answer.end, evidence.end))
    context, shift = text[start:end], [(start, end, start)]
    if end - start > MAX_CONTEXT_CHARS:  # a speech that names its speaker once, pages before
        first, second = paragraph_bounds(text, answer.start, answer.end), paragraph_bounds(text, evidence.start, evidence.end)
        (a, b), (c, d) = sorted([first, second])
        context = text[a:b] + PARAGRAPH_BREAK + text[c:d]
        shift = [(a, b, a), (c, d, c - (b - a) - len(PARAGRAPH_BREAK))]
    answers = tuple(dict.fromkeys((s.text, s.start - offset) for s in (answer, *question.alternatives)
                                  for low, high, offset in shift if s.start >= low and s.end <= high))
    return Example(question.id, question.article, question.question, context, answers, SOURCE)


def _unanswerable(question: WrittenQuestion, text: str) -> Example | None:
    candidates = paragraphs(text)
    terms = DEFAULT_TOKENIZER.terms(question.question)
    if not candidates or not terms:
        return None
    scores = BM25Okapi([DEFAULT_TOKENIZER.terms(p) or ["\0"] for p in candidates]).get_scores(terms)
    best = max(range(len(candidates)), key=lambda i: scores[i])
    return Example(question.id, question.article, question.question, candidates[best], (), SOURCE)
