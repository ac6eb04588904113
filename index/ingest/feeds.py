"""Reading an RSS or Atom feed's bytes (feedparser): its title and its entries' links.

The bytes were fetched by index/ingest/fetching.py, with its address checks and limits; the
parser only ever gets them in a stream. Given a string or bytes instead, feedparser would fetch a
URL or open a local file of that name itself, past every check.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser

from index.ingest.documents import ReadError

TITLE_CHARS = 200


class FeedError(ReadError):
    """Bytes that are not a feed we can follow; the message says why."""


@dataclass(frozen=True)
class Entry:
    link: str  # the entry's page, absolute, without a fragment
    title: str


@dataclass(frozen=True)
class Feed:
    title: str
    entries: tuple[Entry, ...]  # in the feed's order (usually newest first), each link once


def parse_feed(data: bytes, url: str) -> Feed:
    """The feed in `data` (fetched from `url`, which relative links are read against), or FeedError."""
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    # Broken XML is read as far as it goes (feedparser's loose parser); with no entry read, it is no feed.
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.get("entries")):
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo_exception") else ""
        raise FeedError(f"{url}: not an RSS or Atom feed{reason}")
    entries: dict[str, Entry] = {}
    for item in parsed.get("entries", []):
        link = _link(item, url)
        if link is not None and link not in entries:
            entries[link] = Entry(link, _clean(item.get("title")) or link)
    title = _clean(parsed.get("feed", {}).get("title")) or urlsplit(url).hostname or url
    return Feed(title, tuple(entries.values()))


def _link(item, url: str) -> str | None:
    """The entry's http(s) page: its link, else an id that is one; None when it has neither."""
    for candidate in (item.get("link"), item.get("id")):
        if candidate:
            absolute = urldefrag(urljoin(url, candidate.strip())).url
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return None


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())[:TITLE_CHARS]
