"""Question analysis: what kind of answer a question wants, and what it is about."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.answering.extractors import names as name_shapes
from index.text.tokens import DEFAULT_TOKENIZER, fold, stopwords

KINDS = ("who_said", "who", "how_many", "when", "where", "what", "why", "yes_no", "other")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS
    quote: str | None = None  # the quoted words or reported clause of a who-said question
    names: tuple[str, ...] = field(default=())  # capitalised names the question mentions
    words: tuple[str, ...] = field(default=())  # content words, folded, in order
    terms: tuple[str, ...] = field(default=())  # their index terms (stemmed), as retrieval sees them
    target: str | None = None  # the noun asked about: "people" in "how many people", "theatre" in "which theatre"
    measure: str | None = None  # "long", "old", "far"... of a "how long/old/far" question
    described: str | None = None  # the name whose nature is asked: "Peskov" in "Who is Peskov?", "IS" in "What is IS?"


_SAY = (r"(said|says|say|asked|asks|told|tells|declared|declares|warned|warns|stated|states|wrote|writes|"
        r"tweeted|tweets|added|adds|claimed|claims|argued|argues|insisted|insists|called|calls|"
        r"expects|expected|believes|believed|thinks|thought|urged|urges|promised|promises|suggested|"
        r"suggests|described|describes|accused|accuses|compared|compares|announced|announces)")
_MEASURES = r"(long|old|far|high|tall|big|large|deep|wide|often|fast|heavy|late|early)"
# The same verbs after "did"/"does": "What did Lavrov say?", "What does she think of it?"
_SAY_BASE = (r"(say|ask|tell|declare|warn|state|write|tweet|add|claim|argue|insist|call|expect|believe|think|"
             r"urge|promise|suggest|describe|accuse|compare|announce|mean)")

# Most specific first; each pattern may match anywhere, so "In what year ..." and
# "The Rhine flows through which city?" are found too. `_first_kind` prefers the earliest match.
_KIND_PATTERNS = [
    ("who_said", re.compile(rf"\bwho\s+(?:had\s+|has\s+|did\s+|would\s+)?{_SAY}\b", re.I)),
    ("how_many", re.compile(rf"\bhow\s+(?:many|much|{_MEASURES})\b|\bwhat\s+(?:is\s+the\s+|was\s+the\s+)?"
                            r"(?:number|percentage|percent|share|fraction|proportion|amount|total|"
                            r"population|size|cost|price|age|rate|(?:death\s+)?toll|tally|count)\b", re.I)),
    ("when", re.compile(r"\bwhen\b|\b(?:what|which)\s+(?:year|years|date|day|month|time|decade|century|"
                        r"era|period|season|age)\b|\bhow\s+soon\b", re.I)),
    ("where", re.compile(r"\bwhere\b|\b(?:what|which)\s+(?:city|country|countries|place|town|region|state|"
                         r"province|continent|location|area|village|capital|island|district|venue|"
                         r"site|street|county|nation)\b", re.I)),
    ("who", re.compile(r"\b(?:who|whom|whose)\b|\b(?:what|which)\s+(?:person|people|man|woman|"
                       r"leader|president|minister|official|politician|player|team|group|company|"
                       r"organi[sz]ation|scientist|author|writer|artist|king|queen|emperor)\b", re.I)),
    ("why", re.compile(r"\bwhy\b|\bfor\s+what\s+reason\b", re.I)),
    ("what", re.compile(r"\b(?:what|which)\b", re.I)),
    ("yes_no", re.compile(r"^\s*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|"
                          r"should|may|might|must)\b", re.I)),
]
_WHAT_SAID = re.compile(rf"^\s*what\s+(?:did|does|do|has|have|had|would|will)\s+.+?\s+(?:{_SAY_BASE}|{_SAY})\b",
                        re.I)
_WHO_AT_START = re.compile(r"^\s*(?:who|whom|whose)\b", re.I)
_QUOTED = re.compile(r"[\"\u201c\u201d\u2018\u2019']([^\"\u201c\u201d]{3,}?)[\"\u201c\u201d\u2018\u2019']"
                     r"(?=[\s?.!,]*$|\s)")
_SAID_CLAUSE = re.compile(rf"\bwho\s+(?:had\s+|has\s+|did\s+)?{_SAY}\s*(?:that\s+|:\s*)?(.+?)[\s?.!]*$", re.I)
_TARGET = re.compile(r"\b(?:how\s+many|how\s+much|what|which|whose)\s+([\w'-]+)(?:\s+([\w'-]+))?", re.I)
_MEASURE = re.compile(rf"\bhow\s+{_MEASURES}\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*(?:[ -](?:[A-Z][\w'\u2019-]*|\d+))*")
_WH_WORDS = frozenset("who whom whose what which when where why how".split())
_WORD = re.compile(r"[\w'\u2019-]+")
_WHO_OR_WHAT_IS = re.compile(r"^\s*(?:who|what)\s+(?:is|was)\s+(.+?)[\s?.!]*$", re.I)


def analyse(text: str) -> Question:
    kind = _kind(text)
    quote = _quote(text, kind)
    words = tuple(w for w in _WORD.findall(fold(text)) if w not in _WH_WORDS)
    target = _target(text, kind)
    terms = tuple(t for t in dict.fromkeys(DEFAULT_TOKENIZER.terms(text)) if t not in _type_terms(text, kind))
    measure = _MEASURE.search(text)
    return Question(text, kind, quote, _names(text), words, terms, target,
                    measure.group(1).lower() if measure else None, _described(text))


def _described(text: str) -> str | None:
    """The name of a "Who is Peskov?" or "What is IS?" question; not of "Who is the US Secretary
    of State?" (a title asks for the person) nor "Who is Putin meeting?" (more than a name)."""
    match = _WHO_OR_WHAT_IS.match(text)
    name = match.group(1) if match else ""
    if not _NAME.fullmatch(name) or re.search(r"['\u2019]s\b", name) \
            or any(name_shapes.is_title(word) for word in name.split()):
        return None  # "Guy's rival" asks for a person too
    return name


