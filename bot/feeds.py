"""Followed feeds in the handlers (/content follow, unfollow, feeds; /status), and the bot's poller:
a background task that runs a round of polls (index/content/feeds.py) in a worker thread every
VERBATIM_FEED_POLL_MINUTES, so that questions are answered all along. Handlers (handlers.py)
takes these methods; the client (client.py) starts the poller when URLs are allowed."""
from __future__ import annotations

import asyncio
import logging

from index.content.feeds import PollRound
from index.store.feeds import FollowedFeed

from .compose import clipped, counted, date_text
from .replies import Fact, Reply

log = logging.getLogger(__name__)

LISTED_FEEDS = 25  # Discord shows at most 25 fields
STATUS_FEEDS = 10  # feeds named in /status, failing ones first
ERROR_CHARS = 200


def entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def feed_state(feed: FollowedFeed) -> str:
    """How a feed's polls went, in one line."""
    added = entries(feed.entries_added) + " added"
    if feed.last_poll is None:
        state = "not polled yet"
    elif feed.failures:
        state = (f"failing ({counted(feed.failures, 'time')} in a row, last {date_text(feed.last_poll)}); "
                 f"next try {date_text(feed.next_poll)}")
    else:
        state = f"last polled {date_text(feed.last_poll)}"
    error = f"; error: {clipped(feed.last_error, ERROR_CHARS)}" if feed.last_error else ""
    return f"{added}; {state}{error}"


class FeedHandlers:
    """The feed side of Handlers: its content operations and corpora."""

    async def follow(self, *, guild_id: int | None, actor: str, url: str) -> Reply:
        corpus = await self._ready(guild_id)
        followed = await asyncio.to_thread(self.content.follow, corpus, actor, url)
        return Reply("content", title=f"Following {followed.title}", lead=(
            f"{followed.url} is followed: its {entries(followed.entries)} "
            "and every new one are added at the next polls, each page once. /content feeds shows how the polls "
            "go; /content unfollow stops them."))

    async def unfollow(self, *, guild_id: int | None, actor: str, url: str) -> Reply:
        corpus = await self._ready(guild_id)
        feed = await asyncio.to_thread(self.content.unfollow, corpus, actor, url)
        return Reply("content", title=f"Unfollowed {feed.title}", lead=(
            f"{feed.url} is no longer polled. The {counted(feed.entries_added, 'document')} it added stay: "
            "/content remove takes one out."))

    async def feeds(self, guild_id: int | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        feeds = await asyncio.to_thread(self.content.feeds, corpus)
        if not feeds:
            return Reply("content", title="Feeds", lead="No feed is followed: /content follow adds one.")
        facts = [Fact(clipped(f"{f.title} ({f.url})", 256), feed_state(f)) for f in feeds[:LISTED_FEEDS]]
        lead = counted(len(feeds), "feed") + " followed" + (f"; the first {len(facts)} are shown" if len(feeds) > len(facts) else "")
        if not self.index_settings.allow_urls:
            lead += ". Adding by URL is off here (VERBATIM_ALLOW_URLS): they are not polled"
        return Reply("content", title="Feeds", lead=lead + ".", facts=facts)

    async def followed_feeds(self, guild_id: int | None) -> list[FollowedFeed]:
        """For autocomplete."""
        return await asyncio.to_thread(self.content.feeds, self.corpus_for(guild_id))

    async def feed_facts(self, guild_id: int | None) -> list[Fact]:
        """For /status: the corpus's feeds, failing ones first."""
        feeds = await asyncio.to_thread(self.content.feeds, self.corpus_for(guild_id))
        if not feeds:
            return []
        feeds.sort(key=lambda f: (f.failures == 0, f.url))
        lines = [f"{f.title} ({f.url}): {feed_state(f)}" for f in feeds[:STATUS_FEEDS]]
        if len(feeds) > STATUS_FEEDS:
            lines.append(f"and {len(feeds) - STATUS_FEEDS} more: /content feeds")
        failing = sum(1 for f in feeds if f.failures)
        name = "Feeds" + (f" ({failing} failing)" if failing else "")
        return [Fact(name, "\n".join(lines))]

    async def poll_feeds(self, guild_id: int | None = None, every_corpus: bool = True) -> PollRound:
        """One round of polls in a worker thread: every corpus's feeds (the poller's), or one's."""
        corpus = None if every_corpus else await self._ready(guild_id)
        round_ = await asyncio.to_thread(self.content.poll, corpus)
        for poll in round_.polls:
            if poll.failed:
                log.warning("feed %s of %s failed: %s", poll.url, poll.corpus, poll.error)
            elif poll.added:
                log.info("feed %s of %s: added %s", poll.url, poll.corpus, ", ".join(poll.added))
        return round_

    async def poll_reply(self, guild_id: int | None = None) -> Reply:
        """/content feeds poll in the console: one round of the console's corpus, now."""
        round_ = await self.poll_feeds(guild_id, every_corpus=False)
        if round_.busy:
            return Reply.notice("Another process is polling the feeds now; nothing was done.")
        facts = [Fact(p.url, f"failed: {p.error}" if p.failed else
                      (f"added {', '.join(p.added)}" if p.added else "nothing new") + (f"; {p.error}" if p.error else ""))
                 for p in round_.polls]
        lead = f"{counted(len(round_.polls), 'feed')} polled" + (
            f", {round_.waiting} waiting after failures" if round_.waiting else "") + "."
        return Reply("content", title="Feeds polled", lead=lead, facts=facts)


class FeedPoller:
    """Polls every followed feed every `minutes`, the first round at once; a failed round is
    logged and the next one comes all the same."""

    def __init__(self, handlers, minutes: float):
        self.handlers, self.seconds = handlers, minutes * 60
        self.rounds = 0  # rounds done, for tests and logs
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="feed-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping: nothing more to say
                pass

    async def _run(self) -> None:
        while True:
            try:
                await self.handlers.poll_feeds()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the poller must outlive any one round
                log.exception("a round of feed polls failed")
            self.rounds += 1
            await asyncio.sleep(self.seconds)
