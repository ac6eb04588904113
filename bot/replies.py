"""What a handler answers, before any front-end renders it.

A Reply says what to show, not how: the Discord renderer turns it into an embed within Discord's
limits, the console renderer into plain text. Text in a Reply is as written (never escaped);
escaping is the renderer's job.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["answer", "refusal", "passages", "summary", "status", "content", "notice", "error"]


@dataclass
class Quote:
    """A passage or sentences of the content, verbatim, with where they are from."""
    text: str
    document: str
    section: str | None
    paragraph: int
    mark: tuple[int, int] | None = None  # the answer span within text
    page: int | None = None  # documents with pages (PDF)
    link: str | None = None  # a page added by URL, opened at the passage (index/answering/links.py)

    @property
    def citation(self) -> str:
        page = f"page {self.page}" if self.page else None
        return ", ".join(x for x in (self.document, page, self.section, f"paragraph {self.paragraph}") if x)


@dataclass
class Fact:
    name: str
    value: str | int | float | dt.datetime


@dataclass
class Reply:
    kind: Kind
    title: str | None = None
    lead: str | None = None            # the bot's own words, said first
    answer: str | None = None          # the short answer, verbatim from the content
    quote_label: str | None = None     # said just before the quotes (e.g. "Closest passage")
    quotes: list[Quote] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    footer: str | None = None
    ephemeral: bool = False
    answer_id: int | None = None       # a remembered answer: Discord shows feedback buttons under it
    more_after: int | None = None      # passages shown so far, when more may follow (a More button)
    threadable: bool = False           # in a server channel: "Ask more in a thread" may follow it

    @classmethod
    def notice(cls, text: str, ephemeral: bool = True) -> "Reply":
        return cls("notice", lead=text, ephemeral=ephemeral)

    @classmethod
    def error(cls, text: str) -> "Reply":
        return cls("error", lead=text, ephemeral=True)
