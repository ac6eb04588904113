"""Question analysis: what kind of answer a question wants, and what it is about."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS = ("who_said", "who", "how_many", "when", "where", "what", "why", "yes_no", "other")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS
    quote: str | None = None  # the quoted words or reported clause of a who-said question
    names: tuple[str, ...] = field(default=())  # capitalised names the question mentions


_KIND_PATTERNS = [
    ("who_said", re.compile(r"^\s*who\s+(said|says|asked|told|declared|warned|stated|wrote|tweeted)\b", re.I)),
    ("how_many", re.compile(r"^\s*(how\s+(many|much)|what\s+(number|percentage|share|fraction))\b", re.I)),
    ("who", re.compile(r"^\s*(who|whom|whose)\b", re.I)),
    ("when", re.compile(r"^\s*(when|what\s+(year|date|day|month|time))\b", re.I)),
    ("where", re.compile(r"^\s*(where|in\s+(which|what)\s+(city|country|place|town))\b", re.I)),
    ("why", re.compile(r"^\s*why\b", re.I)),
    ("yes_no", re.compile(r"^\s*(is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b", re.I)),
    ("what", re.compile(r"^\s*(what|which|in\s+(which|what))\b", re.I)),
]
_QUOTED = re.compile(r"[\"\u201c\u201d']([^\"\u201c\u201d]{3,})[\"\u201c\u201d']")
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'-]+")


def analyse(text: str) -> Question:
    kind = next((k for k, pattern in _KIND_PATTERNS if pattern.search(text)), "other")
    quoted = _QUOTED.search(text)
    names = tuple(m.group() for m in _NAME.finditer(text.strip()))
    return Question(text, kind, quoted.group(1) if quoted else None, names)
