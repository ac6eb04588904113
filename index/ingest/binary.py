"""Readers for PDF (pypdf) and Word .docx (python-docx) files into Documents.

Their text is rebuilt as plain text, one paragraph a block separated by blank lines, so the
passages are verbatim slices of that text like any other document's. A PDF's page breaks are
kept as "page" blocks (empty, at the offset where each page starts), so that citations can
give the page. Broken, encrypted and scanned-only files raise ReadError saying what to do.
"""
from __future__ import annotations

import io
import re

from index.ingest.documents import Block, Document, ReadError
from index.ingest.plaintext import BYLINE, is_heading, read_text

_SPACES = re.compile(r"[ \t\u00a0]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_ENDS = (".", "!", "?", ":", "\"", "\u201d", "\u2019", ")")
_BROKEN_WORD = re.compile(r"(\w)-\n(?=[a-z])")  # "counter-\npart" at a line end


def read_pdf(data: bytes, name: str) -> Document:
    """A PDF's text layer, page by page; lines of a paragraph joined, words broken at a line's
    end mended."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise ReadError(f"{name}: the PDF is protected by a password; save a copy without one and add that")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in pdf.pages]
        title = _meaningful((pdf.metadata.title if pdf.metadata else None) or "")
    except ReadError:
        raise
    except PdfReadError as exc:
        raise ReadError(f"{name}: not a readable PDF ({exc})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files; none may escape as a crash
        raise ReadError(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    page_paragraphs = [_paragraphs(page, number == 0, title) for number, page in enumerate(pages)]
    if not any(page_paragraphs):
        raise ReadError(f"{name}: the PDF has no text to read (scanned pages are images): "
                        "add a PDF with a text layer, or the text itself")
    return _assemble(name, page_paragraphs, title)


def _meaningful(title: str) -> str | None:
    """The file's own title, unless it is a tool's placeholder ("untitled", "(anonymous)")."""
    title = title.strip()
    return title if title and title.strip("() ").lower() not in ("anonymous", "untitled") else None


def _paragraphs(page: str, first_page: bool = False, title: str | None = None) -> list[str]:
    """The page's paragraphs; the first page's first line may be the title (the file's own
    `title`, or one that reads as a title), set directly above the text."""
    page = _BROKEN_WORD.sub(r"\1", page.replace("\r", ""))
    out = []
    for chunk in _PARAGRAPH_BREAK.split(page):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        for lines in _split_front(lines, first_page and not out, title):
            text = _SPACES.sub(" ", " ".join(lines)).strip()
            if text and not text.isdigit():  # a lone page number is no paragraph
                out.append(text)
    return out


def _split_front(lines: list[str], at_start: bool, title: str | None) -> list[list[str]]:
    """A title set directly above "By ..." is a block of its own, as in a text file; so is the
    document's first line (`at_start`) when it is the file's `title` or reads as a title: a
    heading, shorter than the line under it (a paragraph's first line is as wide as the next)."""
    for i, line in enumerate(lines[1:3], start=1):
        if BYLINE.match(line):
            return [lines[:i], lines[i:]]
    if at_start and len(lines) > 1:
        first = _SPACES.sub(" ", lines[0])
        if first == title or (is_heading(first) and len(first) < 0.8 * len(lines[1])):
            return [lines[:1], lines[1:]]
    return [lines]


def _assemble(name: str, page_paragraphs: list[list[str]], title: str | None) -> Document:
    """One text from the pages' paragraphs, read like a text file (title, byline, headings), with
    the pages' starts as blocks. The file's own title comes first, else the text's first line."""
    paragraphs: list[str] = []
    page_starts: list[int] = []
    pos = 0
    for page in page_paragraphs:
        if paragraphs and page and _runs_on(paragraphs[-1], page[0]):
            page_starts.append(pos + 1)  # the page starts inside the paragraph it carries on
            paragraphs[-1] += " " + page[0]
            pos += 1 + len(page[0])
            page = page[1:]
        else:
            page_starts.append(pos + (2 if paragraphs else 0))
        for paragraph in page:
            pos += (2 if paragraphs else 0) + len(paragraph)
            paragraphs.append(paragraph)
    doc = read_text("\n\n".join(paragraphs), name)
    doc.title = title or doc.title
    doc.blocks = sorted([*doc.blocks, *(Block("page", p, p) for p in page_starts)], key=lambda b: (b.start, b.kind != "page"))
    return doc


def _runs_on(last: str, first: str) -> bool:
    """Does a page's first paragraph carry on the previous page's last one (cut mid-sentence)?"""
    return not last.rstrip().endswith(_SENTENCE_ENDS) or first[:1].islower()


def read_docx(data: bytes, name: str) -> Document:
    """A Word document's paragraphs; its Title and Heading styles mark the title and sections."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise ReadError(f"{name}: not a readable Word document ({exc})") from None
    except Exception as exc:  # a damaged zip or XML: a clear line, not a crash
        raise ReadError(f"{name}: not a readable Word document ({type(exc).__name__}: {exc})") from None
    parts: list[str] = []
    blocks: list[Block] = []
    title = document.core_properties.title or None
    pos = 0
    for paragraph in document.paragraphs:
        text = _SPACES.sub(" ", paragraph.text).strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        kind = "title" if style == "Title" else "heading" if style.startswith("Heading") else "paragraph"
        if kind == "title":
            title = title or text
        if parts:
            pos += 2
        blocks.append(Block(kind, pos, pos + len(text)))
        parts.append(text)
        pos += len(text)
    return Document(name=name, text="\n\n".join(parts), title=title, blocks=blocks)
