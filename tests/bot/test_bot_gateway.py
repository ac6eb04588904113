"""Login, ready, and the gateway: the real discord.py client against the stand-in."""
from __future__ import annotations


async def test_login_and_ready(standin, start_bot):
    bot = await start_bot()
    assert bot.user is not None and str(bot.user.id) == standin.bot_user["id"]
    assert bot.application_id == standin.app_id
    assert sorted(g.id for g in bot.guilds) == sorted([standin.guild_id, standin.other_guild_id])
    identify = next(m for m in standin.gateway_log if m["op"] == 2)
    assert identify["d"]["intents"] & (1 << 15) == 0  # no privileged message_content by default
    paths = [r.path for r in standin.requests]
    assert "/users/@me" in paths and "/oauth2/applications/@me" in paths
    assert not any(r.method == "PUT" for r in standin.requests)  # never syncs unless asked
