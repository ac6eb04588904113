"""Who said it: the speaker of quoted or reported words, from the reporting verbs around them.

Handles both orders (`"...," Obama said`, `said Obama`, `Putin said: "..."`), appositions
(`Dmitri Peskov, Putin's spokesman, said`), quotes that run over several sentences or
paragraphs, and pronouns (`he said`) resolved to the last person named outside quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.answering.extractors.names import (
    Name,
    find_names,
    is_place,
    is_title,
    looks_like_person,
)
from index.ingest.passages import Passage

_VERBS = (r"said|says|say|saying|told|tells|asked|asks|added|adds|warned|warns|declared|declares|stated|"
          r"states|wrote|writes|tweeted|tweets|noted|notes|explained|explains|insisted|insists|argued|"
          r"argues|claimed|claims|stressed|stresses|replied|replies|announced|announces|urged|urges|"
          r"suggested|suggests|commented|comments|remarked|remarks|continued|continues|concluded|"
          r"concludes|admitted|admits|acknowledged|acknowledges|believes|believed|thinks|thought|"
          r"predicted|predicts|recalled|recalls|emphasised|emphasized|cautioned|cautions|promised|promises|"
          r"vowed|vows|pledged|pledges")
REPORTING_VERB = re.compile(rf"\b(?:{_VERBS})\b")
# After these the name that follows is the listener, not the speaker: "Obama told reporters".
_LISTENER_VERBS = frozenset("told tells urged urges asked asks".split())
_PRONOUN = re.compile(r"\b(he|she|He|She)\s+(?:\w+ly\s+|also\s+|later\s+|then\s+|had\s+|has\s+)?$")
_NAME_BEFORE = re.compile(r",?\s+(?:(?:\w+ly|also|later|then|had|has|have|once)\s+)?")
_QUOTE_END = re.compile(r"[,.!?\u2026;][\"\u201d\u2019']")
_ACCORDING = re.compile(r"\baccording to\s+")
_OPEN_AFTER_COLON = re.compile(r":\s*[\"\u201c\u2018]")

_OPENING = "\u201c\""
_CLOSING = "\u201d\""


@dataclass(frozen=True)
class Attribution:
    at: int  # where the reporting verb (or the colon) stands, in the passage text
    start: int  # the speaker as written: a name or a pronoun
    end: int
    pronoun: bool


@dataclass(frozen=True)
class Speaker:
    passage: int
    start: int
    end: int


def attributions(passage: Passage) -> list[Attribution]:
    """Every speaker a reporting verb or a colon before a quote names in this passage."""
    text = passage.text
    out: list[Attribution] = []
    for s_start, s_end in passage.sentences:
        for verb in REPORTING_VERB.finditer(text, s_start, s_end):
            if _inside_quote(text, 0, verb.start()):
                continue  # "If the West declares war": words of the quote, not its speaker
            found = _speaker_before(text, s_start, verb) or _speaker_after(text, verb, s_end)
            if found:
                out.append(Attribution(verb.start(), *found))
        for colon in _OPEN_AFTER_COLON.finditer(text, s_start, s_end):
            if _inside_quote(text, 0, colon.start()):
                continue
            found = _sentence_subject(text, _clause_start(text, s_start, colon.start()), colon.start())
            if found:
                out.append(Attribution(colon.start(), *found))
        for according in _ACCORDING.finditer(text, s_start, s_end):
            names = find_names(text, according.end(), s_end)
            if names and names[0].start == according.end():
                out.append(Attribution(according.start(), names[0].start, names[0].end, False))
    return sorted(set(out), key=lambda a: a.at)


def _speaker_before(text: str, s_start: int, verb: re.Match) -> tuple[int, int, bool] | None:
    before = text[s_start:verb.start()]
    pronoun = _PRONOUN.search(before)
    if pronoun:
        return s_start + pronoun.start(1), s_start + pronoun.end(1), True
    clause = _clause_start(text, s_start, verb.start())
    names = [n for n in find_names(text, clause, verb.start()) if not is_place(n.text)]
    if not names:
        return None
    last = names[-1]
    if _NAME_BEFORE.fullmatch(text, last.end, verb.start()):
        return last.start, last.end, False
    # An apposition between the name and the verb: "Dmitri Peskov, Putin's spokesman, said".
    first = names[0]
    lead = text[clause:first.start]
    between = text[first.end:verb.start()]
    if len(lead.split()) <= 1 and between.lstrip().startswith(",") and len(between.split()) <= 15:
        return first.start, first.end, False
    return None


def _speaker_after(text: str, verb: re.Match, s_end: int) -> tuple[int, int, bool] | None:
    if verb.group() in _LISTENER_VERBS:
        return None
    names = find_names(text, verb.end(), s_end)
    if names and text[verb.end():names[0].start].strip() == "" and not is_place(names[0].text):
        return names[0].start, names[0].end, False
    pronoun = re.match(r"\s+(he|she)\b", text[verb.end():s_end])
    if pronoun:
        return verb.end() + pronoun.start(1), verb.end() + pronoun.end(1), True
    return None


def _clause_start(text: str, s_start: int, at: int) -> int:
    """Where the words leading to `at` begin: after the last closing quote, or the sentence start."""
    ends = [m.end() for m in _QUOTE_END.finditer(text, s_start, at)]
    return ends[-1] if ends else s_start


def _sentence_subject(text: str, start: int, end: int) -> tuple[int, int, bool] | None:
    """The first person named in text[start:end] ("Lavrov echoed Kerry's comments, saying:")."""
    lead = text[start:end]
    pronoun = re.match(r"\s*(he|she|He|She)\b", lead)
    if pronoun:
        return start + pronoun.start(1), start + pronoun.end(1), True
    for name in find_names(text, start, end):
        if looks_like_person(text, name) and not _inside_quote(text, start, name.start):
            return name.start, name.end, False
    return None


def _inside_quote(text: str, start: int, at: int) -> bool:
    """Is `at` inside double quotes opened after `start`?"""
    double = single = 0
    for match in _QUOTE_MARK.finditer(text, start, at):
        mark = match.group()
        if mark == "\u201c":
            double += 1
        elif mark == "\u201d":
            double = max(0, double - 1)
        elif mark == '"':
            double = 0 if double else 1
        elif mark == "\u2018":
            single += 1
        elif single:  # a closing single quote ends the single-quoted words inside
            single -= 1
        else:  # ...or, after punctuation, a double quote mistyped: `"arm us,' Katya Kruk said`
            double = max(0, double - 1)
    return double > 0


# Double quotes, and single ones that open or close (not apostrophes inside words).
_QUOTE_MARK = re.compile(r"[\u201c\u201d\"\u2018]|(?<=[,.!?])\u2019(?=\s|$)")


def find_speaker(passages: list[Passage], index: int, at: int) -> Speaker | None:
    """The speaker of the words at `at` in passages[index], or None if nothing says who spoke."""
    passage = passages[index]
    found = _nearest_attribution(passage, at)
    if found is None:
        found, index = _attribution_nearby(passages, index)
    if found is None:
        return None
    if found.pronoun:
        return resolve_pronoun(passages, index, found.start)
    return _person(passages, index, found.start, found.end)


def _nearest_attribution(passage: Passage, at: int) -> Attribution | None:
    found = attributions(passage)
    if not found:
        return None
    sentence = next(((s, e) for s, e in passage.sentences if s <= at < e), None)
    if sentence:
        same = [a for a in found if sentence[0] <= a.at < sentence[1]]
        if same:
            return min(same, key=lambda a: abs(a.at - at))
    # Words in a quote that stays open look forward to where it closes; others look back first.
    forward = sentence is not None and _opens_quote(passage.text[sentence[0]:sentence[1]])
    index = _sentence_index(passage, at)

    def distance(a: Attribution) -> tuple[int, int]:
        gap = _sentence_index(passage, a.at) - index
        preferred = gap > 0 if forward else gap < 0
        return abs(gap), 0 if preferred else 1
    return min(found, key=distance)


def _attribution_nearby(passages: list[Passage], index: int) -> tuple[Attribution | None, int]:
    """A quote running over paragraphs: its speaker named in the paragraph before or after."""
    passage = passages[index]
    starts_quoted = passage.text.lstrip()[:1] in _OPENING + "\u2018"
    before = index - 1
    if before >= 0 and passages[before].document == passage.document:
        previous = passages[before]
        if starts_quoted or _opens_quote(previous.text):
            found = attributions(previous)
            if found:
                return found[-1], before
    after = index + 1
    if after < len(passages) and passages[after].document == passage.document and _opens_quote(passage.text):
        found = attributions(passages[after])
        if found:
            return found[0], after
    return None, index


def _opens_quote(text: str) -> bool:
    """Does the text leave a double quote open at its end?"""
    curly = text.count("\u201c") - text.count("\u201d")
    return curly > 0 or (curly == 0 and text.count('"') % 2 == 1 and text.lstrip()[:1] != '"'
                         and text.rfind('"') > len(text) // 2)


def _sentence_index(passage: Passage, at: int) -> int:
    for i, (s, e) in enumerate(passage.sentences):
        if at < e:
            return i
    return len(passage.sentences)


# "the town of Brask", "talks in Vienna": a pronoun's referent is usually a subject, not these.
_AFTER_PREPOSITION = re.compile(r"\b(?:of|in|at|from|to|into|near|on)\s+(?:the\s+)?$")


def resolve_pronoun(passages: list[Passage], index: int, at: int, lookback: int = 4) -> Speaker | None:
    """The last person named outside quotes before `at`, in this passage or the few before."""
    for i in range(index, max(-1, index - lookback - 1), -1):
        passage = passages[i]
        if passage.document != passages[index].document:
            break
        end = at if i == index else len(passage.text)
        people = [n for n in find_names(passage.text, 0, end)
                  if looks_like_person(passage.text, n) and not _inside_quote(passage.text, 0, n.start)
                  and not _AFTER_PREPOSITION.search(passage.text, max(0, n.start - 8), n.start)]
        if people:
            last = people[-1]
            return _person(passages, i, last.start, last.end)
    return None


def _person(passages: list[Passage], index: int, start: int, end: int) -> Speaker:
    """The name without the titles and countries before it: "US President Barack Obama" -> "Barack Obama"."""
    text = passages[index].text
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and (is_title(words[0].group()) or is_place(words[0].group())
                              or looks_like_nationality(words[0].group())):
        words.pop(0)
    return Speaker(index, start + words[0].start(), start + words[-1].end())


def looks_like_nationality(word: str) -> bool:
    return looks_like_person(word + " x", Name(0, len(word), word)) is False and not is_place(word)
