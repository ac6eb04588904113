"""Readers: plain text, Markdown and HTML into Documents (PDF and .docx: binary.py).

Each reader finds block boundaries in the text it keeps, so every block (and every
passage cut from it) is a verbatim slice with exact offsets.
"""
from __future__ import annotations

import re
from pathlib import Path

from index.ingest.binary import read_docx, read_pdf
from index.ingest.documents import Block, Document, ReadError
from index.ingest.plaintext import BYLINE, DATE, is_heading, read_text  # noqa: F401 (read_text: readers' API)

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}

_LIST_MARKER = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+")


def read_path(path: Path) -> Document:
    """Read one file; anything unreadable raises ReadError naming the file."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReadError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                        f"use one of {', '.join(sorted(SUFFIXES))}")
    return read_bytes(read_file(path), name=path.name, kind=kind, source=str(path))


def read_file(path: Path) -> bytes:
    """A file's bytes; ReadError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def read_bytes(data: bytes, name: str, kind: str, source: str | None = None) -> Document:
    if not data.strip():
        raise ReadError(f"{name}: the file is empty")
    if kind in ("pdf", "docx"):
        doc = (read_pdf if kind == "pdf" else read_docx)(data, name)
    else:
        reader = {"text": read_text, "markdown": read_markdown, "html": read_html}[kind]
        doc = reader(decode(data, name), name)
    doc.source = source or name
    if not any(b.kind == "paragraph" for b in doc.blocks):
        raise ReadError(f"{name}: no text to index")
    return doc


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise ReadError(f"{name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{name}: not UTF-8 text (undecodable byte at {exc.start})") from exc
    if _control_ratio(text) > 0.01:
        raise ReadError(f"{name}: looks like a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, min(len(text), 8192))


def read_markdown(text: str, name: str) -> Document:
    """Markdown through markdown-it: headings and paragraphs located by their source lines."""
    from markdown_it import MarkdownIt

    doc = Document(name=name, text=text)
    line_starts = [0]
    for line in text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    tokens = MarkdownIt("commonmark").parse(text)
    for tok in tokens:
        if tok.map is None or tok.nesting != 1 or tok.type not in ("heading_open", "paragraph_open"):
            continue
        start, end = line_starts[tok.map[0]], min(line_starts[tok.map[1]] - 1, len(text))
        raw = text[start:end]
        if tok.type == "heading_open":
            # keep only the heading's words: drop the leading #'s
            marker = re.match(r"\s*#+\s*", raw)
            start += marker.end() if marker else 0
            raw = text[start:end]
            kind = "title" if tok.tag == "h1" and doc.title is None and not doc.blocks else "heading"
            if kind == "title":
                doc.title = raw.strip().rstrip("#").strip()
        else:
            kind = "paragraph"
            if tok.level > 0 and (marker := _LIST_MARKER.match(raw)):
                start += marker.end()  # a list item's words, without its bullet
                raw = text[start:end]
            if not any(b.kind == "paragraph" for b in doc.blocks) and BYLINE.match(raw):
                kind = "byline"
                doc.byline = raw.strip()
                if date := DATE.search(raw):
                    doc.date = date.group()
        stripped_end = start + len(raw.rstrip())
        lead = len(raw) - len(raw.lstrip())
        if stripped_end > start + lead:
            doc.blocks.append(Block(kind, start + lead, stripped_end))
    return doc


def read_html(html: str, name: str) -> Document:
    """HTML: the article's main text through trafilatura (no navigation, ads or comments)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, output_format="python", include_comments=False,
                                            include_tables=False, favor_precision=True,
                                            with_metadata=True)
    if extracted is None or not (extracted.text or "").strip():
        raise ReadError(f"{name}: no article text found in the HTML")
    doc = read_markdown(extracted.text, name) if _looks_like_markdown(extracted.text) else \
        _paragraphs_only(extracted.text, name)
    doc.title = extracted.title or doc.title
    doc.byline = f"By {extracted.author}" if extracted.author else doc.byline
    doc.date = extracted.date or doc.date
    return doc


def _looks_like_markdown(text: str) -> bool:
    return bool(re.search(r"^#{1,6} ", text, re.M))


def _paragraphs_only(text: str, name: str) -> Document:
    doc = Document(name=name, text=text)
    # trafilatura puts one paragraph a line: each non-empty line is a block.
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            kind = "heading" if is_heading(stripped) else "paragraph"
            doc.blocks.append(Block(kind, pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return doc
