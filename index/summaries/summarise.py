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
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from index.ingest.documents import Document
from index.retrieval.bm25 import synonym_groups
from index.store.sqlite import Snapshot
from index.text.tokens import DEFAULT_TOKENIZER, TOKEN, fold

DEFAULT_SENTENCES = 3


class ScopeError(ValueError):
    """A summary that cannot be given: a document or section that does not exist (the message
    says which ones do), an empty topic, a length below one. The engine reports it as it is."""


@dataclass
class SummarySentence:
    text: str
    document: str
    section: str | None
    paragraph: int
    index: int  # position among its document's sentences: consecutive ones were adjacent


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


# -- reading the sentences -----------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    """One sentence of the content with what selection needs to know about it."""
    text: str
    document: str
    section: str | None
    paragraph: int
    index: int  # position among the summarisable sentences of its document, from 0
    terms: frozenset[str]
    words: int
    leans: bool  # needs the sentence before it to be understood
    quote_runs_on: bool  # ends inside a quotation, so the next sentence belongs with it
    quoted: float  # share of its characters inside quotation marks

    def output(self) -> SummarySentence:
        return SummarySentence(self.text, self.document, self.section, self.paragraph, self.index)


# Words that, opening a sentence, point back at the one before: pronouns and connectives.
LEANING_WORDS = frozenset("""
he she it they him her his its their them this these those that such
but however yet so also still and or nor then thus therefore hence meanwhile moreover
furthermore besides instead otherwise nevertheless nonetheless likewise similarly additionally
afterwards later too
""".split())
LEANING_PHRASES = ("in addition", "as a result", "for example", "for instance", "on the other hand",
                   "at the same time", "in turn", "even so", "after that", "as for")
_FIRST_WORDS = re.compile(r"[\W_]*([A-Za-z]+)(?:\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?)?")
# A quotation put in the mouth of a pronoun: '"...," she said' leans on whoever "she" is.
_PRONOUN_SPEAKER = re.compile(r"[,.!?\u2026]?[\"'\u201d\u2019]\s*,?\s+(?:he|she|they)\s+[a-z]+", re.I)


def leans_on_previous(text: str) -> bool:
    match = _FIRST_WORDS.match(text)
    if match is None:
        return False
    words = [w.casefold() for w in match.groups() if w]
    if words[0] in LEANING_WORDS:
        return True
    return " ".join(words).startswith(LEANING_PHRASES) or bool(_PRONOUN_SPEAKER.search(text))


_OPENING_CONTEXT = " \t\n([{\u2014\u2013-/"
_QUOTE_MARKS = re.compile("[\"'\u201c\u201d\u2018\u2019]")


def read_quotes(text: str, open_mark: str | None) -> tuple[str | None, int]:
    """Which quotation ("double" or "single") is still open at the end of `text`, given the one
    open at its start, and how many characters of `text` are quoted. Curly marks say which way
    they face; straight ones are read from the characters around them; an apostrophe ("Putin's")
    is neither."""
    quoted = 0
    opened_at = 0  # where the quotation now open began (0: before this text)
    for match in _QUOTE_MARKS.finditer(text):
        i, ch = match.start(), match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _OPENING_CONTEXT and not after.isspace()
        was = open_mark
        if ch == "\u201c":
            open_mark = open_mark or "double"
        elif ch == "\u201d":
            open_mark = None if open_mark == "double" else open_mark
        elif ch == '"':
            if open_mark == "double" and not opens:
                open_mark = None
            elif open_mark is None and opens:
                open_mark = "double"
        elif ch in "\u2018'" and open_mark is None and opens and not after.isdigit():
            open_mark = "single"  # "'90s" is a year, not a quotation
        elif ch in "\u2019'" and open_mark == "single" and not before.isspace() and not after.isalnum():
            open_mark = None
        if was is None and open_mark is not None:
            opened_at = i
        elif was is not None and open_mark is None:
            quoted += i + 1 - opened_at
    if open_mark is not None:
        quoted += len(text) - opened_at
    return open_mark, quoted


def _front_matter(doc: Document | None) -> set[str]:
    """Folded titles, bylines and headings: never summary sentences, even when a reader left one
    inside a paragraph."""
    if doc is None:
        return set()
    out = {_bare(doc.block_text(b)) for b in doc.blocks if b.kind != "paragraph"}
    out.update(_bare(x) for x in (doc.title, doc.byline) if x)
    return out


def _bare(text: str) -> str:
    """Folded, without closing punctuation: "Bridge opens." is the heading "Bridge opens"."""
    return fold(text).rstrip(".!?:;,")


_term_of_token: dict[str, str] = {}  # "" for a token that is no term (a stopword)


def terms_of(text: str) -> frozenset[str]:
    """DEFAULT_TOKENIZER's terms of `text`, each distinct token stemmed once: the same words
    recur through a corpus, and stemming them one by one was most of the time of a first summary.
    (The tokenizer makes at most one term of each TOKEN match, so a token alone gives the same.)"""
    if len(_term_of_token) > 500_000:
        _term_of_token.clear()
    out = set()
    for token in set(TOKEN.findall(text)):
        term = _term_of_token.get(token)
        if term is None:
            term = _term_of_token[token] = next(iter(DEFAULT_TOKENIZER.terms(token)), "")
        if term:
            out.add(term)
    return frozenset(out)


def read_sentences(snapshot: Snapshot) -> list[Sentence]:
    """Every summarisable sentence of the content, in the content's order."""
    documents = {d.name: d for d in snapshot.documents}
    out: list[Sentence] = []
    skip: set[str] = set()
    current_doc = current_paragraph = None
    index = 0
    open_mark = None
    for passage in snapshot.passages:
        if passage.document != current_doc:
            current_doc, index = passage.document, 0
            skip = _front_matter(documents.get(passage.document))
            longest = max(map(len, skip), default=0) * 2 + 10  # folding barely changes lengths
        if (passage.document, passage.paragraph) != current_paragraph:
            # Quotations are closed within a paragraph: news style reopens one that runs on.
            current_paragraph, open_mark = (passage.document, passage.paragraph), None
        for start, end in passage.sentences:
            text = passage.text[start:end]
            opened = open_mark
            open_mark, quoted = read_quotes(text, open_mark)
            if not text.strip() or (len(text) <= longest and _bare(text) in skip):
                continue
            leans = opened is None and leans_on_previous(text)
            out.append(Sentence(text, passage.document, passage.section, passage.paragraph, index,
                                terms_of(text), len(text.split()), leans, open_mark is not None,
                                quoted / len(text)))
            index += 1
    return out


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

    if not any(in_scope):
        return Summary(label, message="There is nothing to summarise here.")
    if topic is not None:
        found = read_topic(topic, [s for s, keep in zip(every, in_scope) if keep])
        if found is None:
            return Summary(label, message=f"The content says nothing about {_curly(topic.strip())}.")
        scores = relevance(found, every)
        if not any(sc > 0 for sc, keep in zip(scores, in_scope) if keep):
            return Summary(label, message=f"The content says nothing about {_curly(topic.strip())}.")
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
