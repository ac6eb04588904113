"""Extractive summaries: whole sentences of the content, verbatim, in the content's order.

A summary is built in four steps:

1. every sentence of the content is read once (cached per snapshot): its terms, its words, whether
   it leans on the sentence before ("He added...", "But..."), and whether it ends inside a
   quotation that the next sentence closes;
2. the scope (all content, a document, a section) keeps some of those sentences;
3. each kept sentence gets a score: for a plain summary, how early it comes in its document and
   how central its words are to the document (news puts its main facts first, see `importance`);
   for a topic, how much of the topic it holds;
4. whole "pieces" are taken best first until the length asked is reached. A piece is a sentence
   together with what it cannot go without: the sentence it leans on and the rest of a quotation
   it opens or closes. Near-duplicates of what is already taken are skipped. The pieces are then
   given in the content's order.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field

from index.ingest.documents import Document
from index.retrieval.bm25 import synonym_groups
from index.store.snapshots import Snapshot
from index.summaries.sentences import Sentence, SummarySentence, read_sentences  # noqa: F401 (summaries' API)
from index.text.tokens import DEFAULT_TOKENIZER, fold

DEFAULT_SENTENCES = 3


class ScopeError(ValueError):
    """A summary that cannot be given: a document or section that does not exist (the message
    says which ones do), an empty topic, a length below one. The engine reports it as it is."""


@dataclass
class Summary:
    scope: str
    sentences: list[SummarySentence] = field(default_factory=list)
    message: str | None = None  # said instead of sentences, e.g. when a topic is not covered

    def to_json(self) -> dict:
        data = {"scope": self.scope,
                "sentences": [{k: v for k, v in asdict(s).items() if k != "index"} for s in self.sentences]}
        if self.message:
            data["message"] = self.message
        return data


# -- scope -----------------------------------------------------------------------------------------

def _curly(text: str) -> str:
    return f"\u201c{text}\u201d"


def find_document(snapshot: Snapshot, wanted: str) -> Document:
    key = fold(wanted)
    for doc in snapshot.documents:
        stem = doc.name.rsplit(".", 1)[0]
        if key in {fold(doc.name), fold(stem), fold(doc.title or "")}:
            return doc
    names = ", ".join(f"{_curly(d.title)} ({d.name})" if d.title else _curly(d.name)
                      for d in snapshot.documents) or "none"
    raise ScopeError(f"no document {_curly(wanted)}; the documents are: {names}")


def find_section(sentences: list[Sentence], wanted: str, where: str) -> str:
    """The section's own heading, matched without regard to case, quotes or spacing."""
    headings = list(dict.fromkeys(s.section for s in sentences if s.section))
    for heading in headings:
        if fold(heading) == fold(wanted):
            return heading
    known = ", ".join(_curly(h) for h in headings) if headings else f"none ({where} has no headings)"
    raise ScopeError(f"no section {_curly(wanted)} in {where}; the sections are: {known}")


# -- scoring ---------------------------------------------------------------------------------------

LEAD_HALF_LIFE = 3.0  # sentences: how fast the weight of position decays down a document
FULL_SENTENCE_WORDS = 10  # below this a sentence is mostly a fragment ("We know how to look.")
LENGTH_DAMPING = 0.4  # past that, longer sentences pay a little for the room they take
CENTRALITY_FLOOR = 0.05
QUOTATION_PENALTY = 0.5  # a sentence all quotation counts half


