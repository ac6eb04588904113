"""Short answers: a verbatim span of a passage that answers the question.

The method: score every sentence of the ranked passages by the question words it holds (rarer
words weigh more), take the candidates of the type the question asks for (a quantity, a date,
a name, a speaker) from the best sentences, and keep the one in the best sentence that stands
closest to the question's words and repeats none of them. Nothing is ever generated: a span
is always an offset pair into a passage, and no span comes back when no candidate fits.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from index.answering import weights as w
from index.answering.extractors import speakers
from index.answering.finders import (
    FINDERS,
    Candidate,
    ScoredSentence,
    beside_target,
    describe,
    repeats_question,
)
from index.answering.questions import Question
from index.ingest.passages import Passage
from index.retrieval.bm25 import Retriever, synonym_groups
from index.text.tokens import DEFAULT_TOKENIZER, fold


@dataclass(frozen=True)
class Span:
    passage: int  # index into the passages given
    start: int  # offsets into that passage's text
    end: int


def find_answer(question: Question, passages: list[Passage], ranked: list[int],
                weights: CorpusWeights | None = None) -> Span | None:
    """The answer span, looked for in the ranked passages first; None where none is found.

    `passages` is the whole corpus in document order (for context: quotes running over several
    paragraphs, pronouns naming the last person mentioned); `ranked` holds the indices of the
    retrieved passages, best first; `weights` is corpus_weights(passages), which a loaded
    version keeps.
    """
    ranked = [i for i in ranked if 0 <= i < len(passages)]
    if not ranked or not question.terms:
        return None
    weights = weights or corpus_weights(passages)
    if question.kind == "who_said":
        return _who_said(question, passages, ranked, weights)
    if question.described:  # every mention may say what it is: the first often does, in full
        sentences = _best_sentences(question, question.terms, passages, ranked, weights, w.DESCRIBING_SENTENCES)
        finder = describe
    else:
        sentences = _best_sentences(question, question.terms, passages, ranked, weights)
        finder = FINDERS.get(question.kind, beside_target)
    best: tuple[float, Span] | None = None
    for sentence in sentences:
        text = passages[sentence.passage].text
        for candidate in finder(question, text, sentence):
            if repeats_question(question, text[candidate.start:candidate.end]):
                continue
            score = sentence.score + candidate.bonus - w.DISTANCE_COST * _distance(text, sentence, candidate)
            if best is None or score > best[0]:
                best = (score, Span(sentence.passage, candidate.start, candidate.end))
    # A candidate whose bonuses and distance cost all it had is no answer.
    return best[1] if best and best[0] >= w.MIN_COVERAGE else None


# -- sentences -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CorpusWeights:
    """The corpus's statistics the rules weigh with (the retriever's): each term's inverse
    document frequency (0 for a term no passage holds), and a passage's tokens."""
    idf: Callable[[str], float]
    unseen: float  # the idf of a term no passage holds
    spans: Callable[[int], list[tuple[int, int, str]]]


def corpus_weights(passages: list[Passage]) -> CorpusWeights:
    """The statistics of passages that no retriever indexes (the rules alone, in tests)."""
    retriever = Retriever([p.text for p in passages], sentences=[p.sentences for p in passages], rarity_weight=0)
    return CorpusWeights(retriever.idf, retriever.idf_unseen(), retriever.tokens_of)


def _best_sentences(question: Question, terms: tuple[str, ...], passages: list[Passage],
                    ranked: list[int], weights: CorpusWeights, limit: int = w.SENTENCES_LOOKED_AT) -> list[ScoredSentence]:
    wanted = {t: weights.idf(t) or weights.unseen for t in terms}
    related = {}
    groups = synonym_groups(DEFAULT_TOKENIZER)
    for term in terms:
        for other in groups.get(term, ()):
            if other not in wanted:
                related[other] = (term, w.SYNONYM_WEIGHT)
    total = sum(wanted.values()) or 1.0
    out = []
    for rank, index in enumerate(ranked):
        # Only the passage's question words matter below: one pass picks them out.
        spans = [span for span in weights.spans(index) if span[2] in wanted or span[2] in related]
        context = sum(_coverage(spans, wanted, related, 0, len(passages[index].text))[0].values()) / total
        for s_start, s_end in passages[index].sentences:
            found, hits, related_hits = _coverage(spans, wanted, related, s_start, s_end)
            coverage = w.SENTENCE_SHARE * sum(found.values()) / total + (1 - w.SENTENCE_SHARE) * context
            if coverage >= w.MIN_COVERAGE:
                hit_terms = [(start, term, wanted[term] / total) for start, _, term in spans
                             if s_start <= start < s_end and term in wanted]
                out.append(ScoredSentence(index, rank, s_start, s_end, coverage, hits, related_hits, hit_terms))
    out.sort(key=lambda s: -s.score)
    return out[:limit]


def _coverage(spans, wanted: dict[str, float], related: dict[str, tuple[str, float]],
              s_start: int, s_end: int) -> tuple[dict[str, float], list[int], list[int]]:
    """The weight of the question terms found in text[s_start:s_end], and where they stand."""
    found: dict[str, float] = {}
    hits, related_hits = [], []
    for start, end, term in spans:
        if start < s_start or end > s_end:
            continue
        if term in wanted:
            found[term] = wanted[term]
            hits.append(start)
        elif term in related:
            source, share = related[term]
            found[source] = max(found.get(source, 0.0), wanted[source] * share)
            related_hits.append(start)
    return found, hits, related_hits


def _distance(text: str, sentence: ScoredSentence, candidate: Candidate) -> int:
    """Words between the candidate and the nearest question word in its sentence."""
    gaps = []
    for hit in sentence.hits or sentence.related_hits:
        if hit < candidate.start:
            gaps.append(len(text[hit:candidate.start].split()) - 1)
        elif hit >= candidate.end:
            gaps.append(len(text[candidate.end:hit].split()))
    return min(min(gaps, default=w.MAX_DISTANCE), w.MAX_DISTANCE)


# -- who said -------------------------------------------------------------------------------------

def _who_said(question: Question, passages: list[Passage], ranked: list[int], weights: CorpusWeights) -> Span | None:
    """Find the quoted or reported words, then the speaker that the text gives them."""
    said = DEFAULT_TOKENIZER.terms(question.quote) if question.quote else []
    terms = tuple(dict.fromkeys(said)) or question.terms
    for sentence in _best_sentences(question, terms, passages, ranked, weights, limit=3):
        at = _quote_position(question, passages[sentence.passage], sentence)
        found = speakers.find_speaker(passages, sentence.passage, at)
        if found is not None:
            return Span(found.passage, found.start, found.end)
    return None


def _quote_position(question: Question, passage: Passage, sentence: ScoredSentence) -> int:
    """Where the asked words stand: the verbatim quote if found, else the first question word."""
    if question.quote:
        folded = fold(passage.text)
        if len(folded) == len(passage.text):  # folding kept offsets, so positions carry over
            at = folded.find(fold(question.quote), sentence.start)
            if at >= 0:
                return at
    return min(sentence.hits or sentence.related_hits, default=sentence.start)
