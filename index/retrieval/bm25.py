"""Ranking passages for a question.

A passage's score fuses two BM25 rankings (Okapi BM25, Lucene's idf): the passage as a whole,
and its best sentence, since a question is usually answered by one sentence and a long passage
should not win on scattered single words; a bonus goes to the share of the question that one
sentence holds, and a question's words rare in English count more. Both indexes hold the
tokenizer's terms plus the pairs of adjacent terms ("secur forc"), which reward the question's
phrases; the postings (index/retrieval/postings.py) find the candidates, so a question costs
its own terms' postings, whatever the size of the corpus. Synonyms from data/synonyms.txt, and
near forms of words the content lacks ("counil", "Indian"), close the gap between the
question's words and the article's. Each step can be switched off (see `python -m index eval
--ablate`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.retrieval.postings import (  # noqa: F401 (idf and with_bigrams: every stage's formulas)
    MemoryPostings,
    Posting,
    Postings,
    idf,
    index_parts,
    with_bigrams,
    zipf_weight,
)
from index.retrieval.rarity import FrequencyStore
from index.retrieval.reading import Field, PassageReader
from index.retrieval.semantic import Meaning, meaning_of
from index.text import lexicon
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
POOL = 100  # passages scored in full for a question (settings.retrieval_pool): every passage of an article (SQuAD's longest has 98)
NEAREST = 20  # in a corpus larger than the pool, the passages closest in meaning that join the candidates
SUPPORT_MARGIN = 0.1  # support by meaning: the closest passage this much closer than the next (see says_the_same)
COMMON_SHARE = 0.05  # in a large corpus, a term in more passages than this chooses no candidates


@lru_cache(maxsize=4)
def synonym_groups(tokenizer: Tokenizer = DEFAULT_TOKENIZER) -> dict[str, frozenset[str]]:
    """term -> the terms of every group it belongs to (itself excluded), from data/synonyms.txt."""
    related: dict[str, set[str]] = {}
    for line in load_words("synonyms.txt"):
        group = {t for word in line.split(",") for t in tokenizer.terms(word.strip())}
        for term in group:
            related.setdefault(term, set()).update(group - {term})
    return {term: frozenset(others) for term, others in related.items()}


class Kept(FrequencyStore, Protocol):
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
    """BM25 over a fixed sequence of texts. An empty one, or texts without any term, rank nothing.

    A question is ranked in two steps. Its terms' postings (index/retrieval/postings.py) score
    every passage that holds one of them by BM25; the best `pool` of those are then scored in
    full: the passage's BM25 fused with its best sentence's, plus the share of the question that
    one sentence holds. A corpus of up to `pool` passages is thus ranked exactly as if every
    passage were scored in full; a larger one reads only its candidates' texts, and its common
    terms choose no candidates (_common).

    `sentences` gives each text's sentence spans (Passage.sentences); without them the texts
    are segmented here. `postings` is the texts' index when the store keeps one; without it the
    index is built here. `expansion_weight`, `bigram_weight`, `sentence_weight`,
    `coverage_weight` and `rarity_weight` at 0, and `name_weight` at 1, turn those steps off.
    `frequencies` keeps the English word frequencies between loads (index/retrieval/rarity.py).
    `meaning`, when set, fuses the scores with the passages' closeness in meaning to the question
    (index/retrieval/semantic.py; see search).
    """
    meaning: Meaning | None = None

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer = DEFAULT_TOKENIZER,
                 k1: float = 1.2, b: float = 0.75, expansion_weight: float = 0.4,
                 sentences: Sequence[tuple[Span, ...]] | None = None,
                 bigram_weight: float = BIGRAM_WEIGHT, sentence_weight: float = SENTENCE_WEIGHT,
                 coverage_weight: float = COVERAGE_WEIGHT, name_weight: float = NAME_WEIGHT,
                 rarity_weight: float = RARITY_WEIGHT, frequencies: FrequencyStore | None = None,
                 postings: Postings | None = None, pool: int = POOL):
        self.texts = texts
        self.tokenizer = tokenizer
        self.k1, self.b = k1, b
        self.expansion_weight = expansion_weight
        self.bigram_weight = bigram_weight
        self.sentence_weight = sentence_weight
        self.coverage_weight = coverage_weight
        self.name_weight = name_weight
        self.rarity_weight = rarity_weight
        self.pool = pool
        if postings is None:
            passages = zip(texts, sentences) if sentences is not None else ((t, None) for t in texts)
            postings = MemoryPostings(index_parts(passages, tokenizer, bigram_weight > 0, frequencies,
                                                  rarity=rarity_weight > 0))
        self.postings = postings
        self.read = PassageReader(texts, sentences, tokenizer, bigram_weight > 0)  # tokenized on demand
        self._near: dict[str, frozenset[str]] = {}  # unseen question term -> its near forms

    @classmethod
    def for_passages(cls, passages: Sequence, settings, tokenizer: Tokenizer = DEFAULT_TOKENIZER,
                     kept: Kept | None = None, postings: Postings | None = None, vectors=None,
                     **overrides) -> Retriever:
        """The retriever over Passage objects, tuned by IndexSettings; `overrides` replace single
        options, as the ablations do. `kept` (the store) keeps word frequencies between loads;
        `postings` is the passages' stored index; `vectors` their stored vectors (a matrix, or a
        large version's graph: index/store/vectors.py). A version in the
        store without vectors is ranked by words alone; passages held in memory only (evaluation
        corpora) are embedded here."""
        options = dict(k1=settings.bm25_k1, b=settings.bm25_b, expansion_weight=settings.expansion_weight,
                       bigram_weight=settings.bigram_weight, sentence_weight=settings.sentence_weight,
                       coverage_weight=settings.coverage_weight, name_weight=settings.name_weight,
                       rarity_weight=settings.rarity_weight, frequencies=kept, pool=settings.retrieval_pool)
        options.update(overrides)
        retriever = cls(Field(passages, "text"), tokenizer, sentences=Field(passages, "sentences"),
                        postings=postings, **options)
        if settings.semantic and (vectors is not None or kept is None):
            from index.retrieval.embedding import embed  # onnxruntime: loaded only when used

            if vectors is None:
                vectors = embed([p.text for p in passages])
            retriever.meaning = meaning_of(vectors, embed, settings.semantic_weight)
        return retriever

    def __len__(self) -> int:
        return self.postings.size

    def tokens_of(self, passage: int) -> list[tuple[int, int, str]]:
        return self.read[passage].tokens

    def terms_of(self, passage: int) -> frozenset[str]:
        return self.read[passage].terms

    # -- the question ------------------------------------------------------------------------

    def query(self, text: str, terms: list[QuestionTerm] | None = None) -> dict[str, float]:
        """The question's terms with their weights: its own at 1 (names and numbers at name_weight),
        times their rarity in English; below them the content's terms that stand for them:
        synonyms, and for a term the content lacks, its near forms there. Own terms are those
        weighing 1 or more. `terms` is question_terms(text) when the caller has it already."""
        weights = {q.term: (self.name_weight if q.decisive else 1.0) * self.rarity(q.term)
                   for q in (self.question_terms(text) if terms is None else terms)}
        if self.expansion_weight > 0:
            for term in list(weights):
                for other in self.stand_ins(term):
                    weights.setdefault(other, self.expansion_weight)
        return weights

    def rarity(self, term: str) -> float:
        """The term's multiplier for being rare in English (1 for a term the content lacks)."""
        posting = self.postings.posting(term) if self.rarity_weight > 0 else None
        return zipf_weight(posting.zipf if posting is not None else None, self.rarity_weight)

    def stand_ins(self, term: str) -> set[str]:
        """Terms of the content that may stand for `term`: its synonyms, and when the content
        lacks the term itself, its other forms there ("india" for "indian") or a one-letter
        slip ("council" for "counil")."""
        found = self.postings.known(self.related(term))
        if not self.postings.has(term):
            found |= self.near_forms(term)
        return found

    def near_forms(self, term: str) -> frozenset[str]:
        """Terms of the content one slip away ("council" for "counil"), or starting with the
        term ("indian" for "india") or with which it starts ("california" for "californian")."""
        if len(term) < MIN_SHARED_PREFIX or not term.isalpha():
            return frozenset()
        if term not in self._near:
            shorter = {term[:end] for end in range(MIN_SHARED_PREFIX, len(term))}
            found = self.postings.known(shorter | lexicon.slips(term))
            found.update(self.postings.starting_with(term))
            self._near[term] = frozenset(found - {term})
        return self._near[term]

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

    def _matches(self, term: str) -> tuple[float, set[str]]:
        """The content's terms that count as the question's term, and the idf it counts with
        (0 when the content has none)."""
        matches = self.postings.known([term, *self.stand_ins(term)])
        return max((self.idf(t) for t in matches), default=0.0), matches

    def evidence(self, asked: list[QuestionTerm], passage: int) -> float:
        """The idf-weighted share of the question's terms that the passage holds, a term
        counting as held when it or a term standing for it is there. A common word the content
        never uses ("went") weighs UNSEEN_WORD_SHARE of the rarest term: it is more often
        another wording than another subject."""
        present = self.terms_of(passage)
        total = held = 0.0
        for q in asked:
            weight, matches = self._matches(q.term)
            weight = weight if matches else UNSEEN_WORD_SHARE * self.idf_unseen()
            total += weight
            held += weight if matches & present else 0.0
        return held / total if total else 0.0

    def mentions(self, term: str, among: Sequence[int] = ()) -> bool:
        """Does the content hold the term, a term that stands for it, another form of the
        name ("british", "britain"; "feb", "february"), the number in words ("5", "fifth")
        or the words of an acronym ("SP": "Scottish Parliament")? Acronyms are looked for in
        every passage of a corpus of up to `pool` passages, in a larger one in those `among`."""
        if self.postings.has(term) or self.stand_ins(term):
            return True
        if term.isdigit():
            return bool(self.postings.known(self.tokenizer.terms(word)[0] for word in lexicon.number_words(term)))
        if not term.isalpha():
            return False
        if len(term) >= 3 and self.postings.starting_with(term[:NAME_PREFIX]):
            return True
        if not 2 <= len(term) <= 5:
            return False
        passages = range(len(self)) if len(self) <= self.pool else among
        return any(self._spells_initials(term.casefold(), p) for p in passages)

    def _spells_initials(self, acronym: str, passage: int) -> bool:
        """Are these the initials of neighbouring terms of one of the passage's sentences?"""
        return any(acronym in "".join(t[0] for t in terms) for terms in self.read[passage].pieces)

    # -- scoring -----------------------------------------------------------------------------

    def _with_bigrams(self, query: dict[str, float]) -> dict[str, float]:
        own = [t for t, w in query.items() if w >= 1.0]
        weighted = dict(query)
        if self.bigram_weight > 0:
            for pair in with_bigrams(own)[len(own):]:
                weighted.setdefault(pair, self.bigram_weight)
        return weighted

    def ranked(self, query: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """The candidate passages (positions, ascending) and their scores: BM25 over the
        postings picks up to `pool`; each is then scored in full, its BM25 fused with its best
        sentence's (each scaled to 0..1), plus the share of the question it holds."""
        weighted = self._with_bigrams(query)
        found = {t: p for t in weighted if (p := self.postings.posting(t)) is not None}
        common = self._common(found)
        bm25 = np.zeros(len(self))
        for term, posting in found.items():
            if term not in common:
                bm25[posting.passages] += weighted[term] * self.postings.bm25(posting, self.k1, self.b)
        candidates = np.flatnonzero(bm25 > 0)
        if len(candidates) > self.pool:
            candidates = np.sort(candidates[np.argpartition(-bm25[candidates], self.pool - 1)[:self.pool]])
        scores = bm25[candidates]
        for term in common:  # their share, added for the candidates alone
            rows = np.minimum(np.searchsorted(found[term].passages, candidates), len(found[term].passages) - 1)
            held = found[term].passages[rows] == candidates
            scores[held] += weighted[term] * self.postings.bm25(found[term], self.k1, self.b, rows[held])
        if not len(candidates):
            return candidates, scores
        self.read.read_ahead(candidates)
        if self.sentence_weight > 0:
            best = np.array([self._best_sentence(int(i), weighted) for i in candidates])
            scores = (1 - self.sentence_weight) * _scaled(scores) + self.sentence_weight * _scaled(best)
        if self.coverage_weight > 0 and scores.max() > 0:
            scores = scores + self.coverage_weight * self._coverage(query, candidates)
        return candidates, scores

    def _common(self, found: dict[str, Posting]) -> set[str]:
        """In a corpus larger than the pool, the question's terms held by more than COMMON_SHARE
        of the passages ("say" in news): they choose no candidates (the rarer terms do) and are
        scored for the candidates alone, so that a question costs little more than its rare
        terms' postings. Not when no rarer term is left."""
        if len(self) <= self.pool:
            return set()
        common = {t for t, p in found.items() if len(p.passages) > COMMON_SHARE * len(self)}
        return common if common != found.keys() else set()

    def _best_sentence(self, passage: int, weighted: dict[str, float]) -> float:
        """The BM25 of the passage's best sentence, with the statistics of every sentence."""
        postings, k1, b = self.postings, self.k1, self.b
        if not postings.mean_sentence_length:
            return 0.0
        best = 0.0
        for counts in self.read[passage].indexed:
            norm = k1 * (1 - b + b * sum(counts.values()) / postings.mean_sentence_length)
            score = 0.0
            for term, count in counts.items():
                if term in weighted:
                    score += weighted[term] * self._sentence_idf(term) * count * (k1 + 1) / (count + norm)
            best = max(best, score)
        return best

    def _sentence_idf(self, term: str) -> float:
        posting = self.postings.posting(term)
        return idf(self.postings.sentences, posting.sentences) if posting is not None else 0.0

    def scores(self, query: dict[str, float]) -> np.ndarray:
        """Every passage's score (ranked(), 0 for those that were no candidate)."""
        candidates, scores = self.ranked(query)
        dense = np.zeros(len(self))
        dense[candidates] = scores
        return dense

    def coverage(self, query: dict[str, float]) -> np.ndarray:
        """Per passage, the share of the question its best sentence holds (_coverage)."""
        every = np.arange(len(self))
        return self._coverage(query, every) if len(every) else np.zeros(0)

    def _coverage(self, query: dict[str, float], passages: np.ndarray) -> np.ndarray:
        """Per passage, the share of the question its best sentence holds: the question's own
        terms weighed by idf, each held when it or a term standing for it is in the sentence."""
        wanted = [self._matches(term) for term, w in query.items() if w >= 1.0]
        wanted = [(weight, matches) for weight, matches in wanted if matches]
        total = sum(weight for weight, _ in wanted)
        out = np.zeros(len(passages))
        if total > 0:
            for j, passage in enumerate(passages):
                sentences = self.read[int(passage)].sentence_sets
                out[j] = max(sum(w for w, m in wanted if m & s) for s in sentences) / total
        return out

    def search(self, text: str, k: int = 3, terms: list[QuestionTerm] | None = None) -> list[Hit]:
        candidates, scores = self.ranked(self.query(text, terms))
        if self.meaning is not None and self.meaning.weight > 0 and len(self):
            candidates, scores = self._fused(text, candidates, scores)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(int(candidates[i]), float(scores[i])) for i in order if scores[i] > 0]

    def _fused(self, text: str, candidates: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The lexical candidates and the passages closest in meaning, each scored by its lexical
        score (scaled to 0..1) plus `weight` times its similarity (scaled to 0..1 among them): a
        passage that shares no word with the question can come first. A corpus of up to `pool`
        passages has every passage judged."""
        if len(self) <= self.pool:
            pool = np.arange(len(self))
            similarity = self.meaning.similarities(text)
        else:
            near, _ = self.meaning.nearest(text, NEAREST)
            pool = np.union1d(candidates, near)
            similarity = self.meaning.of(text, pool)
        lexical = np.zeros(len(pool))
        lexical[np.searchsorted(pool, candidates)] = scores
        low, high = float(similarity.min()), float(similarity.max())
        closeness = (similarity - low) / (high - low) if high > low else np.zeros_like(similarity)
        return pool, _scaled(lexical) + self.meaning.weight * closeness

    def says_the_same(self, text: str, passage: int, least: float) -> bool:
        """Is the passage the closest in meaning to the question, at cosine similarity `least` or
        more, and clearly closer than the next? Many passages of one article are that close to
        any question about its people ("How tall is Putin?": .50, .44, .44; "How many workers are
        on the payroll?" of a bakery: .42, .18, .17). False without vectors."""
        if self.meaning is None:
            return False
        closest, similarity = self.meaning.nearest(text, 2)
        if not len(closest) or int(closest[0]) != passage or float(similarity[0]) < least:
            return False
        return len(closest) == 1 or float(similarity[0] - similarity[1]) >= SUPPORT_MARGIN

    def idf(self, term: str) -> float:
        containing = self.postings.containing(term)
        return idf(len(self), containing) if containing else 0.0

    def idf_unseen(self) -> float:
        """The idf a term absent from every passage would have."""
        return idf(len(self), 0)

    def related(self, term: str) -> frozenset[str]:
        return synonym_groups(self.tokenizer).get(term, frozenset())


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = scores.max()
    return scores / top if top > 0 else scores
