"""Followed feeds through the content manager, on both backends: an RSS and an Atom feed served on
127.0.0.1 through the fetcher (loopback allowed for the test, nothing else), entries added once
across polls, a new one at the next poll, a broken feed backing off, unfollow, and the refusals."""
from __future__ import annotations

import time

import pytest

from index.content.feeds import ENTRIES_PER_POLL, TURNED_OFF
from index.content.operations import ContentManager
from index.engine import Engine
from index.errors import ContentError
from index.ingest.documents import ReadError
from index.ingest.fetching import FetchError
from index.settings import IndexSettings
from tests.index.content.feed_site import ARTICLES, LOCAL_FETCH, RSS_TYPE, FeedSite, page, rss

LIGHTHOUSE, FERRY, LIBRARY, MARKET = ARTICLES
NOTES = "Harbour notes\n\nThe harbour office opens at nine on weekdays and at ten on Saturdays.\n"


@pytest.fixture
def site():
    s = FeedSite()
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path) -> IndexSettings:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "notes.txt").write_text(NOTES)
    return IndexSettings(_env_file=None, index_path=tmp_path / "index.sqlite3", content=[tmp_path / "content"],
                         allow_urls=True, semantic=False, reader=False)


@pytest.fixture
def manager(new_store, settings) -> ContentManager:
    m = ContentManager(new_store(), settings, fetcher=LOCAL_FETCH)
    m.reindex("default", "op")
    return m


def names(manager: ContentManager) -> list[str]:
    return [d.name for d in manager.documents("default")]


def the_feed(manager: ContentManager, corpus: str = "default"):
    [feed] = manager.feeds(corpus)
    return feed


def test_an_rss_feed_s_entries_are_added_once_and_answered_from(manager, site, settings):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE, FERRY])
    followed = manager.follow("default", "mod", url)
    assert (followed.title, followed.entries) == ("Port Elwyn Gazette", 2)
    assert names(manager) == ["notes.txt"]  # entries come at the poll, not at follow
    first = manager.poll()
    [poll] = first.polls
    assert sorted(poll.added) == ["127.0.0.1-ferry.html", "127.0.0.1-lighthouse.html"] and poll.error is None
    assert manager.store.live_version().number == 2  # both in one version
    doc = manager.store.load().document("127.0.0.1-lighthouse.html")
    assert doc.source == site.url + LIGHTHOUSE and "Port Elwyn Gazette" not in doc.text  # the page's main text
    assert manager.store.load().source("127.0.0.1-lighthouse.html").added_by == f"feed:{url}"
    answer = Engine(manager.store, "default", settings).ask("How far out to sea can the new lamp be seen?")
    assert answer.answer == "31 kilometres" and answer.passages[0].document == "The lighthouse gets a new lamp"
    assert answer.passages[0].link.startswith(site.url + LIGHTHOUSE + "#:~:text=")  # a deep link, as a page added by URL

    again = manager.poll()  # nothing new: nothing added, no new version
    assert [p.added for p in again.polls] == [()] and manager.store.live_version().number == 2
    feed = the_feed(manager)
    assert (feed.entries_added, feed.failures, feed.last_error) == (2, 0, None) and feed.last_success

    site.set_rss("/feed.xml", [LIBRARY, LIGHTHOUSE, FERRY])  # a new entry on top
    [poll] = manager.poll().polls
    assert poll.added == ("127.0.0.1-library.html",) and manager.store.live_version().number == 3
    assert the_feed(manager).entries_added == 3


def test_an_atom_feed_with_relative_links(manager, site):
    url = site.set_atom("/atom.xml", [MARKET, "/news/ferry.html#comments"])
    assert manager.follow("default", "mod", url).title == "Gazette (Atom)"
    [poll] = manager.poll().polls
    assert sorted(poll.added) == ["127.0.0.1-ferry.html", "127.0.0.1-market.html"]
    assert manager.store.load().document("127.0.0.1-ferry.html").source == site.url + FERRY  # no fragment


