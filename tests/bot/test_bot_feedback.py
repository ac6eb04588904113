"""Helpful / Wrong under every answer, through the stand-in: one vote a member, kept in the
store, still working after the bot restarts, and read by moderators with /content feedback."""
from __future__ import annotations

import json
import subprocess
import sys

from index.answering import wording
from index.store import answers as remembered

from .standin import MANAGE_GUILD, ROOT
from .test_bot_commands import is_ephemeral

QUESTION = "How many people died in the Paris attacks?"


async def ask(standin) -> tuple[dict, dict[str, str]]:
    """The answer message as sent (components included) and its buttons' custom ids by label."""
    [response] = await standin.wait_response(await standin.interaction("ask", {"question": QUESTION}))
    message = standin.sent_message(response)
    buttons = {c["label"]: c["custom_id"] for row in message["components"] for c in row["components"]}
    return message, buttons


async def press(standin, message: dict, custom_id: str, user_id: int) -> str:
    [response] = await standin.wait_response(await standin.click(custom_id, message, user_id=user_id))
    assert response.body["type"] == 4 and is_ephemeral(response)
    return response.payload["embeds"][0]["description"] if response.payload.get("embeds") else response.payload["content"]


async def test_votes_are_kept_one_a_member_and_survive_a_restart(standin, start_bot, guild_engine):
    bot = await start_bot()
    message, buttons = await ask(standin)
    assert set(buttons) == {"Helpful", "Wrong", "More passages", "Ask more in a thread"}
    answer_id = int(buttons["Wrong"].rsplit(":", 1)[1])

    said = await press(standin, message, buttons["Wrong"], user_id=1001)
    assert "marked this answer wrong" in said and "1 wrong vote" in said
    said = await press(standin, message, buttons["Wrong"], user_id=1001)  # the same member again
    assert "1 wrong vote" in said
    said = await press(standin, message, buttons["Helpful"], user_id=1002)
    assert "1 helpful vote, 1 wrong vote" in said

    await bot.close()  # a new process would be the same: nothing of the old view is kept
    await start_bot()
    said = await press(standin, message, buttons["Wrong"], user_id=1003)
    assert "2 wrong votes" in said
    [tally] = remembered.marked_wrong(guild_engine.store, guild_engine.corpus)
    assert (tally.answer_id, tally.question, tally.wrong, tally.helpful) == (answer_id, QUESTION, 2, 1)
    assert tally.answer == guild_engine.ask(QUESTION).answer and tally.version == guild_engine.stats().version


async def test_moderators_read_the_answers_marked_wrong(standin, start_bot, guild_engine):
    await start_bot()
    message, buttons = await ask(standin)
    await press(standin, message, buttons["Wrong"], user_id=1005)

    [refused] = await standin.wait_response(await standin.interaction("content feedback"))
    assert is_ephemeral(refused) and "moderator" in json.dumps(refused.payload).lower()  # a member is refused
    [final] = await standin.wait_response(await standin.interaction("content feedback", permissions=MANAGE_GUILD))
    embed = final.payload["embeds"][0]
    assert embed["title"] == "Feedback" and is_ephemeral(final)
    [field] = embed["fields"]
    assert field["name"] == QUESTION and "1 wrong, 0 helpful" in field["value"]


async def test_private_answers_have_no_buttons(standin, start_bot):
    await start_bot()
    interaction = await standin.interaction("ask", {"question": QUESTION, "private": True})
    [response] = await standin.wait_response(interaction)
    assert is_ephemeral(response) and not response.payload.get("components")