def importance(sentences: list[Sentence]) -> list[float]:
    """How much each sentence deserves a place in a plain summary of its document.

    Measured on news (`python -m index eval --summaries`): what a sentence adds to a summary
    falls sharply after the fourth sentence; it rises with the share of its words that recur
    through the document; it is low for fragments. Longer sentences hold more but cost more room.
    Quotation counts against a sentence: ROUGE on news is indifferent to it, but a reader of a
    summary wants what happened, and the quotes are the article's colour and evidence.
    """
    by_document: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_document.setdefault(s.document, []).append(i)
    scores = [0.0] * len(sentences)
    for members in by_document.values():
        spread = Counter(t for i in members for t in sentences[i].terms)
        for i in members:
            s = sentences[i]
            position = 0.5 ** (s.index / LEAD_HALF_LIFE)
            # fsum: the same figure whatever order the set gives its terms in, so ties break alike
            recurrence = math.fsum(math.log(spread[t]) for t in s.terms) / max(1, len(s.terms))
            # The floor keeps every sentence eligible, e.g. in a document of one sentence.
            centrality = max(recurrence, CENTRALITY_FLOOR)
            fullness = min(1.0, s.words / FULL_SENTENCE_WORDS)
            room = max(s.words, FULL_SENTENCE_WORDS) ** -LENGTH_DAMPING
            colour = 1.0 - QUOTATION_PENALTY * s.quoted
            scores[i] = position * centrality * fullness * room * colour
    return scores


@dataclass(frozen=True)
class Topic:
    groups: list[frozenset[str]]  # one group per topic term: the term and its synonyms
    weights: list[float]


def read_topic(text: str, sentences: list[Sentence]) -> Topic | None:
    """The topic's terms found in the content, weighted by rarity; None when none is there."""
    related = synonym_groups(DEFAULT_TOKENIZER)
    document_frequency = Counter(t for s in sentences for t in s.terms)
    groups, weights = [], []
    for term in dict.fromkeys(DEFAULT_TOKENIZER.terms(text)):
        group = frozenset({term, *related.get(term, ())})
        found = sum(document_frequency[t] for t in group)
        # A term the content never uses still counts in the total: "Putin on bananas" is not
        # covered by sentences about Putin alone.
        weights.append(math.log(1 + len(sentences) / (found + 0.5)))
        groups.append(group)
    if not any(document_frequency[t] for g in groups for t in g):
        return None
    return Topic(groups, weights)


MIN_TOPIC_SHARE = 0.5  # of the topic's weight a sentence must hold to be about it


def relevance(topic: Topic, sentences: list[Sentence]) -> list[float]:
    """The share of the topic a sentence holds (0 below MIN_TOPIC_SHARE), early ones first on ties."""
    total = sum(topic.weights)
    scores = []
    for s in sentences:
        held = sum(w for g, w in zip(topic.groups, topic.weights) if g & s.terms)
        share = held / total if total else 0.0
        scores.append(share + 0.01 * 0.5 ** (s.index / LEAD_HALF_LIFE) if share >= MIN_TOPIC_SHARE else 0.0)
    return scores


# -- selection -------------------------------------------------------------------------------------

def piece_around(sentences: list[Sentence], i: int, in_scope: list[bool]) -> range | None:
    """The sentences that must come with sentence i, or None when one of them is out of scope
    (a section's first sentence leaning on the previous section's last one cannot be given)."""
    first = last = i
    while True:
        if sentences[first].leans or (first > 0 and sentences[first - 1].quote_runs_on
                                      and sentences[first - 1].document == sentences[first].document):
            if first == 0 or sentences[first - 1].document != sentences[first].document:
                return None  # leans on nothing there is
            first -= 1
        elif sentences[last].quote_runs_on and last + 1 < len(sentences) \
                and sentences[last + 1].document == sentences[last].document:
            last += 1
        else:
            break
    if not all(in_scope[first:last + 1]):
        return None
    return range(first, last + 1)


NEAR_DUPLICATE = 0.6  # share of terms in common above which two sentences say the same


def near_duplicate(a: Sentence, b: Sentence) -> bool:
    if not a.terms or not b.terms:
        return fold(a.text) == fold(b.text)
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) >= NEAR_DUPLICATE


def _says_again(sentences: list[Sentence], new: list[int], chosen: set[int]) -> bool:
    """Does a new sentence repeat one already chosen, or another new one (a piece of leaning
    sentences may hold the same sentence twice)?"""
    return any(near_duplicate(sentences[j], sentences[k])
               for at, j in enumerate(new) for k in [*chosen, *new[at + 1:]])


