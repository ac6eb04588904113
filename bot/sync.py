"""Command sync: on purpose (`python -m bot sync [--guild ID]`), or at start when the commands changed.

The daily quota for creating commands is small, so the bot never syncs on every start: it keeps a
hash of the command set it last synced, per scope (global or a guild), beside the index.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import discord

log = logging.getLogger(__name__)

STATE_FILE = "bot-commands.json"


def state_path(bot) -> Path:
    return Path(bot.index_settings.index_path).parent / STATE_FILE


def scope_name(guild_id: int | None) -> str:
    return f"guild:{guild_id}" if guild_id else "global"


def command_hash(bot) -> str:
    """A hash of the command schema (the bot's commands are global; a guild sync copies them)."""
    tree = bot.tree
    payload = sorted((c.to_dict(tree) for c in tree.get_commands()), key=lambda c: (c.get("type", 1), c["name"]))
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _store(path: Path, scope: str, digest: str) -> None:
    state = _load(path)
    state[scope] = digest
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True))
    tmp.replace(path)


async def sync_commands(bot, guild_id: int | None = None) -> list:
    """Sync to one guild (development: instant) or globally (production), and record the hash."""
    digest = command_hash(bot)
    if guild_id:
        guild = discord.Object(guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
    else:
        synced = await bot.tree.sync()
    _store(state_path(bot), scope_name(guild_id), digest)
    log.info("synced %d commands (%s) %s", len(synced), ", ".join(sorted(c.name for c in synced)),
             f"to guild {guild_id}" if guild_id else "globally")
    return synced


async def sync_if_changed(bot) -> list[str]:
    """At start: sync each scope (the development guilds, else global) whose commands changed."""
    state = _load(state_path(bot))
    synced = []
    for guild_id in bot.settings.guild_ids or [None]:
        scope = scope_name(guild_id)
        if state.get(scope) == command_hash(bot):
            log.debug("commands unchanged for %s; not synced", scope)
            continue
        try:
            await sync_commands(bot, guild_id)
            synced.append(scope)
        except discord.HTTPException as exc:
            log.warning("could not sync the commands for %s: %s", scope, exc)
    return synced
