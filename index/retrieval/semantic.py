"""Retrieval by meaning: the passages' sentence vectors against the question's.

BM25 sees shared words only; the sentence embeddings (embedding.py) also see a question put in
other words ("How old is the bank's new boss?" for "Mr. Sloan, 56,"). A loaded version holds
its passages' vectors, computed when the version was built and kept in the store
(index/store/vectors.py); a question is embedded once (about 5 ms) and compared with each.
The Retriever fuses the two scores (bm25.Retriever.search) and the refusal decision counts a
close enough passage as support (index/answering/loaded.py).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

QUESTIONS_KEPT = 16  # the latest questions' vectors: retrieval and the refusal decision share one


class Meaning:
    """The passages' vectors (unit length, a row a passage) and the questions' as they come."""

    def __init__(self, vectors: np.ndarray, embed: Callable[[list[str]], np.ndarray], weight: float):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.embed, self.weight = embed, weight
        self._asked: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # questions of many servers share a loaded version

    def __len__(self) -> int:
        return len(self.vectors)

    def question(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._asked.get(text)
        if vector is None:
            vector = self.embed([text])[0]
            with self._lock:
                self._asked[text] = vector
                while len(self._asked) > QUESTIONS_KEPT:
                    self._asked.popitem(last=False)
        return vector

    def similarities(self, text: str) -> np.ndarray:
        """Every passage's cosine similarity to the question."""
        return self.vectors @ self.question(text)

    def nearest(self, text: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k passages closest in meaning (positions) and their similarities, best first."""
        similarity = self.similarities(text)
        k = min(k, len(similarity))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        best = np.argpartition(-similarity, k - 1)[:k]
        best = best[np.argsort(-similarity[best], kind="stable")]
        return best, similarity[best]

    def of(self, text: str, passages: np.ndarray) -> np.ndarray:
        """These passages' similarities to the question."""
        return self.vectors[passages] @ self.question(text)

    def similarity(self, text: str, passage: int) -> float:
        return float(self.vectors[passage] @ self.question(text))

    def rows(self, passages) -> np.ndarray:
        """These passages' vectors, for a Meaning over them alone (a channel's scope)."""
        return self.vectors[np.asarray(passages, dtype=np.int64)]


class GraphMeaning(Meaning):
    """A large version's vectors in a faiss HNSW graph (index/store/vectors.py): the passages
    closest in meaning found by the graph, a few hundred of them, not by comparing every one."""

    def __init__(self, graph, embed: Callable[[list[str]], np.ndarray], weight: float):
        super().__init__(np.zeros((0, graph.d), dtype=np.float32), embed, weight)
        self.graph = graph

    def __len__(self) -> int:
        return self.graph.ntotal

    def nearest(self, text: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        similarity, found = self.graph.search(self.question(text)[None], k)
        keep = found[0] >= 0
        return found[0][keep].astype(np.int64), similarity[0][keep]

    def of(self, text: str, passages: np.ndarray) -> np.ndarray:
        if not len(passages):
            return np.zeros(0, dtype=np.float32)
        return self.rows(passages) @ self.question(text)

    def similarities(self, text: str) -> np.ndarray:
        return self.of(text, np.arange(len(self)))  # for small versions only: a graph is meant to be searched

    def similarity(self, text: str, passage: int) -> float:
        return float(self.of(text, np.array([passage]))[0])

    def rows(self, passages) -> np.ndarray:
        return self.graph.reconstruct_batch(np.asarray(passages, dtype=np.int64))


def meaning_of(vectors, embed: Callable[[list[str]], np.ndarray], weight: float) -> Meaning:
    """The Meaning over a version's vectors: a matrix, or the graph a large version keeps."""
    return Meaning(vectors, embed, weight) if isinstance(vectors, np.ndarray) else GraphMeaning(vectors, embed, weight)
