"""The sentences a summary is made of: every sentence of the content with its place, its
terms, and whether it leans on the one before ("But he said...") or sits inside a quotation
running over several sentences."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.ingest.documents import Document
from index.store.snapshots import Snapshot
from index.text.tokens import DEFAULT_TOKENIZER, TOKEN, fold


@dataclass
class SummarySentence:
    text: str
    document: str
    section: str | None
    paragraph: int
    index: int  # position among its document's sentences: consecutive ones were adjacent


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


