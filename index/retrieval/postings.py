"""The inverted index behind retrieval: for each term, the passages that hold it and how often.

It is built a part at a time (a few thousand passages each: memory stays bounded, and progress
can be told between parts) and read a term at a time: a question costs the postings of its own
terms, not a pass over every passage, and loading reads only the passages' lengths. The store
keeps it by content (index/store/postings.py); MemoryPostings holds it for texts that are not
stored (ablations, tests).

Per term it keeps the passages and the term's count in each, how many sentences hold it (the
sentence-level BM25 statistics), and for single words how common in English its commonest
form is (index/retrieval/rarity.py). Pairs of neighbouring terms are indexed as one term
"a b" (a space never occurs inside a term).
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.retrieval.rarity import COMMON_ZIPF, FrequencyStore, commonest_zipf
from index.text.sentences import sentence_spans
from index.text.tokens import Tokenizer, word_counts

Span = tuple[int, int]
TokenSpans = list[tuple[int, int, str]]
PASSAGES_PER_PART = 5000
SCHEME_PAIRS, SCHEME_WORDS = "pairs", "words"  # with or without the pairs of neighbouring terms


def idf(documents: int, containing: int) -> float:
    """Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)): the one formula every stage uses.

    rank-bm25's own idf is zero for a term in exactly half the passages (its issue #39) and
    negative above that, so a corpus of one or two passages scores everything zero (#43).
    This idf is positive for every term and keeps the usual ordering.
    """
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def with_bigrams(terms: list[str]) -> list[str]:
    """The terms, then each pair of neighbours as one term: "secur forc" for "security forces"."""
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]


def is_pair(term: str) -> bool:
    return " " in term


def sentence_pieces(tokens: TokenSpans, bounds: Sequence[Span]) -> list[list[str]]:
    """A passage's terms, sentence by sentence (by offset); a passage without sentence bounds is one."""
    bounds = bounds or ((0, tokens[-1][1] if tokens else 0),)
    ends = [end for _, end in bounds]
    pieces: list[list[str]] = [[] for _ in bounds]
    current = 0
    for start, _, term in tokens:
        while current < len(ends) - 1 and start >= ends[current]:
            current += 1
        pieces[current].append(term)
    return pieces


@dataclass
class Posting:
    passages: np.ndarray  # int32 positions, ascending
    counts: np.ndarray  # the term's count in each
    sentences: int  # sentences holding the term
    zipf: float | None  # single words: the Zipf frequency of their commonest form in English

    @staticmethod
    def joined(pieces: list[Posting]) -> Posting:
        zipfs = [p.zipf for p in pieces if p.zipf is not None]
        return Posting(np.concatenate([p.passages for p in pieces]), np.concatenate([p.counts for p in pieces]),
                       sum(p.sentences for p in pieces), max(zipfs) if zipfs else None)


@dataclass
class Part:
    """The index of consecutive passages, from `first` on."""
    first: int
    lengths: np.ndarray  # indexed terms per passage
    sentences: int  # how many sentences
    sentence_terms: int  # indexed terms over all of them
    postings: dict[str, Posting] = field(default_factory=dict)
    words: Counter = field(default_factory=Counter)  # the words as written, for spelling (answering/spelling.py)


def index_part(first: int, passages: Sequence[tuple[str, Sequence[Span] | None]], tokenizer: Tokenizer,
               pairs: bool, frequencies: FrequencyStore | None = None, rarity: bool = True) -> Part:
    """The index of these passages, (text, sentence spans or None to find them here), numbered
    from `first`. `rarity`=False leaves out the words' frequencies in English (retrieval that
    does not weigh them)."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    sentence_df: Counter = Counter()
    forms: dict[str, set[str]] = {}
    lengths = []
    sentence_count = sentence_terms = 0
    for offset, (text, bounds) in enumerate(passages):
        tokens = tokenizer.spans(text)
        for start, end, term in tokens:
            forms.setdefault(term, set()).add(text[start:end].lower())
        bounds = tuple(sentence_spans(text)) if bounds is None else bounds
        terms = [term for _, _, term in tokens]
        indexed = with_bigrams(terms) if pairs else terms
        lengths.append(len(indexed))
        for term, count in Counter(indexed).items():
            ids, counts = found.setdefault(term, ([], []))
            ids.append(first + offset)
            counts.append(count)
        for piece in sentence_pieces(tokens, bounds):
            piece = with_bigrams(piece) if pairs else piece
            sentence_count += 1
            sentence_terms += len(piece)
            sentence_df.update(set(piece))
    zipf = commonest_zipf(forms, frequencies) if rarity else {}
    postings = {term: Posting(np.array(p, dtype=np.int32), np.array(c, dtype=np.int32), sentence_df[term],
                              zipf.get(term)) for term, (p, c) in found.items()}
    return Part(first, np.array(lengths, dtype=np.int32), sentence_count, sentence_terms, postings,
                word_counts(text for text, _ in passages))


def index_parts(passages: Iterable[tuple[str, Sequence[Span] | None]], tokenizer: Tokenizer, pairs: bool,
                frequencies: FrequencyStore | None = None, rarity: bool = True,
                size: int = PASSAGES_PER_PART) -> Iterator[Part]:
    """index_part over a stream of passages, `size` at a time: memory holds one part's texts."""
    batch: list[tuple[str, Sequence[Span] | None]] = []
    first = 0
    for item in passages:
        batch.append(item)
        if len(batch) == size:
            yield index_part(first, batch, tokenizer, pairs, frequencies, rarity)
            first, batch = first + size, []
    if batch:
        yield index_part(first, batch, tokenizer, pairs, frequencies, rarity)


class Postings:
    """What retrieval reads: per-term postings, the passages' lengths, the sentence statistics.
    Subclasses say where the postings come from (`posting`, `known`, `starting_with`)."""

    def __init__(self, lengths: np.ndarray, sentences: int, sentence_terms: int):
        self.lengths = lengths
        self.size = len(lengths)
        self.mean_length = float(lengths.mean()) if self.size else 0.0
        self.sentences = sentences
        self.mean_sentence_length = sentence_terms / sentences if sentences else 0.0

    def posting(self, term: str) -> Posting | None:
        raise NotImplementedError

    def known(self, terms: Iterable[str]) -> set[str]:
        """Those of the terms that some passage holds."""
        raise NotImplementedError

    def starting_with(self, prefix: str) -> list[str]:
        """The single-word terms that start with `prefix`, in order."""
        raise NotImplementedError

    def word_counts(self) -> Counter:
        raise NotImplementedError

    def has(self, term: str) -> bool:
        return bool(self.known([term]))

    def containing(self, term: str) -> int:
        posting = self.posting(term)
        return len(posting.passages) if posting is not None else 0

    def bm25(self, posting: Posting, k1: float, b: float, rows: np.ndarray | None = None) -> np.ndarray:
        """The term's BM25 weight in each passage of its posting (or in those at `rows` of it),
        with Lucene's idf (idf() below)."""
        passages, counts = (posting.passages, posting.counts) if rows is None else \
            (posting.passages[rows], posting.counts[rows])
        if not self.mean_length:
            return np.zeros(len(passages))
        counts = counts.astype(np.float64)
        norm = k1 * (1 - b + b * self.lengths[passages] / self.mean_length)
        return idf(self.size, len(posting.passages)) * counts * (k1 + 1) / (counts + norm)


class MemoryPostings(Postings):
    """The index of passages held in memory, its parts joined."""

    def __init__(self, parts: Iterable[Part]):
        parts = list(parts)
        lengths = np.concatenate([p.lengths for p in parts]) if parts else np.zeros(0, dtype=np.int32)
        super().__init__(lengths, sum(p.sentences for p in parts), sum(p.sentence_terms for p in parts))
        pieces: dict[str, list[Posting]] = {}
        for part in parts:
            for term, posting in part.postings.items():
                pieces.setdefault(term, []).append(posting)
        self._postings = {t: ps[0] if len(ps) == 1 else Posting.joined(ps) for t, ps in pieces.items()}
        self._words = sum((p.words for p in parts), Counter())
        self._sorted = sorted(t for t in self._postings if not is_pair(t))

    def posting(self, term: str) -> Posting | None:
        return self._postings.get(term)

    def known(self, terms: Iterable[str]) -> set[str]:
        return {t for t in terms if t in self._postings}

    def starting_with(self, prefix: str) -> list[str]:
        found = []
        for term in self._sorted[bisect_left(self._sorted, prefix):]:
            if not term.startswith(prefix):
                break
            found.append(term)
        return found

    def word_counts(self) -> Counter:
        return self._words


def zipf_weight(zipf: float | None, weight: float) -> float:
    """A term's multiplier in a question from its commonest form's Zipf frequency (rarity.py)."""
    if zipf is None or weight <= 0 or math.isnan(zipf):
        return 1.0
    return 1 + weight * max(0.0, COMMON_ZIPF - zipf) / COMMON_ZIPF
