"""Slash commands end to end: the stand-in sends INTERACTION_CREATE, the bot answers over REST."""
from __future__ import annotations

import asyncio
import logging
import shutil

from .standin import MANAGE_GUILD, Request

EPHEMERAL = 64


def is_final(response: Request) -> bool:
    """The reply that ends a change: its result (an embed) or its error, not a progress line."""
    payload = response.payload
    return bool(payload.get("embeds")) or "…" not in (payload.get("content") or "…")


async def wait_final(standin, interaction: dict) -> list[Request]:
    """Every response to a change (defer, progress edits), up to and including the final one."""
    await standin.wait_for(lambda r: isinstance(r, Request) and any(
        is_final(x) for x in standin.responses_to(interaction)[1:]), what="the end of a change")
    return standin.responses_to(interaction)


def is_ephemeral(response: Request) -> bool:
    return bool(response.payload.get("flags", 0) & EPHEMERAL)


def no_mentions(response: Request) -> bool:
    return response.payload.get("allowed_mentions") == {"parse": []}


async def test_ask_posts_an_embed_with_answer_and_quote(standin, start_bot, engine, guild_engine):
    await start_bot()
    expected = engine.ask("How many people died in the Paris attacks?")
    interaction = await standin.interaction("ask", {"question": "How many people died in the Paris attacks?"})
    [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4 and not is_ephemeral(response)
    [embed] = response.payload["embeds"]
    assert embed["title"] == "How many people died in the Paris attacks?"
    best = expected.passages[0]
    assert expected.answer  # the engine answers it: the embed must lead with that answer
    assert embed["description"].startswith(f"**{expected.answer}**")
    assert f"**{best.text[best.answer_start:best.answer_end]}**" in embed["description"]
    assert "> " in embed["description"]
    assert best.text.split()[0] in embed["description"]
    assert best.document in embed["description"]  # cited
    # the server's own corpus, made on first use: a copy of the default content
    assert embed["footer"]["text"] == f"content version {guild_engine.stats().version}"
    assert no_mentions(response)


async def test_ask_private_is_ephemeral(standin, start_bot):
    await start_bot()
    interaction = await standin.interaction("ask", {"question": "Who is Hollande?", "private": True})
    [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4 and is_ephemeral(response)


async def test_refusal_says_plainly_the_content_does_not_say(standin, start_bot, engine):
    question = "What colour is the pope's bicycle?"
    expected = engine.ask(question)
    assert expected.refused
    await start_bot()
    interaction = await standin.interaction("ask", {"question": question})
    [response] = await standin.wait_response(interaction)
    description = response.payload["embeds"][0]["description"]
    assert description.startswith("The content does not say.")
    assert "**" not in description  # no answer span is marked in a refusal
    if expected.passages:
        assert "Closest passage" in description and description.count("\n> — *") == 1


async def test_summary_and_autocomplete(standin, start_bot, engine):
    await start_bot()
    section = engine.sections()[-1]
    interaction = await standin.interaction("summary", {"sentences": 2, "section": section})
    [response] = await standin.wait_response(interaction)
    embed = response.payload["embeds"][0]
    assert section in embed["title"]
    assert embed["description"].count("\n> — *") >= 1
    complete = await standin.interaction("summary", {"section": section[:4].lower()}, kind=4, focused="section")
    [choices] = await standin.wait_response(complete)
    assert choices.body["type"] == 8
    assert section in [c["value"] for c in choices.body["data"]["choices"]]


async def test_status(standin, start_bot, engine):
    await start_bot()
    interaction = await standin.interaction("status")
    [response] = await standin.wait_response(interaction)
    fields = {f["name"]: f["value"] for f in response.payload["embeds"][0]["fields"]}
    stats = engine.stats()
    assert fields["Documents"] == str(stats.documents) and fields["Passages"] == str(stats.passages)
    assert "Latency" in fields
    cache = engine.loaded_stats()  # the server's corpus shares the default content's loaded version
    assert fields["Loaded"].startswith(f"{cache.entries} version") and f"of {cache.budget_megabytes} MB" in fields["Loaded"]


async def test_reindex_defers_shows_progress_and_ends_with_the_summary(standin, start_bot, guild_engine,
                                                                        index_settings, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(index_settings.content[0], content)
    await start_bot(index=index_settings.model_copy(update={"content": [content]}))
    await standin.wait_response(await standin.interaction("status"))  # the server's corpus now exists
    before = guild_engine.store.live_version(guild_engine.corpus).number
    (content / "harbour.txt").write_text("Harbour news\n\nThe harbour reopened on Monday after 12 days.\n")
    interaction = await standin.interaction("reindex", permissions=MANAGE_GUILD)
    responses = await wait_final(standin, interaction)
    defer, *progress, final = responses
    assert defer.body["type"] == 5 and is_ephemeral(defer)
    assert all(r.method == "PATCH" and r.path.endswith("/messages/@original") for r in [*progress, final])
    assert all("documents" in r.payload["content"] for r in progress)
    embed = final.payload["embeds"][0]
    assert embed["title"] == f"Reindexed: content version {before + 1}"
    assert embed["description"].startswith(f"version {before + 1}: ")  # the ChangeReport's summary
    assert {"Documents", "Passages", "Time"} <= {f["name"] for f in embed["fields"]}
    assert final.payload["content"] is None or final.payload["content"] == ""
    assert guild_engine.store.live_version(guild_engine.corpus).number == before + 1
    assert no_mentions(final)


async def test_reindex_by_moderator_role(standin, start_bot, guild_engine):
    await start_bot(moderator_role_ids=[standin.moderator_role_id])
    interaction = await standin.interaction("reindex", roles=[standin.moderator_role_id])
    final = (await wait_final(standin, interaction))[-1]
    assert final.payload["embeds"][0]["title"].startswith("Nothing changed")
    assert guild_engine.store.live_version(guild_engine.corpus).number == 1  # nothing changed: no new version


async def test_reindex_refused_for_non_moderator(standin, start_bot, guild_engine):
    await start_bot(moderator_role_ids=[standin.moderator_role_id])
    await standin.wait_response(await standin.interaction("status"))
    before = guild_engine.store.live_version(guild_engine.corpus).number
    audit = guild_engine.store.audit_log(guild_engine.corpus)
    interaction = await standin.interaction("reindex", roles=[])
    [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4 and is_ephemeral(response)
    assert "moderators" in response.payload["content"]
    await asyncio.sleep(0.2)
    assert len(standin.responses_to(interaction)) == 1
    assert guild_engine.store.live_version(guild_engine.corpus).number == before
    assert guild_engine.store.audit_log(guild_engine.corpus) == audit


async def test_cooldown_on_ask(standin, start_bot):
    await start_bot(ask_cooldown_seconds=60)
    first = await standin.interaction("ask", {"question": "Who is Hollande?"}, user_id=7)
    await standin.wait_response(first)
    second = await standin.interaction("ask", {"question": "Who is Hollande?"}, user_id=7)
    [response] = await standin.wait_response(second)
    assert is_ephemeral(response) and "try again in" in response.payload["content"]
    other = await standin.interaction("ask", {"question": "Who is Hollande?"}, user_id=8)
    [response] = await standin.wait_response(other)
    assert "embeds" in response.payload and not is_ephemeral(response)


async def test_exception_in_a_command_becomes_an_ephemeral_error(standin, start_bot, caplog):
    bot = await start_bot()

    async def broken(*args, **kwargs):
        raise RuntimeError("kaboom")

    bot.handlers.ask = broken
    with caplog.at_level(logging.ERROR, logger="bot"):
        interaction = await standin.interaction("ask", {"question": "Who is Hollande?"})
        [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4 and is_ephemeral(response)
    assert "went wrong" in response.payload["content"] and "kaboom" not in response.payload["content"]
    assert any(r.exc_info and "kaboom" in str(r.exc_info[1]) for r in caplog.records)


async def test_exception_after_defer_is_followed_up(standin, start_bot, monkeypatch):
    from bot.commands import common

    monkeypatch.setattr(common, "DEFER_AFTER", 0.1)
    bot = await start_bot()

    async def slow_then_broken(*args, **kwargs):
        await asyncio.sleep(0.5)  # past the point where the command defers
        raise RuntimeError("kaboom")

    bot.handlers.ask = slow_then_broken
    interaction = await standin.interaction("ask", {"question": "Who is Hollande?"})
    defer, follow_up = await standin.wait_response(interaction, count=2)
    assert defer.body["type"] == 5
    assert "went wrong" in follow_up.payload["content"]


async def test_engine_errors_reach_the_user_with_no_pings(standin, start_bot):
    await start_bot()
    interaction = await standin.interaction("summary", {"section": "@everyone <@&123> **x**"})
    [response] = await standin.wait_response(interaction)
    content = response.payload["content"]
    assert is_ephemeral(response) and "@everyone" in content
    assert "\\<@&123\\>" in content and "\\*\\*x\\*\\*" in content  # shown as written
    assert no_mentions(response)
