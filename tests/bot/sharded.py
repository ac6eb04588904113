"""The Discord stand-in with a sharded gateway, and bot processes that run shards of it.

Each connection identifies with `shard: [id, count]` and gets the servers Discord would send it,
those whose `(guild_id >> 22) % count` is its id; an event for a server goes down its shard's
connection only. The stand-in's two servers are on different shards."""
from __future__ import annotations

import asyncio
import json
import os
import sys

from .standin import ROOT, StandIn


class ShardedStandIn(StandIn):
    def __init__(self, shard_count: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.shard_count = shard_count
        self.other_guild_id = self.guild_id + (1 << 22)  # the next shard
        self._sockets: dict[int, object] = {}

    def shard_of(self, guild_id: int) -> int:
        return (guild_id >> 22) % self.shard_count

    async def _identified(self, ws, data: dict) -> None:
        shard_id, count = data.get("shard") or (0, 1)
        if data.get("token") != self.token or count != self.shard_count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return
        self.intents = data.get("intents", 0)
        self._sockets[shard_id] = ws
        guilds = [g for g in (self.guild_id, self.other_guild_id) if self.shard_of(g) == shard_id]
        await self._send(ws, "READY", {
            "v": 10, "user": self.bot_user, "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "session_id": f"{self._session}-{shard_id}", "resume_gateway_url": self.gateway_url,
            "shard": [shard_id, count], "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [], "relationships": []})
        for guild_id in guilds:
            await self._send(ws, "GUILD_CREATE", self._guild(guild_id))

    async def dispatch(self, event: str, data: dict) -> None:
        shard = self.shard_of(int(data.get("guild_id") or self.guild_id))
        ws = self._sockets.get(shard)
        if ws is None or ws.closed:
            raise AssertionError(f"shard {shard} is not connected")
        await self._send(ws, event, data)


async def start_shard_process(standin: ShardedStandIn, shard_id: int, database_url: str, **settings: str):
    """`python -m bot --shards N --shard-ids ID` on the PostgreSQL store, ready when it returns."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "VERBATIM_"))}
    env.update(PYTHONPATH=str(ROOT), DISCORD_TOKEN=standin.token, DISCORD_API_BASE=standin.api_base,
               DISCORD_GATEWAY_URL=standin.gateway_url, VERBATIM_DATABASE_URL=database_url,
               VERBATIM_CONTENT=json.dumps([str(ROOT / "content")]), VERBATIM_SYNC_ON_CHANGE="false",
               VERBATIM_LOG_LEVEL="INFO", **settings)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--shards", str(standin.shard_count), "--shard-ids", str(shard_id),
        env=env, cwd=ROOT, stderr=asyncio.subprocess.PIPE)
    seen = []
    while True:  # its log says when the shard's servers are in its cache
        line = await asyncio.wait_for(proc.stderr.readline(), timeout=60)
        seen.append(line.decode(errors="replace"))
        if not line:
            raise AssertionError(f"shard {shard_id} ended: {''.join(seen)}")
        if b"ready as" in line:
            break
    asyncio.get_running_loop().create_task(_drain(proc.stderr))  # keep its pipe from filling
    return proc


async def _drain(stream) -> None:
    while await stream.readline():
        pass
