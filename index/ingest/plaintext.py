"""Plain text into a Document: a title line (maybe repeated), a byline "By ... <date>",
headings (short lines without closing punctuation) and paragraphs, between blank lines. The
PDF reader rebuilds a text and reads it the same way."""
from __future__ import annotations

import re

from index.ingest.documents import Block, Document
from index.text import lexicon

MONTHS = "|".join(lexicon.MONTHS + lexicon.MONTH_ABBREVIATIONS)
DATE = re.compile(rf"\b(?:(?:{MONTHS})\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b")
BYLINE = re.compile(r"^\s*By\s+\S")
HEADING_MAX_WORDS = 12
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")


def _chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs between blank lines, white space trimmed."""
    out, pos = [], 0
    for sep in [*_BLANK_LINES.finditer(text), None]:
        end = sep.start() if sep else len(text)
        chunk = text[pos:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            out.append((pos + lead, pos + trail))
        pos = sep.end() if sep else len(text)
    return out


def is_heading(line: str) -> bool:
    """A short line without closing punctuation, like "The world mourns for France"."""
    line = line.strip()
    words = line.split()
    return (0 < len(words) <= HEADING_MAX_WORDS and "\n" not in line
            and line[-1] not in ".!?:;,\"'\u201d\u2019)" and line[0].isupper() is not False
            and not line[0].islower())


def read_text(text: str, name: str) -> Document:
    """Plain text: a title line (maybe repeated), a byline "By ... <date>", headings, paragraphs."""
    doc = Document(name=name, text=text)
    chunks = _split_lines_of_front_matter(text, _chunks(text))
    for index, (start, end) in enumerate(chunks):
        chunk = text[start:end]
        kind = _front_kind(doc, chunk, index) or ("heading" if is_heading(chunk) else "paragraph")
        doc.blocks.append(Block(kind, start, end))
    return doc


def _split_lines_of_front_matter(text: str, chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The title and the byline may share a chunk ("Title\\nBy ..."): give each line its own block."""
    out = []
    for index, (start, end) in enumerate(chunks):
        if index < 3 and "\n" in text[start:end] and BYLINE.match(text[start:end].split("\n")[-1]):
            pos = start
            for line in text[start:end].split("\n"):
                if line.strip():
                    lead = len(line) - len(line.lstrip())
                    out.append((pos + lead, pos + len(line.rstrip())))
                pos += len(line) + 1
        else:
            out.append((start, end))
    return out


def _front_kind(doc: Document, chunk: str, index: int) -> str | None:
    """Title and byline are recognised only before the first paragraph."""
    if any(b.kind == "paragraph" for b in doc.blocks):
        return None
    if index == 0 and is_heading(chunk):
        doc.title = chunk.strip()
        return "title"
    if doc.title and chunk.strip() == doc.title:
        return "title"  # the repeated title line is metadata too, never indexed twice
    if BYLINE.match(chunk) and "\n" not in chunk:
        doc.byline = chunk.strip()
        if date := DATE.search(chunk):
            doc.date = date.group()
        return "byline"
    return None
