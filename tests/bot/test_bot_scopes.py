"""Channel scopes end to end on the Discord stand-in and in the console: a moderator binds a
channel to one of a made-up server's two documents, and /ask, mentions, More passages and
follow-up threads there are answered from it alone; other channels are not; /status shows it;
it outlives the bot's restart and the console's process."""
from __future__ import annotations

import pytest

from index.answering import wording
from index.engine import Engine
from index.settings import IndexSettings
from tests.index.content.test_scopes import ABOUT_NORTH, ABOUT_SOUTH, NORTH, SOUTH, capes_in

from .standin import MANAGE_GUILD, Request
from .test_bot_cli import env_for, run_bot
from .test_bot_commands import is_ephemeral
from .test_bot_feedback import thread_reply
from .test_bot_rendering import unescape


@pytest.fixture
def capes(tmp_path) -> IndexSettings:
    """An index whose default content, and so each server's copy of it, is two documents."""
    settings = IndexSettings(_env_file=None, content=[capes_in(tmp_path)], index_path=tmp_path / "capes.sqlite3")
    Engine.from_settings(settings).build(author="tests")
    return settings


async def answer_to(standin, question: str, **where) -> Request:
    """The answer's request (its embed), whether it came at once or after "thinking…"."""
    interaction = await standin.interaction("ask", {"question": question}, **where)
    await standin.wait_for(lambda r: any(x.payload.get("embeds") for x in standin.responses_to(interaction)),
                           what=f"the answer to {question!r}")
    return next(x for x in standin.responses_to(interaction) if x.payload.get("embeds"))


async def said(standin, question: str, **where) -> str:
    return (await answer_to(standin, question, **where)).payload["embeds"][0]["description"]


async def moderator(standin, name: str, options: dict, **kwargs) -> Request:
    [reply] = await standin.wait_response(await standin.interaction(name, options, permissions=MANAGE_GUILD, **kwargs))
    assert is_ephemeral(reply)
    return reply


def scope_of(capes: IndexSettings, standin, channel: int) -> tuple[str, ...] | None:
    return Engine.from_settings(capes).content.scope_of(f"guild-{standin.guild_id}", str(channel))


async def test_a_scoped_channel_answers_from_its_documents(standin, start_bot, capes):
    bot = await start_bot(index=capes)
    assert (await said(standin, ABOUT_NORTH)).startswith("**4,312**")

    [refused] = await standin.wait_response(await standin.interaction(
        "content scope", {"channel": standin.channel(), "documents": "south.txt"}))  # not a moderator
    assert is_ephemeral(refused) and "Only moderators" in refused.payload["content"]
    assert scope_of(capes, standin, standin.channel_id) is None
    reply = await moderator(standin, "content scope", {"channel": standin.channel(), "documents": "South.txt"})
    embed = reply.payload["embeds"][0]
    assert unescape(embed["title"]) == "Scope of #general" and "1 document only: south.txt" in embed["description"]
    assert scope_of(capes, standin, standin.channel_id) == ("south.txt",)

    north = await said(standin, ABOUT_NORTH)
    assert north.startswith(wording.NOT_SAID) and "4,312" not in north and "South Cape notes" in north
    assert (await said(standin, ABOUT_SOUTH)).startswith("**1,870**")
    assert (await said(standin, ABOUT_NORTH, channel_id=standin.other_channel_id)).startswith("**4,312**")
    mentioned = await thread_reply(standin, standin.channel_id, ABOUT_NORTH)  # a mention in the channel
    assert mentioned["embeds"][0]["description"].startswith(wording.NOT_SAID)

    [status] = await standin.wait_response(await standin.interaction("status"))
    fields = {f["name"]: unescape(f["value"]) for f in status.payload["embeds"][0]["fields"]}
    assert fields["Channel scopes"] == "#general: south.txt"

    await bot.close()  # the scope is in the store, not in the process
    await start_bot(index=capes)
    assert (await said(standin, ABOUT_NORTH)).startswith(wording.NOT_SAID)
    reply = await moderator(standin, "content unscope", {"channel": standin.channel()})
    assert "now answered from every document" in reply.payload["embeds"][0]["description"]
    assert (await said(standin, ABOUT_NORTH)).startswith("**4,312**")


async def test_more_passages_and_threads_follow_the_channel(standin, start_bot, capes):
    await start_bot(index=capes)
    await moderator(standin, "content scope", {"channel": standin.channel(), "documents": "south.txt"})
    answer = await answer_to(standin, ABOUT_SOUTH)
    message = standin.sent_message(answer)
    buttons = {c["label"]: c["custom_id"] for row in message["components"] for c in row["components"]}
    [more] = await standin.wait_response(await standin.click(buttons["More passages"], message))
    assert more.payload["content"] == "There are no more passages for this question."  # the other document's are not
    [opened] = await standin.wait_response(await standin.click(buttons["Ask more in a thread"], message))
    assert is_ephemeral(opened)
    [thread_id] = standin.threads
    follow_up = await thread_reply(standin, thread_id, "and how many did Amina Oyelaran count?")
    description = follow_up["embeds"][0]["description"]
    assert description.startswith(wording.NOT_SAID) and "4,312" not in description
    in_thread = await said(standin, ABOUT_NORTH, channel_id=thread_id)  # /ask in the thread: its channel's scope
    assert in_thread.startswith(wording.NOT_SAID) and "4,312" not in in_thread


