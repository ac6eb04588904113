"""The reader at run time: the trained span model on onnxruntime, with its tokenizer.

Given a question and a few passages it returns, per passage, the best answer span as character
offsets into that passage (so an answer is always a verbatim slice) with its score and the
score of "no answer". No PyTorch here: onnxruntime and numpy, with the WordPiece tokenizer of
wordpiece.py.
"""
from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.answering.reader.wordpiece import Window, WordPiece
from index.onnx import cpu_session

SHIPPED = Path(__file__).parent / "model"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
TRAINING_FILE = "training.json"
MAX_ANSWER_TOKENS = 30
TOP_TOKENS = 20  # start and end candidates looked at per window


class ReaderError(Exception):
    """The reader's model cannot be used; the message names the file."""


@dataclass(frozen=True)
class ReaderSpan:
    context: int  # which of the contexts given
    start: int  # character offsets into that context
    end: int
    score: float  # start logit + end logit
    null: float  # the no-answer score of the same context: a span beating it by a margin is an answer
    probability: float = 0.0  # the span's share of its window: softmax over starts times over ends
    null_probability: float = 0.0  # the same for "no answer", in that window

    @property
    def margin(self) -> float:
        return self.score - self.null


class Reader:
    def __init__(self, folder: Path = SHIPPED, threads: int = 0):
        folder = Path(folder)
        model_path, tokenizer_path = folder / MODEL_FILE, folder / TOKENIZER_FILE
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise ReaderError(f"the reader's model file is missing: {path} "
                                  "(reinstall, or train one with `python -m index train-reader`)")
        config = _training_config(folder / TRAINING_FILE)
        self.max_length = int(config.get("max_length", 384))
        self.stride = int(config.get("stride", 128))
        try:
            self.tokenizer = _tokenizer(tokenizer_path)
        except (ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
            raise ReaderError(f"the reader's tokenizer cannot be read: {tokenizer_path} ({exc})") from None
        self.session = cpu_session(model_path, threads, ReaderError, "the reader's model")
        self._inputs = {i.name for i in self.session.get_inputs()}

    def run(self, question: str, contexts: list[str]) -> list[ReaderSpan | None]:
        """The best span in each context (None where it has no token to answer with)."""
        return [next(iter(reading.best(1)), None) for reading in self.read(question, contexts)]

    def read(self, question: str, contexts: list[str]) -> list[Reading]:
        """The model's scores over each context, to take its best spans from or to score a
        span of one's own (a short form inside a longer answer)."""
        if not contexts:
            return []
        windows = [(i, w) for i, c in enumerate(contexts)
                   for w in self.tokenizer.windows(question, c, self.max_length, self.stride)]
        starts, ends = self._logits([w for _, w in windows])
        scored = [[] for _ in contexts]
        for row, (i, window) in enumerate(windows):
            scored[i].append(_Scored(window, starts[row], ends[row]))
        return [Reading(i, rows, contexts[i]) for i, rows in enumerate(scored)]

    def _logits(self, windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(w.ids) for w in windows)
        ids = np.zeros((len(windows), width), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, window in enumerate(windows):
            ids[row, :len(window.ids)] = window.ids
            types[row, :len(window.ids)] = window.type_ids
            mask[row, :len(window.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        starts, ends = self.session.run(["start_logits", "end_logits"],
                                        {k: v for k, v in feed.items() if k in self._inputs})
        return starts, ends


@dataclass(frozen=True)
class _Scored:
    """One window with the model's start and end scores for each of its tokens."""
    window: Window
    starts: np.ndarray
    ends: np.ndarray

    @property
    def null(self) -> float:
        return float(self.starts[0] + self.ends[0])

    def share(self, score: float) -> float:
        return math.exp(score - _log_normaliser(self.window, self.starts, self.ends))


class Reading:
    """The reader's scores over one context, across its windows."""

    def __init__(self, context: int, windows: list[_Scored], text: str):
        self.context, self.windows, self.text = context, windows, text
        self.null = min((w.null for w in windows), default=float("inf"))

    def best(self, n: int) -> list[ReaderSpan]:
        """The n best spans of whole words, best first, each span once (the best window's score
        for it): "Br" of "Brenn" is no answer, though WordPiece can end a span there."""
        found: dict[tuple[int, int], ReaderSpan] = {}
        for scored in self.windows:
            spans = [s for s in _top_spans(scored.window, scored.starts, scored.ends)
                     if not _inside_a_word(self.text, s[0]) and not _inside_a_word(self.text, s[1])]
            for start, end, score in spans[:n]:
                if (start, end) not in found or score > found[start, end].score:
                    found[start, end] = self._span(scored, start, end, score)
        return sorted(found.values(), key=lambda s: -s.score)[:n]


    def score(self, start: int, end: int) -> ReaderSpan | None:
        """The span of whole tokens covering context[start:end], scored by the best window that
        holds it whole; None when no window does."""
        best = None
        for scored in self.windows:
            window = scored.window
            tokens = [t for t, inside in enumerate(window.context)
                      if inside and window.offsets[t][1] > start and window.offsets[t][0] < end]
            if not tokens or window.offsets[tokens[0]][0] > start or window.offsets[tokens[-1]][1] < end:
                continue
            first, last = tokens[0], tokens[-1]
            score = float(scored.starts[first] + scored.ends[last])
            if best is None or score > best.score:
                best = self._span(scored, window.offsets[first][0], window.offsets[last][1], score)
        return best

    def _span(self, scored: _Scored, start: int, end: int, score: float) -> ReaderSpan:
        return ReaderSpan(self.context, start, end, score, self.null, scored.share(score),
                          scored.share(scored.null))


def _inside_a_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _log_normaliser(window: Window, starts: np.ndarray, ends: np.ndarray) -> float:
    """log(sum of exp over the window's possible starts) + the same over its ends: the possible
    positions are the context's tokens and [CLS], which stands for "no answer"."""
    possible = np.array([True] + window.context[1:] + [False] * (len(starts) - len(window.ids)))
    return float(_log_sum_exp(starts[possible]) + _log_sum_exp(ends[possible]))


def _log_sum_exp(values: np.ndarray) -> float:
    top = float(values.max())
    return top + math.log(float(np.exp(values - top).sum()))


def _top_spans(window: Window, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int, float]]:
    """(char start, char end, score) of the spans of context tokens in one window that start
    and end among its best-scored tokens, best first."""
    context = np.array(window.context + [False] * (len(starts) - len(window.ids)))
    if not context.any():
        return []
    masked_starts = np.where(context, starts, -np.inf)
    masked_ends = np.where(context, ends, -np.inf)
    end_tokens = [e for e in np.argsort(-masked_ends)[:TOP_TOKENS] if context[e]]
    spans = []
    for s in np.argsort(-masked_starts)[:TOP_TOKENS]:
        if not context[s]:
            break
        spans += [(window.offsets[s][0], window.offsets[e][1], float(starts[s] + ends[e]))
                  for e in end_tokens if s <= e < s + MAX_ANSWER_TOKENS]
    return sorted(spans, key=lambda span: -span[2])


def _training_config(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("config", {})
    except (ValueError, OSError) as exc:
        raise ReaderError(f"the reader's training record cannot be read: {path} ({exc})") from None


@lru_cache(maxsize=2)
def _tokenizer(path: Path) -> WordPiece:
    """Read once per process: the reader and spelling's English words both need it."""
    return WordPiece.from_file(path)


@lru_cache(maxsize=2)
def english_words(folder: Path = SHIPPED) -> frozenset[str]:
    """The whole words of the reader's WordPiece vocabulary (30,000 entries of English text):
    common English words, which spelling never mends. Empty when the tokenizer is missing."""
    try:
        vocabulary = _tokenizer(Path(folder) / TOKENIZER_FILE).vocabulary
    except (ValueError, KeyError, TypeError, OSError, AttributeError):
        return frozenset()
    return frozenset(w for w in vocabulary if w.isalpha())


_loading = threading.Lock()


@lru_cache(maxsize=2)
def _load(folder: Path) -> Reader:
    return Reader(folder)


def shared_reader(folder: Path = SHIPPED) -> Reader:
    """One reader per model folder and process: the bot's servers share it."""
    with _loading:
        return _load(Path(folder))
