"""What a document is once read: its text, metadata and block structure."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["title", "byline", "heading", "paragraph", "page"]  # page: empty, where a page starts


@dataclass(frozen=True)
class Block:
    """A run of a document's text: `text[start:end]` is the block verbatim."""
    kind: BlockKind
    start: int
    end: int


@dataclass
class Document:
    name: str  # stable identifier: the file name
    text: str  # the text passages are sliced from (for HTML, the extracted main text)
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    source: str | None = None  # where it was read from
    blocks: list[Block] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) the offset falls on, for documents that have pages (PDF)."""
        starts = [b.start for b in self.blocks if b.kind == "page"]
        return sum(1 for start in starts if start <= offset) or None if starts else None

    @property
    def label(self) -> str:
        """How citations name the document."""
        return self.title or self.name


class ReadError(ValueError):
    """A source that cannot be read as a document; the message names the file."""
