"""A follow-up question spelled out from the one before it, as a member would have asked it in
full: "and how many were injured?" after "How many people died in the Paris attacks?" asks
"how many were injured in the Paris attacks?"; "what did he say next?" after "Who spoke at the
G20?" (answered "Putin") asks "what did Putin say next?".

Four steps, each only when the follow-up needs it:
- a leading "and", "but", "so" or "also" goes;
- "what about X?" asks the previous question again with X in place of its last name's phrase;
- a person pronoun (he, she, him, her) stands for the previous answer when that was a name, else
  for the previous question's first name; "it" or "they" for the thing the previous question
  named ("the G20 summit");
- a follow-up that names nothing takes the previous question's place or topic: its last phrase
  that holds a name ("in the Paris attacks"), or else its names.
And `sequence` tells a follow-up that asks what came next (or before): the engine then reads the
passages after (or before) the previous answer's first.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.answering.questions import analyse
from index.text.tokens import load_words, stopwords

_LEADING = re.compile(r"^\s*(?:and|but|so|also|then|ok|okay)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<subject>.+?)\s*\??\s*$", re.I)
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him|her)\b", re.I)
_NEXT = re.compile(r"\b(?:next|then|after that|afterwards|afterward|later|go on|went on)\b", re.I)
_BEFORE = re.compile(r"\b(?:before that|earlier|previously|beforehand)\b", re.I)
_THING_PRONOUN = re.compile(r"\b(?:it|they|them)\b")
_THING_OF = re.compile(r"\bthe\s+[a-z]+\s+(?:between|of|with)\s+$")  # "the meeting between " before a name
_NAMES_JOINED = re.compile(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:\s+and\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)?")
_PLACE_PHRASE = re.compile(r"\b(?:in|at|on|of|off|near|to|into|from|about|for|during|after|before|over|against|with)\b\s+[^?]*?"
                           r"\b[A-Z][\w'\u2019-]*[^?]*?(?=\s*\??\s*$)")


def spell_out(follow_up: str, previous: str, previous_answer: str | None = None) -> str:
    """The follow-up as a whole question (unchanged when it already is one)."""
    text = follow_up.strip()
    about = _WHAT_ABOUT.match(text)
    asked = analyse(previous)
    if about and asked.names:
        start, end = _phrase_of(previous, asked.names[-1])
        return previous[:start] + about["subject"] + previous[end:]
    text = _LEADING.sub("", text) or text
    if _PERSON_PRONOUN.search(text):
        person = _person(previous_answer) or next(iter(asked.names), None)
        if person:
            text = _PERSON_PRONOUN.sub(person, text, count=1)
    if asked.names and not analyse(text).names and _THING_PRONOUN.search(text):
        text = _THING_PRONOUN.sub(_thing(previous, asked.names[0]), text, count=1)
    if not analyse(text).names and asked.names:
        text = f"{text.rstrip(' ?')} {_context(previous, asked.names)}?"
    return text


def sequence(follow_up: str) -> int:
    """1 for a follow-up that asks what came next ("what did he say next?"), -1 for what came
    before, 0 otherwise: the passages after or before the previous answer's are read first."""
    if _BEFORE.search(follow_up):
        return -1
    return 1 if _NEXT.search(follow_up) else 0


def _person(answer: str | None) -> str | None:
    """A previous answer that is a name (capitalised words, not a number or a long phrase)."""
    if not answer or len(answer.split()) > 4 or not answer[:1].isupper() or any(ch.isdigit() for ch in answer):
        return None
    return answer


def _context(previous: str, names: tuple[str, ...]) -> str:
    phrase = _PLACE_PHRASE.search(previous)
    return phrase.group().strip() if phrase else " ".join(names)


@lru_cache(maxsize=1)
def _joining_words() -> frozenset[str]:
    """Words that end a name's noun phrase: function words and common verbs ("Paris attacks" goes
    on, "G20 summit begin" stops)."""
    return stopwords() | load_words("verbs.txt")


def _phrase_of(previous: str, name: str) -> tuple[int, int]:
    """Where the name's noun phrase lies: "the Paris attacks", "the Bataclan concert hall"."""
    start = previous.rfind(name)
    end = start + len(name)
    while (word := re.match(r"\s+([a-z]+)", previous[end:])) and word.group(1) not in _joining_words():
        end += word.end()
    the = re.search(r"\bthe\s+$", previous[:start], re.I)
    return (the.start() if the else start), end


def _thing(previous: str, name: str) -> str:
    """The name with the noun it qualifies in the previous question: "the G20 summit"; or the
    thing that names it: "the meeting between Putin and Obama"."""
    start = previous.find(name)
    between = _THING_OF.search(previous[:start])
    if between:
        names = _NAMES_JOINED.match(previous, start)
        return previous[between.start():names.end()]
    after = re.match(r"\s+([a-z]+)", previous[start + len(name):])
    noun = after.group(1) if after and after.group(1) not in _joining_words() else None
    return f"the {name} {noun}" if noun else name
