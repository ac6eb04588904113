"""Capitalised names in running text: people, places, organisations, found by their shape."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.text import lexicon
from index.text.tokens import load_words, stopwords

# A capitalised word ("Putin", "Saryusz-Wolski", "G20", "O'Brien"), never its possessive "'s".
_WORD = r"(?:[A-Z][\w-]*(?:['\u2019][A-Z][\w-]*)?|[A-Z]\.)"
# Lower-case links inside one name: "Bank of England", "Charles de Gaulle", "Hizb ut-Tahrir".
_LINK = r"(?:of|of\s+the|de|da|di|du|del|della|van|von|der|den|la|le|bin|ibn|al|y|ut)"
NAME = re.compile(rf"{_WORD}(?:(?:[ \t]+{_LINK})*[ \t]+{_WORD}|[ \t]+{_LINK}-{_WORD}|-{_WORD})*")

_MONTHS = frozenset(w.lower() for w in lexicon.MONTHS + lexicon.WEEKDAYS)


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    return frozenset(w.casefold() for w in load_words("places.txt"))


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return frozenset(load_words("titles.txt"))


def find_names(text: str, start: int = 0, end: int | None = None) -> list[Name]:
    """Names in text[start:end], without the capitalised function words that open sentences."""
    out = []
    for match in NAME.finditer(text, start, len(text) if end is None else end):
        trimmed = _trim(text, match.start(), match.end())
        if trimmed:
            for s, e in _split_after_body(text, *trimmed):
                out.append(Name(s, e, text[s:e]))
    return out


# Words that end the name of a body: a person's name may follow it in one capitalised run.
_BODIES = frozenset("Union Party Parliament Council Commission Ministry Court Army Police Government "
                    "Agency Committee Assembly Congress Senate Bank Company Corporation University".split())


def _split_after_body(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "European Union Jacek Saryusz-Wolski" -> "European Union", "Jacek Saryusz-Wolski": a body
    followed by two or more capitalised words is two names ("European Union Law" stays one)."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for i, word in enumerate(words[:-2]):
        rest = words[i + 1:]
        if word.group() in _BODIES and all(w.group()[0].isupper() for w in rest):
            return [(start, start + word.end()), (start + rest[0].start(), end)]
    return [(start, end)]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading words like "The", "In", "But" and months or weekdays alone."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and _is_opener(words[0].group()):
        words.pop(0)
    while words and (re.fullmatch(_LINK, words[-1].group()) or words[-1].group().casefold() in _MONTHS):
        words.pop()
    if not words:
        return None
    s, e = start + words[0].start(), start + words[-1].end()
    if text[s:e].casefold() in _MONTHS or not text[s].isupper():
        return None
    return s, e


def _is_opener(word: str) -> bool:
    if len(word) > 1 and word.isupper():
        return False  # "US", "IS": acronyms, not the function words they spell
    return word.casefold() in stopwords() or word.casefold() in _OPENERS


# Capitalised only because they open a sentence or a quote.
_OPENERS = frozenset("however meanwhile also although though yet still even instead earlier later "
                     "last next this that these those there here according despite since after before "
                     "while when where what who why how many several some most all both each every "
                     "nearly almost about among during hundred thousand million".split()) \
    | frozenset(lexicon.UNITS[1:13] + lexicon.TENS[:4])


def is_place(name: str) -> bool:
    return name.casefold() in places() or name.split()[-1].casefold() in places() and len(name.split()) <= 2


def is_title(word: str) -> bool:
    return word in titles()


_NATIONALITY_ENDINGS = ("ian", "ean", "ican", "atic", "ish", "ese", "French", "Dutch", "Greek", "Swiss", "Thai",
                        "Arab")


def looks_like_person(text: str, name: Name) -> bool:
    """A name shaped like a person's: not a place, month, acronym or body, not a nationality before a noun."""
    words = name.text.split()
    if is_place(name.text) or name.text.casefold() in _MONTHS:
        return False
    if len(words) == 1 and (name.text.isupper() or any(ch.isdigit() for ch in name.text)):
        return False  # "IS", "EU", "G20"
    if words[-1] in _BODIES:
        return False  # "European Union"
    return not is_nationality(text, name)


def is_nationality(text: str, name: Name) -> bool:
    """ "Russian" in "Russian holidaymakers", "British" in "a British jihadist", "Democratic" in "the
    Democratic nominee": an adjective."""
    return (" " not in name.text and name.text.endswith(_NATIONALITY_ENDINGS)
            and re.match(r" [a-z]", text[name.end:name.end + 2]) is not None)