def test_the_same_text_under_another_link_or_feed_adds_nothing(manager, site):
    site.set("/news/ferry-copy.html", 200, *site.server.routes[FERRY][1:])  # the same page at a new address
    manager.follow("default", "mod", site.set_rss("/a.xml", [FERRY]))
    manager.poll()
    site.set_rss("/a.xml", ["/news/ferry-copy.html", FERRY])  # the link changed, the text did not
    manager.follow("default", "mod", site.set_rss("/b.xml", [FERRY]))  # and another feed has it too
    polls = manager.poll().polls
    assert [p.added for p in polls] == [(), ()] and names(manager).count("127.0.0.1-ferry.html") == 1
    assert manager.store.live_version().number == 2
    manager.remove("default", "mod", "127.0.0.1-ferry.html")  # a moderator's removal sticks
    site.set_rss("/a.xml", ["/news/ferry-copy.html?again"])
    site.set("/news/ferry-copy.html?again", 200, *site.server.routes[FERRY][1:])
    assert [p.added for p in manager.poll().polls] == [(), ()]
    assert "127.0.0.1-ferry.html" not in names(manager)


def test_entries_with_one_name_and_other_texts_get_their_own_names(manager, site):
    for path, fact in (("/a/story.html", "The bakery on Quay Street sells 400 loaves a day."),
                       ("/b/story.html", "The sailing school has eleven dinghies and two teachers.")):
        site.set(path, 200, {"Content-Type": "text/html"}, page("Story", [fact]))
    manager.follow("default", "mod", site.set_rss("/feed.xml", ["/a/story.html", "/b/story.html"]))
    [poll] = manager.poll().polls
    assert len(poll.added) == 2 and poll.added[0] == "127.0.0.1-story.html"
    assert poll.added[1].startswith("127.0.0.1-story-") and poll.added[1].endswith(".html")


def test_a_broken_feed_backs_off_doubling_and_recovers(manager, site, settings):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    manager.follow("default", "mod", url)
    site.set("/feed.xml", 500, {}, b"oops")
    now = time.time() + 60  # the follow made it due at once
    [poll] = manager.poll(now=now).polls
    first_wait = settings.feed_retry_minutes * 60
    assert poll.failed and "500" in poll.error and poll.next_poll == now + first_wait
    feed = the_feed(manager)
    assert (feed.failures, feed.next_poll, feed.last_poll) == (1, now + first_wait, now) and "500" in feed.last_error
    waiting = manager.poll(now=now + first_wait - 1)  # not due yet: not fetched
    assert (waiting.polls, waiting.waiting) == ((), 1)
    site.set("/feed.xml", 200, {"Content-Type": "text/html"}, page("Not a feed", ["Just a page."]))
    [poll] = manager.poll(now=now + first_wait).polls
    assert "not an RSS or Atom feed" in poll.error and poll.next_poll == pytest.approx(now + 3 * first_wait)
    site.set("/feed.xml", 200, RSS_TYPE, rss("Big", [site.url + LIGHTHOUSE]) + b" " * settings.fetch_max_bytes)
    [poll] = manager.poll(now=the_feed(manager).next_poll).polls
    assert "limit" in poll.error and the_feed(manager).failures == 3
    assert poll.next_poll == pytest.approx(now + 7 * first_wait)
    cap = settings.feed_retry_max_minutes * 60
    for failures in range(4, 12):  # the wait doubles up to its cap
        feed = the_feed(manager)
        [poll] = manager.poll(now=feed.next_poll).polls
        assert poll.next_poll - feed.next_poll == pytest.approx(min(first_wait * 2 ** (failures - 1), cap))
    assert names(manager) == ["notes.txt"]  # nothing added meanwhile
    site.set_rss("/feed.xml", [LIGHTHOUSE])
    [poll] = manager.poll(now=the_feed(manager).next_poll).polls
    assert poll.added == ("127.0.0.1-lighthouse.html",) and not poll.failed
    feed = the_feed(manager)
    assert (feed.failures, feed.last_error, feed.entries_added) == (0, None, 1)


def test_an_entry_that_fails_is_named_and_tried_again(manager, site):
    manager.follow("default", "mod", site.set_rss("/feed.xml", [LIGHTHOUSE, "/news/missing.html"]))
    [poll] = manager.poll().polls
    assert poll.added == ("127.0.0.1-lighthouse.html",) and not poll.failed and "404" in poll.error
    feed = the_feed(manager)
    assert feed.failures == 0 and "1 of its entries could not be read" in feed.last_error
    site.set("/news/missing.html", 200, {"Content-Type": "text/html"},
             page("Found", ["The missing page turned up with news of the harbour choir's 25 singers."]))
    [poll] = manager.poll().polls
    assert poll.added == ("127.0.0.1-missing.html",) and the_feed(manager).last_error is None


