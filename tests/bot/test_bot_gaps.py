"""The questions the content misses on the Discord stand-in and in the console: /ask, mentions and
follow-ups in threads are kept (the member only as a hash), a moderator's /content gaps lists the
refused ones grouped, a member's is refused; /help says what is kept; with keeping off, nothing is."""
from __future__ import annotations

import pytest

from bot import rendering
from bot.console import console_actor, run_line
from bot.handlers import Handlers
from index.engine import Engine
from index.settings import IndexSettings
from index.store import asked
from index.store.sqlite import SQLiteStore
from tests.index.content.test_gaps import ANSWERED, HARBOUR, LIGHTHOUSE, PARKING, TOLL

from .test_bot_commands import is_ephemeral
from .test_bot_feedback import thread_reply
from .test_bot_rendering import unescape
from .test_bot_scopes import answer_to, moderator, said

MEMBER = 1001  # the stand-in's member by default


def harbour_settings(tmp_path, **overrides) -> IndexSettings:
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    settings = IndexSettings(_env_file=None, content=[folder], index_path=tmp_path / "harbour.sqlite3", **overrides)
    Engine.from_settings(settings).build(author="tests")
    return settings


def kept(settings: IndexSettings, corpus: str) -> list[asked.Asked]:
    return asked.questions(SQLiteStore(settings.index_path), corpus)


async def test_a_members_refused_question_shows_in_the_moderators_gaps(standin, start_bot, tmp_path):
    settings = harbour_settings(tmp_path)
    await start_bot(index=settings)
    corpus = f"guild-{standin.guild_id}"
    await said(standin, TOLL[0])
    await said(standin, TOLL[2], channel_id=standin.other_channel_id)
    await thread_reply(standin, standin.channel_id, TOLL[1])  # a mention
    rows = kept(settings, corpus)
    assert [q.question for q in rows] == [TOLL[1], TOLL[2], TOLL[0]] and {q.outcome for q in rows} == {"refused"}
    store = SQLiteStore(settings.index_path)
    assert {q.asker for q in rows} == {asked.asker_hash(store, str(MEMBER))} and rows[0].asker != str(MEMBER)

    [refused] = await standin.wait_response(await standin.interaction("content gaps"))  # not a moderator
    assert is_ephemeral(refused) and "Only moderators" in refused.payload["content"]
    reply = await moderator(standin, "content gaps", {})
    embed = reply.payload["embeds"][0]
    assert unescape(embed["title"]) == "Gaps"
    assert "3 questions the content did not answer, in 1 group" in unescape(embed["description"])
    assert "kept 90 days" in embed["description"]
    [field] = embed["fields"]
    assert unescape(field["name"]) in TOLL and "asked 3 times (3 refused) by 1 member" in unescape(field["value"])
    assert "Closest passage: Kettle Sound harbour news" in unescape(field["value"])
    assert len(embed["description"]) + sum(len(f["name"]) + len(f["value"]) for f in embed["fields"]) < 6000


async def test_follow_ups_in_threads_are_kept_and_private_answers_too(standin, start_bot, tmp_path):
    settings = harbour_settings(tmp_path)
    await start_bot(index=settings)
    corpus = f"guild-{standin.guild_id}"
    answer = await answer_to(standin, ANSWERED)
    message = standin.sent_message(answer)
    buttons = {c["label"]: c["custom_id"] for row in message["components"] for c in row["components"]}
    await standin.wait_response(await standin.click(buttons["Ask more in a thread"], message))
    [thread_id] = standin.threads
    await thread_reply(standin, thread_id, LIGHTHOUSE[0])
    [private] = await standin.wait_response(await standin.interaction("ask", {"question": PARKING, "private": True}))
    assert is_ephemeral(private)
    rows = kept(settings, corpus)
    assert len(rows) == 3 and rows[0].question == PARKING and rows[2].question == ANSWERED
    assert rows[2].outcome == "answered" and "lighthouse" in rows[1].question


async def test_with_keeping_off_the_bot_keeps_nothing_and_says_so(standin, start_bot, tmp_path):
    settings = harbour_settings(tmp_path, keep_questions=False)
    await start_bot(index=settings)
    await said(standin, TOLL[0])
    assert kept(settings, f"guild-{standin.guild_id}") == []
    reply = await moderator(standin, "content gaps", {})
    assert "not being kept" in reply.payload["embeds"][0]["description"]
    [help_reply] = await standin.wait_response(await standin.interaction("help"))
    assert "Questions are not kept." in help_reply.payload["content"] + str(help_reply.payload.get("embeds"))


@pytest.fixture
def console_handlers(tmp_path) -> Handlers:
    return Handlers(harbour_settings(tmp_path, keep_questions_days=30))


async def test_the_console_keeps_its_questions_and_lists_the_gaps(console_handlers):
    settings = console_handlers.index_settings
    for line in [TOLL[0], f"/ask question: {TOLL[1]}", LIGHTHOUSE[0], ANSWERED]:
        await run_line(console_handlers, line)
    rows = kept(settings, settings.corpus)
    assert [q.question for q in rows] == [ANSWERED, LIGHTHOUSE[0], TOLL[1], TOLL[0]]
    assert rows[0].asker == asked.asker_hash(console_handlers.engine.store, console_actor())
    shown = rendering.text(await run_line(console_handlers, "/content gaps"))
    assert "3 questions the content did not answer, in 2 groups" in shown and "kept 30 days" in shown
    assert shown.index("asked 2 times") < shown.index("asked once") and ANSWERED not in shown
    help_shown = rendering.text(await run_line(console_handlers, "/help"))
    assert "/content gaps" in help_shown and "deleted after 30 days" in help_shown and "never your id" in help_shown


async def test_the_start_deletes_the_questions_past_their_retention(console_handlers):
    store = console_handlers.engine.store
    asked.keep(store, "guild-7", 1, "m", "asked long ago?", asked.REFUSED, None, now=1000.0)
    asked.keep(store, "default", 1, "m", "asked today?", asked.REFUSED, None)
    await console_handlers.warm_up()  # the bot and the console call it as they start
    assert [q.question for q in asked.questions(store)] == ["asked today?"]