def select(sentences: list[Sentence], scores: list[float], in_scope: list[bool],
           max_sentences: int | None, max_chars: int | None) -> list[int]:
    """Indices of the chosen sentences, in the content's order."""
    chosen: set[int] = set()
    chars = -1  # joined by single spaces: n sentences need n - 1 of them
    order = sorted((i for i in range(len(sentences)) if in_scope[i] and scores[i] > 0),
                   key=lambda i: (-scores[i], i))
    for i in order:
        if i in chosen:
            continue
        piece = piece_around(sentences, i, in_scope)
        if piece is None:
            continue
        new = [j for j in piece if j not in chosen]
        if max_sentences is not None and len(chosen) + len(new) > max_sentences:
            continue
        added = sum(len(sentences[j].text) + 1 for j in new)
        if max_chars is not None and chars + added > max_chars:
            continue
        if _says_again(sentences, new, chosen):
            continue
        chosen.update(new)
        chars += added
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
    return sorted(chosen)


# -- the entry point -------------------------------------------------------------------------------

def summarize(snapshot: Snapshot, sentences: int | None = DEFAULT_SENTENCES, chars: int | None = None,
              document: str | None = None, section: str | None = None,
              topic: str | None = None, every: list[Sentence] | None = None) -> Summary:
    """The best sentences of the scope, verbatim and in order, within `sentences` and `chars`.

    With neither length given, three sentences. With only `chars`, as many as fit. `every` is
    read_sentences(snapshot), when the caller keeps it with the loaded version.
    """
    if sentences is None and chars is None:
        sentences = DEFAULT_SENTENCES
    if sentences is not None and sentences < 1:
        raise ScopeError(f"a summary needs at least 1 sentence (asked for {sentences})")
    if chars is not None and chars < 1:
        raise ScopeError(f"a summary needs at least 1 character (asked for {chars})")
    if topic is not None and not topic.strip():
        raise ScopeError("the topic is empty: name what to summarise, e.g. \u201cTurkey\u201d")

    every = read_sentences(snapshot) if every is None else every
    in_scope = [True] * len(every)
    scope = []
    where = "the content"
    if document is not None:
        doc = find_document(snapshot, document)
        in_scope = [s.document == doc.name for s in every]
        scope.append(f"document {_curly(doc.label)}")
        where = _curly(doc.label)
    if section is not None:
        heading = find_section([s for s, keep in zip(every, in_scope) if keep], section, where)
        in_scope = [keep and s.section == heading for s, keep in zip(every, in_scope)]
        scope.append(f"section {_curly(heading)}")
    if topic is not None:
        scope.append(f"topic {_curly(topic.strip())}")
    label = ", ".join(scope) or "all content"

    says_nothing = Summary(label, message=f"The content says nothing about {_curly(topic.strip())}.") \
        if topic is not None else None
    if not any(in_scope):  # a topic the index found nowhere in an archive (scoped.py) too
        return says_nothing or Summary(label, message="There is nothing to summarise here.")
    if topic is not None:
        found = read_topic(topic, [s for s, keep in zip(every, in_scope) if keep])
        if found is None:
            return says_nothing
        scores = relevance(found, every)
        if not any(sc > 0 for sc, keep in zip(scores, in_scope) if keep):
            return says_nothing
    else:
        scores = importance(every)

    chosen = select(every, scores, in_scope, sentences, chars)
    if not chosen:
        return Summary(label, message=_why_nothing(every, scores, in_scope, chars))
    return Summary(label, [every[i].output() for i in chosen])


def _why_nothing(sentences: list[Sentence], scores: list[float], in_scope: list[bool],
                 chars: int | None) -> str:
    pieces = [piece_around(sentences, i, in_scope) for i, keep in enumerate(in_scope)
              if keep and scores[i] > 0]
    sizes = [sum(len(sentences[j].text) for j in p) + len(p) - 1 for p in pieces if p is not None]
    if sizes and chars is not None:
        return (f"No sentence here fits in {chars} characters "
                f"(the shortest that can stand alone has {min(sizes)}).")
    return "No sentence here can stand alone: each one leans on a sentence outside it."
