"""Passages as retrieval reads them: tokenized when a question first needs them, by sentence,
and kept for the next questions (every passage of an article, the recent ones of an archive)."""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from index.retrieval.postings import Span, sentence_pieces, with_bigrams
from index.text.sentences import sentence_spans
from index.text.tokens import Tokenizer

PASSAGES_KEPT_READ = 4096  # passages whose terms stay read between questions


@dataclass(frozen=True)
class Read:
    """A passage's tokens and terms, and each sentence's terms: as a set, in order, and counted
    with their pairs as the index counts them."""
    tokens: list[tuple[int, int, str]]
    terms: frozenset[str]
    sentence_sets: list[frozenset[str]]
    pieces: list[list[str]]
    indexed: list[Counter]


class PassageReader:
    """`texts[i]` read and tokenized on demand; `sentences[i]` its sentence spans (None: found here)."""

    def __init__(self, texts: Sequence[str], sentences: Sequence[tuple[Span, ...]] | None,
                 tokenizer: Tokenizer, pairs: bool):
        self.texts, self.sentences, self.tokenizer, self.pairs = texts, sentences, tokenizer, pairs
        self._read: OrderedDict[int, Read] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, index: int) -> Read:
        read = self._read.get(index)
        if read is None:
            text = self.texts[index]
            tokens = self.tokenizer.spans(text)
            bounds = self.sentences[index] if self.sentences is not None else tuple(sentence_spans(text))
            pieces = sentence_pieces(tokens, bounds)
            indexed = [Counter(with_bigrams(p) if self.pairs else p) for p in pieces]
            read = Read(tokens, frozenset(t for _, _, t in tokens), [frozenset(p) for p in pieces], pieces, indexed)
            with self._lock:  # worker threads share a loaded version
                self._read[index] = read
                if len(self._read) > PASSAGES_KEPT_READ:
                    self._read.popitem(last=False)
        return read

    def read_ahead(self, candidates) -> None:
        """The candidates not read yet, read from the store in one query when it keeps the texts."""
        unread = [int(i) for i in candidates if int(i) not in self._read]
        prefetch = getattr(self.texts, "prefetch", None)
        if unread and prefetch is not None:
            prefetch(unread)


class Field(Sequence):
    """One attribute of each item of a sequence, read when asked: the texts of stored passages."""

    def __init__(self, items: Sequence, name: str):
        self._items, self._name = items, name

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        return getattr(self._items[index], self._name)

    def prefetch(self, indices: list[int]) -> None:
        """Items kept in a store (index/store/lazy.py) are read in one go."""
        prefetch = getattr(self._items, "prefetch", None)
        if prefetch is not None:
            prefetch(indices)
