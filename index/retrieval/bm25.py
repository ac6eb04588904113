"""Ranking passages for a question.

A passage's score fuses two BM25 rankings (rank-bm25, Lucene's idf): the passage as a whole,
and its best sentence, since a question is usually answered by one sentence and a long passage
should not win on scattered single words; a bonus goes to the share of the question that one
sentence holds, and a question's words rare in English count more. Both indexes hold the
tokenizer's terms plus the pairs of adjacent terms ("secur_forc"), which reward the question's
phrases. Synonyms from data/synonyms.txt, and near forms of words the content lacks ("counil",
"Indian"), close the gap between the question's words and the article's. Each step can be
switched off (see `python -m index eval --ablate`).
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from rank_bm25 import BM25Okapi

from index.retrieval import rarity
from index.retrieval.rarity import FrequencyStore
from index.retrieval.reranking import EmbeddingReranker, VectorStore
from index.text import lexicon
from index.text.sentences import sentence_spans
from index.text.tokens import DEFAULT_TOKENIZER, Tokenizer, load_words

Span = tuple[int, int]
BIGRAM_WEIGHT = 0.5  # a phrase of the question counts half a word more, on top of its two words
SENTENCE_WEIGHT = 0.4  # share of the best sentence in a passage's score
COVERAGE_WEIGHT = 0.4  # bonus for holding the whole question rather than one of its words many times
UNSEEN_WORD_SHARE = 0.5  # a common question word the content never uses, as a share of the rarest term
NAME_WEIGHT = 1.5  # a question's names and numbers locate its answer: they count half again
MIN_SHARED_PREFIX = 5  # "india" finds "indian", "sahara" "saharan"; shorter stems are too ambiguous
NAME_PREFIX = 4  # a name counts as mentioned by a term sharing its first letters: "british", "britain"
RARITY_WEIGHT = 2.0  # a word rare in English counts up to this much more (index/retrieval/rarity.py)


def idf(documents: int, containing: int) -> float:
    """Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)): the one formula every stage uses.

    rank-bm25's own idf is zero for a term in exactly half the passages (its issue #39) and
    negative above that, so a corpus of one or two passages scores everything zero (#43).
    This idf is positive for every term and keeps the usual ordering.
    """
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


@lru_cache(maxsize=4)
def synonym_groups(tokenizer: Tokenizer = DEFAULT_TOKENIZER) -> dict[str, frozenset[str]]:
    """term -> the terms of every group it belongs to (itself excluded), from data/synonyms.txt."""
    related: dict[str, set[str]] = {}
    for line in load_words("synonyms.txt"):
        group = {t for word in line.split(",") for t in tokenizer.terms(word.strip())}
        for term in group:
            related.setdefault(term, set()).update(group - {term})
    return {term: frozenset(others) for term, others in related.items()}


def with_bigrams(terms: list[str]) -> list[str]:
    """The terms, then each pair of neighbours as one term: "secur_forc" for "security forces"."""
    return terms + [f"{a}_{b}" for a, b in zip(terms, terms[1:])]


class TermWeights:
    """Every term's BM25 contribution to every document of one index, worked out once at build.

    rank-bm25 supplies the statistics (idf, term counts, lengths); a query then costs one
    vector addition per term instead of rank-bm25's pass over every document.
    """

    def __init__(self, documents: list[list[str]], k1: float, b: float):
        self.size = len(documents)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idfs: dict[str, float] = {}
        # rank-bm25 divides by the corpus size and the mean length: both must be above zero.
        if not any(documents):
            return
        # rank-bm25's public statistics (term counts, lengths); the idf is ours (see idf()).
        bm25 = BM25Okapi(documents, k1=k1, b=b)
        containing = Counter(term for counts in bm25.doc_freqs for term in counts)
        self.idfs = {term: idf(bm25.corpus_size, n) for term, n in containing.items()}
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc, (counts, length) in enumerate(zip(bm25.doc_freqs, bm25.doc_len)):
            norm = k1 * (1 - b + b * length / bm25.avgdl)
            for term, count in counts.items():
                docs, values = postings.setdefault(term, ([], []))
                docs.append(doc)
                values.append(self.idfs[term] * count * (k1 + 1) / (count + norm))
        # As arrays once, not on every question.
        self.postings = {t: (np.array(d, dtype=np.int64), np.array(v)) for t, (d, v) in postings.items()}

    def scores(self, query: dict[str, float]) -> np.ndarray:
        total = np.zeros(self.size)
        for term, weight in query.items():
            posting = self.postings.get(term)
            if posting is not None:
                total[posting[0]] += weight * posting[1]
        return total

    def idf(self, term: str) -> float:
        return self.idfs.get(term, 0.0)


class Kept(VectorStore, FrequencyStore, Protocol):
    """What a retriever keeps between loads of a version: the store (Store) implements it."""


@dataclass(frozen=True)
class QuestionTerm:
    term: str
    decisive: bool  # a name or a number: content without it is about something else


@dataclass(frozen=True)
class Hit:
    index: int  # position of the passage in the corpus
    score: float


class Retriever:
    """BM25 over a fixed list of texts. An empty list, or texts without any term, rank nothing.

    `sentences` gives each text's sentence spans (Passage.sentences); without them the texts
    are segmented here. `expansion_weight`, `bigram_weight`, `sentence_weight` and
    `coverage_weight` and `rarity_weight` at 0, and `name_weight` at 1, turn those steps off.
    `frequencies` keeps the English word frequencies between loads (index/retrieval/rarity.py). `reranker`,
    when set, fuses the scores with sentence embeddings (index/retrieval/reranking.py).
    """
    reranker: EmbeddingReranker | None = None

    def __init__(self, texts: list[str], tokenizer: Tokenizer = DEFAULT_TOKENIZER,
                 k1: float = 1.2, b: float = 0.75, expansion_weight: float = 0.4,
                 sentences: list[tuple[Span, ...]] | None = None,
                 bigram_weight: float = BIGRAM_WEIGHT, sentence_weight: float = SENTENCE_WEIGHT,
                 coverage_weight: float = COVERAGE_WEIGHT, name_weight: float = NAME_WEIGHT,
                 rarity_weight: float = RARITY_WEIGHT, frequencies: FrequencyStore | None = None):
        self.tokenizer = tokenizer
        self.expansion_weight = expansion_weight
        self.bigram_weight = bigram_weight
        self.sentence_weight = sentence_weight
        self.coverage_weight = coverage_weight
        self.name_weight = name_weight
        spans = [tokenizer.spans(t) for t in texts]
        self.terms = [[term for _, _, term in s] for s in spans]
        self.term_sets = [frozenset(t) for t in self.terms]
        self.vocabulary = {t for terms in self.terms for t in terms}
        self.rarity = rarity.term_weights(_forms(texts, spans), rarity_weight, frequencies) \
            if rarity_weight > 0 else {}
        self._near: dict[str, frozenset[str]] = {}  # unseen question term -> its near forms
        self._sorted: list[str] | None = None  # the vocabulary, sorted on first need
        self.passages = TermWeights([self._indexed(t) for t in self.terms], k1, b)
        if sentences is None:
            sentences = [tuple(sentence_spans(t)) for t in texts]
        self.sentence_terms, self.sentence_owner = _split_by_sentence(spans, sentences)
        self.sentences = TermWeights([self._indexed(t) for t in self.sentence_terms], k1, b)

    @classmethod
    def for_passages(cls, passages, settings, tokenizer: Tokenizer = DEFAULT_TOKENIZER,
                     kept: Kept | None = None, **overrides) -> Retriever:
        """The retriever over Passage objects, tuned by IndexSettings; `overrides` replace single
        options, as the ablations do. `kept` (the store) keeps word frequencies and the
        re-ranker's embeddings between loads."""
        options = dict(k1=settings.bm25_k1, b=settings.bm25_b, expansion_weight=settings.expansion_weight,
                       bigram_weight=settings.bigram_weight, sentence_weight=settings.sentence_weight,
                       coverage_weight=settings.coverage_weight, name_weight=settings.name_weight,
                       rarity_weight=settings.rarity_weight, frequencies=kept)
        options.update(overrides)
        texts = [p.text for p in passages]
        retriever = cls(texts, tokenizer, sentences=[p.sentences for p in passages], **options)
        if settings.reranker == "minilm":
            retriever.reranker = EmbeddingReranker(texts, settings.rerank_weight, kept)
        return retriever

    def _indexed(self, terms: list[str]) -> list[str]:
        return with_bigrams(terms) if self.bigram_weight > 0 else terms

    def __len__(self) -> int:
        return len(self.terms)

    def query(self, text: str, terms: list[QuestionTerm] | None = None) -> dict[str, float]:
        """The question's terms with their weights: its own at 1 (names and numbers at name_weight),
        times their rarity in English; below them the content's terms that stand for them:
        synonyms, and for a term the content lacks, its near forms there. Own terms are those
        weighing 1 or more. `terms` is question_terms(text) when the caller has it already."""
        weights = {q.term: (self.name_weight if q.decisive else 1.0) * self.rarity.get(q.term, 1.0)
                   for q in (self.question_terms(text) if terms is None else terms)}
        if self.expansion_weight > 0:
            for term in list(weights):
                for other in self.stand_ins(term):
                    weights.setdefault(other, self.expansion_weight)
        return weights

    def stand_ins(self, term: str) -> set[str]:
        """Terms of the content that may stand for `term`: its synonyms, and when the content
        lacks the term itself, its other forms there ("india" for "indian") or a one-letter
        slip ("council" for "counil")."""
        found = {t for t in self.related(term) if t in self.vocabulary}
        if term not in self.vocabulary:
            found |= self.near_forms(term)
        return found

    def near_forms(self, term: str) -> frozenset[str]:
        """Terms of the content one slip away ("council" for "counil"), or starting with the
        term ("indian" for "india") or with which it starts ("california" for "californian")."""
        if len(term) < MIN_SHARED_PREFIX or not term.isalpha():
            return frozenset()
        if term not in self._near:
            found = {term[:end] for end in range(MIN_SHARED_PREFIX, len(term))} | _slips(term)
            found = {t for t in found if t in self.vocabulary}
            found.update(self._starting_with(term))
            self._near[term] = frozenset(found - {term})
        return self._near[term]

    def _starting_with(self, start: str) -> list[str]:
        """The content's terms that start with `start`, found by bisection in the sorted vocabulary."""
        if self._sorted is None:
            self._sorted = sorted(self.vocabulary)
        found = []
        for term in self._sorted[bisect_left(self._sorted, start):]:
            if not term.startswith(start):
                break
            found.append(term)
        return found

    def question_terms(self, text: str) -> list[QuestionTerm]:
        """The question's own terms, each marked decisive when it comes from a number or a
        capitalised word (its first word is capitalised anyway, unless all capitals: "US")."""
        first_letter = next((i for i, ch in enumerate(text) if ch.isalnum()), 0)
        out: dict[str, bool] = {}
        for start, end, term in self.tokenizer.spans(text):
            raw = text[start:end]
            named = raw[0].isupper() and (start > first_letter or (len(raw) > 1 and raw.isupper()))
            out[term] = out.get(term, False) or named or raw[0].isdigit()
        return [QuestionTerm(term, decisive) for term, decisive in out.items()]

    def evidence(self, asked: list[QuestionTerm], passage: int) -> float:
        """The idf-weighted share of the question's terms that the passage holds, a term
        counting as held when it or a term standing for it is there. A common word the content
        never uses ("went") weighs UNSEEN_WORD_SHARE of the rarest term: it is more often
        another wording than another subject."""
        present = self.term_sets[passage]
        total = held = 0.0
        for q in asked:
            matches = [t for t in (q.term, *self.stand_ins(q.term)) if t in self.vocabulary]
            weight = max((self.idf(t) for t in matches), default=UNSEEN_WORD_SHARE * self.idf_unseen())
            total += weight
            held += weight if any(t in present for t in matches) else 0.0
        return held / total if total else 0.0

    def mentions(self, term: str) -> bool:
        """Does the content hold the term, a term that stands for it, another form of the
        name ("british", "britain"; "feb", "february"), the number in words ("5", "fifth")
        or the words of an acronym ("SP": "Scottish Parliament")?"""
        if term in self.vocabulary or self.stand_ins(term):
            return True
        if term.isdigit():
            return any(self.tokenizer.terms(word)[0] in self.vocabulary for word in number_words(term))
        if not term.isalpha():
            return False
        if len(term) >= 3 and self._starting_with(term[:NAME_PREFIX]):
            return True
        return 2 <= len(term) <= 5 and self._spells_initials(term.casefold())

    def _spells_initials(self, acronym: str) -> bool:
        """Are these the initials of neighbouring terms of one sentence?"""
        return any(acronym in "".join(t[0] for t in terms) for terms in self.sentence_terms)

    def _with_bigrams(self, query: dict[str, float]) -> dict[str, float]:
        own = [t for t, w in query.items() if w >= 1.0]
        weighted = dict(query)
        if self.bigram_weight > 0:
            for pair in with_bigrams(own)[len(own):]:
                weighted.setdefault(pair, self.bigram_weight)
        return weighted

    def scores(self, query: dict[str, float]) -> np.ndarray:
        """Each passage's score: its own BM25 fused with its best sentence's, each scaled to 0..1,
        plus the share of the question it holds."""
        weighted = self._with_bigrams(query)
        total = self.passages.scores(weighted)
        if not len(total):
            return total
        if self.sentence_weight > 0:
            best = np.zeros(len(total))
            np.maximum.at(best, self.sentence_owner, self.sentences.scores(weighted))
            total = (1 - self.sentence_weight) * _scaled(total) + self.sentence_weight * _scaled(best)
        if self.coverage_weight > 0 and total.max() > 0:
            total = total + self.coverage_weight * self.coverage(query)
        return total

    def coverage(self, query: dict[str, float]) -> np.ndarray:
        """Per passage, the share of the question its best sentence holds: the question's own
        terms weighed by idf, each held when it or a term standing for it is in the sentence."""
        held = np.zeros(len(self.sentence_owner))
        total = 0.0
        for term in (t for t, w in query.items() if w >= 1.0):
            matches = [t for t in (term, *self.stand_ins(term)) if t in self.vocabulary]
            if not matches:
                continue
            weight = max(self.idf(t) for t in matches)
            where = np.zeros(len(held), dtype=bool)
            for t in matches:
                where[self.sentences.postings[t][0]] = True
            held += weight * where
            total += weight
        best = np.zeros(len(self.terms))
        if total > 0:
            np.maximum.at(best, self.sentence_owner, held / total)
        return best

    def search(self, text: str, k: int = 3, terms: list[QuestionTerm] | None = None) -> list[Hit]:
        scores = self.scores(self.query(text, terms))
        if self.reranker is not None and len(scores) and self.reranker.weight > 0:
            scores = _scaled(scores) + self.reranker.weight * self.reranker.similarity(text)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def idf(self, term: str) -> float:
        return self.passages.idf(term)

    def idf_unseen(self) -> float:
        """The idf a term absent from every passage would have."""
        return idf(len(self.terms), 0)

    def related(self, term: str) -> frozenset[str]:
        return synonym_groups(self.tokenizer).get(term, frozenset())


LETTERS = "abcdefghijklmnopqrstuvwxyz"


_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
             "nine": "ninth", "twelve": "twelfth"}


