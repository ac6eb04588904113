"""The trained reader: short answers as spans of the best passages (see model/CARD.md).

`model` runs it (onnxruntime), `shortforms` finds the number, date or name inside a longer
span, and `arbitration` decides between the spans. index/training/ makes it (`python -m index
train-reader`, then `python -m index calibrate-reader`).
"""
from __future__ import annotations

from pathlib import Path

from index.answering.reader.arbitration import (
    ARBITER_FILE,
    SPANS_PER_PASSAGE,
    Arbiter,
    Candidate,
    arbiter_kind,
    candidate_features,
)
from index.answering.reader.model import (
    SHIPPED,
    Reader,
    ReaderError,
    ReaderSpan,
    Reading,
    english_words,
    shared_reader,
)
from index.answering.reader.shortforms import short_forms

__all__ = ["Arbiter", "Candidate", "Reader", "ReaderError", "ReaderSpan", "Reading", "SHIPPED",
           "SPANS_PER_PASSAGE", "arbiter_kind", "candidate_features", "english_words", "load_reader",
           "short_forms"]


def load_reader(folder: Path | None = None) -> tuple[Reader, Arbiter]:
    """The reader and its calibrated arbiter from a model folder (default: the shipped one);
    ReaderError naming the file when either is missing or unreadable."""
    folder = Path(folder or SHIPPED)
    reader = shared_reader(folder)
    path = folder / ARBITER_FILE
    if not path.is_file():
        raise ReaderError(f"the reader's calibration is missing: {path} "
                          "(run `python -m index calibrate-reader`)")
    try:
        return reader, Arbiter.load(path)
    except (ValueError, TypeError, OSError) as exc:
        raise ReaderError(f"the reader's calibration cannot be read: {path} ({exc})") from None
