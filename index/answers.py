"""Short answers: a verbatim span of a passage that answers the question."""
from __future__ import annotations

from dataclasses import dataclass

from .passages import Passage
from .questions import Question


@dataclass(frozen=True)
class Span:
    passage: int  # index into the passages given
    start: int  # offsets into that passage's text
    end: int


def find_answer(question: Question, passages: list[Passage], ranked: list[int]) -> Span | None:
    """The answer span, looked for in the ranked passages first; None where none is found.

    `passages` is the whole corpus in document order (for context: quotes running over several
    paragraphs, pronouns naming the last person mentioned); `ranked` holds the indices of the
    retrieved passages, best first.
    """
    return None
