"""Mentions, answer channels, mention safety, rate limits and gateway resumes."""
from __future__ import annotations

import asyncio

from bot.handlers import Handlers
from index.engine import Engine
from index.settings import IndexSettings

from .standin import Request


def channel_posts(standin) -> list[Request]:
    return [r for r in standin.requests if r.method == "POST" and r.path.endswith("/messages") and r.status == 200]


async def wait_reply_to(standin, message: dict) -> Request:
    return await standin.wait_for(
        lambda r: isinstance(r, Request) and r.status == 200 and r.path.endswith("/messages")
        and str((r.body or {}).get("message_reference", {}).get("message_id")) == message["id"],
        what=f"a reply to message {message['id']}")


async def test_mention_gets_a_reply_that_references_it(standin, start_bot):
    await start_bot()
    message = await standin.message("how many died?", mention=True)
    reply = await wait_reply_to(standin, message)
    assert reply.path == f"/channels/{standin.channel_id}/messages"
    assert reply.body["message_reference"]["channel_id"] == standin.channel_id
    assert reply.body["embeds"][0]["description"]
    assert reply.body["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_message_without_mention_is_ignored(standin, start_bot):
    await start_bot()
    ignored = await standin.message("how many died?")
    answered = await standin.message("how many died?", mention=True)
    await wait_reply_to(standin, answered)
    await asyncio.sleep(0.2)
    assert not any(str(r.body["message_reference"]["message_id"]) == ignored["id"] for r in channel_posts(standin))
    assert len(channel_posts(standin)) == 1


async def test_bare_mention_gets_help(standin, start_bot):
    await start_bot()
    message = await standin.message("", mention=True)
    reply = await wait_reply_to(standin, message)
    assert "Ask me a question" in reply.body["content"]


async def test_answer_channel_answers_questions_without_mention(standin, start_bot):
    await start_bot(answer_channel_ids=[standin.channel_id])
    identify = next(m for m in standin.gateway_log if m["op"] == 2)
    assert identify["d"]["intents"] & (1 << 15)  # message_content requested
    chatter = await standin.message("good morning all")
    question = await standin.message("how many died in Paris?")
    await wait_reply_to(standin, question)
    await asyncio.sleep(0.2)
    assert [str(r.body["message_reference"]["message_id"]) for r in channel_posts(standin)] == [question["id"]]
    assert chatter["id"] != question["id"]


async def test_mention_cooldown(standin, start_bot):
    await start_bot(ask_cooldown_seconds=60)
    first = await standin.message("how many died?", mention=True)
    await wait_reply_to(standin, first)
    second = await standin.message("how many died?", mention=True)
    reply = await wait_reply_to(standin, second)
    assert "try again in" in reply.body["content"]
    # the slash command shares the user's cooldown
    interaction = await standin.interaction("ask", {"question": "how many died?"})
    [response] = await standin.wait_response(interaction)
    assert response.payload["flags"] & 64 and "try again in" in response.payload["content"]


async def test_quoted_mentions_never_ping(standin, start_bot, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "notice.txt").write_text(
        "Club notice\n\n@everyone the meeting about the *garden* moves to Friday, says <@123> and @here.\n")
    index = IndexSettings(_env_file=None, content=[content], index_path=tmp_path / "index.sqlite3")
    Engine.from_settings(index).build(author="tests")
    await start_bot(index=index, handlers=Handlers(index))
    interaction = await standin.interaction("ask", {"question": "When does the garden meeting move?"})
    [response] = await standin.wait_response(interaction)
    description = response.payload["embeds"][0]["description"]
    assert "@everyone" in description and "\\*garden\\*" in description and "\\<@123\\>" in description
    message = await standin.message("@everyone when does the garden meeting move?", mention=True)
    reply = await wait_reply_to(standin, message)
    assert "@everyone" in reply.body["embeds"][0]["description"]
    outgoing = [r for r in standin.requests if r.method in ("POST", "PATCH") and r.status == 200
                and ("/messages" in r.path or "/callback" in r.path or r.path.startswith("/webhooks/"))]
    assert outgoing and all(r.payload["allowed_mentions"]["parse"] == [] for r in outgoing)


async def test_rate_limited_reply_is_retried(standin, start_bot):
    await start_bot()
    standin.rate_limit("POST", r"^/channels/\d+/messages$", times=1, retry_after=0.05)
    message = await standin.message("how many died?", mention=True)
    await wait_reply_to(standin, message)
    attempts = [r for r in standin.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert [r.status for r in attempts] == [429, 200]


async def test_rate_limited_interaction_callback_is_retried(standin, start_bot):
    await start_bot()
    standin.rate_limit("POST", r"^/interactions/\d+/[^/]+/callback$", times=1, retry_after=0.05)
    interaction = await standin.interaction("ask", {"question": "Who is Hollande?"})
    [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4
    attempts = [r for r in standin.requests if r.path.endswith("/callback")]
    assert [r.status for r in attempts] == [429, 200]


async def test_resumes_after_the_gateway_drops(standin, start_bot):
    bot = await start_bot(reconnect=True)
    resumed = asyncio.create_task(bot.wait_for("resumed", timeout=10))
    await asyncio.sleep(0)
    await standin.drop()
    await resumed  # the client reconnected and sent RESUME; the stand-in answered RESUMED
    assert any(m.get("op") == 6 for m in standin.gateway_log)
    assert sum(1 for m in standin.gateway_log if m.get("op") == 2) == 1  # resumed, not identified again
    interaction = await standin.interaction("ask", {"question": "Who is Hollande?"})
    [response] = await standin.wait_response(interaction)
    assert response.body["type"] == 4
    assert not bot.is_closed()
