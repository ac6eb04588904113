"""Who is a moderator: checked at run time on every moderator command.

`default_permissions(manage_guild=True)` on those commands only hides them from other members
by default; server admins can change that, so the check here is what actually decides.
"""
from __future__ import annotations

import discord
from discord import app_commands


class NotModerator(app_commands.CheckFailure):
    """The user may not run a moderator command."""


def is_moderator(user: discord.abc.User, permissions: discord.Permissions | None,
                 moderator_role_ids: list[int]) -> bool:
    if permissions is not None and (permissions.manage_guild or permissions.administrator):
        return True
    roles = getattr(user, "roles", None) or []
    return any(role.id in moderator_role_ids for role in roles)


async def moderator_only(interaction: discord.Interaction) -> bool:
    """app_commands check: Manage Server, or a role in VERBATIM_MODERATOR_ROLE_IDS."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    settings = interaction.client.settings  # type: ignore[attr-defined]
    if is_moderator(interaction.user, interaction.permissions, settings.moderator_role_ids):
        return True
    raise NotModerator("only moderators may run this command")
