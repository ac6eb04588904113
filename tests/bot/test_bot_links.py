"""Deep links as Discord and the console show them: the citation of a page added by URL links to
the passage, within Discord's limits (a long link loses its fragment, then itself, before the
quote loses room), and never mentions anyone."""
from __future__ import annotations

import re
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import rendering
from bot.console import run_line
from bot.handlers import Handlers
from bot.replies import Quote, Reply
from index.answering.links import deep_link
from index.ingest.fetching import fetch
from tests.index.answering.test_links import PAGE, UPLOAD
from tests.index.ingest.test_fetching import HTML, Server

from .standin import MANAGE_GUILD
from .test_bot_commands import wait_final
from .test_bot_rendering import within_limits

PASSAGE = "The harbour of Port Elwyn reopened on Monday after a storm closed it for nine days."
LINKED = re.compile(r"\*\[([^\]]*)\]\(([^)]*)\)\*")  # the citation's Markdown link: *[citation](url)*


async def answered(standin, question: str) -> str:
    """The answer's description, whether it came at once or after "thinking…" (a first question
    after a change loads the new version, which may take a second on a busy machine)."""
    interaction = await standin.interaction("ask", {"question": question})
    await standin.wait_for(lambda r: any(x.payload.get("embeds") for x in standin.responses_to(interaction)),
                           what=f"the answer to {question!r}")
    return next(x for x in standin.responses_to(interaction) if x.payload.get("embeds")).payload["embeds"][0]["description"]


def quote_with(url: str, text: str = PASSAGE) -> Quote:
    mark = (text.index("nine"), text.index("nine") + 9) if "nine" in text else None
    return Quote(text, "Harbour news", None, 1, mark, link=deep_link(url, text))


def described(*quotes: Quote) -> str:
    embed = rendering.embed(Reply("answer", title="q", answer="nine days", quotes=list(quotes)))
    within_limits(embed)
    return embed.description


def test_the_citation_links_to_the_passage():
    quote = quote_with("https://news.example/harbour.html")
    [(cited, link)] = LINKED.findall(described(quote))
    assert cited == "Harbour news, paragraph 1" and link == quote.link
    assert link.startswith("https://news.example/harbour.html#:~:text=The%20harbour%20of%20Port,")
    console = rendering.text(Reply("answer", title="q", answer="nine days", quotes=[quote]))
    assert f"    — Harbour news, paragraph 1\n      {quote.link}" in console
    assert LINKED.findall(described(Quote(PASSAGE, "Doc", None, 1))) == []  # no link, no Markdown link


def test_a_long_link_loses_its_fragment_then_itself_never_the_quote():
    medium = quote_with("https://news.example/" + "a" * 560)  # the page fits, not with the fragment
    [(_, link)] = LINKED.findall(described(medium))
    assert link == "https://news.example/" + "a" * 560 and "#" not in link
    huge = quote_with("https://news.example/" + "b" * 3000)
    description = described(huge)
    assert LINKED.findall(description) == [] and "*Harbour news, paragraph 1*" in description
    assert "nine days" in description and "b" * 50 not in description
    # Little room left: the link goes before the quote is cut for it.
    long_text = " ".join(f"word{i}" for i in range(400))
    crowded = Quote(long_text, "Harbour news", None, 1, link=deep_link("https://news.example/" + "c" * 300, long_text))
    block = rendering.quote_block(crowded, 500)
    assert len(block) <= 500 and LINKED.findall(block) == [] and len(block.split("\n")[0]) > rendering.MIN_QUOTE
    roomy = rendering.quote_block(crowded, 1200)
    assert LINKED.findall(roomy) and len(roomy) <= 1200


def test_a_link_mentions_no_one():
    quote = quote_with("https://news.example/@everyone/<@&42>?to=@here<@123>", "Ask @everyone and <@123> now. " * 3)
    message = rendering.message(Reply("answer", title="q", quotes=[quote]))
    [(_, link)] = LINKED.findall(message["embed"].description)
    assert not re.search(r"[@<>()\s]", link)
    assert message["allowed_mentions"].to_dict() == {"parse": []}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3000), st.text(min_size=1, max_size=4000), st.integers(1, 3))
def test_any_link_fits(path, passage, copies):
    link = deep_link("https://news.example/" + path, passage)
    quotes = [Quote(passage, "D", None, i, link=link) for i in range(copies)]
    description = described(*quotes)
    for _, url in LINKED.findall(description):
        assert len(url) <= rendering.LINK_AT_MOST and not re.search(r"[@<>()\s]", url)


async def test_an_answer_from_a_page_added_on_discord_links_to_it(standin, start_bot, index_settings):
    handlers = Handlers(index_settings.model_copy(update={"allow_urls": True}))
    handlers.content.fetcher = partial(fetch, allow_loopback=True)  # the page is on 127.0.0.1
    await start_bot(handlers=handlers)
    server = Server()
    server.routes["/news/harbour.html"] = (200, HTML, PAGE.encode())
    try:
        added = await standin.interaction("content add", {"url": server.url + "/news/harbour.html"},
                                          permissions=MANAGE_GUILD)
        final = (await wait_final(standin, added))[-1]
        assert final.payload["embeds"][0]["title"].startswith("Added 127.0.0.1-harbour.html")
        uploaded = await standin.interaction("content add", {"attachment": standin.attachment("rowing.txt", UPLOAD)},
                                             permissions=MANAGE_GUILD)
        await wait_final(standin, uploaded)
    finally:
        server.close()
    description = await answered(standin, "How long was the harbour of Port Elwyn closed?")
    [(cited, link), *_] = LINKED.findall(description)
    assert cited.startswith("The harbour reopens after the storm") and cited.endswith("paragraph 1")
    assert link.startswith(server.url + "/news/harbour.html#:~:text=The%20harbour%20of%20Port,")
    rowing_description = await answered(standin, "How many members has the rowing club?")
    assert rowing_description.startswith("**86**") and "*Rowing club, paragraph 1*" in rowing_description
    assert "](" not in rowing_description.split("\n\n")[1]  # the upload's own citation has no link


async def test_the_console_shows_the_link(tmp_path, index_settings):
    handlers = Handlers(index_settings.model_copy(update={"allow_urls": True, "index_path": tmp_path / "i.sqlite3"}))
    handlers.engine.build()
    handlers.content.fetcher = partial(fetch, allow_loopback=True)
    server = Server()
    server.routes["/news/harbour.html"] = (200, HTML, PAGE.encode())
    try:
        added = await run_line(handlers, f"/content add {server.url}/news/harbour.html")
        assert added.title.startswith("Added 127.0.0.1-harbour.html")
    finally:
        server.close()
    said = rendering.text(await run_line(handlers, "How long was the harbour of Port Elwyn closed?"))
    assert f"\n      {server.url}/news/harbour.html#:~:text=The%20harbour%20of%20Port," in said

