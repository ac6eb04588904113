"""Followed feeds: a moderator follows an RSS or Atom feed, and each poll adds its new entries to
the corpus as pages added by URL are added (so their citations link into the page).

What is fetched: the feed itself, then each new entry's page (its link), both through the
content manager's fetcher, with its address checks, size limit and time limit; the page is read
as `add_url` reads one, main text only, so that the document and its deep links are the page's.
Text a feed carries inline is not used: it is often a summary, and links into the page would not
match it. Nothing is fetched unless VERBATIM_ALLOW_URLS is on.

An entry is added once: known by its link (a re-polled feed fetches nothing again) and by its
text's hash (a changed link with the same text adds nothing). The new entries of one poll of one
feed are added in one version. A feed that cannot be read (unreachable, not a feed, too large,
too slow) waits before its next try, twice as long after each failure in a row
(VERBATIM_FEED_RETRY_MINUTES, at most VERBATIM_FEED_RETRY_MAX_MINUTES); an entry whose page cannot
be read is tried again at the next poll, and the feed's last error names it.

Polling is blocking: the bot runs a round in a worker thread, `python -m index feeds poll` from
cron. One round runs at a time across processes (a named lock); another finds it held and skips.
"""
from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from index.content.building import original_hash
from index.content.validation import check_filename
from index.errors import ContentError, EngineError
from index.ingest.documents import Document, ReadError
from index.ingest.feeds import Entry, Feed, parse_feed
from index.ingest.fetching import Fetched
from index.ingest.reading import read_bytes
from index.store import feeds as kept
from index.store.base import Store
from index.store.feeds import FollowedFeed
from index.store.lazy import open_version
from index.store.snapshots import ADDED, Source, text_hash

ENTRIES_PER_POLL = 20  # new entries fetched per feed and poll; the rest wait for the next one
ERRORS_SHOWN = 300  # characters of an entry's error kept as the feed's last error
POLL_LOCK = "feed polling"
TURNED_OFF = ("following feeds is turned off here (VERBATIM_ALLOW_URLS): feeds are fetched from the "
              "internet like pages added by URL")


@dataclass(frozen=True)
class Followed:
    """What /content follow says."""
    url: str
    title: str
    entries: int  # in the feed now; added at the next poll


@dataclass(frozen=True)
class FeedPoll:
    """One feed's poll."""
    corpus: str
    url: str
    added: tuple[str, ...]  # documents added
    error: str | None  # the feed's, or its entries' (then `failed` is False)
    failed: bool  # the feed itself could not be read
    next_poll: float


@dataclass(frozen=True)
class PollRound:
    polls: tuple[FeedPoll, ...]
    waiting: int  # feeds not due yet (backing off after failures)
    busy: bool = False  # another process was polling: this round did nothing


