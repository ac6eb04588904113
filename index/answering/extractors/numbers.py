"""Quantities in running text: "128 people", "12,000 police", "48%", "more than 100 people", "$5 million"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import lexicon
from index.text.tokens import stopwords

_UNITS_WORDS = " ".join(lexicon.UNITS[1:] + lexicon.TENS)
_NUMBER_WORD = rf"(?:(?:{'|'.join(_UNITS_WORDS.split())})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|dozen|bn|m)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = r"(?:half|a\s+third|two\s+thirds|a\s+quarter|three\s+quarters|a\s+dozen|dozens|hundreds|thousands|millions)"
_APPROX = (r"(?:more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|nearly|almost|about|around|"
           r"approximately|roughly|some|over|under|just\s+over|just\s+under|an\s+estimated|as\s+many\s+as|"
           r"as\s+much\s+as|close\s+to|well\s+over|only|exactly)")
_CURRENCY = r"(?:[$\u00a3\u20ac\u00a5]|US\$|USD\s|EUR\s|GBP\s)"
_PERCENT = r"(?:\s?%|\s+per\s?cent|\s+percent|\s+percentage\s+points)"

# The amount itself: currency, digits or number words, a scale word, a percent sign; ranges too.
_AMOUNT = (rf"{_CURRENCY}?(?:{_DIGITS}|{_NUMBER_WORD}(?:\s+{_NUMBER_WORD})*|{_FRACTION})"
           rf"(?:\s*(?:-|\u2013|to)\s*{_CURRENCY}?(?:{_DIGITS}))?(?:\s+{_SCALE}\b)?{_PERCENT}?")
QUANTITY = re.compile(rf"(?<![\w.,-])(?:(?P<approx>{_APPROX})\s+)?(?P<amount>{_AMOUNT})(?![\w-]|\.\d)", re.I)
_UNIT = re.compile(r"\s+(?:(?:[A-Z][a-z]+|[a-z]+-[a-z]+)\s+)?([a-z][a-z-]*)\b")

TIME_UNITS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years "
                       "decade decades century centuries".split())
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I)


@dataclass(frozen=True)
class Quantity:
    start: int  # the amount with its approximator: "more than 100"
    end: int
    amount_start: int  # the amount alone: "100"
    amount_end: int
    percent: bool
    money: bool
    unit: str | None  # the noun counted: "people" in "more than 100 people died"
    unit_end: int | None  # where the mention ends with its unit
    next_words: tuple[str, ...]  # up to two words after the amount, lower-case ("solo", "tackles")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities in text[start:end], leaving out years, dates ("November 15") and ordinals."""
    end = len(text) if end is None else end
    out = []
    for match in QUANTITY.finditer(text, start, end):
        amount = match.group("amount")
        if _is_year_or_date(text, match.start("amount"), amount):
            continue
        approx = (match.group("approx") or "").lower()
        # "only" and "some" say nothing about the amount: the answer starts at the number.
        keep_approx = approx and approx not in _EMPTY_APPROX
        q_start = match.start("approx") if keep_approx else match.start("amount")
        unit, unit_end = _unit(text, match.end(), end)
        following = tuple(w.lower() for w in re.findall(r"[A-Za-z][\w-]*", text[match.end():end])[:2])
        out.append(Quantity(q_start, match.end(), match.start("amount"), match.end("amount"),
                            bool(re.search(_PERCENT + "$", amount, re.I)),
                            bool(re.match(_CURRENCY, amount)) or "dollar" in following[:1]
                            or "pound" in "".join(following[:1]), unit, unit_end, following))
    return out


_EMPTY_APPROX = frozenset(("only", "some", "exactly"))


def _is_year_or_date(text: str, start: int, amount: str) -> bool:
    if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", amount):
        return True  # a year; "how many" wants counts (a year is found by dates.py)
    if re.fullmatch(r"\d{1,2}", amount) and _MONTHS.search(text[max(0, start - 10):start]):
        return True  # "November 15"
    return False


def _unit(text: str, at: int, end: int) -> tuple[str | None, int | None]:
    """The counted noun right after the amount: "people" in "128 people died", if any."""
    match = _UNIT.match(text, at, end)
    if not match:
        return None, None
    word = match.group(1)
    if word in stopwords() or word.endswith("ly") or word in _NOT_UNITS:
        return None, None
    return word, match.end()


# Words that follow numbers without being what they count.
_NOT_UNITS = frozenset("and or but per percent cent times said says were was are is have has had will "
                       "would could to of in on at by for from with as than".split())
