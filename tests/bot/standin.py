"""A stand-in for Discord on 127.0.0.1: REST and the gateway websocket on one port (aiohttp).

Just enough of Discord for the real discord.py client: login, the application, command sync,
interaction callbacks and follow-ups, channel messages, a gateway that identifies, resumes and
dispatches events, and a CDN on a port of its own serving the files attached to commands (as
Discord delivers attachments: a URL and an announced size). Everything the bot sends is recorded
for the tests to inspect; events are injected with `interaction()` and `message()`. See /work/shared/notes/discord-loopback.md.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import WSMsgType, web

ROOT = Path(__file__).resolve().parents[2]  # the repository
TIMEOUT = 10.0  # waits are generous: the machine may be slow and noisy; no test asserts on timing
DISCORD_EPOCH_MS = 1420070400000
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
_counter = itertools.count()


def snowflake() -> int:
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) % 4096)


def iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def _token_of(path: str) -> str | None:
    """The interaction token in a callback or follow-up path."""
    m = re.match(r"/interactions/\d+/([^/]+)/callback$|/webhooks/\d+/([^/]+)", path)
    return (m.group(1) or m.group(2)) if m else None


def user(uid: int, name: str, bot: bool = False) -> dict:
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": None,
            "avatar": None, "bot": bot, "public_flags": 0}


@dataclass
class Request:
    method: str
    path: str           # without the /api/v10 prefix
    query: dict
    body: dict | list | None
    headers: dict
    at: float = field(default_factory=time.perf_counter)
    status: int = 200

    @property
    def payload(self) -> dict:
        """The message part of the body: `data` of an interaction callback, else the body."""
        if isinstance(self.body, dict) and "type" in self.body and "data" in self.body:
            return self.body["data"] or {}
        return self.body if isinstance(self.body, dict) else {}


class StandIn:
    def __init__(self, token: str = "test-token"):
        self.token = token
        self.app_id = snowflake()
        self.bot_user = user(snowflake(), "Verbatim", bot=True)
        self.owner = user(snowflake(), "Owner")
        self.guild_id = snowflake()
        self.other_guild_id = snowflake()  # a second server the bot is in
        self.channel_id = snowflake()
        self.other_channel_id = snowflake()  # a second text channel of the first server
        self.moderator_role_id = snowflake()
        self.requests: list[Request] = []
        self.gateway_log: list[dict] = []  # what the client sent on the gateway
        self.sent_at: dict[str, float] = {}  # interaction id -> when INTERACTION_CREATE was sent
        self.rate_limits: list[list] = []  # [method, path regex, times, retry_after]
        self._socket: web.WebSocketResponse | None = None
        self._seq = 0
        self._events: list[dict] = []  # dispatched events, for replay on resume
        self._session = "session-" + str(snowflake())
        self._waiters: list[tuple] = []
        self._by_token: dict[str, list[Request]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.cdn_files: dict[str, bytes] = {}  # path on the CDN -> body
        self.cdn_requests: list[str] = []  # paths the bot downloaded
        self._cdn_runner: web.AppRunner | None = None
        self.cdn_port = 0
        self.threads: list[int] = []  # threads the bot started (their ids)

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> "StandIn":
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        cdn = web.Application()
        cdn.router.add_get("/attachments/{tail:.*}", self._cdn)
        self._cdn_runner = web.AppRunner(cdn, access_log=None)
        await self._cdn_runner.setup()
        cdn_site = web.TCPSite(self._cdn_runner, "127.0.0.1", 0)
        await cdn_site.start()
        self.cdn_port = cdn_site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        for runner in (self._runner, self._cdn_runner):
            if runner is not None:
                await runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- waiting -----------------------------------------------------------------------------

    def _record(self, item) -> None:
        """Keep a request (Request) or a gateway frame from the client (dict); wake its waiters."""
        if isinstance(item, Request):
            self.requests.append(item)
            if (token := _token_of(item.path)) is not None and item.status < 300:
                self._by_token.setdefault(token, []).append(item)
        else:
            self.gateway_log.append(item)
        for waiter in list(self._waiters):
            predicate, future = waiter
            if future.done():
                self._waiters.remove(waiter)
            elif predicate(item):
                future.set_result(item)
                self._waiters.remove(waiter)

    async def wait_for(self, predicate, timeout: float = TIMEOUT, what: str = "a request"):
        """The first recorded request (or gateway frame) satisfying predicate, waiting for it."""
        for item in [*self.requests, *self.gateway_log]:
            if predicate(item):
                return item
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            seen = [f"{r.method} {r.path} {r.status}" for r in self.requests[-10:]]
            raise AssertionError(f"timed out waiting for {what}; the last requests: {seen}") from None

    def responses_to(self, interaction: dict) -> list[Request]:
        """Callbacks and follow-ups sent for an interaction (successful ones), in order."""
        return list(self._by_token.get(interaction["token"], []))

    async def wait_response(self, interaction: dict, count: int = 1, timeout: float = TIMEOUT) -> list[Request]:
        token = interaction["token"]
        await self.wait_for(lambda r: isinstance(r, Request) and len(self._by_token.get(token, [])) >= count,
                            timeout, what=f"{count} response(s) to /{interaction['data'].get('name')}")
        return self.responses_to(interaction)

    # -- REST ----------------------------------------------------------------------------------

    def rate_limit(self, method: str, path_pattern: str, times: int = 1, retry_after: float = 0.05) -> None:
        """Answer the next `times` matching requests with 429 and retry_after (as Discord does)."""
        self.rate_limits.append([method, re.compile(path_pattern), times, retry_after])

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = None
        if request.can_read_body:
            raw = await request.read()
            if raw and request.content_type == "application/json":
                body = json.loads(raw)
            elif raw and request.content_type.startswith("multipart/"):
                body = {"multipart": True}
        rec = Request(request.method, path, dict(request.query), body, dict(request.headers))
        try:
            for limit in self.rate_limits:
                method, pattern, times, retry_after = limit
                if times > 0 and method == request.method and pattern.search(path):
                    limit[2] -= 1
                    rec.status = 429
                    return self._json({"message": "You are being rate limited.", "retry_after": retry_after,
                                       "global": False}, status=429,
                                      headers={"Via": "1.1 google", "X-RateLimit-Scope": "user"})
            return await self._route(rec, request)
        finally:
            self._record(rec)  # once its status is known

    def _json(self, data, status: int = 200, headers: dict | None = None) -> web.Response:
        return web.Response(body=json.dumps(data).encode(), status=status,
                            headers={"Content-Type": "application/json", **(headers or {})})

    async def _route(self, rec: Request, request: web.Request) -> web.Response:
        m, p = rec.method, rec.path
        if not p.startswith(("/webhooks/", "/interactions/")) and request.headers.get("Authorization") != f"Bot {self.token}":
            rec.status = 401
            return self._json({"message": "401: Unauthorized", "code": 0}, status=401)
        if m == "GET" and p == "/users/@me":
            return self._json({**self.bot_user, "flags": 0, "verified": True, "mfa_enabled": False})
        if m == "GET" and p == "/oauth2/applications/@me":
            return self._json({"id": str(self.app_id), "name": "Verbatim", "icon": None, "description": "",
                               "bot_public": True, "bot_require_code_grant": False, "owner": self.owner,
                               "verify_key": "0" * 64, "flags": 0, "team": None,
                               "bot": self.bot_user, "summary": ""})
        if m == "PUT" and re.fullmatch(rf"/applications/{self.app_id}(/guilds/\d+)?/commands", p):
            guild = re.search(r"/guilds/(\d+)/", p)
            out = [{**c, "id": str(snowflake()), "application_id": str(self.app_id), "version": str(snowflake()),
                    **({"guild_id": guild.group(1)} if guild else {})} for c in rec.body]
            return self._json(out)
        if m == "POST" and (cb := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p)):
            kind = rec.body.get("type")
            data = rec.body.get("data") or {}
            msg = self._message(data, self.bot_user, interaction_id=cb.group(1))
            answer = {"interaction": {"id": cb.group(1), "type": 2, "response_message_id": msg["id"],
                                      "response_message_loading": kind == 5,
                                      "response_message_ephemeral": bool(data.get("flags", 0) & 64)},
                      "resource": {"type": kind}}
            if kind in (4, 5, 7):
                answer["resource"]["message"] = msg
            return self._json(answer)
        if re.fullmatch(rf"/webhooks/{self.app_id}/[^/]+(/messages/(@original|\d+))?", p):
            if m == "DELETE":
                return web.Response(status=204)
            return self._json(self._message(rec.body or {}, self.bot_user, webhook=True))
        if m == "POST" and (th := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", p)):
            thread = self.thread(int(th.group(1)), int(th.group(2)), (rec.body or {}).get("name", "thread"))
            asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", {**thread, "newly_created": True}))
            return self._json(thread)
        if m == "POST" and (ch := re.fullmatch(r"/channels/(\d+)/messages", p)):
            return self._json(self._message(rec.body or {}, self.bot_user, channel_id=ch.group(1)))
        if m == "DELETE" and re.fullmatch(r"/channels/\d+/messages/\d+", p):
            return web.Response(status=204)
        rec.status = 404
        return self._json({"message": "404: Not Found", "code": 0}, status=404)

    def _message(self, data: dict, author: dict, channel_id=None, webhook: bool = False, **_) -> dict:
        msg = {"id": str(snowflake()), "channel_id": str(channel_id or self.channel_id), "author": author,
               "content": data.get("content") or "", "timestamp": iso_now(), "edited_timestamp": None,
               "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
               "attachments": [], "embeds": data.get("embeds") or [], "pinned": False, "type": 0,
               "flags": data.get("flags", 0) or 0, "components": data.get("components") or []}
        if webhook:
            msg["webhook_id"] = str(self.app_id)
        if ref := data.get("message_reference"):
            msg["message_reference"] = {k: str(v) for k, v in ref.items() if v is not None and k != "fail_if_not_exists"}
            msg["type"] = 19
        return msg

    # -- the CDN ------------------------------------------------------------------------------

    def attachment(self, filename: str, data: bytes, size: int | None = None,
                   content_type: str = "text/plain; charset=utf-8") -> dict:
        """An attachment payload whose URL the CDN serves data at; size is what Discord announces
        (by default the real size)."""
        aid = snowflake()
        path = f"/attachments/{self.channel_id}/{aid}/{filename}"
        self.cdn_files[path] = data
        url = f"http://127.0.0.1:{self.cdn_port}{path}"
        return {"id": str(aid), "filename": filename, "size": len(data) if size is None else size,
                "url": url, "proxy_url": url, "content_type": content_type}

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        self.cdn_requests.append(request.path)
        data = self.cdn_files.get(request.path)
        if data is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=data, content_type="application/octet-stream")

    # -- gateway ----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._socket = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None}))
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            msg = json.loads(frame.data)
            op = msg.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif op == 2:
                await self._identified(ws, msg["d"])
            elif op == 6:
                await self._resumed(ws, msg["d"])
            self._record(msg)
        if self._socket is ws:
            self._socket = None
        return ws

    async def _identified(self, ws, data: dict) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        self.intents = data.get("intents", 0)
        self._events.clear()
        await self._send(ws, "READY", {
            "v": 10, "user": self.bot_user, "guilds": [{"id": str(g), "unavailable": True}
                                                       for g in (self.guild_id, self.other_guild_id)],
            "session_id": self._session, "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0}, "private_channels": [], "relationships": []})
        for guild_id in (self.guild_id, self.other_guild_id):
            await self._send(ws, "GUILD_CREATE", self._guild(guild_id))

    async def _resumed(self, ws, data: dict) -> None:
        if data.get("session_id") != self._session:
            await ws.send_str(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
            return
        for event in self._events:
            if event["s"] > (data.get("seq") or 0):
                await ws.send_str(json.dumps(event))
        await self._send(ws, "RESUMED", {})

    def _guild(self, guild_id: int) -> dict:
        channel_id = self.channel_id if guild_id == self.guild_id else guild_id + 1
        everyone = {"id": str(guild_id), "name": "@everyone", "permissions": str(SEND_MESSAGES),
                    "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
        moderators = {**everyone, "id": str(self.moderator_role_id), "name": "Moderators", "position": 1}
        return {"id": str(guild_id), "name": f"Test server {guild_id % 1000}", "owner_id": self.owner["id"],
                "icon": None, "roles": [everyone, moderators], "emojis": [], "stickers": [], "features": [],
                "channels": [{"id": str(channel_id), "type": 0, "name": "general", "position": 0,
                              "permission_overwrites": [], "guild_id": str(guild_id)},
                             *([{"id": str(self.other_channel_id), "type": 0, "name": "news", "position": 1,
                                 "permission_overwrites": [], "guild_id": str(guild_id)}]
                               if guild_id == self.guild_id else [])],
                "threads": [], "members": [{"user": self.bot_user, "roles": [], "joined_at": iso_now(),
                                            "deaf": False, "mute": False, "flags": 0}],
                "member_count": 2, "large": False, "unavailable": False, "voice_states": [], "presences": [],
                "joined_at": iso_now(), "verification_level": 0, "default_message_notifications": 0,
                "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0, "nsfw_level": 0,
                "preferred_locale": "en-US", "afk_timeout": 300, "system_channel_flags": 0}

    async def _send(self, ws, event: str, data: dict) -> None:
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        if event not in ("READY", "RESUMED"):
            self._events.append(frame)
        await ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: dict) -> None:
        if self._socket is None:
            raise AssertionError("the bot is not connected to the gateway")
        await self._send(self._socket, event, data)

    async def drop(self) -> None:
        """Close the gateway connection as a network failure would (the client should RESUME)."""
        if self._socket is not None:
            await self._socket.close(code=4000, message=b"dropped by the test")

    # -- injected events -----------------------------------------------------------------------

    def member(self, uid: int, permissions: int = SEND_MESSAGES, roles=()) -> dict:
        return {"user": user(uid, f"user{uid % 1000}"), "roles": [str(r) for r in roles],
                "permissions": str(permissions), "joined_at": iso_now(), "deaf": False, "mute": False,
                "flags": 0, "pending": False}

    def channel(self, channel_id: int | None = None) -> dict:
        """A channel option's payload (as Discord resolves it) for one of the first server's channels."""
        channel_id = channel_id or self.channel_id
        name = "general" if channel_id == self.channel_id else "news"
        return {"id": str(channel_id), "type": 0, "name": name, "permissions": str(SEND_MESSAGES),
                "guild_id": str(self.guild_id)}

    async def interaction(self, name: str, options: dict | None = None, *, user_id: int = 1001,
                          permissions: int = SEND_MESSAGES, roles=(), kind: int = 2,
                          focused: str | None = None, guild_id: int | None = None, dm: bool = False,
                          channel_id: int | None = None) -> dict:
        """Send INTERACTION_CREATE for a slash command (kind 2) or an autocomplete (kind 4).

        `name` may be "group sub" (e.g. "content add"); an option whose value is an attachment()
        payload is sent as an attachment, as Discord does (its id, and the payload under resolved),
        and one whose value is a channel() payload as a channel. `dm` sends it from a direct
        message; `guild_id` from another server; `channel_id` from another channel of the first."""
        opts, resolved = [], {}
        for key, value in (options or {}).items():
            if isinstance(value, dict) and "filename" in value:
                opt = {"name": key, "type": 11, "value": value["id"]}
                resolved.setdefault("attachments", {})[value["id"]] = value
            elif isinstance(value, dict) and "permissions" in value:
                opt = {"name": key, "type": 7, "value": value["id"]}
                resolved.setdefault("channels", {})[value["id"]] = value
            else:
                kind_of = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
                opt = {"name": key, "type": kind_of, "value": value}
            if key == focused:
                opt["focused"] = True
            opts.append(opt)
        group, _, sub = name.partition(" ")
        if sub:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": str(snowflake()), "name": group, "type": 1, "options": opts}
        if resolved:
            data["resolved"] = resolved
        iid = snowflake()
        guild_id = guild_id or self.guild_id
        payload = {
            "id": str(iid), "application_id": str(self.app_id), "type": kind, "token": f"tok{iid}",
            "version": 1, "attachment_size_limit": 8 * 1024 * 1024, "app_permissions": str(SEND_MESSAGES),
            "locale": "en-US", "entitlements": [], "data": data,
        }
        if dm:
            payload.update(channel_id=str(user_id + 7), channel={"id": str(user_id + 7), "type": 1},
                           user=user(user_id, f"user{user_id % 1000}"), context=1,
                           authorizing_integration_owners={"1": str(user_id)})
        else:
            channel_id = channel_id or (self.channel_id if guild_id == self.guild_id else guild_id + 1)
            payload.update(guild_id=str(guild_id), channel_id=str(channel_id), channel={"id": str(channel_id), "type": 0},
                           member=self.member(user_id, permissions, roles), guild_locale="en-US", context=0,
                           authorizing_integration_owners={"0": str(guild_id)})
        self.sent_at[str(iid)] = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def click(self, custom_id: str, message: dict, *, user_id: int = 1001,
                    permissions: int = SEND_MESSAGES) -> dict:
        """Send INTERACTION_CREATE for a button (kind 3) pressed on `message`, a message the bot
        sent (as the stand-in answered it: with its components), in the message's channel."""
        iid = snowflake()
        channel_id = message.get("channel_id") or str(self.channel_id)
        payload = {
            "id": str(iid), "application_id": str(self.app_id), "type": 3, "token": f"tok{iid}", "version": 1,
            "attachment_size_limit": 8 * 1024 * 1024, "app_permissions": str(SEND_MESSAGES), "locale": "en-US",
            "entitlements": [], "data": {"custom_id": custom_id, "component_type": 2}, "message": message,
            "guild_id": str(self.guild_id), "channel_id": channel_id,
            "channel": {"id": channel_id, "type": 0}, "member": self.member(user_id, permissions),
            "guild_locale": "en-US", "context": 0, "authorizing_integration_owners": {"0": str(self.guild_id)},
        }
        self.sent_at[str(iid)] = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def sent_message(self, request: "Request") -> dict:
        """The message a reply request made, as the stand-in answered it (components included)."""
        return self._message(request.payload, self.bot_user, webhook=request.path.startswith("/webhooks/"))

    def thread(self, parent_id: int, message_id: int, name: str) -> dict:
        """A public thread started from a message: Discord gives it the message's id."""
        self.threads.append(message_id)
        return {"id": str(message_id), "type": 11, "guild_id": str(self.guild_id), "parent_id": str(parent_id),
                "name": name, "owner_id": self.bot_user["id"], "member_count": 1, "message_count": 0,
                "rate_limit_per_user": 0, "flags": 0,
                "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "locked": False,
                                    "archive_timestamp": iso_now()}}

    async def message(self, content: str, *, user_id: int = 1001, mention: bool = False,
                      channel_id: int | None = None, dm: bool = False) -> dict:
        """Send MESSAGE_CREATE. As Discord does, content is blanked for a bot without the
        message_content intent unless the message mentions it or is a direct message."""
        mid = snowflake()
        if mention:
            content = f"<@{self.bot_user['id']}> {content}"
        visible = mention or dm or bool(getattr(self, "intents", 0) & (1 << 15))
        payload = {"id": str(mid), "channel_id": str(channel_id or self.channel_id),
                   "author": user(user_id, f"user{user_id % 1000}"),
                   "content": content if visible else "", "timestamp": iso_now(), "edited_timestamp": None,
                   "tts": False, "mention_everyone": False, "mentions": [self.bot_user] if mention else [],
                   "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0}
        if dm:
            payload["channel_id"] = str(channel_id or user_id + 7)
        else:
            payload.update(guild_id=str(self.guild_id), member={"roles": [], "joined_at": iso_now(), "deaf": False,
                                                                "mute": False, "flags": 0})
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload
