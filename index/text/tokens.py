"""Text normalisation for matching, and the tokenizer behind retrieval.

Matching works on a folded copy of the text; quoting always uses the original.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, straight quotes, collapsed white space, casefolded: the form answers are compared in."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


# A number ("12,000", "3.5", "48%") or a word with inner apostrophes or hyphens ("Putin's", "G-20").
TOKEN = re.compile(r"[^\W\d_]+-\d+|\d[\d,.]*\d%?|\d%?|\w+(?:['\u2019]\w+)*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")  # a word as written, for spelling: letters only


def word_counts(texts: Iterable[str]) -> Counter:
    """How often each word (WORD) occurs in the texts, as written."""
    return Counter(w for text in texts for w in WORD.findall(text))


def load_words(name: str) -> frozenset[str]:
    lines = resources.files("index.text").joinpath("data", name).read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#", 1)[0].strip()))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return load_words("stopwords.txt")


@lru_cache(maxsize=1)
def irregular_forms() -> dict[str, str]:
    """Irregular form -> its base ("built" -> "build", "children" -> "child"), from data/irregular.txt."""
    forms = {}
    for line in load_words("irregular.txt"):
        base, _, others = line.partition(":")
        forms.update((form, base.strip()) for form in others.split())
    return forms


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@dataclass(frozen=True)
class TokenizerOptions:
    """Each step can be switched off, so `python -m index eval --ablate` can measure it."""
    casefold: bool = True
    stem: bool = True
    stopwords: bool = True
    numbers: bool = True  # "12,000" -> "12000"; "48%" -> "48"
    acronyms: bool = True  # "US", "IS" stay distinct from the stopwords "us", "is"
    irregular: bool = True  # "went" -> "go", "built" -> "build", "children" -> "child"
    accents: bool = True  # "Temür" -> "temur", "Piñera" -> "pinera": questions are often typed without


def strip_accents(word: str) -> str:
    """The word without its combining marks; letters of other scripts stay as they are."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def normalise_number(token: str) -> str:
    return token.replace(",", "").rstrip("%").rstrip(".")


class Tokenizer:
    def __init__(self, options: TokenizerOptions = TokenizerOptions()):
        self.options = options
        self._terms: dict[str, str | None] = {}  # token -> term: stemming is the slow step

    def terms(self, text: str) -> list[str]:
        """The index terms of a text, in order."""
        return [term for _, _, term in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) for every kept token; offsets point into `text` itself."""
        opts = self.options
        stop = stopwords() if opts.stopwords else frozenset()
        stem = _stemmer().stemWord if opts.stem else None
        # NFKC and quote folding keep string length for the characters this article uses,
        # but not in general, so tokens are found in the original and folded one by one.
        out = []
        known = self._terms
        for match in TOKEN.finditer(text):
            raw = match.group()
            term = known.get(raw, "")
            if term == "":
                if len(known) > 200_000:  # bounded for a long-running bot
                    known.clear()
                term = known[raw] = self._term(raw, stop, stem)
            if term:
                out.append((match.start(), match.end(), term))
        return out

    def _term(self, raw: str, stop: frozenset[str], stem) -> str | None:
        opts = self.options
        if "-" in raw:  # "G-20" is "G20"
            raw = raw.replace("-", "")
        if raw[0].isdigit():
            return normalise_number(raw) if opts.numbers else raw
        if opts.acronyms and raw.casefold() in stop and _ACRONYM.fullmatch(raw):
            return raw  # "US", "IS": names that would otherwise vanish as stopwords
        word = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
        if opts.casefold:
            word = word.casefold()
        if opts.accents and not word.isascii():
            word = strip_accents(word)
        if word.endswith("'s"):
            word = word[:-2]
        if word.casefold() in stop:
            return None
        if opts.irregular:
            word = irregular_forms().get(word.casefold(), word)
        return stem(word) if stem else word


DEFAULT_TOKENIZER = Tokenizer()
