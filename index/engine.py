"""The engine's one entry point: build a corpus, ask it questions, summarise it.

Front-ends (the CLI, the bot, the console) talk to an Engine and nothing below it.
"""
from __future__ import annotations

import copy
import logging
import threading
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.answering.followups import sequence, spell_out
from index.answering.loaded import AskResult, LoadedVersion, PassageHit  # noqa: F401 (part of the engine's API)
from index.answering.reader import ReaderError, load_reader
from index.answering.scoped import narrowed
from index.content import gaps as missed
from index.content.operations import ContentManager
from index.content.reports import ChangeReport
from index.errors import (
    EngineError,
    NotIndexedError,
    QuestionError,
    StoreError,
)
from index.ingest.documents import Document
from index.loading import LOADED, CacheStats
from index.retrieval.embedding import DIMENSIONS, MODEL, shared_embedder
from index.retrieval.postings import SCHEME_PAIRS, SCHEME_WORDS
from index.settings import IndexSettings
from index.store import answers as remembered
from index.store import asked
from index.store.lazy import open_version
from index.store.postings import open_postings
from index.store.vectors import open_vectors
from index.store import open_store
from index.store.snapshots import DEFAULT_CORPUS, Version
from index.store.base import Store
from index.summaries import scoped
from index.summaries import summarise as summaries


@dataclass
class Stats:
    corpus: str
    version: int
    created_at: float
    documents: int
    passages: int
    sections: int


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


def warm_up(settings: IndexSettings) -> None:
    """Load what a first question would otherwise wait for: the reader (a quarter of a second)
    and the embedding model (a tenth of one). Front-ends call it in the background as they
    start; a broken model is reported by the first question instead."""
    if settings.reader:
        try:
            load_reader(settings.reader_model)
        except ReaderError:
            pass
    if settings.semantic:
        try:
            shared_embedder()
        except EngineError:
            pass


log = logging.getLogger(__name__)

_SENTENCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # LoadedVersion -> its sentences
_SENTENCES_LOCK = threading.Lock()
MORE_PASSAGES_AT_MOST = 50  # "More passages" pages through the best fifty
GAPS_READ_AT_MOST = 2_000  # the latest missed questions that /content gaps and `gaps` group


