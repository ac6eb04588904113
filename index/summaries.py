"""Extractive summaries: whole sentences of the content, verbatim, in the content's order.

(Placeholder: the leading sentences. The summaries issue replaces it.)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .store import Snapshot


class ScopeError(ValueError):
    """A document or section that does not exist; the message says which ones do."""


@dataclass
class SummarySentence:
    text: str
    document: str
    section: str | None
    paragraph: int


@dataclass
class Summary:
    scope: str
    sentences: list[SummarySentence] = field(default_factory=list)
    message: str | None = None  # said instead of sentences, e.g. when a topic is not covered

    def to_json(self) -> dict:
        return {"scope": self.scope, "sentences": [asdict(s) for s in self.sentences]}


def summarize(snapshot: Snapshot, sentences: int | None = 3, chars: int | None = None,
              document: str | None = None, section: str | None = None,
              topic: str | None = None) -> Summary:
    passages = snapshot.passages
    if section is not None:
        passages = [p for p in passages if p.section and p.section.casefold() == section.casefold()]
        if not passages:
            raise ScopeError(f"no section named {section!r}")
    out = []
    for p in passages:
        for start, end in p.sentences:
            out.append(SummarySentence(p.text[start:end], p.document, p.section, p.paragraph))
    return Summary(section or "all content", out[: sentences or 3])