def test_entries_pointing_inside_the_network_are_refused(manager, site):
    """The fetcher's address checks hold for every entry: only the test's own server is allowed."""
    manager.follow("default", "mod", site.set_rss("/feed.xml", [LIGHTHOUSE]))
    site.server.routes["/feed.xml"] = (200, RSS_TYPE, rss("Sneaky", ["http://10.0.0.1/admin", "http://169.254.169.254/"]))
    [poll] = manager.poll().polls
    assert poll.added == () and "2 of its entries" in poll.error and "private address" in poll.error


def test_a_poll_takes_a_bounded_number_of_entries(manager, site):
    paths = []
    for i in range(ENTRIES_PER_POLL + 3):
        paths.append(f"/many/{i}.html")
        site.set(paths[-1], 200, {"Content-Type": "text/html"}, page(f"Story {i}", [f"Story {i} says {i * 7} boats."]))
    manager.follow("default", "mod", site.set_rss("/feed.xml", paths))
    assert len(manager.poll().polls[0].added) == ENTRIES_PER_POLL
    assert len(manager.poll().polls[0].added) == 3


def test_unfollow_stops_polling_and_keeps_the_documents(manager, site):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    manager.follow("default", "mod", url)
    manager.poll()
    gone = manager.unfollow("default", "mod", url)
    assert gone.entries_added == 1 and manager.feeds() == []
    site.set_rss("/feed.xml", [FERRY, LIGHTHOUSE])
    assert manager.poll().polls == ()
    assert names(manager) == ["notes.txt", "127.0.0.1-lighthouse.html"]
    with pytest.raises(ContentError, match="does not follow"):
        manager.unfollow("default", "mod", url)


def test_bad_input_is_refused_and_changes_nothing(manager, site, settings):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    site.set("/page.html", 200, {"Content-Type": "text/html"}, page("A page", ["Only a page, not a feed."]))
    for bad, message in [(site.url + "/page.html", "not an RSS or Atom feed"), (site.url + "/nothing.xml", "404"),
                         ("file:///etc/passwd", "only http"), ("not a url", "only http")]:
        with pytest.raises(ReadError, match=message):  # FetchError or FeedError
            manager.follow("default", "mod", bad)
    site.set("/pic.png", 200, {"Content-Type": "image/png"}, b"\x89PNG")
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        manager.follow("default", "mod", site.url + "/pic.png")
    assert manager.feeds() == []
    manager.follow("default", "mod", url)
    with pytest.raises(ContentError, match="follows .* already"):
        manager.follow("default", "mod", url)
    assert len(manager.feeds()) == 1
    refused = [e for e in manager.audit("default") if e["action"] == "follow" and e["result"].startswith("failed")]
    assert len(refused) == 6  # every refusal is in the audit log
    with pytest.raises(FetchError, match="loopback"):  # the real fetcher refuses the local server
        ContentManager(manager.store, settings).follow("default", "mod", site.url + "/other.xml")


def test_nothing_is_fetched_unless_urls_are_allowed(manager, site, settings):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    manager.follow("default", "mod", url)
    off = ContentManager(manager.store, settings.model_copy(update={"allow_urls": False}), fetcher=LOCAL_FETCH)
    with pytest.raises(ContentError, match="VERBATIM_ALLOW_URLS"):
        off.follow("default", "mod", site.set_rss("/other.xml", [FERRY]))
    with pytest.raises(ContentError) as refused:
        off.poll()
    assert str(refused.value) == TURNED_OFF
    assert [f.url for f in off.feeds()] == [url] and names(manager) == ["notes.txt"]
    assert off.unfollow("default", "mod", url).url == url  # a moderator can still stop one


def test_feeds_belong_to_their_corpus(manager, site):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    manager.follow("guild-1", "mod", url)
    manager.follow("default", "mod", site.set_rss("/other.xml", [FERRY]))
    assert [f.url for f in manager.feeds("guild-1")] == [url]
    assert len(manager.feeds()) == 2
    [poll] = manager.poll("guild-1").polls
    assert poll.corpus == "guild-1" and poll.added == ("127.0.0.1-lighthouse.html",)
    assert "127.0.0.1-lighthouse.html" in [d.name for d in manager.documents("guild-1")]
    assert "127.0.0.1-lighthouse.html" not in names(manager)


def test_one_round_at_a_time(manager, site):
    manager.follow("default", "mod", site.set_rss("/feed.xml", [LIGHTHOUSE]))
    lock = manager.store.lock("feed polling")  # another process polling
    assert lock.acquire(timeout=0)
    try:
        assert manager.poll().busy and names(manager) == ["notes.txt"]
    finally:
        lock.release()
    assert not manager.poll().busy