class Engine:
    """One corpus of one store: its questions, summaries and content operations."""
    scope: tuple[str, ...] = ()  # the documents questions are answered from (within); all of them when empty

    def __init__(self, store: Store, corpus: str = DEFAULT_CORPUS,
                 settings: IndexSettings | None = None, content: ContentManager | None = None):
        self.store = store
        self.corpus = corpus
        self.settings = settings or IndexSettings()
        self.content = content or ContentManager(store, self.settings)  # changes, locked and audited
        self._live: Version | None = None  # this corpus's live version, as last read
        self._stamp: tuple | None = None  # the store's, when the live version was last read
        self._settings_key = self.settings.model_dump_json()  # loaded versions differ by settings too

    @classmethod
    def from_settings(cls, settings: IndexSettings, corpus: str | None = None) -> "Engine":
        return cls(open_store(settings), corpus or settings.corpus, settings)

    def for_corpus(self, corpus: str) -> "Engine":
        """An engine for another corpus of the same store, sharing the content operations."""
        return Engine(self.store, corpus, self.settings, self.content)

    def within(self, documents: Sequence[str] | None) -> "Engine":
        """This engine answering from these documents only (a channel's scope); itself for None.
        A name the content no longer has is left out (index/answering/scoped.py)."""
        if not documents:
            return self
        scoped = copy.copy(self)
        scoped.scope = tuple(documents)
        return scoped

    # -- loading ---------------------------------------------------------------------------

    def current(self) -> LoadedVersion | None:
        """The live version, loaded (or shared with another corpus of the same content), and
        reloaded when another build or process has published a newer one. The store is asked
        only when its file has changed since the last look."""
        stamp = self.store.stamp()  # before the look: a change after it shows at the next question
        if self._live is None or stamp != self._stamp:
            live = self.store.live_version(self.corpus)
            if live is None:
                return None
            self._live, self._stamp = live, stamp
        live = self._live
        key = (self.store.name, live.content, self._settings_key)
        return LOADED.get(key, self._load, self.settings.loaded_budget_mb, self.settings.loaded_idle_seconds)

    def _load(self) -> LoadedVersion:
        snapshot = open_version(self.store, self.corpus)  # read on demand: loading costs no more for a big corpus
        if snapshot is None:
            raise NotIndexedError(f"corpus {self.corpus} has no version")
        scheme = SCHEME_PAIRS if self.settings.bigram_weight > 0 else SCHEME_WORDS
        postings = open_postings(self.store, snapshot.version.content, scheme, snapshot.passages)
        vectors = None
        if self.settings.semantic:
            shared_embedder()  # a missing or broken model file: one line naming it
            vectors = open_vectors(self.store, snapshot.version.content, MODEL, DIMENSIONS)
        return LoadedVersion(snapshot, self.settings, kept=self.store, postings=postings, vectors=vectors)

    @staticmethod
    def loaded_stats() -> CacheStats:
        """The process's loaded versions: how many, their estimated memory, the budget."""
        return LOADED.stats()

    def version(self) -> int | None:
        """The live version's number, of this corpus (a shared loaded version may be another's)."""
        return self._live.number if self.current() is not None else None

    def _require(self) -> LoadedVersion:
        loaded = self.current()
        if loaded is None:
            given = self.corpus if self.corpus != self.settings.corpus else None
            raise NotIndexedError(f"nothing is indexed yet in corpus {self.corpus}: run "
                                  f"`{self.store.build_command(given)}`")
        return self._narrowed(loaded) if self.scope else loaded

    def _narrowed(self, loaded: LoadedVersion) -> LoadedVersion:
        """The live version cut down to the scope's documents, loaded once for each content and scope."""
        def build() -> LoadedVersion:
            found = narrowed(loaded, self.scope, self.store)
            if found is None:
                raise EngineError(f"the documents questions here are answered from ({', '.join(self.scope)}) "
                                  "are no longer in the content: a moderator can change the scope")
            return found
        key = (self.store.name, self._live.content, self._settings_key, self.scope)
        return LOADED.get(key, build, self.settings.loaded_budget_mb, self.settings.loaded_idle_seconds)

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None) -> AskResult:
        text = check_question(question, self.settings.max_question_chars)
        return self._own(self._require().ask(text, k or self.settings.top_k))

    def keep(self, result: AskResult, member: str) -> None:
        """Keep the question for the content's gaps, `member` (who asked) only as a keyed hash
        (index/store/asked.py); nothing when the settings say not. Never fails the question: a
        store that cannot write is logged."""
        if not self.settings.keep_questions:
            return
        first = result.passages[0] if result.passages else None
        closest = asked.Closest(first.document, first.section, first.paragraph) if first else None
        try:
            asked.keep(self.store, self.corpus, result.version, member, result.question,
                       asked.outcome_of(result.answer, result.refused), closest, self.settings.keep_questions_days)
        except Exception:  # noqa: BLE001 (a kept question is worth less than the answer itself)
            log.warning("question not kept for the content's gaps", exc_info=True)

    def gaps(self, limit: int = GAPS_READ_AT_MOST) -> list[missed.Gap]:
        """The refused and passages-only questions of the latest `limit`, grouped by meaning (by
        words when semantic retrieval is off), most asked first."""
        rows = asked.questions(self.store, self.corpus, asked.MISSED, limit)
        return missed.group(rows, missed.remembering(shared_embedder()) if self.settings.semantic and rows else None)

    def forget_old_questions(self) -> int:
        """Delete the kept questions older than the retention (front-ends call it as they start)."""
        try:
            return asked.sweep(self.store, self.settings.keep_questions_days)
        except StoreError as exc:  # a read-only file still answers; the next kept question tries again
            log.warning("old kept questions not deleted: %s", exc)
            return 0

    def _own(self, result: AskResult) -> AskResult:
        result.version = self._live.number  # this corpus's version, whoever loaded the content
        return result

    # -- content -----------------------------------------------------------------------------

    def stats(self) -> Stats:
        loaded = self._require()
        snap = loaded.snapshot
        return Stats(self.corpus, self._live.number, self._live.created_at,
                     len(snap.documents), len(snap.passages), len(snap.passages.sections()))

    def sections(self) -> list[str]:
        """The headings of the content (of the scope's documents, within one), in order, each once."""
        loaded = self.current()
        if loaded is None:
            return []
        pairs = loaded.passages.sections()
        if self.scope:
            try:
                kept = {d.name for d in self._narrowed(loaded).snapshot.documents}
            except EngineError:  # the scope's documents are gone: a question there says so
                return []
            pairs = [(document, section) for document, section in pairs if document in kept]
        return list(dict.fromkeys(section for _, section in pairs))

    def summary(self, sentences: int | None = 3, chars: int | None = None, document: str | None = None,
                section: str | None = None, topic: str | None = None) -> summaries.Summary:
        loaded = self._require()
        try:
            if scoped.is_large(loaded):  # an archive: only what the summary is about is read
                return summaries.summarize(scoped.narrowed(loaded, document, topic), sentences=sentences,
                                           chars=chars, document=document, section=section, topic=topic)
            return summaries.summarize(loaded.snapshot, sentences=sentences, chars=chars,
                                       every=self._summary_sentences(loaded),
                                       document=document, section=section, topic=topic)
        except summaries.ScopeError as exc:
            raise EngineError(str(exc)) from None

    def _summary_sentences(self, loaded: LoadedVersion) -> list[summaries.Sentence]:
        """The live version's sentences, read once and kept as long as its loaded version is: each
        content keeps its own, so summaries of many corpora in turn do not evict each other's."""
        with _SENTENCES_LOCK:
            sentences = _SENTENCES.get(loaded)
            if sentences is None:
                sentences = _SENTENCES[loaded] = summaries.read_sentences(loaded.snapshot)
        return sentences

    # -- feedback ----------------------------------------------------------------------------

    def remember(self, result: AskResult) -> int:
        """Keep an answer shown with feedback buttons; the id the buttons carry."""
        first = result.passages[0].text if result.passages else None
        return remembered.remember(self.store, self.corpus, result.version, result.question, result.answer,
                                 result.refused, first)

    def vote(self, answer_id: int, user_id: str, choice: str) -> remembered.Tally:
        """One member's vote on a remembered answer (a later vote replaces theirs)."""
        try:
            return remembered.vote(self.store, answer_id, user_id, choice)
        except KeyError:
            raise EngineError("that answer is no longer known here; ask again") from None

    def more(self, answer_id: int, shown: int, count: int) -> tuple[str, list[PassageHit]]:
        """The remembered answer's question, and its next `count` passages after the `shown` first
        (from the live version, which may be newer than the answer's)."""
        tally = remembered.remembered(self.store, answer_id)
        if tally is None:
            raise EngineError("that answer is no longer known here; ask again")
        result = self.ask(tally.question, k=min(shown + count, MORE_PASSAGES_AT_MOST))
        return tally.question, result.passages[shown:shown + count]

    def follow_up(self, question: str, previous: remembered.Tally) -> AskResult:
        """A follow-up question, asked as the previous question would have it spelled out."""
        text = check_question(question, self.settings.max_question_chars)
        spelled = spell_out(text, previous.question, previous.answer)
        loaded = self._require()
        step = sequence(text)
        around = loaded.neighbours(previous.passage, step) if step and previous.passage else None
        return self._own(loaded.ask(spelled, self.settings.top_k, around))

    def open_thread(self, thread_id: str, answer_id: int) -> None:
        remembered.follow_thread(self.store, thread_id, answer_id)

    def thread_answer(self, thread_id: str) -> remembered.Tally | None:
        return remembered.thread_answer(self.store, thread_id)

    def marked_wrong(self, limit: int = 20) -> list[remembered.Tally]:
        return remembered.marked_wrong(self.store, self.corpus, limit)

    def documents(self) -> list[Document]:
        """The live version's documents, names and titles only (their texts stay in the store)."""
        loaded = self.current()
        return loaded.snapshot.documents.labelled() if loaded else []

    def build(self, sources: list[Path] | None = None, author: str = "cli",
              on_progress=None, on_wait=None) -> ChangeReport:
        """Rebuild the corpus from its sources (content files and documents added by hand, see
        content/operations.py) as a new version, locked and audited; on any error nothing changes."""
        report = self.content.reindex(
            self.corpus, author, sources, on_progress=on_progress, on_wait=on_wait)
        self._live = None  # the next question reads the new version
        return report
