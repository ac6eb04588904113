"""Answering from one loaded version: retrieval, the short answer, and the decision to refuse."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache

from index.answering import questions
from index.answering.links import deep_link
from index.answering import rules as answers
from index.answering.reader import (
    SHIPPED,
    SPANS_PER_PASSAGE,
    Arbiter,
    Candidate,
    Reader,
    ReaderError,
    ReaderSpan,
    Reading,
    arbiter_kind,
    candidate_features,
    english_words,
    load_reader,
    short_forms,
)
from index.answering.rules import Span
from index.answering.spelling import QuestionNormaliser
from index.errors import ReaderUnavailableError
from index.ingest.passages import Passage
from index.retrieval.bm25 import Kept, QuestionTerm, Retriever
from index.retrieval.postings import Postings
from index.settings import IndexSettings
from index.store.snapshots import Snapshot
from index.text.tokens import Tokenizer, load_words

CANDIDATES = 8  # passages the answer finder looks through
FIND_PASSAGE_AMONG = 10  # a passage searched for by its own text is among this many best (copies aside)
UNKNOWN_SHARE = 0.6  # measured on SQuAD v2: at 0.5, 78.6% of refusals are right; at 0.6, 81.0%


@lru_cache(maxsize=4)
def frame_terms(tokenizer: Tokenizer) -> frozenset[str]:
    """The index terms of data/frames.txt: words that frame a question, not its subject."""
    return frozenset(t for word in load_words("frames.txt") for t in tokenizer.terms(word))


@dataclass
class PassageHit:
    text: str
    document: str
    section: str | None
    paragraph: int
    score: float
    answer_start: int | None = None
    answer_end: int | None = None
    page: int | None = None  # for documents with pages (PDF): where the passage starts
    link: str | None = None  # for pages added by URL: the page opened at the passage (answering/links.py)


@dataclass
class AskResult:
    question: str
    kind: str
    answer: str | None
    refused: bool
    passages: list[PassageHit]
    version: int | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        del data["version"]
        return data


@dataclass
class Prepared:
    text: str  # the question as analysed: case and spelling taken from the content
    question: questions.Question
    ranked: list[int]  # passage indices, best first
    scores: dict[int, float]
    supported: bool  # the existing signals find the question in the content
    rule_span: Span | None  # the hand-written rules' answer, when they answer (no reader)
    terms: list[QuestionTerm]  # the question's index terms, worked out once for every stage


class LoadedVersion:
    """A snapshot with its retriever: swapped in whole when a new version goes live."""

    def __init__(self, snapshot: Snapshot, settings: IndexSettings, kept: Kept | None = None,
                 reader: tuple[Reader, Arbiter] | None = None, postings: Postings | None = None,
                 vectors=None):
        """`reader` replaces the one the settings name (calibration passes one without an arbiter);
        `postings` is the snapshot's index kept in the store (without it, it is built here);
        `vectors` its passages' vectors kept there (Retriever.for_passages)."""
        self.snapshot = snapshot
        self.settings = settings
        self.retriever = Retriever.for_passages(snapshot.passages, settings, kept=kept, postings=postings,
                                                vectors=vectors)
        self._given_reader = reader
        self.normaliser = QuestionNormaliser(self.retriever.postings.word_counts,
                                             english_words(settings.reader_model or SHIPPED))

    @cached_property
    def reader(self) -> tuple[Reader, Arbiter] | None:
        """The reader and its arbiter, loaded at the first question (`stats` and builds never need
        them); None when the settings answer by the rules alone."""
        if self._given_reader is not None or not self.settings.reader:
            return self._given_reader
        try:
            return load_reader(self.settings.reader_model)
        except ReaderError as exc:
            raise ReaderUnavailableError(str(exc)) from None

    @cached_property
    def rule_weights(self) -> answers.CorpusWeights:
        """The rules' corpus statistics: the retriever's idf and passages' terms."""
        retriever = self.retriever
        return answers.CorpusWeights(retriever.idf, retriever.idf_unseen(), retriever.tokens_of)

    @property
    def passages(self) -> Sequence[Passage]:
        return self.snapshot.passages

    def prepare(self, text: str, k: int = CANDIDATES, around: tuple[int, list[int]] | None = None) -> Prepared:
        """Everything the answer is decided from: retrieval, the existing signals and, without the
        reader, the rules' span. `around`: (a passage, its neighbours): the neighbours are read
        first and the passage not at all ("what did he say next?" after an answer from it)."""
        asked = self.normaliser.normalise(text)  # "how many died?" asks what "How many died?" does
        question = questions.analyse(asked)
        terms = self.retriever.question_terms(asked)
        hits = self.retriever.search(asked, k=max(k, CANDIDATES), terms=terms)
        ranked = [h.index for h in hits]
        supported = bool(ranked) and self.supported(asked, ranked, terms)
        if around:
            skipped, first = around
            ranked = [*first, *(i for i in ranked if i not in first and i != skipped)]
        by_rules = supported and self.reader is None  # with the reader, the rules' span is not weighed
        rule_span = answers.find_answer(question, self.passages, ranked, self.rule_weights) if by_rules else None
        return Prepared(asked, question, ranked, {h.index: h.score for h in hits}, supported, rule_span, terms)

    def ask(self, text: str, k: int, around: tuple[int, list[int]] | None = None) -> AskResult:
        """Answer a question already checked for emptiness and length."""
        prepared = self.prepare(text, k, around)
        ranked, scores = prepared.ranked, prepared.scores
        if self.reader is None:
            span, refused = prepared.rule_span, not prepared.supported
        else:
            span, refused = self._decide(prepared)
        if span is not None:  # the JSON contract: the answer is a slice of the first passage cited
            ranked = [span.passage, *(p for p in ranked if p != span.passage)]
        hits_out = [self._hit(i, scores.get(i, 0.0), span) for i in ranked[:k]]
        answer = self.passages[span.passage].text[span.start:span.end] if span else None
        return AskResult(text, prepared.question.kind, answer, refused, hits_out, self.snapshot.version.number)

    def neighbours(self, passage_text: str, step: int, count: int = 2) -> tuple[int, list[int]] | None:
        """The passage with this text, and the ones after (step 1) or before (step -1) it in its
        document; None when no passage has the text (a version since changed it)."""
        # The passage is its own best match: the index finds it without reading every passage.
        found = self.retriever.search(passage_text, k=FIND_PASSAGE_AMONG)
        index = next((h.index for h in found if self.passages[h.index].text == passage_text), None)
        if index is None:
            return None
        document = self.passages[index].document
        steps = (index + step * n for n in range(1, count + 1))
        return index, [i for i in steps if 0 <= i < len(self.passages) and self.passages[i].document == document]

    def candidates(self, prepared: Prepared) -> list[Candidate]:
        """The reader's best spans in each of the top passages, and the short forms inside them
        that have the shape the question asks for ("128" in "128 people died")."""
        reader, _ = self.reader
        read = prepared.ranked[:self.settings.reader_passages]
        kind = arbiter_kind(prepared.question.kind, prepared.text)
        spans = []  # (passage, span, its rank in the passage, a short form?)
        for passage, reading in zip(read, reader.read(prepared.text, [self.passages[i].text for i in read])):
            spans += _with_short_forms(passage, reading, kind, self.passages[passage].text)
        texts = [self.passages[p].text[span.start:span.end] for p, span, _, _ in spans]
        said = [" ".join(t.lower().split()) for t in texts]  # to count passages that agree
        saying = {key: {p for (p, _, _, _), k in zip(spans, said) if k == key} for key in said}
        best_score = max(prepared.scores.values(), default=0.0) or 1.0
        out = []
        for (passage, span, order, short), text, key in zip(spans, texts, said):
            features = candidate_features(
                kind=kind, margin=span.margin, probability=span.probability,
                null_probability=span.null_probability, support=len(saying[key]) / len(read),
                rank=read.index(passage), retrieval_share=prepared.scores.get(passage, 0.0) / best_score,
                evidence=self.retriever.evidence(prepared.terms, passage), text=text,
                order=order, short_form=short)
            out.append(Candidate(passage, span.start, span.end, features))
        return out

    def _decide(self, prepared: Prepared) -> tuple[Span | None, bool]:
        """(the span shown, refused) by the arbiter: the content does not say when the existing
        signals say so (names it never mentions, too little of the question in it) or when no
        candidate is likely enough; an answer is shown only when it is confident."""
        if not prepared.supported:
            return None, True
        _, arbiter = self.reader
        best, p = arbiter.best(self.candidates(prepared))
        show_at = arbiter.show_at if self.settings.answer_threshold is None else self.settings.answer_threshold
        if best is not None and p >= show_at:
            return Span(best.passage, best.start, best.end), False
        return None, p < arbiter.refuse_at

    def supported(self, question: str, ranked: list[int], asked: list[QuestionTerm] | None = None) -> bool:
        """Does the content answer the question, from the passages ranked for it, best first?

        A name or number of the question that the content never mentions (nor a near form of
        it) settles it: the question is about something else; so does a question most of whose
        words the content never uses, or one that shares only names with it and asks about a
        thing the content never speaks of ("the population of France"). Otherwise the best
        passage must hold `min_evidence` of the question's terms (see Retriever.evidence), or be
        as close in meaning to the question as `semantic_support` says (names and numbers still
        settle it first).
        """
        retriever = self.retriever
        asked = retriever.question_terms(question) if asked is None else asked
        if not asked or any(q.decisive and not retriever.mentions(q.term, ranked) for q in asked):
            return False
        # A passage that says the same in other words supports the question its words do not.
        if retriever.says_the_same(question, ranked[0], self.settings.semantic_support):
            return True
        unknown = [q for q in asked if not retriever.mentions(q.term, ranked)]
        if len(unknown) >= UNKNOWN_SHARE * len(asked):
            return False  # most of the question's words appear nowhere: it is about something else
        if self._asks_about_the_unknown(question, asked, unknown):
            return False
        return retriever.evidence(asked, ranked[0]) >= self.settings.min_evidence

    def _asks_about_the_unknown(self, question: str, asked: list[QuestionTerm],
                                unknown: list[QuestionTerm]) -> bool:
        """Does the content lack every word of the question besides its names (and the words
        that only frame it: "type", "name"), one of them a noun the question is about? Then the
        content knows the question's subject ("France") but not what is asked of it
        ("population"). An unknown verb alone ("what did Putin announce") may be another
        wording of what the content says, so it does not settle it (measured on SQuAD v2: with
        verbs, 81.0% of refusals right; without, 82.9%)."""
        tokenizer = self.retriever.tokenizer
        frames = frame_terms(tokenizer)
        ordinary = [q for q in asked if not q.decisive and q.term not in frames]
        if not ordinary or any(q not in unknown for q in ordinary):
            return False
        subjects = {t for word in questions.subject_words(question) for t in tokenizer.terms(word)}
        return any(q.term in subjects for q in ordinary)

    def _hit(self, index: int, score: float, span: Span | None) -> PassageHit:
        p = self.passages[index]
        doc = self.snapshot.document(p.document)
        page = doc.page_of(p.start) if doc else None
        hit = PassageHit(p.text, doc.label if doc else p.document, p.section, p.paragraph, round(score, 4),
                         page=page, link=deep_link(doc.source, p.text, page) if doc else None)
        if span is not None and span.passage == index:
            hit.answer_start, hit.answer_end = span.start, span.end
        return hit


def _with_short_forms(passage: int, reading: Reading, kind: str, text: str) -> list[tuple[int, ReaderSpan, int, bool]]:
    """(passage, span, its rank among the passage's best, a short form?) for the reader's best
    spans in one passage and the short forms inside them, each span once."""
    out, seen = [], set()
    for order, span in enumerate(reading.best(SPANS_PER_PASSAGE)):
        found = [(span, False)] + [(reading.score(span.start + s, span.start + e), True)
                                   for s, e in short_forms(kind, text[span.start:span.end])]
        for candidate, short in found:
            if candidate is not None and (candidate.start, candidate.end) not in seen:
                seen.add((candidate.start, candidate.end))
                out.append((passage, candidate, order, short))
    return out
