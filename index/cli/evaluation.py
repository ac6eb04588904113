"""`eval`: quality figures on question sets, SQuAD and news summaries."""
from __future__ import annotations


def register(commands) -> None:
    pass
