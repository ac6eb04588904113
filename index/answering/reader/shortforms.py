"""Short forms: the part of a longer span that has the shape the question asks for.

The reader often marks "128 people died" where "how many died?" asks for "128", or "House
Oversight Committee Chairman Jason Chaffetz" where "who?" asks for the name. The number, date or
name inside such a span is a candidate of its own, scored by the reader (Reading.score), and the
arbiter weighs it beside the longer one.
"""
from __future__ import annotations

import re

from index.answering.extractors.dates import DATE
from index.answering.extractors.names import find_names, is_title
from index.answering.extractors.numbers import QUANTITY

NAMED_KINDS = frozenset({"who", "who_said", "where"})
WORD = re.compile(r"[^\s]+")


def short_forms(kind: str, text: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of each shorter part of the shape `kind` asks for."""
    if kind == "how_many":  # "more than $413,000" and "$413,000"
        found = [span for m in QUANTITY.finditer(text) for span in (m.span(), m.span("amount"))]
    elif kind == "when":
        found = [m.span() for m in DATE.finditer(text)]
    elif kind in NAMED_KINDS:
        found = [span for n in find_names(text) if (span := _without_titles(text, n.start, n.end))]
    else:
        found = []
    return [span for span in dict.fromkeys(found) if span != (0, len(text)) and span[1] > span[0]]


def _without_titles(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A name without the titles before it: "Jason Chaffetz" of "Chairman Jason Chaffetz"."""
    for word in WORD.finditer(text, start, end):
        if not is_title(word.group().rstrip(".")):
            return word.start(), end
    return None
