"""The slash commands, by area (ask, summary, admin, content, and scopes: /content scope); common.py
holds how a command answers within Discord's 3 seconds."""
from __future__ import annotations

import discord


def all_commands() -> list[discord.app_commands.Command | discord.app_commands.Group]:
    from . import admin, ask, content, scopes, summary
    return [*ask.COMMANDS, *summary.COMMANDS, *admin.COMMANDS, *content.COMMANDS, *scopes.COMMANDS]