async def test_bad_names_change_nothing_and_status_says_what_is_gone(standin, start_bot, capes):
    await start_bot(index=capes)
    reply = await moderator(standin, "content scope", {"channel": standin.channel(),
                                                       "documents": "south.txt, nowhere.txt"})
    assert "'nowhere.txt'" in reply.payload["content"] and "nothing was changed" in reply.payload["content"]
    assert scope_of(capes, standin, standin.channel_id) is None

    complete = await standin.interaction("content scope", {"channel": standin.channel(), "documents": "north.txt, so"},
                                         kind=4, focused="documents", permissions=MANAGE_GUILD)
    [choices] = await standin.wait_response(complete)
    assert [c["value"] for c in choices.body["data"]["choices"]] == ["north.txt, south.txt"]
    hidden = await standin.interaction("content scope", {"channel": standin.channel(), "documents": ""},
                                       kind=4, focused="documents")
    [nothing] = await standin.wait_response(hidden)
    assert nothing.body["data"]["choices"] == []  # names are for moderators only

    channel = standin.channel(standin.other_channel_id)
    await moderator(standin, "content scope", {"channel": channel, "documents": "north.txt,south.txt"})
    removal = await standin.interaction("content remove", {"document": "south.txt"}, permissions=MANAGE_GUILD)
    await standin.wait_for(lambda r: any(x.payload.get("embeds") for x in standin.responses_to(removal)),
                           what="the removal")
    [status] = await standin.wait_response(await standin.interaction("status"))
    fields = {f["name"]: unescape(f["value"]) for f in status.payload["embeds"][0]["fields"]}
    assert fields["Channel scopes"] == "#news: north.txt (no longer in the content: south.txt)"
    assert (await said(standin, ABOUT_NORTH, channel_id=standin.other_channel_id)).startswith("**4,312**")


def test_the_console_keeps_its_scope_across_processes(capes, tmp_path):
    env = env_for(capes)
    first = run_bot(["--console"], env, tmp_path, f"/content scope documents:nowhere.txt\n"
                    f"/content scope documents:south.txt\n{ABOUT_NORTH}\n")
    assert first.returncode == 0, first.stderr
    assert "'nowhere.txt'" in first.stdout and "Scope of the console" in first.stdout
    assert wording.NOT_SAID in first.stdout.split("Scope of the console")[1]  # its question, scoped at once
    second = run_bot(["--console"], env, tmp_path, f"{ABOUT_NORTH}\n{ABOUT_SOUTH}\n/status\n/content unscope\n"
                     f"{ABOUT_NORTH}\n")
    assert second.returncode == 0, second.stderr
    out = second.stdout
    refused, answered, status, unscoped, again = out.split("\n\n")[:5]
    assert refused.startswith(wording.NOT_SAID) and "4,312" not in refused
    assert answered.startswith("Answer: 1,870")
    assert "Channel scopes: the console: south.txt" in status
    assert "now answered from every document" in unscoped and again.startswith("Answer: 4,312")
    assert "Traceback" not in first.stderr + second.stderr


async def test_summary_and_its_sections_follow_the_channel(standin, start_bot, tmp_path):
    folder = tmp_path / "headed"
    folder.mkdir()
    (folder / "north.md").write_text("# North Cape\n\n## Storks of the north\n\n" + NORTH.split("\n\n", 1)[1])
    (folder / "south.md").write_text("# South Cape\n\n## Storks of the south\n\n" + SOUTH.split("\n\n", 1)[1])
    settings = IndexSettings(_env_file=None, content=[folder], index_path=tmp_path / "headed.sqlite3")
    Engine.from_settings(settings).build(author="tests")
    await start_bot(index=settings)
    await moderator(standin, "content scope", {"channel": standin.channel(), "documents": "south.md"})

    async def summary_here(**where) -> str:
        [response] = await standin.wait_response(await standin.interaction("summary", {"sentences": 4}, **where))
        return unescape(response.payload["embeds"][0]["description"])

    scoped = await summary_here()
    assert "Tomas Reyes" in scoped and "Amina Oyelaran" not in scoped and "north.md" not in scoped
    everywhere = await summary_here(channel_id=standin.other_channel_id)
    assert "Tomas Reyes" in everywhere and "Amina Oyelaran" in everywhere

    async def sections_offered(**where) -> list[str]:
        complete = await standin.interaction("summary", {"section": ""}, kind=4, focused="section", **where)
        [choices] = await standin.wait_response(complete)
        return [c["value"] for c in choices.body["data"]["choices"]]

    assert await sections_offered() == ["Storks of the south"]
    assert sorted(await sections_offered(channel_id=standin.other_channel_id)) == ["Storks of the north",
                                                                                   "Storks of the south"]
