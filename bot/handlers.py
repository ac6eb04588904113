"""What each command does, whatever front-end asked: Discord and the console call these.

Handlers return a Reply for every outcome the user should read as an answer (including a
refusal, or "a reindex is already running"), and raise for errors: an EngineError carries a
message fit for the user, anything else is a bug that the front-end logs.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading

from index.engine import Engine, NotIndexedError
from index.settings import IndexSettings

from .replies import Fact, Quote, Reply

log = logging.getLogger(__name__)

SUMMARY_SENTENCES = (1, 10)


class UserError(Exception):
    """A request the user can correct; the message says how."""


class Handlers:
    def __init__(self, index_settings: IndexSettings, engine: Engine | None = None):
        self.index_settings = index_settings
        self._engine = engine
        self._reindexing = threading.Lock()

    # The one place where the engine for a request is chosen. Per-server corpora (issue 5)
    # change only this: e.g. Engine.from_settings(settings, corpus=f"guild-{guild_id}").
    def engine_for(self, guild_id: int | None) -> Engine:
        if self._engine is None:
            self._engine = Engine.from_settings(self.index_settings)
        return self._engine

    # -- questions -------------------------------------------------------------------------

    async def ask(self, question: str, *, guild_id: int | None = None) -> Reply:
        engine = self.engine_for(guild_id)
        # Questions take milliseconds, but the first after a reindex loads the new version:
        # a worker thread keeps the gateway's heartbeat and other interactions going meanwhile.
        result = await asyncio.to_thread(engine.ask, question)
        footer = f"content version {result.version}" if result.version is not None else None
        if result.refused:
            quotes = [_quote(hit, None) for hit in result.passages[:1]]
            return Reply("refusal", title=result.question, lead="The content does not say.",
                         quote_label="Closest passage (it does not answer the question):" if quotes else None,
                         quotes=quotes, footer=footer)
        quotes = [_quote(hit, (hit.answer_start, hit.answer_end)) for hit in result.passages]
        return Reply("answer", title=result.question, answer=result.answer or None,
                     lead=None if result.answer else "The content says:", quotes=quotes, footer=footer)

    async def summary(self, *, sentences: int | None = None, section: str | None = None,
                      topic: str | None = None, guild_id: int | None = None) -> Reply:
        low, high = SUMMARY_SENTENCES
        if sentences is not None and not low <= sentences <= high:
            raise UserError(f"sentences takes a number from {low} to {high}")
        section = section.strip() or None if section else None
        topic = topic.strip() or None if topic else None
        engine = self.engine_for(guild_id)

        def work():
            summary = engine.summary(sentences=sentences or 3, section=section, topic=topic)
            labels = {d.name: d.label for d in engine.documents()}
            version = engine.current().snapshot.version.number if engine.current() else None
            return summary, labels, version

        summary, labels, version = await asyncio.to_thread(work)
        footer = f"content version {version}" if version is not None else None
        title = f"Summary: {summary.scope}"
        if summary.message:
            return Reply("summary", title=title, lead=summary.message, footer=footer)
        quotes: list[Quote] = []
        for s in summary.sentences:
            doc = labels.get(s.document, s.document)
            last = quotes[-1] if quotes else None
            if last and (last.document, last.section, last.paragraph) == (doc, s.section, s.paragraph):
                last.text = f"{last.text} {s.text}"
            else:
                quotes.append(Quote(s.text, doc, s.section, s.paragraph))
        return Reply("summary", title=title, quotes=quotes, footer=footer)

    def sections(self, guild_id: int | None = None) -> list[str]:
        return self.engine_for(guild_id).sections()

    # -- administration --------------------------------------------------------------------

    def reindex_running(self) -> bool:
        return self._reindexing.locked()

    async def reindex(self, *, author: str, guild_id: int | None = None) -> Reply:
        """Rebuild from the configured content in a worker thread, one rebuild at a time.

        Questions keep being answered from the old version until the new one is published.
        """
        if not self._reindexing.acquire(blocking=False):
            return Reply.notice("A reindex is already running; its result will be posted when it is done.")
        def work():
            try:
                return engine.build(author=author, action="reindex")
            finally:  # released by the worker, so a cancelled waiter cannot let a second build in
                self._reindexing.release()

        try:
            engine = self.engine_for(guild_id)
        except BaseException:
            self._reindexing.release()
            raise
        log.info("reindex started by %s", author)
        report = await asyncio.to_thread(work)
        log.info("reindex by %s: version %s, %d documents, %d passages (+%d/-%d) in %.2f s", author,
                 report.version, report.documents, report.passages, report.passages_added,
                 report.passages_removed, report.seconds)
        documents = f"{report.documents}"
        changes = []
        if report.documents_added:
            changes.append("added: " + ", ".join(report.documents_added))
        if report.documents_removed:
            changes.append("removed: " + ", ".join(report.documents_removed))
        if changes:
            documents += f" ({'; '.join(changes)})"
        return Reply("reindex", title=f"Reindexed: content version {report.version}", facts=[
            Fact("Documents", documents),
            Fact("Passages", f"{report.passages} (+{report.passages_added} / -{report.passages_removed})"),
            Fact("Time", f"{report.seconds:.2f} s"),
        ], footer=f"content version {report.version}")

    async def status(self, *, latency: float | None = None, guild_id: int | None = None) -> Reply:
        engine = self.engine_for(guild_id)
        latency_fact = Fact("Latency", _latency(latency))
        try:
            stats = await asyncio.to_thread(engine.stats)
        except NotIndexedError as exc:
            return Reply("status", title="Status", lead=f"Nothing is indexed: {exc}", facts=[latency_fact])
        built = dt.datetime.fromtimestamp(stats.created_at, tz=dt.timezone.utc)
        return Reply("status", title="Status", facts=[
            Fact("Documents", stats.documents),
            Fact("Passages", stats.passages),
            Fact("Sections", stats.sections),
            Fact("Version", stats.version),
            Fact("Built", built),
            Fact("Corpus", stats.corpus),
            latency_fact,
        ], footer=f"content version {stats.version}")


def _quote(hit, mark: tuple[int | None, int | None] | None) -> Quote:
    span = None
    if mark and mark[0] is not None and mark[1] is not None and 0 <= mark[0] < mark[1] <= len(hit.text):
        span = (mark[0], mark[1])
    return Quote(hit.text, hit.document, hit.section, hit.paragraph, span)


def _latency(seconds: float | None) -> str:
    if seconds is None:
        return "n/a (console)"
    if seconds != seconds or seconds == float("inf"):
        return "not measured yet"
    return f"{seconds * 1000:.0f} ms"
