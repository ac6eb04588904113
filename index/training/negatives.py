"""Retrieved negatives: a question paired with a passage that looks like it answers it but does not.

At run time the reader reads the few passages retrieval ranks best, and most of them do not hold
the answer; SQuAD pairs each question only with the paragraph that does. So for part of the
answerable questions, the paragraph of the same article that rank-bm25 ranks best for the
question, among those that do not contain any of its answers, becomes a "no answer" example.
That teaches the no-answer score on exactly the passages the reader will be shown, and makes
its scores in different passages comparable. Same article, so the split by article holds.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict

from rank_bm25 import BM25Okapi

from index.training.examples import Example
from index.text.tokens import DEFAULT_TOKENIZER

SOURCE = "negative"


def retrieved_negatives(examples: list[Example], every: int = 2) -> list[Example]:
    """One negative for each `every`-th answerable example (chosen by a hash of its id, so the
    same on every machine), from articles with more than one paragraph."""
    by_article: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        if example.source == "squad":
            by_article[example.article].append(example)
    out = []
    for article, items in by_article.items():
        contexts = list(dict.fromkeys(e.context for e in items))
        if len(contexts) < 2:
            continue
        index = BM25Okapi([DEFAULT_TOKENIZER.terms(c) or ["\0"] for c in contexts])
        for example in items:
            if example.impossible or _bucket(example.id, every):
                continue
            context = _best_without_answer(index, contexts, example)
            if context is not None:
                out.append(Example(f"{example.id}-negative", article, example.question, context, (), SOURCE))
    return out


def _bucket(identifier: str, every: int) -> int:
    return hashlib.sha256(identifier.encode("utf-8")).digest()[0] % every


def _best_without_answer(index: BM25Okapi, contexts: list[str], example: Example) -> str | None:
    scores = index.get_scores(DEFAULT_TOKENIZER.terms(example.question))
    answers = [text.lower() for text, _ in example.answers]
    for position in sorted(range(len(contexts)), key=lambda i: -scores[i]):
        context = contexts[position]
        if context != example.context and not any(a in context.lower() for a in answers):
            return context
    return None
