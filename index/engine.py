"""The engine's one entry point: build a corpus, ask it questions, summarise it.

Front-ends (the CLI, the bot, the console) talk to an Engine and nothing below it.
"""
from __future__ import annotations

import threading
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import answers, questions, summaries
from .documents import Document, ReadError
from .passages import Passage, split_passages
from .reading import SUFFIXES, read_path
from .retrieval import Retriever
from .settings import IndexSettings
from .store import DEFAULT_CORPUS, Snapshot, Store, Version

CANDIDATES = 8  # passages the answer finder looks through


class EngineError(Exception):
    """A failure to report to the user as it is: the message says what to do."""


class QuestionError(EngineError):
    pass


class NotIndexedError(EngineError):
    pass


@dataclass
class PassageHit:
    text: str
    document: str
    section: str | None
    paragraph: int
    score: float
    answer_start: int | None = None
    answer_end: int | None = None


@dataclass
class AskResult:
    question: str
    kind: str
    answer: str | None
    refused: bool
    passages: list[PassageHit]
    version: int | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        del data["version"]
        return data


@dataclass
class BuildReport:
    version: int
    documents: int
    passages: int
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    passages_added: int = 0
    passages_removed: int = 0
    seconds: float = 0.0


@dataclass
class Stats:
    corpus: str
    version: int
    created_at: float
    documents: int
    passages: int
    sections: int


@dataclass
class _Loaded:
    """A snapshot with its retriever: swapped in whole when a new version goes live."""
    snapshot: Snapshot
    retriever: Retriever

    @property
    def passages(self) -> list[Passage]:
        return self.snapshot.passages


def check_question(text: str, limit: int) -> str:
    """The question stripped, or QuestionError saying what is wrong with it."""
    if not isinstance(text, str) or not text.strip():
        raise QuestionError("the question is empty: ask something about the content")
    text = text.strip()
    if len(text) > limit:
        raise QuestionError(f"the question is too long ({len(text)} characters; the limit is {limit})")
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n" for ch in text):
        raise QuestionError("the question holds control characters: type it as plain text")
    return text


