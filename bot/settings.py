"""The bot's settings, from the environment and `.env` (pydantic-settings).

The engine's own settings (content, index path, corpus, ...) stay in `index.settings.IndexSettings`;
these are only what the Discord side adds. Invalid values are reported by
`index.settings.load_settings`: one line naming the key, exit 2.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Ids = Annotated[list[int], NoDecode]


def _ids(value):
    """`1,2,3`, `[1, 2, 3]` or a list: Discord ids (snowflakes)."""
    if isinstance(value, str):
        text = value.strip().strip("[]")
        value = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    out = []
    for part in value:
        try:
            out.append(int(part))
        except (TypeError, ValueError):
            raise ValueError(f"{part!r} is not a Discord id (a number); separate ids with commas") from None
    return out


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True,
                                      hide_input_in_errors=True)

    token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN",
                                    description="the bot token (a secret: never logged)")
    api_base: str | None = Field(default=None, validation_alias="DISCORD_API_BASE",
                                 description="REST base URL, e.g. http://127.0.0.1:8080/api/v10")
    gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL",
                                    description="gateway websocket URL, e.g. ws://127.0.0.1:8080/gateway")
    guild_ids: Ids = Field(default=[], validation_alias="DISCORD_GUILD_IDS",
                           description="development guilds: commands are synced there, not globally")
    moderator_role_ids: Ids = Field(default=[], validation_alias="VERBATIM_MODERATOR_ROLE_IDS",
                                    description="roles that may /reindex besides Manage Server")
    answer_channel_ids: Ids = Field(default=[], validation_alias="VERBATIM_ANSWER_CHANNEL_IDS",
                                    description="channels where every question is answered "
                                                "(needs the message_content intent)")
    thread_every_message: bool = Field(default=False, validation_alias="VERBATIM_THREAD_EVERY_MESSAGE",
                                       description="in its follow-up threads, answer every message, not only "
                                                   "those that mention the bot (needs the message_content intent)")
    answer_dms: bool = Field(default=False, validation_alias="VERBATIM_ANSWER_DMS",
                             description="answer questions in direct messages (from the default content)")
    ask_cooldown_seconds: float = Field(default=5.0, ge=0.0, le=3600.0,
                                        validation_alias="VERBATIM_ASK_COOLDOWN_SECONDS",
                                        description="per user, between questions; 0 turns it off")
    shard_count: int | None = Field(default=None, ge=1, le=10_000, validation_alias="DISCORD_SHARD_COUNT",
                                    description="gateway shards of the whole bot; empty: one process, unsharded")
    shard_ids: Ids = Field(default=[], validation_alias="DISCORD_SHARD_IDS",
                           description="the shards this process runs, e.g. 0,1 or 0-3; empty: all of them")
    feed_poll_minutes: float = Field(default=60.0, ge=0.0, le=10_080, validation_alias="VERBATIM_FEED_POLL_MINUTES",
                                     description="how often the bot polls the followed feeds (when "
                                                 "VERBATIM_ALLOW_URLS is on); 0 turns polling off")
    sync_on_change: bool = Field(default=True, validation_alias="VERBATIM_SYNC_ON_CHANGE",
                                 description="at start, sync the commands if they changed since the last sync")

    @field_validator("guild_ids", "moderator_role_ids", "answer_channel_ids", mode="before")
    @classmethod
    def _split_ids(cls, value):
        return _ids(value)

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_range(cls, value):
        """`0,1`, `0-3` or a list."""
        if isinstance(value, str) and "-" in value:
            first, _, last = value.partition("-")
            try:
                return list(range(int(first), int(last) + 1))
            except ValueError:
                raise ValueError(f"{value!r} is not a range of shard ids, e.g. 0-3") from None
        return _ids(value)

    @field_validator("shard_count", mode="before")
    @classmethod
    def _blank_count(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _ids_within_count(self):
        if self.shard_ids and self.shard_count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (how many shards in all)")
        wrong = [i for i in self.shard_ids if self.shard_count is not None and not 0 <= i < self.shard_count]
        if wrong:
            raise ValueError(f"shard ids {wrong} are not within 0-{self.shard_count - 1} (DISCORD_SHARD_COUNT)")
        return self

    @field_validator("token", mode="before")
    @classmethod
    def _blank_token(cls, value):
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("api_base")
    @classmethod
    def _http(cls, value):
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("gateway_url")
    @classmethod
    def _ws(cls, value):
        if value is not None and not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value
