"""What each command does, whatever front-end asked: Discord and the console call these.

Handlers return a Reply for every outcome the user should read as an answer (including a
refusal), and raise for errors: an EngineError (ContentError, ...) carries a message fit for the
user, anything else is a bug that the front-end logs.

Each Discord server has its own corpus, `guild-<id>`, created on first use as a copy of the
default content (unless VERBATIM_COPY_DEFAULT_CONTENT is off); direct messages and the console
use the configured corpus. Content changes go through the engine's content operations: locked per
corpus, versioned and audited. `on_status(line)` tells the front-end how a change is going
(progress, or that it waits for another change); it is called from a worker thread.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from index.engine import Engine, warm_up
from index.errors import NotIndexedError, StoreError
from index.settings import IndexSettings

from .compose import (
    answer_reply,
    answer_said,
    change_reply,
    clipped,
    counted,
    document_line,
    latency_text,
    quote,
    version_line,
)
from .feeds import FeedHandlers
from .gaps import GapHandlers
from .replies import Fact, Quote, Reply
from .scoping import ScopeHandlers

log = logging.getLogger(__name__)

SUMMARY_SENTENCES = (1, 10)
# A summary's character budget: one embed description (4,096) less room for citations and escaping.
SUMMARY_CHARS = 3000
HISTORY_VERSIONS = 20
FEEDBACK_SHOWN = 20  # answers marked wrong, in one reply
MORE_PASSAGES = 3  # a press of "More passages" shows this many more
LISTED_DOCUMENTS = 25  # Discord shows at most 25 fields
CHANGE_WAIT_SECONDS = 600.0  # a change waits this long for another; Discord's reply token lasts 15 min

Status = Callable[[str], None]


class UserError(Exception):
    """A request the user can correct; the message says how."""


def guild_corpus(guild_id: int) -> str:
    return f"guild-{guild_id}"


class Handlers(ScopeHandlers, FeedHandlers, GapHandlers):
    def __init__(self, index_settings: IndexSettings, engine: Engine | None = None):
        """engine, when given, serves the configured corpus (tests and benches share a loaded one)."""
        self.index_settings = index_settings
        self.engine = engine or Engine.from_settings(index_settings)
        self.content = self.engine.content
        self._engines: dict[str, Engine] = {self.engine.corpus: self.engine}

    async def warm_up(self) -> None:
        """Load the engine's models (the optional re-ranker's) in a worker thread. A failure
        is only logged here: the first question meets it again and reports it."""
        try:
            await asyncio.to_thread(warm_up, self.index_settings)
        except Exception:  # noqa: BLE001
            log.exception("could not load the re-ranker's model")
        await asyncio.to_thread(self.engine.forget_old_questions)  # the retention, at start too

    # -- which corpus ----------------------------------------------------------------------

    def corpus_for(self, guild_id: int | None) -> str:
        return guild_corpus(guild_id) if guild_id is not None else self.index_settings.corpus

    async def engine_for(self, guild_id: int | None) -> Engine:
        """The one place where the engine for a request is chosen: the server's own corpus,
        created on first use; the configured corpus for direct messages and the console."""
        corpus = self.corpus_for(guild_id)
        engine = self._engines.get(corpus)
        if engine is not None:
            return engine
        if guild_id is not None and self.index_settings.copy_default_content:
            # Copying the default content takes a moment and a lock: not on the event loop.
            # Concurrent first uses both get here; the second finds the corpus made and returns.
            await asyncio.to_thread(self.content.ensure, corpus, "system")
        return self._engines.setdefault(corpus, self.engine.for_corpus(corpus))

    # -- questions -------------------------------------------------------------------------

    async def ask(self, question: str, *, guild_id: int | None = None, channel: str | None = None,
                  remember: bool = False, asker: str | None = None) -> Reply:
        """The reply to a question asked in `channel` (its scope applies); with `remember`, the
        answer is kept for members' votes (Discord shows Helpful / Wrong buttons under it); the
        question is kept for /content gaps as asked by `asker` (bot/gaps.py; None: not kept)."""
        engine = await self.engine_for(guild_id)
        # Questions take milliseconds, but the first after a change loads the new version:
        # a worker thread keeps the gateway's heartbeat and other interactions going meanwhile.
        result = await asyncio.to_thread(self._explained, guild_id, self._asked, engine, asker,
                                         lambda: self.scoped(engine, channel).ask(question))
        answer_id = await self._remembered(engine, result) if remember else None
        return answer_reply(result, answer_id, threadable=guild_id is not None)

    async def more(self, *, answer_id: int, shown: int, guild_id: int | None = None, channel: str | None = None) -> Reply:
        """The next passages for a remembered answer's question, after the `shown` first."""
        engine = await self.engine_for(guild_id)
        question, hits = await asyncio.to_thread(lambda: self.scoped(engine, channel).more(answer_id, shown, MORE_PASSAGES))
        if not hits:
            return Reply.notice("There are no more passages for this question.")
        full = len(hits) == MORE_PASSAGES
        return Reply("passages", title=question, lead=f"Passages {shown + 1} to {shown + len(hits)} for this question:",
                     quotes=[quote(hit, None) for hit in hits], ephemeral=True, answer_id=answer_id,
                     more_after=shown + len(hits) if full else None)

    async def follow_up(self, question: str, *, thread_id: int, guild_id: int | None,
                        channel: str | None = None, asker: str | None = None) -> Reply | None:
        """The reply to a message in a follow-up thread (started in `channel`), read as a follow-up
        of the latest answer there; None when the thread is not one of ours."""
        engine = await self.engine_for(guild_id)
        previous = await asyncio.to_thread(engine.thread_answer, str(thread_id))
        if previous is None:
            return None
        result = await asyncio.to_thread(self._explained, guild_id, self._asked, engine, asker,
                                         lambda: self.scoped(engine, channel).follow_up(question, previous))
        answer_id = await self._remembered(engine, result)
        if answer_id is not None:
            await asyncio.to_thread(engine.open_thread, str(thread_id), answer_id)
        return answer_reply(result, answer_id, threadable=False)

    async def open_thread(self, *, answer_id: int, thread_id: int, guild_id: int | None) -> Reply:
        engine = await self.engine_for(guild_id)
        await asyncio.to_thread(engine.open_thread, str(thread_id), answer_id)
        return Reply.notice("Ask your follow-up questions in the thread under the answer: \"and how many were "
                            "injured?\" is read with this question in mind. Mention me there to ask.")

    async def _remembered(self, engine: Engine, result) -> int | None:
        """The answer's id for its buttons; None (no buttons) when the store cannot keep it."""
        try:
            return await asyncio.to_thread(engine.remember, result)
        except StoreError as exc:
            log.warning("answer not kept for feedback: %s", exc)
            return None

    async def vote(self, *, answer_id: int, user_id: int, choice: str, guild_id: int | None = None) -> Reply:
        engine = await self.engine_for(guild_id)
        tally = await asyncio.to_thread(engine.vote, answer_id, str(user_id), choice)
        said = "helpful" if choice == "helpful" else "wrong: the moderators will see it in /content feedback"
        return Reply.notice(f"Thanks: you marked this answer {said}. "
                            f"So far {counted(tally.helpful, 'helpful vote')}, {counted(tally.wrong, 'wrong vote')}.")

    async def feedback(self, guild_id: int | None = None) -> Reply:
        """For moderators: the answers members marked wrong, most marked first."""
        engine = await self.engine_for(guild_id)
        tallies = await asyncio.to_thread(engine.marked_wrong, FEEDBACK_SHOWN)
        if not tallies:
            return Reply("content", title="Feedback", lead="No answer has been marked wrong.")
        facts = [Fact(clipped(t.question, 200), f"{answer_said(t)} \u2014 {t.wrong} wrong, {t.helpful} helpful "
                      f"(content version {t.version})") for t in tallies]
        return Reply("content", title="Feedback", lead=f"{counted(len(tallies), 'answer')} marked wrong, most "
                     "marked first. `python -m index feedback --export` writes them all as JSONL.", facts=facts)

    async def summary(self, *, sentences: int | None = None, section: str | None = None,
                      topic: str | None = None, guild_id: int | None = None, channel: str | None = None) -> Reply:
        """The content's best sentences; in a scoped channel, its scope's documents' only."""
        low, high = SUMMARY_SENTENCES
        if sentences is not None and not low <= sentences <= high:
            raise UserError(f"sentences takes a number from {low} to {high}")
        section = section.strip() or None if section else None
        topic = topic.strip() or None if topic else None
        whole = await self.engine_for(guild_id)

        def work():
            engine = self.scoped(whole, channel)
            summary = engine.summary(sentences=sentences or 3, chars=SUMMARY_CHARS, section=section,
                                     topic=topic)
            labels = {d.name: d.label for d in engine.documents()}
            version = engine.version()
            return summary, labels, version

        summary, labels, version = await asyncio.to_thread(self._explained, guild_id, work)
        footer = f"content version {version}" if version is not None else None
        title = f"Summary: {summary.scope}"
        if summary.message:
            return Reply("summary", title=title, lead=summary.message, footer=footer)
        quotes: list[Quote] = []
        previous = None
        for s in summary.sentences:
            doc = labels.get(s.document, s.document)
            last = quotes[-1] if quotes else None
            if last and (last.document, last.section, last.paragraph) == (doc, s.section, s.paragraph):
                # One quote a paragraph; sentences left out between two are marked, not hidden.
                gap = " " if s.index == previous.index + 1 else " \u2026 "
                last.text = f"{last.text}{gap}{s.text}"
            else:
                quotes.append(Quote(s.text, doc, s.section, s.paragraph))
            previous = s
        return Reply("summary", title=title, quotes=quotes, footer=footer)

    async def sections(self, guild_id: int | None = None, channel: str | None = None) -> list[str]:
        engine = await self.engine_for(guild_id)
        return await asyncio.to_thread(lambda: self.scoped(engine, channel).sections())

    def _explained(self, guild_id: int | None, work, *args):
        """work(*args); a server whose corpus started empty is told how to fill it."""
        try:
            return work(*args)
        except NotIndexedError:
            if guild_id is None:
                raise
            raise UserError("this server has no content yet: a moderator can add a document "
                            "with /content add") from None

    # -- content changes (moderators) ------------------------------------------------------

    async def reindex(self, *, actor: str, guild_id: int | None = None, on_status: Status | None = None) -> Reply:
        """Rebuild the corpus from its sources in a worker thread; questions keep being answered
        from the old version until the new one is published."""
        corpus = await self._ready(guild_id)
        watch = _Watch(on_status, "Reindexing")
        log.info("reindex of %s started by %s", corpus, actor)
        report = await asyncio.to_thread(self.content.reindex, corpus, actor, on_progress=watch.progress,
                                         on_wait=watch.wait, wait_timeout=CHANGE_WAIT_SECONDS)
        log.info("reindex of %s by %s: %s in %.2f s", corpus, actor, report.summary(), report.seconds)
        return change_reply("Reindexed", report, watch.waited)

    async def add_upload(self, *, guild_id: int | None, actor: str, filename: str, size: int,
                         read: Callable[[], Awaitable[bytes]], on_status: Status | None = None) -> Reply:
        """A file from a front-end, refused by its name and announced size before read() fetches
        it (a refusal is audited like any failed change), then added."""
        corpus = self.corpus_for(guild_id)
        await asyncio.to_thread(self.content.check_upload, corpus, actor, filename, size)
        try:
            data = await read()
        except UserError as exc:
            await asyncio.to_thread(self.content.record_failure, corpus, actor, "add",
                                    f"file {filename!r} ({size:,} bytes)", exc)
            raise
        return await self.add_file(guild_id=guild_id, actor=actor, filename=filename, data=data,
                                   on_status=on_status)

    async def add_file(self, *, guild_id: int | None, actor: str, filename: str, data: bytes,
                       on_status: Status | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        watch = _Watch(on_status, f"Adding {filename}")
        report = await asyncio.to_thread(self.content.add_file, corpus, actor, filename, data,
                                         on_progress=watch.progress, on_wait=watch.wait,
                                         wait_timeout=CHANGE_WAIT_SECONDS)
        return change_reply(f"Added {', '.join(report.documents_added) or filename}", report, watch.waited)

    async def add_url(self, *, guild_id: int | None, actor: str, url: str, on_status: Status | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        watch = _Watch(on_status, "Adding the page")
        report = await asyncio.to_thread(self.content.add_url, corpus, actor, url, on_progress=watch.progress,
                                         on_wait=watch.wait, wait_timeout=CHANGE_WAIT_SECONDS)
        return change_reply(f"Added {', '.join(report.documents_added) or url}", report, watch.waited)

    async def remove(self, *, guild_id: int | None, actor: str, document: str,
                     on_status: Status | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        name = await asyncio.to_thread(self._document_named, corpus, document)
        watch = _Watch(on_status, "Removing")
        report = await asyncio.to_thread(self.content.remove, corpus, actor, name, on_wait=watch.wait,
                                         wait_timeout=CHANGE_WAIT_SECONDS)
        return change_reply(f"Removed {name}", report, watch.waited)

    async def rollback(self, *, guild_id: int | None, actor: str, version: int,
                       on_status: Status | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        watch = _Watch(on_status, "Rolling back")
        report = await asyncio.to_thread(self.content.rollback, corpus, actor, version, on_wait=watch.wait,
                                         wait_timeout=CHANGE_WAIT_SECONDS)
        return change_reply(f"Rolled back to version {version}", report, watch.waited)

    # -- content, read only ------------------------------------------------------------------

    async def documents(self, guild_id: int | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        entries = await asyncio.to_thread(self.content.documents, corpus)
        if not entries:
            return Reply("content", title="Documents", lead="There are no documents yet: add one with /content add.")
        facts = [Fact(e.name, document_line(e)) for e in entries[:LISTED_DOCUMENTS]]
        more = len(entries) - len(facts)
        lead = counted(len(entries), "document") + (f"; the first {len(facts)} are shown" if more else "") + "."
        return Reply("content", title="Documents", lead=lead, facts=facts)

    async def document_names(self, guild_id: int | None = None) -> list[str]:
        """The live documents' names, for autocomplete (from the loaded version: no store read)."""
        engine = await self.engine_for(guild_id)
        return [d.name for d in await asyncio.to_thread(engine.documents)]

    async def history(self, guild_id: int | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        entries = await asyncio.to_thread(self.content.history, corpus, HISTORY_VERSIONS)
        if not entries:
            return Reply("content", title="History", lead="There are no versions yet.")
        facts = [Fact(f"v{e.number}" + (" (live)" if e.live else ""), version_line(e)) for e in entries]
        return Reply("content", title="History", lead=f"{counted(len(entries), 'version')}, newest first; "
                     "/content rollback makes an older one live again.", facts=facts)

    async def _ready(self, guild_id: int | None) -> str:
        """The request's corpus, created first when it is a server's and new."""
        await self.engine_for(guild_id)
        return self.corpus_for(guild_id)

    def _document_named(self, corpus: str, name: str) -> str:
        """name as given, or the one document it begins (Discord cuts choice values at 100 characters)."""
        names = [e.name for e in self.content.documents(corpus)]
        if name in names:
            return name
        longer = [n for n in names if len(name) >= 90 and n.startswith(name)]
        return longer[0] if len(longer) == 1 else name

    async def status(self, *, latency: float | None = None, guild_id: int | None = None,
                     channel_names: dict[str, str] | None = None) -> Reply:
        engine = await self.engine_for(guild_id)
        latency_fact = Fact("Latency", latency_text(latency))
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
            Fact("Loaded", _loaded_line(engine.loaded_stats())),
            latency_fact,
            *await self.scope_facts(guild_id, channel_names),
            *await self.feed_facts(guild_id),
        ], footer=f"content version {stats.version}")


class _Watch:
    """A change's progress and waiting, as status lines for the front-end (called from the worker)."""

    def __init__(self, on_status: Status | None, doing: str):
        self.on_status, self.doing, self.waited = on_status, doing, False

    def progress(self, documents_done: int, documents_total: int, passages_done: int) -> None:
        self._tell(f"{self.doing}: {documents_done}/{documents_total} documents, {passages_done:,} passages…")

    def wait(self, _message: str) -> None:
        self.waited = True
        self._tell("Another change to this content is running; this one waits for it to finish…")

    def _tell(self, line: str) -> None:
        if self.on_status is not None:
            self.on_status(line)


def _loaded_line(cache) -> str:
    """The process's loaded versions, shared by every server on the same content."""
    return f"{counted(cache.entries, 'version')} in memory, about {cache.megabytes:g} MB of {cache.budget_megabytes} MB"