def test_feedback_export_is_jsonl(tmp_path, engine):
    result = engine.ask(QUESTION)
    answer_id = engine.remember(result)
    engine.vote(answer_id, "1001", "wrong")
    engine.remember(engine.ask("Who is Peskov?"))  # no votes: not exported
    done = subprocess.run([sys.executable, "-m", "index", "feedback", "--export", "--index", str(engine.store.path),
                           "--corpus", engine.corpus],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [row] = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["question"] == QUESTION and row["answer"] == result.answer and row["wrong"] == 1
    assert row["passage"] == result.passages[0].text and row["corpus"] == engine.corpus


async def test_more_passages_pages_on_without_asking_again(standin, start_bot, guild_engine):
    await start_bot()
    message, buttons = await ask(standin)
    assert set(buttons) == {"Helpful", "Wrong", "More passages", "Ask more in a thread"}
    shown = [q for q in guild_engine.ask(QUESTION, k=9).passages]
    [response] = await standin.wait_response(await standin.click(buttons["More passages"], message))
    assert is_ephemeral(response)
    page = response.payload["embeds"][0]
    assert page["title"] == QUESTION and "Passages 4 to 6" in page["description"]
    assert shown[3].text[:60] in page["description"] and shown[0].text[:60] not in page["description"]
    further = standin.sent_message(response)
    more = {c["label"]: c["custom_id"] for row in further["components"] for c in row["components"]}
    assert set(more) == {"More passages"}  # votes stay under the answer itself
    [response] = await standin.wait_response(await standin.click(more["More passages"], further))
    assert shown[6].text[:60] in response.payload["embeds"][0]["description"]


async def open_thread(standin) -> int:
    message, buttons = await ask(standin)
    [response] = await standin.wait_response(await standin.click(buttons["Ask more in a thread"], message))
    assert is_ephemeral(response)
    [thread_id] = standin.threads
    assert "follow-up questions in the thread" in json.dumps(response.payload)
    return thread_id


async def thread_reply(standin, thread_id: int, text: str, mention: bool = True) -> dict:
    sent = await standin.message(text, mention=mention, channel_id=thread_id)
    reply = await standin.wait_for(lambda r: getattr(r, "method", None) == "POST"
                                   and r.path == f"/channels/{thread_id}/messages"
                                   and r.payload.get("message_reference", {}).get("message_id") in (sent["id"], int(sent["id"])),
                                   what="the bot's reply in the thread")
    return reply.payload


async def test_a_thread_reads_follow_ups_with_the_answer_before(standin, start_bot, guild_engine):
    await start_bot()
    thread_id = await open_thread(standin)
    spelled = guild_engine.ask("How many people were killed in the Bataclan concert hall?")
    assert spelled.answer
    said = await thread_reply(standin, thread_id, "and how many were killed in the Bataclan concert hall?")
    assert said["embeds"][0]["description"].startswith(f"**{spelled.answer}**")
    # the next follow-up follows on from this answer, not the first one
    said = await thread_reply(standin, thread_id, "what about Ankara?")
    wanted = guild_engine.ask("How many were killed in Ankara?")  # the last question, spelled out
    description = said["embeds"][0]["description"]
    assert description.startswith(f"**{wanted.answer}**" if wanted.answer else wording.NO_SHORT_ANSWER)
    assert wanted.passages[0].text[:50] in description.replace("\u00a0", " ") and "Ankara" in description
    buttons = {c["label"] for row in said.get("components", []) for c in row["components"]}
    assert buttons == {"Helpful", "Wrong", "More passages"}  # no thread inside a thread


async def test_without_the_intent_only_mentions_are_answered_in_a_thread(standin, start_bot):
    await start_bot()
    thread_id = await open_thread(standin)
    before = len(standin.requests)
    await standin.message("and how many were injured?", mention=False, channel_id=thread_id)
    await thread_reply(standin, thread_id, "and who is Peskov?")  # a mention is answered
    unanswered = [r for r in standin.requests[before:] if r.method == "POST" and r.path.endswith(f"{thread_id}/messages")]
    assert len(unanswered) == 1  # the reply to the mention only


async def test_with_the_intent_every_message_in_a_thread_is_answered(standin, start_bot):
    await start_bot(thread_every_message=True)
    thread_id = await open_thread(standin)
    said = await thread_reply(standin, thread_id, "and who is Peskov?", mention=False)
    assert "Peskov" in said["embeds"][0]["description"]
