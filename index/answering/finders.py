"""The rules' candidate spans, one finder per kind of question: a quantity with what it counts,
a date, a place, a name, a quotation, a phrase beside the question's target, a description of
a name. Each takes the question, the passage text and one scored sentence of it, and returns
candidates with a bonus; rules.py picks among them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.answering import weights as w
from index.answering.extractors import chunks, dates, names, numbers, speakers
from index.answering.questions import Question
from index.text.tokens import DEFAULT_TOKENIZER, fold, stopwords


@dataclass
class ScoredSentence:
    passage: int
    rank: int
    start: int
    end: int
    coverage: float  # share of the question's word weight found here
    hits: list[int] = field(default_factory=list)  # offsets of the question's own words found
    related_hits: list[int] = field(default_factory=list)  # offsets of their synonyms
    hit_terms: list[tuple[int, str, float]] = field(default_factory=list)  # (offset, term, share of weight)

    @property
    def score(self) -> float:
        return self.coverage + w.RANK_PRIOR / (1 + self.rank)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    bonus: float = 0.0


# -- finders, one per kind of question -------------------------------------------------------------

def _how_many(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    out = []
    asked_terms = set(question.terms)
    target = _term(question.target) if question.target else None
    money = _wants_money(question)
    for q in numbers.find_quantities(text, sentence.start, sentence.end):
        if fold(text[q.amount_start:q.amount_end]) in question.words:
            continue  # "in 2002", "Super Bowl 50": the question's own numbers
        bonus, end = 0.0, q.unit_end or q.end
        following = [_term(w) for w in q.next_words]
        if target and target in following:
            bonus, end = w.COUNTS_THE_TARGET, q.end
        elif q.unit and _term(q.unit) in asked_terms:
            bonus, end = w.COUNTS_A_QUESTION_WORD, q.end
        elif q.unit and target and question.target not in _GENERIC_TARGETS:
            bonus += w.COUNTS_SOMETHING_ELSE
        if q.percent:
            bonus += w.SHARE_WANTED if question.target in _SHARE_WORDS else w.SHARE_UNWANTED
        if money:
            bonus += w.MONEY_WANTED if q.money else w.MONEY_UNWANTED
        if q.unit in numbers.TIME_UNITS and question.measure not in ("long", "old", "often") \
                and target not in following:
            bonus += w.TIME_NOT_COUNTED
        out.append(Candidate(q.start, end, bonus))
    return out


_GENERIC_TARGETS = frozenset("number amount total times".split())
_SHARE_WORDS = frozenset("percentage percent share fraction proportion rate".split())
_MONEY_WORDS = frozenset("cost costs cost pay paid pays spend spent spends price worth money budget revenue "
                         "earn earned earns sold sell fund funding funded salary fee fees dollars profit "
                         "income invest invested investment loan debt".split())


def _wants_money(question: Question) -> bool:
    return bool(set(question.words) & _MONEY_WORDS) and ("much" in question.words
                                                         or question.target in _MONEY_WORDS)


@lru_cache(maxsize=4096)
def _term(word: str) -> str:
    terms = DEFAULT_TOKENIZER.terms(word)
    return terms[0] if terms else word.lower()


def _when(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    out = []
    for d in dates.find_dates(text, sentence.start, sentence.end):
        found = text[d.start:d.end]
        bonus = w.YEAR_WANTED if question.target in ("year", "years") and re.search(r"\d{3,4}", found) else 0.0
        out.append(Candidate(d.start, d.end, bonus))
    return out


_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|from|near|to|into|across|outside|inside)\s+(?:the\s+)?$", re.I)


_IN_REGION = re.compile(r",\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)(?![\w-])")  # ", Turkey", ", New York"


def _where(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    out = []
    for name in _fresh_names(question, text, sentence):
        if names.is_nationality(text, names.Name(name[0], name[1], text[name[0]:name[1]])):
            continue  # "in the Russian capital": the place is the noun after it
        bonus = 0.0
        region = _IN_REGION.match(text, name[1], sentence.end)
        in_region = region is not None and names.is_place(region.group(1))
        if in_region:
            name = (name[0], region.end())  # "Antalya, Turkey": a place, and where it lies
        if in_region or names.is_place(text[name[0]:name[1]]):
            bonus += w.KNOWN_PLACE
        if _PLACE_PREPOSITION.search(text[max(sentence.start, name[0] - 20):name[0]]):
            bonus += w.AFTER_PLACE_PREPOSITION
        out.append(Candidate(name[0], name[1], bonus))
    return out


def _who(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    out = []
    for start, end in _fresh_names(question, text, sentence):
        name = names.Name(start, end, text[start:end])
        if names.is_nationality(text, name):
            continue  # "Russian authorities": an adjective, not someone
        bonus = w.LOOKS_LIKE_PERSON if names.looks_like_person(text, name) else w.NOT_A_PERSON
        out.append(Candidate(start, end, bonus))
    return out


def _what(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    """The quoted words for "what did he say", else a name beside the noun asked about ("which
    theatre"), else the phrases of the sentence."""
    if _SPEECH_WORDS & set(question.words):
        quoted = _quotations(text, sentence)
        if quoted:
            return quoted
    return beside_target(question, text, sentence) or _phrases(question, text, sentence)


# Verbs whose object is the words said. Not speakers.py's reporting verbs, which hold "called" and
# "believes" too: "What is it called?" wants no quotation (with them, SQuAD what-EM .213 -> .212).
_SPEECH_WORDS = frozenset("say said says shout shouted tell told write wrote tweet tweeted announce announced "
                          "declare declared warn warned promise promised".split())
_QUOTATION = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{3,}?)[,;:]?[\u201d\"]")


