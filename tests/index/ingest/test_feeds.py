"""Reading a feed's bytes: RSS and Atom entries' links (absolute, each once, no fragment), what
is not a feed refused, and the parser never given a string or bytes it could fetch or open."""
from __future__ import annotations

import pytest

from index.ingest import feeds
from index.ingest.feeds import FeedError, parse_feed
from index.ingest.fetching import FetchError, fetch
from tests.index.content.feed_site import atom, rss
from tests.index.ingest.test_fetching import server  # noqa: F401 - the fixture


def test_rss_and_atom_entries():
    feed = parse_feed(rss("Gazette", ["https://n.example/a.html", "https://n.example/b.html#top",
                                      "https://n.example/a.html"]), "https://n.example/feed.xml")
    assert feed.title == "Gazette"
    assert [e.link for e in feed.entries] == ["https://n.example/a.html", "https://n.example/b.html"]
    assert feed.entries[0].title == "Item 0"
    feed = parse_feed(atom("Atom news", ["/x/1.html", "2.html", "mailto:someone@n.example"]), "https://n.example/f/atom")
    assert feed.title == "Atom news"
    assert [e.link for e in feed.entries] == ["https://n.example/x/1.html", "https://n.example/f/2.html"]


@pytest.mark.parametrize("data", [b"<html><body><p>A page</p></body></html>", b"plain words", b"",
                                  b"\x89PNG\r\n\x1a\n", b"<rss version='2.0'><channel><title>Cut"])
def test_what_is_not_a_feed_is_refused(data):
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(data, "https://n.example/feed")


def test_bytes_naming_a_file_are_read_as_bytes(tmp_path, monkeypatch):
    """Given bytes or a string, feedparser would open a file of that name (or fetch a URL): the
    feed always goes in a stream, so a body that names a file is only text that is not a feed."""
    local = tmp_path / "secret.xml"
    local.write_bytes(rss("Local secrets", ["https://n.example/secret.html"]))
    with pytest.raises(FeedError):
        parse_feed(str(local).encode(), "https://n.example/feed")
    seen = []
    real = feeds.feedparser.parse
    monkeypatch.setattr(feeds.feedparser, "parse", lambda source, **kw: seen.append(source) or real(source, **kw))
    parse_feed(rss("G", []), "https://n.example/feed")
    assert hasattr(seen[0], "read")


def test_the_fetcher_takes_feeds_as_they_came(server):
    latin = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title></channel></rss>'
    server.routes["/latin.xml"] = (200, {"Content-Type": "application/rss+xml; charset=iso-8859-1"}, latin.encode("latin-1"))
    fetched = fetch(server.url + "/latin.xml", allow_loopback=True, feed=True)
    assert fetched.data == latin.encode("latin-1") and fetched.kind == "feed"  # the XML says its encoding
    assert parse_feed(fetched.data, fetched.url).title == "Caf\xe9"
    server.routes["/atom"] = (200, {"Content-Type": "application/atom+xml"}, atom("A", []))
    assert fetch(server.url + "/atom", allow_loopback=True, feed=True).kind == "feed"
    with pytest.raises(FetchError, match="not a web page or text"):  # a page is not taken for a feed, nor this
        fetch(server.url + "/atom", allow_loopback=True)
    server.routes["/pic"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        fetch(server.url + "/pic", allow_loopback=True, feed=True)
    with pytest.raises(FetchError, match="loopback"):  # the same guard
        fetch(server.url + "/atom", feed=True)
