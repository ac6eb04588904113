"""Command sync: on purpose, with the schema Discord needs; at start only when the commands changed."""
from __future__ import annotations

import json

from discord import app_commands

from bot import sync

from .standin import Request


def puts(standin) -> list[Request]:
    return [r for r in standin.requests if r.method == "PUT"]


async def test_sync_sends_the_command_schema(standin, start_bot):
    bot = await start_bot()
    await sync.sync_commands(bot, standin.guild_id)
    [put] = puts(standin)
    assert put.path == f"/applications/{standin.app_id}/guilds/{standin.guild_id}/commands"
    commands = {c["name"]: c for c in put.body}
    assert set(commands) == {"ask", "summary", "reindex", "status", "content", "help"}
    ask = {o["name"]: o for o in commands["ask"]["options"]}
    assert ask["question"]["type"] == 3 and ask["question"]["required"]
    assert ask["private"]["type"] == 5 and not ask["private"].get("required", False)
    summary = {o["name"]: o for o in commands["summary"]["options"]}
    assert summary["sentences"]["min_value"] == 1 and summary["sentences"]["max_value"] == 10
    assert summary["section"]["autocomplete"] is True
    assert int(commands["reindex"]["default_member_permissions"]) == 1 << 5  # Manage Server
    assert commands["ask"]["default_member_permissions"] is None
    content = commands["content"]
    assert int(content["default_member_permissions"]) == 1 << 5
    subcommands = {o["name"]: o for o in content["options"]}
    assert set(subcommands) == {"add", "list", "remove", "history", "feedback", "gaps", "rollback", "scope", "unscope",
                                "follow", "unfollow", "feeds"}
    assert [(o["name"], o["type"], o["required"]) for o in subcommands["follow"]["options"]] == [("url", 3, True)]
    assert [o["autocomplete"] for o in subcommands["unfollow"]["options"]] == [True]
    scope = {o["name"]: o for o in subcommands["scope"]["options"]}
    assert scope["channel"]["type"] == 7 and scope["documents"]["autocomplete"] is True  # 7: a channel
    add = {o["name"]: o for o in subcommands["add"]["options"]}
    assert add["attachment"]["type"] == 11 and add["url"]["type"] == 3  # 11: an attachment
    assert [o["autocomplete"] for o in subcommands["remove"]["options"]] == [True]
    assert subcommands["rollback"]["options"][0]["type"] == 4 and subcommands["rollback"]["options"][0]["min_value"] == 1
    state = json.loads(sync.state_path(bot).read_text())
    assert state[f"guild:{standin.guild_id}"] == sync.command_hash(bot)


async def test_global_sync(standin, start_bot):
    bot = await start_bot()
    await sync.sync_commands(bot)
    [put] = puts(standin)
    assert put.path == f"/applications/{standin.app_id}/commands"


async def test_start_syncs_only_when_the_commands_changed(standin, start_bot, tmp_path, index_settings):
    index = index_settings.model_copy(update={"index_path": tmp_path / "verbatim.sqlite3"})
    bot = await start_bot(index=index, sync_on_change=True, guild_ids=[standin.guild_id])
    assert len(puts(standin)) == 1  # first start: never synced before
    await bot.close()
    bot = await start_bot(index=index, sync_on_change=True, guild_ids=[standin.guild_id])
    assert len(puts(standin)) == 1  # unchanged: not synced again

    @app_commands.command(name="extra", description="a new command")
    async def extra(interaction):  # pragma: no cover - never invoked
        pass

    bot.tree.add_command(extra)
    assert await sync.sync_if_changed(bot) == [f"guild:{standin.guild_id}"]
    assert len(puts(standin)) == 2
    assert "extra" in {c["name"] for c in puts(standin)[-1].body}
