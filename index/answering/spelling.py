"""Questions as the content writes its words: case restored and common typos mended.

Question analysis reads capitals (a capitalised word is a name, "IS" an acronym), so "how many
died?" and "HOW MANY DIED?" would ask something other than "How many died?". A question typed
all in lower or all in upper case takes each word's usual form in the content. A word that the
content never uses and that is no common English word, one or two edits from a word the
content does use or from a function word, becomes that word ("kiled" -> "killed", "wich" ->
"which"); of words as near, the one a dropped letter explains is preferred. Only the question
is changed, never the content: answers stay verbatim slices of it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from index.text.tokens import WORD, stopwords

MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours to mend safely
LONG_WORD = 8  # from this length two edits may be mended


class QuestionNormaliser:
    def __init__(self, counts: Callable[[], Counter], english: frozenset[str] = frozenset()):
        """`counts`: the content's words as written, with how often each occurs (tokens.word_counts),
        asked for at the first question."""
        self._counts = counts
        self.english = english  # common English words, never "mended"

    @cached_property
    def _usage(self) -> dict[str, tuple[int, str]]:
        """Each folded word of the content: how often it is used, and its commonest form."""
        counts = self._counts()
        usage: dict[str, tuple[int, str]] = {}
        for form, n in counts.items():
            key = form.casefold()
            total, best = usage.get(key, (0, form))
            usage[key] = (total + n, form if n > counts[best] else best)
        self._counts = Counter  # the usage is all that is kept
        return usage

    @property
    def forms(self) -> dict[str, tuple[int, str]]:
        return self._usage

    @cached_property
    def _vocabulary(self) -> list[str]:
        words = set(self.forms) | stopwords()
        return sorted(w for w in words if len(w) >= MIN_TYPO_LENGTH - 1)

    def normalise(self, question: str) -> str:
        uniform_case = question == question.lower() or question == question.upper()
        out = WORD.sub(lambda m: self._word(m.group(0), uniform_case), question)
        return out[:1].upper() + out[1:] if uniform_case else out

    def _word(self, word: str, uniform_case: bool) -> str:
        key = word.casefold()
        if key not in self.forms and key not in self.english and len(key) >= MIN_TYPO_LENGTH:
            key = self._mended(key) or key
        if not uniform_case and key == word.casefold():
            return word
        if key in self.forms and key not in stopwords():
            key = self.forms[key][1]
        return key.capitalize() if not uniform_case and word[:1].isupper() and key.islower() else key

    def _mended(self, word: str) -> str | None:
        """The content or function word closest to a word the content never uses, within the edits
        allowed."""
        limit = 2 if len(word) >= LONG_WORD else 1
        found = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not found:
            return None
        closest = min(d for _, d, _ in found)
        # Of words as near, prefer one that a dropped letter explains ("wich": "which", not
        # "with": letters left out are the commonest slip), then the content's commonest.
        return min((w for w, d, _ in found if d == closest),
                   key=lambda w: (Indel.distance(word, w), -self.forms.get(w, (0,))[0], w))