def _quotations(text: str, sentence: ScoredSentence) -> list[Candidate]:
    """The words between quotation marks that the sentence holds or opens ("This is for Syria")."""
    return [Candidate(m.start(1), m.end(1), w.QUOTATION) for m in _QUOTATION.finditer(text)
            if m.start() < sentence.end and m.end() > sentence.start]


def beside_target(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    """"Which theatre": the name that stands next to the word the question asks about."""
    if not question.target:
        return []
    target_terms = set(DEFAULT_TOKENIZER.terms(question.target))
    out = []
    for name in names.find_names(text, sentence.start, sentence.end):
        # "What bridge": "Ludendorff Bridge", the name the asked noun ends.
        *others, last = name.text.split()
        if others and _term(last) in target_terms and not repeats_question(question, " ".join(others)):
            # Above a name merely beside the noun: "Ludendorff Bridge", not "Bridge at Remagen".
            out.append(Candidate(name.start, name.end, w.NAME_ENDING_IN_TARGET))
    fresh = _fresh_names(question, text, sentence)
    for start, end, term in DEFAULT_TOKENIZER.spans(text[sentence.start:sentence.end]):
        if term not in target_terms:
            continue
        start, end = start + sentence.start, end + sentence.start
        for n_start, n_end in fresh:
            if 0 <= start - n_end <= 1 or 0 <= n_start - end <= 4:
                out.append(Candidate(n_start, n_end, w.NAME_BESIDE_TARGET))
    return out




def _phrases(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    """The runs of new words between the question's words, punctuation and function words."""
    asked = set(question.terms)
    words = chunks.tokens(text, sentence.start, sentence.end)

    def is_asked(word: chunks.Token) -> bool:
        return word.text.lower() in question.words or _term(word.text) in asked

    out = []
    for chunk in chunks.chunks(words, is_asked):
        candidate = _phrase(words, chunk, sentence)
        if chunk.first and is_asked(words[chunk.first - 1]):
            # Right after a question word: the slot the question leaves open ("wrote [two catechisms]").
            candidate = Candidate(candidate.start, candidate.end, candidate.bonus + w.AFTER_ASKED)
        out.append(candidate)
    return out




def _phrase(words: list[chunks.Token], chunk: chunks.Chunk, sentence: ScoredSentence) -> Candidate:
    cost = w.PHRASE_LENGTH_COST * max(0, chunk.size - w.PHRASE_WORDS)
    context = _context_weight(words, chunk, sentence)
    shape = _noun_phrase_shape(words, chunk)
    return Candidate(chunk.start, chunk.end, w.PHRASE - cost + w.CONTEXT_WEIGHT * context + shape)


_BEFORE_NOUN_PHRASES = frozenset("of in on at by for with from to as into than about like the a an "
                                 "is are was were be been include includes including called named".split())


def _noun_phrase_shape(words: list[chunks.Token], chunk: chunks.Chunk) -> float:
    """Answers are mostly noun phrases: after an article or preposition, not ending like a verb."""
    bonus = 0.0
    before = words[chunk.first - 1].text.lower() if chunk.first else ""
    if before in _BEFORE_NOUN_PHRASES or words[chunk.first].text.lower() in ("the", "a", "an"):
        bonus += w.NOUN_PHRASE
    if dates.DATE.fullmatch(" ".join(w.text for w in words[chunk.first:chunk.last + 1])):
        bonus -= w.NOUN_PHRASE  # a "what" question wanting a date is typed "when"
    last = words[chunk.last].text
    if last.islower() and last.endswith(("ed", "ing")) and chunk.size == 1:
        bonus -= w.NOUN_PHRASE
    return bonus




def _context_weight(words: list[chunks.Token], chunk: chunks.Chunk, sentence: ScoredSentence) -> float:
    """The share of the question's word weight found within a few words either side of the chunk."""
    left = words[max(0, chunk.first - w.CONTEXT_WORDS)].start
    right = words[min(len(words) - 1, chunk.last + w.CONTEXT_WORDS)].end
    found = {term: share for at, term, share in sentence.hit_terms if left <= at < right}
    return sum(found.values())


def _fresh_names(question: Question, text: str, sentence: ScoredSentence) -> list[tuple[int, int]]:
    """Names in the sentence that the question does not already give.

    Question words opening a name are trimmed ("US Secretary of State John Kerry" for "who is
    the US Secretary of State" leaves "John Kerry"); a name ending in them names the thing asked
    about ("AFC Championship Game"), not the answer.
    """
    asked = set(question.words)
    out = []
    for name in names.find_names(text, sentence.start, sentence.end):
        words = list(re.finditer(r"[^\s]+", name.text))
        if fold(words[-1].group()).strip(".,") in asked:
            continue
        dropped = []
        while words and (fold(words[0].group()).strip(".,") in asked or words[0].group() in _LINKS):
            dropped.append(words.pop(0).group())
        if not words or dropped and len(words) < 2 and not names.is_title(dropped[-1]):
            continue
        out.append((name.start + words[0].start(), name.start + words[-1].end()))
    return out


_LINKS = frozenset("of the de da di du del van von der den la le bin ibn al y".split())


# -- who is, what is (a name) ---------------------------------------------------------------------

# ", Putin's spokesman said", ", a political scientist,": a determiner or a possessive opens it,
# a reporting verb or punctuation ends it.
_APPOSITION = re.compile(r",\s+((?:(?:a|an|the)\s|[A-Z][\w-]*['\u2019]s\s)[^,.;:!?]{2,80}?)"
                         rf"(?=\s+{speakers.REPORTING_VERB.pattern}|\s*[,.;:!?]|\s*$)")
# "Tymnet was an international data network": a definition after the name.
_DEFINITION = re.compile(r"\s+(?:is|was|are|were)\s+((?:a|an|the)\s[^,.;:!?()]{2,120}?)(?=\s*[,.;:!?()]|\s*$)")
ROLE_WORDS_BEFORE = 3  # "French counterpart", "Kremlin spokesman": a short run of words


def describe(question: Question, text: str, sentence: ScoredSentence) -> list[Candidate]:
    """"Who is Peskov?": the role the sentence gives that person, in apposition ("Dmitri Peskov,
    Putin's spokesman"), as titles inside the name ("US Secretary of State John Kerry") or as
    words before it ("French counterpart Francois Hollande"); "What is IS?": the name an acronym
    stands for ("Islamic State (IS)"), or a definition ("Tymnet was an international network").
    Another person's name is no answer."""
    asked = set(question.described.split())
    out = []
    for name in names.find_names(text, sentence.start, sentence.end):
        words = [(name.start + m.start(), name.start + m.end(), m.group())
                 for m in re.finditer(r"\S+", name.text)]
        first = next((i for i, (_, _, word) in enumerate(words) if word in asked), None)
        if first is None or words[-1][2] not in asked:
            continue  # "the Frédéric Chopin Piano Competition" is not Chopin
        spelled_out = _spelled_out(text, name, sentence.start)
        if spelled_out:
            out.append(Candidate(*spelled_out, w.SPELLED_OUT))
        for pattern in (_APPOSITION, _DEFINITION):
            after = pattern.match(text, name.end, sentence.end)
            if after:
                out.append(Candidate(after.start(1), after.end(1), w.APPOSITION_OR_DEFINITION))
        titles = _titles_before(words, first)
        found = (titles[0][0], titles[-1][1]) if titles else _words_before(text, words[0][0], sentence.start)
        if found:
            out.append(Candidate(*found, w.TITLE_BEFORE))
    return out


def _spelled_out(text: str, name: names.Name, sentence_start: int) -> tuple[int, int] | None:
    """"Islamic State" before "(IS)": the name in full that an acronym in brackets follows."""
    if not name.text.isupper() or text[name.start - 1:name.start] != "(" or text[name.end:name.end + 1] != ")":
        return None
    before = names.find_names(text, sentence_start, name.start - 1)
    if before and not text[before[-1].end:name.start - 1].strip():
        return before[-1].start, before[-1].end
    return None


def _titles_before(words: list[tuple[int, int, str]], first: int) -> list[tuple[int, int, str]]:
    """The words of a name before the person's own: up to the last title ("US President"), or
    to the words after "of" ("US Secretary of State"); none where no title is among them."""
    own = first
    while own > 0 and not names.is_title(words[own - 1][2]) and (own < 2 or words[own - 2][2] != "of"):
        own -= 1
    role = words[:own]
    return role if any(names.is_title(word) for _, _, word in role) else []


def _words_before(text: str, name_start: int, sentence_start: int) -> tuple[int, int] | None:
    """The run of words right before the name that names a role: "French counterpart" in "to
    French counterpart Francois Hollande"; it must end in a role (data/titles.txt)."""
    before = list(re.finditer(r"[\w'\u2019-]+", text[sentence_start:name_start]))
    run = []
    for match in reversed(before[-ROLE_WORDS_BEFORE:]):
        word = match.group()
        next_start = sentence_start + run[-1].start() if run else name_start
        if text[sentence_start + match.end():next_start].strip() or word.lower() in stopwords() \
                or speakers.REPORTING_VERB.fullmatch(word):
            break  # a comma between, a function word or a verb ends the role
        run.append(match)
    if not run or not names.is_title(run[0].group()):
        return None
    return sentence_start + run[-1].start(), sentence_start + run[0].end()


# "why" and yes/no questions want a clause or a verdict, which no phrase gives.
FINDERS = {"how_many": _how_many, "when": _when, "where": _where, "who": _who, "what": _what,
            "other": _what, "why": beside_target, "yes_no": beside_target}


def repeats_question(question: Question, answer: str) -> bool:
    """An answer made only of the question's own words tells nothing new."""
    words = re.findall(r"[\w'-]+", fold(answer))
    asked = set(question.words)
    return bool(words) and all(w in asked for w in words)
