"""A made-up news site on 127.0.0.1 for the feed tests: article pages, and an RSS or Atom feed
of some of them (tests/index/ingest/test_fetching.py's Server underneath)."""
from __future__ import annotations

from functools import partial
from html import escape

from index.ingest.fetching import fetch
from tests.index.ingest.test_fetching import HTML, Server

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_TYPE = {"Content-Type": "application/atom+xml"}

# Made-up articles: path -> (title, paragraphs); each has a fact no other text has.
ARTICLES = {
    "/news/lighthouse.html": ("The lighthouse gets a new lamp", [
        "The lighthouse on Gull Point was fitted with a new lamp on Tuesday, the harbour board said.",
        "The lamp can be seen 31 kilometres out to sea, eleven more than the old one."]),
    "/news/ferry.html": ("Winter ferry timetable", [
        "The winter ferry to Skerry Island leaves Port Elwyn at 7.15 every morning from November.",
        "Tickets cost four euros for adults and nothing for children under twelve."]),
    "/news/library.html": ("The library reopens", [
        "The town library reopened on Saturday after a roof repair that took fourteen weeks.",
        "Its new reading room has space for sixty readers and a shelf of maps of the coast."]),
    "/news/market.html": ("The fish market moves", [
        "The fish market moves to the old rope works on the quay in March, the council decided.",
        "Traders will pay a rent of 120 euros a month for each stall."]),
}

# The fetcher the tests give the content manager: fetch itself, but the local server allowed.
LOCAL_FETCH = partial(fetch, allow_loopback=True)


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{escape(title)}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{escape(title)}</h1>{body}</article><footer>Port Elwyn Gazette</footer>"
            "</body></html>").encode()


def rss(title: str, links: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{escape(link)}</link><description>A summary."
                    f"</description></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.invalid/</link><description>News</description>{items}</channel></rss>").encode()


def atom(title: str, links: list[str]) -> bytes:
    entries = "".join(f'<entry><title>Entry {i}</title><id>urn:entry:{i}</id><link href="{escape(link)}"/>'
                      f"<updated>2026-01-0{i % 9 + 1}T00:00:00Z</updated></entry>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:feed</id><updated>2026-01-01T00:00:00Z</updated>"
            f"{entries}</feed>").encode()


class FeedSite:
    """The site: every article served at its path; set_rss/set_atom put a feed of some at a path."""

    def __init__(self):
        self.server = Server()
        self.url = self.server.url
        for path, (title, paragraphs) in ARTICLES.items():
            self.server.routes[path] = (200, HTML, page(title, paragraphs))

    def set_rss(self, path: str, article_paths: list[str], title: str = "Port Elwyn Gazette") -> str:
        self.server.routes[path] = (200, RSS_TYPE, rss(title, [self.url + p for p in article_paths]))
        return self.url + path

    def set_atom(self, path: str, article_paths: list[str], title: str = "Gazette (Atom)") -> str:
        # Atom links relative to the feed: the parser reads them against the feed's address
        self.server.routes[path] = (200, ATOM_TYPE, atom(title, article_paths))
        return self.url + path

    def set(self, path: str, status: int, headers: dict, body: bytes) -> None:
        self.server.routes[path] = (status, headers, body)

    def close(self) -> None:
        self.server.close()