class FeedFollowing:
    """The feed operations of ContentManager (operations.py), audited like its changes."""
    store: Store

    def follow(self, corpus: str, actor: str, url: str) -> Followed:
        """Follow the feed at `url`: fetched and read now, so that what is not a feed is refused
        and nothing kept; its entries are added at the next poll."""
        url = url.strip() if isinstance(url, str) else url
        with self._audited(corpus, actor, "follow", f"feed {url!r}") as audit:
            self._feeds_allowed()
            feed = self._read_feed(url)
            if not kept.follow(self.store, corpus, url, feed.title, actor):
                raise ContentError(f"corpus {corpus} follows {url} already; nothing was changed")
            audit.result = f"following {feed.title!r}: {len(feed.entries)} entries"
        return Followed(url, feed.title, len(feed.entries))

    def unfollow(self, corpus: str, actor: str, url: str) -> FollowedFeed:
        """Stop polling the feed (the documents it added stay); ContentError when it is not followed."""
        url = url.strip() if isinstance(url, str) else url
        with self._audited(corpus, actor, "unfollow", f"feed {url!r}") as audit:
            feed = next((f for f in kept.followed(self.store, corpus) if f.url == url), None)
            if feed is None or not kept.unfollow(self.store, corpus, url):
                urls = ", ".join(f.url for f in kept.followed(self.store, corpus)) or "none"
                raise ContentError(f"corpus {corpus} does not follow {url!r}; nothing was changed. "
                                   f"The feeds followed are: {urls}")
            audit.result = f"stopped; its {feed.entries_added} documents stay"
        return feed

    def feeds(self, corpus: str | None = None) -> list[FollowedFeed]:
        """The feeds a corpus follows (every corpus's when None), with how their polls went."""
        return kept.followed(self.store, corpus)

    def poll(self, corpus: str | None = None, now: float | None = None) -> PollRound:
        """One round: every due feed of `corpus` (of every corpus when None) read, and its new
        entries added. `now` stands for the time (tests step through back-offs with it)."""
        self._feeds_allowed()
        lock = self.store.lock(POLL_LOCK)
        if not lock.acquire(timeout=0):
            return PollRound((), 0, busy=True)
        try:
            now = time.time() if now is None else now
            followed = kept.followed(self.store, corpus)
            due = [feed for feed in followed if feed.next_poll <= now]
            return PollRound(tuple(self._poll_feed(feed, now) for feed in due), len(followed) - len(due))
        finally:
            lock.release()

    # -- one feed ------------------------------------------------------------------------------

    def _poll_feed(self, feed: FollowedFeed, now: float) -> FeedPoll:
        try:
            parsed = self._read_feed(feed.url)
        except ReadError as exc:
            return self._failed(feed, str(exc), now)
        seen = kept.seen_links(self.store, feed.corpus, feed.url, [e.link for e in parsed.entries])
        pages, errors = [], []
        for entry in [e for e in parsed.entries if e.link not in seen][:ENTRIES_PER_POLL]:
            try:
                pages.append((entry, *self._read_entry(entry)))
            except (ReadError, ContentError) as exc:
                errors.append(str(exc))
        try:
            added = self._add_entries(feed.corpus, feed.url, pages) if pages else ()
        except (EngineError, ReadError) as exc:  # the change was refused: this feed's poll failed, not the round
            return self._failed(feed, f"its entries could not be added: {exc}", now)
        error = None
        if errors:
            error = (f"{len(errors)} of its entries could not be read (tried again at the next poll); "
                     f"the first: {errors[0]}")[:ERRORS_SHOWN]
        kept.record_success(self.store, feed.corpus, feed.url, parsed.title, len(added), error, now)
        return FeedPoll(feed.corpus, feed.url, added, error, False, now)

    def _failed(self, feed: FollowedFeed, error: str, now: float) -> FeedPoll:
        retry = self.settings.feed_retry_minutes * 60, self.settings.feed_retry_max_minutes * 60
        next_poll = kept.record_failure(self.store, feed.corpus, feed.url, error, now, *retry)
        return FeedPoll(feed.corpus, feed.url, (), error, True, next_poll)

    def _read_feed(self, url: str) -> Feed:
        data = self.fetcher(url, timeout=self.settings.fetch_timeout_seconds,
                            max_bytes=self.settings.fetch_max_bytes, feed=True)
        return parse_feed(data.data, data.url)

    def _read_entry(self, entry: Entry) -> tuple[Document, Fetched]:
        """The entry's page, read as add_url reads a page."""
        page = self.fetcher(entry.link, timeout=self.settings.fetch_timeout_seconds,
                            max_bytes=self.settings.fetch_max_bytes)
        check_filename(page.name)
        return read_bytes(page.data, page.name, page.kind, source=page.url), page

    def _add_entries(self, corpus: str, feed_url: str, pages: list[tuple[Entry, Document, Fetched]]) -> tuple[str, ...]:
        """The entries' pages added in one version, but those whose text the corpus has already;
        every entry recorded as taken. The names of the documents added."""
        actor = f"feed:{feed_url}"
        with self._audited(corpus, actor, "add", f"{len(pages)} new entries of feed {feed_url!r}") as audit:
            with self._locked(corpus, audit, None, None):
                started = time.perf_counter()
                live = self._live_or_seed(corpus, actor, started)
                adding, taken, names = [], [], {}  # names: name -> text hash of those added here
                for entry, doc, page in pages:
                    sha = text_hash(doc.text)
                    known = self._known_text(corpus, live, doc, sha, names)
                    if known is None:
                        doc = dataclasses.replace(doc, name=self._free_name(live, doc.name, entry.link, names))
                        names[doc.name] = sha
                        source = Source(ADDED, page.kind, original_hash(page.data), actor, time.time())
                        adding.append((doc, self._split(doc), source, page.data))
                    taken.append((entry.link, sha, known or doc.name))
                if adding:
                    report = self._on_live(corpus, actor, "add", live, started, adding=adding)
                    audit.result = report.summary()
                else:
                    audit.result = "nothing new: the same texts are in the content"
                kept.record_entries(self.store, corpus, feed_url, taken)
        return tuple(doc.name for doc, *_ in adding)

    def _known_text(self, corpus: str, live, doc: Document, sha: str, names: dict[str, str]) -> str | None:
        """The document that already has this text: one a feed added (even if removed since), one
        in the live version, or one added in this same change."""
        found = kept.seen_text(self.store, corpus, sha)
        if found is None and live is not None:
            clash = live.documents.clashing(doc.name, sha)
            found = clash[0] if clash and clash[1] else None
        return found or next((name for name, other in names.items() if other == sha), None)

    @staticmethod
    def _free_name(live, name: str, link: str, names: dict[str, str]) -> str:
        """The page's name, or with a short hash of its link when another document has it."""
        if name not in names and (live is None or live.document(name) is None):
            return name
        path = PurePosixPath(name)
        return f"{path.stem[:100]}-{hashlib.sha256(link.encode()).hexdigest()[:8]}{path.suffix}"

    def _feeds_allowed(self) -> None:
        if not self.settings.allow_urls:
            raise ContentError(TURNED_OFF)
