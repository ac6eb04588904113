"""Passages: one per paragraph, long paragraphs split at sentence boundaries."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from index.ingest.documents import Block, Document
from index.text.sentences import sentence_spans

MAX_PASSAGE_CHARS = 1200


@dataclass(frozen=True)
class Passage:
    document: str  # Document.name
    section: str | None  # the heading above it, if any
    paragraph: int  # 1-based paragraph number within the document
    start: int  # offsets into the document's text
    end: int
    text: str  # == document.text[start:end]
    sentences: tuple[tuple[int, int], ...]  # sentence spans, relative to `text`


def split_passages(doc: Document, max_chars: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    passages: list[Passage] = []
    section: str | None = None
    paragraph = 0
    for block in doc.blocks:
        if block.kind == "heading":
            section = doc.block_text(block).strip()
        elif block.kind == "paragraph":
            paragraph += 1
            passages.extend(_paragraph_passages(doc, block.start, block.end, section, paragraph, max_chars))
    return passages


def _paragraph_passages(doc: Document, start: int, end: int, section: str | None,
                        paragraph: int, max_chars: int) -> list[Passage]:
    text = doc.text[start:end]
    spans = sentence_spans(text) or [(0, len(text))]
    groups: list[list[tuple[int, int]]] = [[]]
    for span in spans:
        if groups[-1] and span[1] - groups[-1][0][0] > max_chars:
            groups.append([])
        groups[-1].append(span)
    out = []
    for index, group in enumerate(groups):
        # Each piece runs to where the next begins, so the pieces tile the paragraph exactly.
        piece_start = 0 if index == 0 else group[0][0]
        piece_end = len(text) if index == len(groups) - 1 else groups[index + 1][0][0]
        piece = text[piece_start:piece_end].rstrip()
        piece_end = piece_start + len(piece)
        sentences = tuple((max(0, s - piece_start), min(e, piece_end) - piece_start) for s, e in group)
        out.append(Passage(doc.name, section, paragraph, start + piece_start, start + piece_end,
                           piece, sentences))
    return out


BLOCKS_PER_BATCH = 250


def split_in_batches(doc: Document, max_chars: int, on_batch: Callable[[int], None] | None = None,
                     batch_size: int = BLOCKS_PER_BATCH) -> list[Passage]:
    """split_passages(doc), a batch of blocks at a time, calling on_batch(passages so far) between
    batches; each batch starts with the heading in force so sections and numbering come out the same."""
    if on_batch is None or len(doc.blocks) <= batch_size:
        return split_passages(doc, max_chars)
    passages: list[Passage] = []
    heading: list[Block] = []
    paragraphs_before = 0
    for start in range(0, len(doc.blocks), batch_size):
        batch = doc.blocks[start:start + batch_size]
        part = Document(doc.name, doc.text, doc.title, doc.byline, doc.date, doc.source, heading + batch)
        passages.extend(replace(p, paragraph=p.paragraph + paragraphs_before)
                        for p in split_passages(part, max_chars))
        paragraphs_before += sum(b.kind == "paragraph" for b in batch)
        heading = [b for b in batch if b.kind == "heading"][-1:] or heading
        on_batch(len(passages))
    return passages