def number_words(digits: str) -> tuple[str, ...]:
    """"5" -> ("five", "fifth"); "18" -> ("eighteen", "eighteenth"); numbers past 99 have none here."""
    value = int(digits)
    if value >= 100:
        return ()
    word = lexicon.UNITS[value] if value < 20 else lexicon.TENS[value // 10 - 2]
    if value >= 20 and value % 10:
        return ()  # "twenty-one" is rare in running text as words
    ordinal = _ORDINALS.get(word) or (word[:-1] + "ieth" if word.endswith("y") else word + "th")
    return (word, ordinal)


def _slips(term: str) -> set[str]:
    """Every word one letter away from the term: one dropped, added, changed, or two swapped."""
    cuts = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    dropped = {a + b[1:] for a, b in cuts if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    changed = {a + ch + b[1:] for a, b in cuts if b for ch in LETTERS}
    added = {a + ch + b for a, b in cuts for ch in LETTERS}
    return dropped | swapped | changed | added


def _forms(texts: list[str], spans: list[list[tuple[int, int, str]]]) -> dict[str, set[str]]:
    """term -> the words of the texts it comes from, in lower case ("kill": "killed", "kills")."""
    forms: dict[str, set[str]] = {}
    for text, tokens in zip(texts, spans):
        for start, end, term in tokens:
            forms.setdefault(term, set()).add(text[start:end].lower())
    return forms


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = scores.max()
    return scores / top if top > 0 else scores


def _split_by_sentence(spans: list[list[tuple[int, int, str]]],
                       sentences: list[tuple[Span, ...]]) -> tuple[list[list[str]], np.ndarray]:
    """Each sentence's terms (from the passage's tokens, by offset) and the passage it belongs to."""
    terms: list[list[str]] = []
    owner: list[int] = []
    for passage, (tokens, bounds) in enumerate(zip(spans, sentences)):
        bounds = bounds or ((0, tokens[-1][1] if tokens else 0),)
        ends = [end for _, end in bounds]
        pieces: list[list[str]] = [[] for _ in bounds]
        current = 0
        for start, _, term in tokens:
            while current < len(ends) - 1 and start >= ends[current]:
                current += 1
            pieces[current].append(term)
        terms.extend(pieces)
        owner.extend([passage] * len(pieces))
    return terms, np.array(owner, dtype=int)
