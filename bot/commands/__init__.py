"""The slash commands, by area (ask, summary, admin, content, and in its group scopes: /content scope,
and feeds: /content follow); common.py holds how a command answers within Discord's 3 seconds."""
from __future__ import annotations

import discord


def all_commands() -> list[discord.app_commands.Command | discord.app_commands.Group]:
    from . import admin, ask, content, feeds, scopes, summary
    return [*ask.COMMANDS, *summary.COMMANDS, *admin.COMMANDS, *content.COMMANDS, *scopes.COMMANDS, *feeds.COMMANDS]
