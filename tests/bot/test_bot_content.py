"""/content and /reindex end to end: moderators change their server's own corpus.

Attachments are served by the stand-in's CDN, as Discord delivers them (a URL and a size).
Every check reads the store itself: the live version and the audit log.
"""
from __future__ import annotations

import asyncio
import threading

import pytest

from index.content.locking import change_lock
from index.engine import Engine
from tests.index.ingest.test_binary import pdf_of

from .standin import MANAGE_GUILD, Request
from .test_bot_commands import is_ephemeral, no_mentions, wait_final

STORKS = (b"Storks over Zanzibar\n\nThe lighthouse keeper, Amina Oyelaran, counted 4,312 migrating storks over "
          b"Zanzibar in the spring of 2019. She kept the tally in a green notebook.\n")
QUESTION = "How many storks did Amina Oyelaran count?"


def live(engine: Engine) -> int:
    return engine.store.live_version(engine.corpus).number


async def corpus_made(standin) -> None:
    """The server's corpus is made on first use: any command makes it."""
    await standin.wait_response(await standin.interaction("status"))


async def add(standin, filename: str = "storks.txt", data: bytes = STORKS, size: int | None = None,
              **kwargs) -> list[Request]:
    attachment = standin.attachment(filename, data, size)
    interaction = await standin.interaction("content add", {"attachment": attachment},
                                            permissions=kwargs.pop("permissions", MANAGE_GUILD), **kwargs)
    return await wait_final(standin, interaction)


