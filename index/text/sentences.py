"""Sentence boundaries with character offsets, by syntok (made for this, abbreviations included)."""
from __future__ import annotations

from syntok import segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`; `text[start:end]` is the sentence verbatim."""
    spans = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = [t for t in sentence if t.value]
            if tokens:
                spans.append((tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)))
    return _attach_closing_quotes(text, spans)


_CLOSERS = "\"'\u201d\u2019)]"


def _attach_closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A closing quote that syntok left at the start of the next sentence belongs to the one before."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while out and start < end and text[start] in _CLOSERS and _is_stray_closer(text, start, end):
            prev_start, _ = out[-1]
            out[-1] = (prev_start, start + 1)
            start += 1
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return out


def _is_stray_closer(text: str, start: int, end: int) -> bool:
    return end - start == 1 or text[start + 1].isspace()