class Engine:
    def __init__(self, store: Store, corpus: str = DEFAULT_CORPUS,
                 settings: IndexSettings | None = None):
        self.store = store
        self.corpus = corpus
        self.settings = settings or IndexSettings()
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: IndexSettings, corpus: str | None = None) -> "Engine":
        return cls(Store(settings.index_path), corpus or settings.corpus, settings)

    # -- loading ---------------------------------------------------------------------------

    def current(self) -> _Loaded | None:
        """The live version, reloaded when another build or process has published a newer one."""
        live = self.store.live_version(self.corpus)
        if live is None:
            return None
        loaded = self._loaded
        if loaded is None or loaded.snapshot.version.id != live.id:
            with self._lock:
                if self._loaded is None or self._loaded.snapshot.version.id != live.id:
                    snapshot = self.store.load(self.corpus)
                    if snapshot is None:
                        return None
                    self._loaded = self._prepare(snapshot)
            loaded = self._loaded
        return loaded

    def _prepare(self, snapshot: Snapshot) -> _Loaded:
        s = self.settings
        retriever = Retriever([p.text for p in snapshot.passages], k1=s.bm25_k1, b=s.bm25_b,
                              expansion_weight=s.expansion_weight)
        return _Loaded(snapshot, retriever)

    def _require(self) -> _Loaded:
        loaded = self.current()
        if loaded is None:
            raise NotIndexedError("nothing is indexed yet: run `python -m index build` "
                                  "(or `make run`, which builds the default content)")
        return loaded

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None) -> AskResult:
        text = check_question(question, self.settings.max_question_chars)
        loaded = self._require()
        k = k or self.settings.top_k
        analysed = questions.analyse(text)
        hits = loaded.retriever.search(text, k=max(k, CANDIDATES))
        ranked = [h.index for h in hits]
        scores = {h.index: h.score for h in hits}
        span = answers.find_answer(analysed, loaded.passages, ranked) if ranked else None
        if span is not None and span.passage in ranked:
            ranked.remove(span.passage)
            ranked.insert(0, span.passage)
        refused = not ranked or not self._supported(loaded, text, ranked[0])
        out = []
        for index in ranked[:k]:
            out.append(self._hit(loaded, index, scores.get(index, 0.0), span if not refused else None))
        answer = None
        if not refused and span is not None and span.passage == ranked[0]:
            answer = loaded.passages[span.passage].text[span.start:span.end]
        return AskResult(text, analysed.kind, answer, refused, out, loaded.snapshot.version.number)

    def _supported(self, loaded: _Loaded, question: str, best: int) -> bool:
        """Does the best passage hold enough of what the question asks about?"""
        retriever = loaded.retriever
        query = retriever.query(question)
        own = [t for t, w in query.items() if w == 1.0]
        if not own:
            return False
        present = set(retriever.terms[best])
        total = covered = 0.0
        for term in own:
            matches = [t for t in (term, *retriever.related(term)) if t in retriever.vocabulary]
            weight = max((retriever.idf(t) for t in matches), default=retriever.idf_unseen())
            total += weight
            covered += weight if any(t in present for t in matches) else 0.0
        return covered / total >= self.settings.min_evidence

    def _hit(self, loaded: _Loaded, index: int, score: float, span) -> PassageHit:
        p = loaded.passages[index]
        doc = loaded.snapshot.document(p.document)
        hit = PassageHit(p.text, doc.label if doc else p.document, p.section, p.paragraph, round(score, 4))
        if span is not None and span.passage == index:
            hit.answer_start, hit.answer_end = span.start, span.end
        return hit

    # -- content -----------------------------------------------------------------------------

    def stats(self) -> Stats:
        loaded = self._require()
        snap = loaded.snapshot
        sections = {(p.document, p.section) for p in snap.passages if p.section}
        return Stats(self.corpus, snap.version.number, snap.version.created_at,
                     len(snap.documents), len(snap.passages), len(sections))

    def sections(self) -> list[str]:
        """The headings of the content, in order, each once."""
        loaded = self.current()
        if loaded is None:
            return []
        return list(dict.fromkeys(p.section for p in loaded.passages if p.section))

    def summary(self, sentences: int | None = 3, chars: int | None = None, document: str | None = None,
                section: str | None = None, topic: str | None = None) -> summaries.Summary:
        loaded = self._require()
        try:
            return summaries.summarize(loaded.snapshot, sentences=sentences, chars=chars,
                                       document=document, section=section, topic=topic)
        except summaries.ScopeError as exc:
            raise EngineError(str(exc)) from None

    def documents(self) -> list[Document]:
        loaded = self.current()
        return list(loaded.snapshot.documents) if loaded else []

    def build(self, sources: list[Path] | None = None, author: str = "cli",
              action: str = "build") -> BuildReport:
        """Read the sources and publish them as a new version; on any error nothing changes."""
        started = time.perf_counter()
        documents = read_sources(sources if sources is not None else self.settings.content)
        return self.publish(documents, author, action, started)

    def publish(self, documents: list[Document], author: str, action: str,
                started: float | None = None) -> BuildReport:
        started = started if started is not None else time.perf_counter()
        passages = [p for d in documents for p in split_passages(d, self.settings.max_passage_chars)]
        previous = self.current()
        changes = _changes(previous.snapshot if previous else None, documents, passages)
        version = self.store.publish(self.corpus, documents, passages, author, action, changes)
        self._loaded = None  # the next question loads the new version
        return BuildReport(version.number, len(documents), len(passages), seconds=time.perf_counter() - started,
                           **changes)


def read_sources(sources: list[Path]) -> list[Document]:
    """Every supported file under the given files and folders, in a stable order."""
    files: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            files.extend(sorted(f for f in source.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in f.relative_to(source).parts)))
        elif source.is_file():
            files.append(source)
        else:
            raise ReadError(f"{source}: no such file or folder")
    if not files:
        raise ReadError(f"no documents to index in {', '.join(map(str, sources)) or '(nothing given)'}")
    documents = [read_path(f) for f in files]
    seen: dict[str, Path] = {}
    for doc, path in zip(documents, files):
        if doc.name in seen:
            raise ReadError(f"two documents are named {doc.name!r}: {seen[doc.name]} and {path}")
        seen[doc.name] = path
    return documents


def _changes(previous: Snapshot | None, documents: list[Document], passages: list[Passage]) -> dict:
    old_docs = {(d.name, d.text) for d in previous.documents} if previous else set()
    new_docs = {(d.name, d.text) for d in documents}
    old_passages = Counter((p.document, p.text) for p in previous.passages) if previous else Counter()
    new_passages = Counter((p.document, p.text) for p in passages)
    return {
        "documents_added": sorted(name for name, _ in new_docs - old_docs),
        "documents_removed": sorted(name for name, _ in old_docs - new_docs),
        "passages_added": sum((new_passages - old_passages).values()),
        "passages_removed": sum((old_passages - new_passages).values()),
    }
