"""Dates and times in running text: "November 15", "16 November 2015", "in 2002", "the 1990s", "on Sunday"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import lexicon

_MONTH = "(?:" + "|".join([*lexicon.MONTHS, *(rf"{a}\.?" for a in lexicon.MONTH_ABBREVIATIONS)]) + ")"
_WEEKDAY = "(?:" + "|".join(lexicon.WEEKDAYS) + ")"
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_ERA = r"(?:\s+(?:BC|AD|BCE|CE|B\.C\.|A\.D\.))"
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|" \
           r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|" \
           r"twentieth|twenty-first)"

# Longest forms first, so "November 16, 2015" wins over "November 16" and "2015".
_FORMS = [
    rf"{_WEEKDAY},?\s+{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",
    rf"{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}",
    rf"{_WEEKDAY},?\s+{_DAY}\s+{_MONTH}",
    rf"{_MONTH}\s+{_DAY}(?!\d)",
    rf"{_DAY}\s+{_MONTH}",
    rf"(?:early|mid|late)[- ]{_MONTH}(?:\s+{_YEAR})?",
    rf"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:{_MONTH}(?:\s+{_YEAR})?|{_YEAR})",
    rf"{_MONTH},?\s+{_YEAR}",
    rf"(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}",
    rf"{_YEAR}\s*(?:-|\u2013|to|and)\s*(?:{_YEAR}|\d{{2}})",
    r"(?:the\s+)?(?:early\s+|mid-|late\s+)?(?:1[0-9]|20)[0-9]0s",  # the 1990s
    rf"(?:the\s+)?(?:early\s+|mid-|late\s+)?{_ORDINAL}[- ]century{_ERA}?",
    rf"{_YEAR}{_ERA}?",
    rf"\d{{1,4}}{_ERA}",
    rf"{_WEEKDAY}(?:\s+{_DAY}(?:st|nd|rd|th))?",
    r"\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)",
    rf"(?<=\bin\s){_MONTH}",  # "in October": a month alone only after "in"
]
DATE = re.compile(r"(?<![\w-])(?:" + "|".join(_FORMS) + r")(?![\w])", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    end = len(text) if end is None else end
    out = []
    for match in DATE.finditer(text, start, end):
        found = match.group()
        # "May" alone is a verb as often as a month; a lower-case weekday or month is no date.
        if not found[0].isdigit() and not found[0].isupper() and not found.lower().startswith(
                ("the ", "early", "mid", "late", "spring", "summer", "autumn", "fall", "winter")) \
                and not re.match(_ORDINAL, found, re.I):
            continue
        out.append(DateMention(match.start(), match.end()))
    return out
