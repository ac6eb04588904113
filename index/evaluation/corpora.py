"""Evaluation articles as loaded corpora (`reader`: see LoadedVersion): a SQuAD article (one passage per paragraph) or a
plain-text news article read as `index build` reads a .txt file."""
from __future__ import annotations

import time

from index.answering.loaded import LoadedVersion
from index.ingest.documents import Block, Document
from index.ingest.passages import split_passages
from index.ingest.reading import read_text
from index.settings import IndexSettings
from index.store.sqlite import Snapshot, Version


def _loaded(doc: Document, passages, settings: IndexSettings, reader) -> LoadedVersion:
    version = Version(0, doc.name, 1, time.time(), "eval", "eval", {})
    return LoadedVersion(Snapshot(version, [doc], passages), settings, reader=reader)


def squad_article(article: dict, settings: IndexSettings, reader=None) -> LoadedVersion:
    """One SQuAD article as a corpus whose passages are its paragraphs, numbered from 1."""
    text, blocks = "", []
    for paragraph in article["paragraphs"]:
        blocks.append(Block("paragraph", len(text), len(text) + len(paragraph["context"])))
        text += paragraph["context"] + "\n\n"
    doc = Document(name=article["title"], text=text, title=article["title"].replace("_", " "), blocks=blocks)
    return _loaded(doc, split_passages(doc, max_chars=10**9), settings, reader)


def text_article(name: str, text: str, settings: IndexSettings, reader=None) -> LoadedVersion:
    doc = read_text(text, name)
    return _loaded(doc, split_passages(doc, max_chars=settings.max_passage_chars), settings, reader)
