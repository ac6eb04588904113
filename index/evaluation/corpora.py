"""Evaluation articles as loaded corpora (`reader`: see LoadedVersion): a SQuAD article (one passage per paragraph) or a
plain-text news article read as `index build` reads a .txt file."""
from __future__ import annotations

import time

from index.answering.loaded import LoadedVersion
from index.ingest.documents import Block, Document
from index.ingest.passages import split_passages
from index.ingest.reading import read_text
from index.settings import IndexSettings
from index.store.snapshots import Snapshot, Version


def _loaded(doc: Document, passages, settings: IndexSettings, reader) -> LoadedVersion:
    version = Version(0, doc.name, 1, time.time(), "eval", "eval", {})
    return LoadedVersion(Snapshot(version, [doc], passages), settings, reader=reader)


def squad_document(article: dict) -> Document:
    """One SQuAD article as a document whose paragraphs are its passages, numbered from 1."""
    text, blocks = "", []
    for paragraph in article["paragraphs"]:
        blocks.append(Block("paragraph", len(text), len(text) + len(paragraph["context"])))
        text += paragraph["context"] + "\n\n"
    return Document(name=article["title"], text=text, title=article["title"].replace("_", " "), blocks=blocks)


def squad_article(article: dict, settings: IndexSettings, reader=None) -> LoadedVersion:
    doc = squad_document(article)
    return _loaded(doc, split_passages(doc, max_chars=10**9), settings, reader)


def squad_corpus(data: list[dict], settings: IndexSettings) -> LoadedVersion:
    """Every article of a SQuAD file as one corpus, each paragraph a passage, in the file's order."""
    documents = [squad_document(a) for a in data]
    passages = [p for doc in documents for p in split_passages(doc, max_chars=10**9)]
    version = Version(0, "squad", 1, time.time(), "eval", "eval", {})
    return LoadedVersion(Snapshot(version, documents, passages), settings)


def text_article(name: str, text: str, settings: IndexSettings, reader=None) -> LoadedVersion:
    doc = read_text(text, name)
    return _loaded(doc, split_passages(doc, max_chars=settings.max_passage_chars), settings, reader)
