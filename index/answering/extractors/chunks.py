"""Phrase-like chunks of a sentence, for answers no type describes ("what did Luther write?").

With no tagger at hand, a chunk is a run of words between punctuation, function words and the
words the question already holds: "Luther wrote two catechisms as an outline" asked "What did
Luther write as an outline?" leaves "two catechisms". "of" and "and" may sit inside a chunk
("Court of Justice", "analog and numerical experiments"); an article may open one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from index.text.tokens import load_words, stopwords

# Money and numbers whole ("£26,719", "103.5", "48%"), words with inner hyphens or apostrophes,
# then any other single character (punctuation).
_TOKEN = re.compile(r"(?:[A-Z]\.)+(?=\s)|[A-Z]\.[A-Z]\.|[$\u00a3\u20ac\u00a5]?\d[\d,.]*\d%?|[$\u00a3\u20ac\u00a5]?\d%?|[^\W_][\w'\u2019-]*|[^\w\s]")
_OPENERS = frozenset("the a an".split())  # may start a chunk, never end one
_JOINERS = frozenset("of and or".split())  # may stand inside a chunk, between its words
_KEPT_PUNCTUATION = frozenset("-\u2013&")  # "Stockhausen\u2013Tolle", "AT&T"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    start: int  # offsets into the text given
    end: int
    first: int  # index of its first and last token in the sentence's tokens
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def tokens(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def chunks(words: list[Token], is_asked: Callable[[Token], bool]) -> list[Chunk]:
    """The runs of `words` that hold no punctuation, no function word and no asked word.

    A joiner ("of", "and") stays inside a run only with words on both sides; an opener ("the")
    only at its start.
    """
    out: list[Chunk] = []
    run: list[int] = []

    def close() -> None:
        while run and words[run[-1]].text.lower() in _JOINERS | _OPENERS | _KEPT_PUNCTUATION:
            run.pop()
        if run and any(words[i].text.lower() not in _OPENERS for i in run):
            out.append(Chunk(words[run[0]].start, words[run[-1]].end, run[0], run[-1]))
        run.clear()

    for i, word in enumerate(words):
        lower = word.text.lower()
        if lower in _OPENERS:
            if not (run and words[run[-1]].text.lower() in _JOINERS):  # "Bank of the West"
                close()
            run.append(i)
        elif lower in _JOINERS and run:
            run.append(i)
        elif _is_boundary(word) or is_asked(word) or run and _past_tense_after_a_word(word, words[run[-1]]):
            close()
        elif word.text in _KEPT_PUNCTUATION and not run:
            continue
        else:
            run.append(i)
    close()
    return out


def _past_tense_after_a_word(word: Token, before: Token) -> bool:
    """ "settlements crowded", "Stockholm stated": a verb after its subject, not "organized labor"."""
    text = word.text
    return (text.islower() and text.endswith("ed") and len(text) > 4
            and before.text.lower() not in _OPENERS | _JOINERS)


def _is_boundary(word: Token) -> bool:
    text = word.text
    if not (text[0].isalnum() or text[0] in "$\u00a3\u20ac\u00a5"):
        return text not in _KEPT_PUNCTUATION
    if len(text) > 1 and text.isupper():
        return False  # "US", "IS": acronyms, not the function words they spell
    return text.lower() in stopwords() or text in verbs() or _is_adverb(text)


def _is_adverb(word: str) -> bool:
    """ "usually", "also", "thus": they qualify a phrase and name nothing."""
    return word in _ADVERBS or word.islower() and word.endswith("ly") and len(word) > 4 and word not in _LY_NOUNS


_ADVERBS = frozenset("also thus then still even yet therefore hence however already often later soon "
                     "perhaps instead again almost never always sometimes usually".split())
_LY_NOUNS = frozenset("family supply assembly ally rally monopoly anomaly butterfly melancholy homily "
                      "lily bully jelly belly reply italy july early".split())


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    return frozenset(w for line in load_words("verbs.txt") for w in line.split())
