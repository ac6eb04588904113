"""Two bot processes, each running one of two gateway shards against the sharded stand-in, on one
PostgreSQL store: each answers its own server, both answer many questions at once, a version
published elsewhere is answered at once, one member's cooldown holds across both, and killing one
process leaves the other answering."""
from __future__ import annotations

import asyncio
import contextlib
import signal

import pytest

from index.engine import Engine
from index.settings import IndexSettings
from index.store.postgres import PostgresStore

from .sharded import ShardedStandIn, start_shard_process
from .standin import ROOT

QUESTION = "How many people died in the Paris attacks?"


@pytest.fixture
async def sharded():
    server = await ShardedStandIn(shard_count=2).start()
    yield server
    await server.stop()


async def final_response(sharded, interaction, timeout: float):
    """The answer to an interaction: its response, or when the bot deferred it (work past a second,
    as under load) the follow-up that came after."""
    # A slow machine may have both the deferral and its follow-up by the time this looks.
    first = (await sharded.wait_response(interaction, timeout=timeout))[0]
    if (first.body or {}).get("type") != 5:
        return first
    return (await sharded.wait_response(interaction, count=2, timeout=timeout))[-1]


def answered_embed(response) -> str:
    embeds = response.payload.get("embeds") or []
    assert embeds, response.payload
    return embeds[0].get("description", "") + " ".join(f.get("value", "") for f in embeds[0].get("fields", []))


async def test_two_shard_processes_share_one_store(sharded, postgres_url, tmp_path):
    settings = IndexSettings(_env_file=None, content=[ROOT / "content"], index_path=tmp_path / "unused.sqlite3")
    store = PostgresStore(postgres_url)
    Engine(store, settings=settings).build(author="tests")
    assert sharded.shard_of(sharded.guild_id) != sharded.shard_of(sharded.other_guild_id)
    processes = await asyncio.gather(*(start_shard_process(sharded, shard, postgres_url,
                                                           VERBATIM_ASK_COOLDOWN_SECONDS="60")
                                       for shard in range(2)))
    try:
        # Each server's question goes down its own shard's connection, and is answered.
        first = await sharded.interaction("ask", {"question": QUESTION}, user_id=1, guild_id=sharded.guild_id)
        second = await sharded.interaction("ask", {"question": QUESTION}, user_id=2, guild_id=sharded.other_guild_id)
        for interaction in (first, second):
            assert "128" in answered_embed(await final_response(sharded, interaction, timeout=30))

        # Many at once, across both processes: every one answered.
        burst = [await sharded.interaction("ask", {"question": QUESTION}, user_id=100 + n,
                                           guild_id=(sharded.guild_id, sharded.other_guild_id)[n % 2])
                 for n in range(40)]
        responses = await asyncio.gather(*(final_response(sharded, i, timeout=60) for i in burst))
        assert all("128" in answered_embed(r) for r in responses)

        # A version another process publishes (here the CLI's engine) is what the next question reads.
        corpus = f"guild-{sharded.other_guild_id}"
        extra = tmp_path / "ferry.txt"
        extra.write_text("Ferry news\n\nThe ferry Astrid carried 412 passengers across the Kettle Sound.\n")
        Engine(store, corpus, settings).content.add_files(corpus, "mod", [extra])
        asked = await sharded.interaction("ask", {"question": "How many passengers did the Astrid carry?"},
                                          user_id=3, guild_id=sharded.other_guild_id)
        assert "412" in answered_embed(await final_response(sharded, asked, timeout=30))

        # One member, one cooldown, whichever process hears the question.
        mine = await sharded.interaction("ask", {"question": QUESTION}, user_id=77, guild_id=sharded.guild_id)
        await sharded.wait_response(mine, timeout=30)
        again = await sharded.interaction("ask", {"question": QUESTION}, user_id=77, guild_id=sharded.other_guild_id)
        [response] = await sharded.wait_response(again, timeout=30)
        assert "try again in" in response.payload.get("content", "")

        # The first server's process killed: the other one still answers its own server.
        killed = processes[sharded.shard_of(sharded.guild_id)]
        killed.send_signal(signal.SIGKILL)
        await killed.wait()
        later = await sharded.interaction("ask", {"question": QUESTION}, user_id=4, guild_id=sharded.other_guild_id)
        assert "128" in answered_embed(await final_response(sharded, later, timeout=30))
    finally:
        for proc in processes:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            await proc.wait()
        store.close()
