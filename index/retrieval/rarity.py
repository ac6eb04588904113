"""How rare the content's words are in English at large, which makes a question's rarer words count more.

Inside one article, idf cannot tell a telling word from an ordinary one when each stands in one
paragraph ("gunmen", "people"); English at large can. A question term's weight is multiplied by
1 + weight * (COMMON_ZIPF - zipf) / COMMON_ZIPF, zipf being the word's frequency on wordfreq's
Zipf scale (6: once in a thousand words, 3: once in a million, 0: unknown, as most names are).
Measured on SQuAD v1.1 dev (`python -m index eval --squad --ablate`, retrieval alone): top-1 .847
without, .854 at weight 2 (1.5: .854 as well).

Loading wordfreq and its English list takes about 0.4 s, more than a cold start can spare, so the
frequencies of the content's words are kept in the store and only new words are looked up.
"""
from __future__ import annotations

from typing import Protocol

COMMON_ZIPF = 6.0  # words at least this common ("people", "said") get no boost
WORDLIST = "small"  # English words down to a frequency of one in a million; rarer ones read 0


class FrequencyStore(Protocol):
    """Where word frequencies are kept between loads (Store.word_frequencies / save_word_frequencies)."""

    def word_frequencies(self, words: list[str]) -> dict[str, float]: ...

    def save_word_frequencies(self, frequencies: dict[str, float]) -> None: ...


def zipf_frequencies(words: set[str], kept: FrequencyStore | None = None) -> dict[str, float]:
    """Each word's Zipf frequency in English: those kept from an earlier load, the rest looked up
    now (and kept)."""
    found = kept.word_frequencies(sorted(words)) if kept is not None and words else {}
    missing = words - found.keys()
    if missing:
        fresh = _look_up(missing)
        if kept is not None:
            kept.save_word_frequencies(fresh)
        found = {**found, **fresh}
    return found


def _look_up(words: set[str]) -> dict[str, float]:
    from wordfreq import zipf_frequency  # slow to import: only when a word is new

    return {word: zipf_frequency(word, "en", wordlist=WORDLIST) for word in words}


def commonest_zipf(forms: dict[str, set[str]], kept: FrequencyStore | None = None) -> dict[str, float]:
    """term -> the Zipf frequency of the most common of the words it stands for in the content
    ("kill" for "killed", "kills", "killing"); postings.zipf_weight turns it into a multiplier."""
    zipf = zipf_frequencies({word for words in forms.values() for word in words}, kept)
    return {term: max(zipf[word] for word in words) for term, words in forms.items()}
