"""Ranking passages for a question: BM25 (rank-bm25) over the tokenizer's terms, with
synonym expansion for the words people use in place of the article's."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25Okapi

from .text import DEFAULT_TOKENIZER, Tokenizer, _load_words


class OkapiBM25(BM25Okapi):
    """BM25Okapi with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)).

    rank-bm25's own idf is zero for a term in exactly half the passages (its issue #39) and
    negative above that, so a corpus of one or two passages scores everything zero (#43).
    This idf is positive for every term and keeps the usual ordering.
    """

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


@lru_cache(maxsize=4)
def synonym_groups(tokenizer: Tokenizer = DEFAULT_TOKENIZER) -> dict[str, frozenset[str]]:
    """term -> the terms of every group it belongs to (itself excluded), from data/synonyms.txt."""
    related: dict[str, set[str]] = {}
    for line in _load_words("synonyms.txt"):
        group = {t for word in line.split(",") for t in tokenizer.terms(word.strip())}
        for term in group:
            related.setdefault(term, set()).update(group - {term})
    return {term: frozenset(others) for term, others in related.items()}


@dataclass(frozen=True)
class Hit:
    index: int  # position of the passage in the corpus
    score: float


class Retriever:
    """BM25 over a fixed list of texts. An empty list, or texts without any term, rank nothing."""

    def __init__(self, texts: list[str], tokenizer: Tokenizer = DEFAULT_TOKENIZER,
                 k1: float = 1.2, b: float = 0.75, expansion_weight: float = 0.4):
        self.tokenizer = tokenizer
        self.expansion_weight = expansion_weight
        self.terms = [tokenizer.terms(t) for t in texts]
        self.vocabulary = {t for terms in self.terms for t in terms}
        # rank-bm25 divides by the corpus size and the mean length: both must be above zero.
        self.bm25 = OkapiBM25(self.terms, k1=k1, b=b) if self.vocabulary else None

    def __len__(self) -> int:
        return len(self.terms)

    def query(self, text: str) -> dict[str, float]:
        """The question's terms with their weights: its own at 1, synonyms found in the content below."""
        weights = {term: 1.0 for term in self.tokenizer.terms(text)}
        if self.expansion_weight > 0:
            groups = synonym_groups(self.tokenizer)
            for term in list(weights):
                for other in groups.get(term, ()):
                    if other in self.vocabulary and other not in weights:
                        weights[other] = self.expansion_weight
        return weights

    def scores(self, query: dict[str, float]) -> np.ndarray:
        if self.bm25 is None:
            return np.zeros(len(self.terms))
        total = np.zeros(len(self.terms))
        for term, weight in query.items():
            if term in self.vocabulary:
                total += weight * self.bm25.get_scores([term])
        return total

    def search(self, text: str, k: int = 3) -> list[Hit]:
        scores = self.scores(self.query(text))
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def idf(self, term: str) -> float:
        return self.bm25.idf.get(term, 0.0) if self.bm25 else 0.0

    def idf_unseen(self) -> float:
        """The idf a term absent from every passage would have."""
        n = len(self.terms)
        return math.log(1 + (n + 0.5) / 0.5)

    def related(self, term: str) -> frozenset[str]:
        return synonym_groups(self.tokenizer).get(term, frozenset())