_DETERMINERS = frozenset("the a an its his her their our your my this that these those".split())


def subject_words(text: str) -> list[str]:
    """The nouns a question is about, as far as word order tells without a tagger: a word after
    a determiner or a possessive, or before "of" ("the population of France", "Putin's height"),
    and the measure of a "how tall/old/far" question. Verbs ("what did X announce") are not."""
    words = _WORD.findall(text)
    found = []
    for i, word in enumerate(words):
        before = words[i - 1].lower() if i else ""
        after = words[i + 1].lower() if i + 1 < len(words) else ""
        if before in _DETERMINERS or before.endswith(("'s", "\u2019s")) or after == "of":
            found.append(word)
    measure = _MEASURE.search(text)
    if measure:
        found.append(measure.group(1))
    return found


def asks_what_was_said(text: str) -> bool:
    """ "What did Lavrov say?": the answer is someone's words, not a fact ("What did Lavrov sign?")."""
    return bool(_WHAT_SAID.search(text))


def _kind(text: str) -> str:
    found = [(m.start(), order, kind) for order, (kind, pattern) in enumerate(_KIND_PATTERNS)
             if (m := pattern.search(text))]
    if not found:
        return "other"
    kinds = {kind for _, _, kind in found}
    if "who_said" in kinds:
        return "who_said"
    # "Who" opening a question wins over a "when" or "where" inside it.
    if "who" in kinds and _WHO_AT_START.search(text):
        return "who"
    # Typed patterns (how many, when, where) beat the generic "what"/"which" they contain.
    typed = [f for f in found if f[2] not in ("what", "yes_no")]
    if typed:
        return min(typed)[2]
    return min(found)[2]


def _type_terms(text: str, kind: str) -> set[str]:
    """Words that name the answer's type ("year" in "in what year"): the passage need not hold them."""
    pattern = dict(_KIND_PATTERNS).get(kind)
    match = pattern.search(text) if pattern is not None and kind in ("when", "where") else None
    return set(DEFAULT_TOKENIZER.terms(match.group())) if match else set()


def _quote(text: str, kind: str) -> str | None:
    quoted = _QUOTED.search(text)
    if quoted:
        return quoted.group(1).strip()
    if kind == "who_said":
        clause = _SAID_CLAUSE.search(text)
        if clause and len(clause.group(2).split()) >= 2:
            return clause.group(2)
    return None


def _target(text: str, kind: str) -> str | None:
    """The noun right after "how many", "what", "which": "bombs", "theatre", "fraction"."""
    match = _TARGET.search(text)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    # "how many Russian holidaymakers", "how many forced fumbles": the noun is the next word.
    # But not "how many Russians died": a verb after the noun.
    if second and _is_noun_like(second) and not second.endswith("ed") \
            and (first[0].isupper() or first.endswith("ed")):
        return second.lower()
    return first.lower() if _is_noun_like(first) and not first.endswith("ed") else None


def _is_noun_like(word: str) -> bool:
    return word.lower() not in stopwords() and word.lower() not in _WH_WORDS and not word[0].isdigit()


def _names(text: str) -> tuple[str, ...]:
    text = text.strip()
    names = []
    for match in _NAME.finditer(text):
        name = match.group()
        first, _, rest = name.partition(" ")
        # The question's first word is capitalised anyway: "Who", "In", "Was" are no names.
        if match.start() == 0 and (first.lower() in _WH_WORDS or first.lower() in stopwords()):
            name = rest
        if name:
            names.append(name)
    return tuple(names)
