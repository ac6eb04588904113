"""Sentence embeddings on onnxruntime: all-MiniLM-L6-v2, exported to int8 ONNX (embedder/).

The exported graph does the model's mean pooling and unit-length normalisation itself, so a
text's vector is one onnxruntime call away, with no PyTorch. Texts are tokenised by the
WordPiece tokenizer the reader uses (index/answering/reader/wordpiece.py) with the model's own
vocabulary, shipped beside it. How the file was made and how close it is to the original:
embedder/CARD.md.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.answering.reader.wordpiece import WordPiece
from index.errors import EmbedderUnavailableError
from index.onnx import cpu_session

SHIPPED = Path(__file__).parent / "embedder"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MODEL = "all-MiniLM-L6-v2/onnx-int8"  # the vectors' key in the store: another model, other vectors
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length: longer texts are embedded from their start
BATCH = 32  # texts per onnxruntime call, sorted by length so that a batch pads little


class Embedder:
    model, dimensions = MODEL, DIMENSIONS  # what the store keys the vectors by

    def __init__(self, folder: Path = SHIPPED, threads: int = 0):
        folder = Path(folder)
        model_path, tokenizer_path = folder / MODEL_FILE, folder / TOKENIZER_FILE
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise EmbedderUnavailableError(
                    f"the embedding model's file is missing: {path} (reinstall Verbatim, "
                    "or set VERBATIM_SEMANTIC=false to retrieve by words alone)")
        try:
            self.tokenizer = WordPiece.from_file(tokenizer_path)
        except (ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
            raise EmbedderUnavailableError(f"the embedding model's tokenizer cannot be read: {tokenizer_path} "
                                           f"({exc})") from None
        self.session = cpu_session(model_path, threads, EmbedderUnavailableError, "the embedding model")
        self._inputs = {i.name for i in self.session.get_inputs()}

    def ids(self, text: str) -> list[int]:
        pieces = [t[0] for t in self.tokenizer.tokens(text)][:MAX_TOKENS - 2]
        return [self.tokenizer.cls, *pieces, self.tokenizer.sep]

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        tokenised = [self.ids(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(tokenised[i]))
        for first in range(0, len(order), BATCH):
            rows = order[first:first + BATCH]
            out[rows] = self._run([tokenised[i] for i in rows])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        ids = np.zeros((len(batch), max(len(b) for b in batch)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self.session.run(["embedding"], {k: v for k, v in feed.items() if k in self._inputs})[0]


_loading = threading.Lock()  # the bot loads several servers' versions in worker threads


def shared_embedder(folder: Path | None = None) -> Embedder:
    """One embedder per model folder (by default the shipped one) and process."""
    with _loading:
        return _load(Path(folder or SHIPPED))


@lru_cache(maxsize=2)
def _load(folder: Path) -> Embedder:
    return Embedder(folder)


def embed(texts: list[str]) -> np.ndarray:
    """The texts' vectors by the shipped model."""
    return shared_embedder().embed(texts)
