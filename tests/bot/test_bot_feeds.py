"""Followed feeds on the Discord stand-in and in the console: a moderator's /content follow, then
the bot's poller adds the entries (a made-up site on 127.0.0.1, through the fetcher with loopback
allowed for the test) and /ask answers from one; /content feeds and /status report a failing
feed; a non-moderator is refused; with URLs off nothing is fetched and nothing polls."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest

from bot import rendering
from bot.console import run_line
from bot.errors import reply_or_error
from bot.handlers import Handlers
from index.settings import IndexSettings
from tests.index.content.feed_site import ARTICLES, LOCAL_FETCH, RSS_TYPE, FeedSite, rss

from .standin import MANAGE_GUILD, ROOT, TIMEOUT, Request
from .test_bot_cli import env_for
from .test_bot_commands import is_ephemeral
from .test_bot_rendering import unescape

LIGHTHOUSE, FERRY, LIBRARY, _ = ARTICLES
NOTES = "Harbour notes\n\nThe harbour office opens at nine on weekdays and at ten on Saturdays.\n"
POLL_MINUTES = 0.005  # a round every 0.3 s: the test waits for what a round does, never for a time


@pytest.fixture
def site():
    s = FeedSite()
    yield s
    s.close()


@pytest.fixture
def harbour(tmp_path) -> IndexSettings:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "notes.txt").write_text(NOTES)
    settings = IndexSettings(_env_file=None, content=[tmp_path / "content"], index_path=tmp_path / "feeds.sqlite3",
                             allow_urls=True, semantic=False)
    Handlers(settings).engine.build(author="tests")
    return settings


def handlers_for(settings: IndexSettings) -> Handlers:
    handlers = Handlers(settings)
    handlers.content.fetcher = LOCAL_FETCH  # the site is on 127.0.0.1
    return handlers


async def reply_to(standin, name: str, options: dict | None = None, **kwargs) -> Request:
    """The reply that says something (after "thinking…", if it came)."""
    interaction = await standin.interaction(name, options or {}, **kwargs)
    await standin.wait_for(lambda r: any(x.payload.get("embeds") or x.payload.get("content")
                                         for x in standin.responses_to(interaction)), what=f"the reply to /{name}")
    return next(x for x in standin.responses_to(interaction) if x.payload.get("embeds") or x.payload.get("content"))


async def until(check, what: str):
    """Wait for `check()` (run in a thread: it reads the store) to be true."""
    for _ in range(int(TIMEOUT / 0.1)):
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def fields_of(reply: Request) -> dict[str, str]:
    return {unescape(f["name"]): unescape(f["value"]) for f in reply.payload["embeds"][0].get("fields", [])}


async def test_a_moderator_follows_and_the_poller_adds_the_entries(standin, start_bot, harbour, site):
    handlers = handlers_for(harbour)
    bot = await start_bot(handlers=handlers, index=harbour, feed_poll_minutes=POLL_MINUTES)
    assert bot.feed_poller is not None
    corpus = f"guild-{standin.guild_id}"
    url = site.set_rss("/feed.xml", [LIGHTHOUSE, FERRY])

    refused = await reply_to(standin, "content follow", {"url": url})  # not a moderator
    assert is_ephemeral(refused) and "Only moderators" in unescape(refused.payload["content"])
    assert handlers.content.feeds(corpus) == []

    followed = await reply_to(standin, "content follow", {"url": url}, permissions=MANAGE_GUILD)
    embed = followed.payload["embeds"][0]
    assert is_ephemeral(followed) and unescape(embed["title"]) == "Following Port Elwyn Gazette"
    assert "its 2 entries and every new one are added at the next polls" in unescape(embed["description"])

    def added() -> bool:
        return {"127.0.0.1-lighthouse.html", "127.0.0.1-ferry.html"} <= {d.name for d in handlers.content.documents(corpus)}
    await until(added, "the poller to add the feed's entries")

    answer = await reply_to(standin, "ask", {"question": "How far out to sea can the new lamp be seen?"})
    description = answer.payload["embeds"][0]["description"]
    assert description.startswith("**31 kilometres**") and "The lighthouse gets a new lamp" in description
    assert f"]({site.url}{LIGHTHOUSE}#:~:text=" in description  # cited with a link into the page

    site.set_rss("/feed.xml", [LIBRARY, LIGHTHOUSE, FERRY])  # a new entry: the next rounds add it
    await until(lambda: "127.0.0.1-library.html" in {d.name for d in handlers.content.documents(corpus)},
                "the new entry")
    listed = await reply_to(standin, "content feeds", permissions=MANAGE_GUILD)
    [(name, state)] = fields_of(listed).items()
    assert name == f"Port Elwyn Gazette ({url})" and state.startswith("3 entries added; last polled ")
    other = await reply_to(standin, "content feeds")
    assert "Only moderators" in other.payload["content"]

    complete = await standin.interaction("content unfollow", {"url": "feed"}, kind=4, focused="url",
                                         permissions=MANAGE_GUILD)
    [choices] = await standin.wait_response(complete)
    assert [c["value"] for c in choices.body["data"]["choices"]] == [url]
    [hidden] = await standin.wait_response(await standin.interaction("content unfollow", {"url": ""}, kind=4,
                                                                     focused="url"))
    assert hidden.body["data"]["choices"] == []  # the feeds are for moderators only

    gone = await reply_to(standin, "content unfollow", {"url": url}, permissions=MANAGE_GUILD)
    assert "no longer polled. The 3 documents it added stay" in unescape(gone.payload["embeds"][0]["description"])
    assert handlers.content.feeds(corpus) == []
    again = await reply_to(standin, "content unfollow", {"url": url}, permissions=MANAGE_GUILD)
    assert "does not follow" in unescape(again.payload["content"])


async def test_status_shows_a_failing_feed(standin, start_bot, harbour, site):
    handlers = handlers_for(harbour)
    await start_bot(handlers=handlers, index=harbour, feed_poll_minutes=POLL_MINUTES)
    corpus = f"guild-{standin.guild_id}"
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    await reply_to(standin, "content follow", {"url": url}, permissions=MANAGE_GUILD)
    site.set("/feed.xml", 503, {}, b"down")
    await until(lambda: handlers.content.feeds(corpus)[0].failures > 0, "the feed's failed poll")

    answer = await reply_to(standin, "ask", {"question": "When does the harbour office open on Saturdays?"})
    assert "The harbour office opens at" in answer.payload["embeds"][0]["description"]  # questions go on
    status = fields_of(await reply_to(standin, "status"))
    line = status["Feeds (1 failing)"]
    assert line.startswith(f"Port Elwyn Gazette ({url}): 0 entries added; failing (1 time in a row, last ")
    assert "next try " in line and "503 Service Unavailable" in line
    listed = fields_of(await reply_to(standin, "content feeds", permissions=MANAGE_GUILD))
    assert "503" in listed[f"Port Elwyn Gazette ({url})"]


async def test_a_slow_feed_never_holds_questions_up(standin, start_bot, harbour, site):
    """A round stuck fetching a feed that does not answer yet: questions are answered meanwhile."""
    patient = harbour.model_copy(update={"fetch_timeout_seconds": 120.0})
    handlers = handlers_for(patient)
    await start_bot(handlers=handlers, index=patient, feed_poll_minutes=POLL_MINUTES)
    corpus = f"guild-{standin.guild_id}"
    url = site.set_rss("/feed.xml", [])  # nothing in it yet: the rounds so far add nothing
    await reply_to(standin, "content follow", {"url": url}, permissions=MANAGE_GUILD)
    asked, release, answered = threading.Event(), threading.Event(), threading.Event()

    def slow(out):
        asked.set()
        release.wait(TIMEOUT)
        out.write(rss("Port Elwyn Gazette", [site.url + LIGHTHOUSE]))
        answered.set()
    site.set("/feed.xml", 200, RSS_TYPE, slow)
    try:
        await until(asked.is_set, "a round to fetch the slow feed")
        answer = await reply_to(standin, "ask", {"question": "When does the harbour office open on Saturdays?"})
        assert "The harbour office opens at" in answer.payload["embeds"][0]["description"]
        assert not answered.is_set()  # answered while the round still waited for the feed
    finally:
        release.set()
    await until(lambda: "127.0.0.1-lighthouse.html" in {d.name for d in handlers.content.documents(corpus)},
                "the round to finish and add the entry")


async def test_bad_input_and_urls_off_are_refused(standin, start_bot, harbour, site):
    off = harbour.model_copy(update={"allow_urls": False})
    handlers = handlers_for(off)
    bot = await start_bot(handlers=handlers, index=off, feed_poll_minutes=POLL_MINUTES)
    assert bot.feed_poller is None  # nothing polls
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    refused = await reply_to(standin, "content follow", {"url": url}, permissions=MANAGE_GUILD)
    assert "VERBATIM_ALLOW_URLS" in unescape(refused.payload["content"]) and is_ephemeral(refused)
    assert handlers.content.feeds(f"guild-{standin.guild_id}") == []
    listed = await reply_to(standin, "content feeds", permissions=MANAGE_GUILD)
    assert "No feed is followed" in listed.payload["embeds"][0]["description"]


async def test_a_page_that_is_no_feed_is_refused(standin, start_bot, harbour, site):
    handlers = handlers_for(harbour)
    await start_bot(handlers=handlers, index=harbour)
    reply = await reply_to(standin, "content follow", {"url": site.url + LIGHTHOUSE}, permissions=MANAGE_GUILD)
    assert "not an RSS or Atom feed" in unescape(reply.payload["content"])
    assert handlers.content.feeds(f"guild-{standin.guild_id}") == []


async def said(handlers: Handlers, line: str) -> str:
    return rendering.text(await reply_or_error(run_line(handlers, line), line))


async def test_the_console_follows_polls_lists_and_unfollows(harbour, site):
    handlers = handlers_for(harbour)
    url = site.set_rss("/feed.xml", [LIGHTHOUSE, FERRY])
    assert "Following Port Elwyn Gazette" in await said(handlers, f"/content follow url:{url}")
    polled = await said(handlers, "/content feeds poll")
    assert "1 feed polled" in polled and "127.0.0.1-lighthouse.html" in polled and "127.0.0.1-ferry.html" in polled
    answer = await said(handlers, "When does the winter ferry to Skerry Island leave?")
    assert "leaves Port Elwyn at 7.15" in answer and f"{site.url}{FERRY}#:~:text=" in answer
    assert "nothing new" in await said(handlers, "/content feeds poll")
    listed = await said(handlers, "/content feeds")
    assert f"Port Elwyn Gazette ({url})" in listed and "2 entries added; last polled" in listed
    site.set("/feed.xml", 500, {}, b"broken")
    assert "failed: " in await said(handlers, "/content feeds poll")
    status = await said(handlers, "/status")
    assert "Feeds (1 failing)" in status and "500" in status
    assert "no longer polled" in await said(handlers, f"/content unfollow {url}")
    assert "No feed is followed" in await said(handlers, "/content feeds")
    assert "does not follow" in await said(handlers, f"/content unfollow {url}")
    assert "/content follow URL" in await said(handlers, "/content follow")  # the usage line
    assert "/content follow URL | unfollow URL | feeds [poll]" in await said(handlers, "/help")


def test_a_feed_followed_in_one_console_is_polled_in_the_next(harbour, site, tmp_path):
    """Two console processes (the loopback switch of tests/index/cli/loopback.py, nothing else):
    the feed is kept in the store, not in the process."""
    env = env_for(harbour, VERBATIM_ALLOW_URLS="true", VERBATIM_SEMANTIC="false")
    url = site.set_rss("/feed.xml", [LIBRARY])

    def console(lines: str):
        done = subprocess.run([sys.executable, "-m", "tests.index.cli.loopback", "--bot", "--console"], input=lines,
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = console(f"/content follow {url}\n/content feeds\n")
    assert "Following Port Elwyn Gazette" in first and "0 entries added; not polled yet" in first
    second = console("/content feeds poll\nHow many readers has the new reading room space for?\n/status\n")
    assert "127.0.0.1-library.html" in second and "Its new reading room has space for" in second
    assert "Feeds" in second and "1 entry added; last polled" in second