async def test_add_an_attachment_then_ask_it(standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    before = live(guild_engine)
    defer, *progress, final = await add(standin)
    assert defer.body["type"] == 5 and is_ephemeral(defer)
    assert all(r.method == "PATCH" for r in [*progress, final])
    embed = final.payload["embeds"][0]
    assert embed["title"] == f"Added storks.txt: content version {before + 1}"
    assert "added storks.txt; passages +1/-0" in embed["description"]
    assert any(path.endswith("/storks.txt") for path in standin.cdn_requests)
    assert live(guild_engine) == before + 1
    [entry, *_] = guild_engine.store.audit_log(guild_engine.corpus)
    assert entry["action"] == "add" and entry["actor"].startswith("discord:1001 ")
    assert entry["result"].startswith(f"version {before + 1}")

    [answer] = await standin.wait_response(await standin.interaction("ask", {"question": QUESTION}))
    assert answer.payload["embeds"][0]["description"].startswith("**4,312**")


async def test_servers_have_separate_corpora(standin, start_bot, engine, index_settings):
    await start_bot()
    await add(standin)
    other = await standin.interaction("ask", {"question": QUESTION}, guild_id=standin.other_guild_id)
    [answer] = await standin.wait_response(other)
    assert answer.payload["embeds"][0]["description"].startswith("The content does not say.")
    assert "4,312" not in answer.payload["embeds"][0]["description"]
    other_corpus = Engine.from_settings(index_settings, corpus=f"guild-{standin.other_guild_id}")
    assert [d.name for d in other_corpus.documents()] == [d.name for d in engine.documents()]
    assert engine.ask(QUESTION).refused  # nor is the default content changed


async def test_list_and_history(standin, start_bot, guild_engine):
    await start_bot()
    await add(standin)
    [listing] = await standin.wait_response(await standin.interaction("content list", permissions=MANAGE_GUILD))
    assert is_ephemeral(listing)
    fields = {f["name"]: f["value"] for f in listing.payload["embeds"][0]["fields"]}
    assert "storks.txt" in fields and "added by discord:1001" in fields["storks.txt"]
    assert any("content file" in value for value in fields.values())
    [history] = await standin.wait_response(await standin.interaction("content history", permissions=MANAGE_GUILD))
    fields = {f["name"]: f["value"] for f in history.payload["embeds"][0]["fields"]}
    newest = live(guild_engine)
    assert list(fields)[0] == f"v{newest} (live)"
    assert "+storks.txt" in fields[f"v{newest} (live)"] and "passages +1/-0" in fields[f"v{newest} (live)"]
    assert "create from" in fields["v1"]
    assert no_mentions(history)


async def test_remove_with_autocomplete(standin, start_bot, guild_engine):
    await start_bot()
    await add(standin)
    complete = await standin.interaction("content remove", {"document": "stork"}, kind=4, focused="document",
                                         permissions=MANAGE_GUILD)
    [choices] = await standin.wait_response(complete)
    assert [c["value"] for c in choices.body["data"]["choices"]] == ["storks.txt"]
    hidden = await standin.interaction("content remove", {"document": ""}, kind=4, focused="document")
    [nothing] = await standin.wait_response(hidden)
    assert nothing.body["data"]["choices"] == []  # names are for moderators only
    before = live(guild_engine)
    removal = await standin.interaction("content remove", {"document": "storks.txt"}, permissions=MANAGE_GUILD)
    final = (await wait_final(standin, removal))[-1]
    assert final.payload["embeds"][0]["title"] == f"Removed storks.txt: content version {before + 1}"
    assert "storks.txt" not in [d.name for d in guild_engine.documents()]
    [answer] = await standin.wait_response(await standin.interaction("ask", {"question": QUESTION}))
    assert "4,312" not in answer.payload["embeds"][0]["description"]


async def test_rollback(standin, start_bot, guild_engine):
    await start_bot()
    await add(standin)
    before = live(guild_engine)
    rollback = await standin.interaction("content rollback", {"version": 1}, permissions=MANAGE_GUILD)
    final = (await wait_final(standin, rollback))[-1]
    assert final.payload["embeds"][0]["title"] == f"Rolled back to version 1: content version {before + 1}"
    assert "removed storks.txt" in final.payload["embeds"][0]["description"]
    assert "storks.txt" not in [d.name for d in guild_engine.documents()]
    missing = await standin.interaction("content rollback", {"version": 99}, permissions=MANAGE_GUILD)
    defer, *_, final = await wait_final(standin, missing)
    assert is_ephemeral(defer) and final.method == "PATCH"  # the ephemeral reply, edited
    assert "has no version 99" in final.payload["content"] and live(guild_engine) == before + 1


async def test_a_non_moderator_changes_nothing(standin, start_bot, guild_engine):
    await start_bot(moderator_role_ids=[standin.moderator_role_id])
    await corpus_made(standin)
    before, audit = live(guild_engine), guild_engine.store.audit_log(guild_engine.corpus)
    attempts = [("content add", {"attachment": standin.attachment("storks.txt", STORKS)}),
                ("content remove", {"document": guild_engine.documents()[0].name}),
                ("content rollback", {"version": 1}), ("content list", {}), ("content history", {}),
                ("reindex", {})]
    for name, options in attempts:
        interaction = await standin.interaction(name, options, roles=[])
        [response] = await standin.wait_response(interaction)
        assert response.body["type"] == 4 and is_ephemeral(response), name
        assert "Only moderators" in response.payload["content"], name
    await asyncio.sleep(0.2)
    assert live(guild_engine) == before
    assert guild_engine.store.audit_log(guild_engine.corpus) == audit
    assert standin.cdn_requests == []  # the attachment was not even downloaded


BAD_FILES = {
    "empty": ("empty.txt", b"", "is empty"),
    "binary": ("blob.txt", b"\x00\x01\x02\x89PNG\r\n" * 50, "binary"),
    "unknown encoding": ("latin.txt", "Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9 and more text.".encode("latin-1"),
                         "not UTF-8"),
    "duplicate": ("again.txt", None, "same text"),
    "path trick": ("..\\..\\etc\\passwd.txt", STORKS, "is a path"),
    "not an article type": ("tool.exe", STORKS, "unsupported file type"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
async def test_bad_input_is_refused_and_changes_nothing(case, standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    filename, data, message = BAD_FILES[case]
    if data is None:  # the text of a document already there
        data = guild_engine.store.load(guild_engine.corpus).documents[0].text.encode()
    before = live(guild_engine)
    defer, *_, final = await add(standin, filename, data)
    assert is_ephemeral(defer)
    assert message in final.payload["content"] and not final.payload.get("embeds")
    assert live(guild_engine) == before
    assert guild_engine.store.audit_log(guild_engine.corpus)[0]["result"].startswith("failed: ")


async def test_a_file_over_the_limit_is_refused_before_it_is_downloaded(standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    before = live(guild_engine)
    # Discord announces 3 MB; the CDN would serve a small file: the announced size decides
    final = (await add(standin, "big.txt", STORKS, size=3_000_000))[-1]
    assert "3,000,000 bytes; the limit is 2,000,000" in final.payload["content"]
    assert standin.cdn_requests == []
    assert live(guild_engine) == before
    assert guild_engine.store.audit_log(guild_engine.corpus)[0]["result"].startswith("failed: big.txt is 3,000,000")


async def test_the_download_itself_is_bounded(standin, start_bot, guild_engine, index_settings):
    small = index_settings.model_copy(update={"max_upload_bytes": 1_000})
    from bot.handlers import Handlers
    await start_bot(handlers=Handlers(small))
    await corpus_made(standin)
    before = live(guild_engine)
    final = (await add(standin, "liar.txt", STORKS * 20, size=500))[-1]  # announces less than it sends
    assert "over the limit of 1,000 bytes" in final.payload["content"]
    assert live(guild_engine) == before


async def test_url_is_refused_when_urls_are_off(standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    before = live(guild_engine)
    interaction = await standin.interaction("content add", {"url": "http://10.0.0.1/page.html"},
                                            permissions=MANAGE_GUILD)
    final = (await wait_final(standin, interaction))[-1]
    assert "turned off here (VERBATIM\\_ALLOW\\_URLS)" in final.payload["content"]  # Markdown escaped
    assert live(guild_engine) == before


async def test_url_to_a_private_address_is_refused(standin, start_bot, guild_engine, index_settings):
    from bot.handlers import Handlers
    await start_bot(handlers=Handlers(index_settings.model_copy(update={"allow_urls": True})))
    await corpus_made(standin)
    before = live(guild_engine)
    interaction = await standin.interaction("content add", {"url": "http://10.1.2.3/news.html"},
                                            permissions=MANAGE_GUILD)
    final = (await wait_final(standin, interaction))[-1]
    assert "private" in final.payload["content"] and not final.payload.get("embeds")
    assert live(guild_engine) == before
    assert guild_engine.store.audit_log(guild_engine.corpus)[0]["result"].startswith("failed: ")


async def test_a_change_waits_for_another_and_says_so(standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    before = live(guild_engine)
    holding, release = threading.Event(), threading.Event()

    def other_change():  # another process or command changing the same corpus
        with change_lock(guild_engine.store, guild_engine.corpus):
            holding.set()
            release.wait(10)

    other = threading.Thread(target=other_change)
    other.start()
    try:
        assert await asyncio.to_thread(holding.wait, 10)
        interaction = await standin.interaction("content add", {"attachment": standin.attachment("storks.txt", STORKS)},
                                                permissions=MANAGE_GUILD)
        told = await standin.wait_for(lambda r: any("waits" in (x.payload.get("content") or "")
                                                    for x in standin.responses_to(interaction)),
                                      what="the reply to say it waits")
        assert told is not None and live(guild_engine) == before
    finally:
        release.set()
        await asyncio.to_thread(other.join)
    final = (await wait_final(standin, interaction))[-1]
    embed = final.payload["embeds"][0]
    assert "waited for another change" in embed["description"]
    assert live(guild_engine) == before + 1


async def test_direct_messages_are_off_by_default(standin, start_bot):
    await start_bot()
    interaction = await standin.interaction("ask", {"question": QUESTION}, dm=True)
    [response] = await standin.wait_response(interaction)
    assert is_ephemeral(response) and "not in direct messages" in response.payload["content"]
    message = await standin.message("how many died?", dm=True)
    reply = await standin.wait_for(lambda r: isinstance(r, Request) and r.path.endswith("/messages")
                                   and str((r.body or {}).get("message_reference", {}).get("message_id")) == message["id"],
                                   what="a reply to the DM")
    assert "not in direct messages" in reply.body["content"]


async def test_direct_messages_use_the_default_content_when_on(standin, start_bot, engine):
    await start_bot(answer_dms=True)
    question = "How many people died in the Paris attacks?"
    [response] = await standin.wait_response(await standin.interaction("ask", {"question": question}, dm=True))
    assert response.payload["embeds"][0]["footer"]["text"] == f"content version {engine.stats().version}"
    message = await standin.message(question, dm=True)  # no mention needed in a DM
    reply = await standin.wait_for(lambda r: isinstance(r, Request) and r.path.endswith("/messages")
                                   and str((r.body or {}).get("message_reference", {}).get("message_id")) == message["id"],
                                   what="a reply to the DM")
    assert reply.body["embeds"][0]["footer"]["text"] == f"content version {engine.stats().version}"


async def test_a_pdf_attachment_is_added_and_cited_with_its_page(standin, start_bot, guild_engine):
    await start_bot()
    await corpus_made(standin)
    storks = STORKS.decode().split("\n\n")
    pdf = pdf_of(["Migration notes", "The first page is about the weather over the island.", *storks[1:]],
                 breaks=(2,))
    *_, final = await add(standin, "storks.pdf", pdf)
    assert final.payload["embeds"][0]["title"].startswith("Added storks.pdf")
    [answer] = await standin.wait_response(await standin.interaction("ask", {"question": QUESTION}))
    description = answer.payload["embeds"][0]["description"]
    assert description.startswith("**4,312**")
    assert "Migration notes, page 2, paragraph 2" in description  # the citation gives the page
