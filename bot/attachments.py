"""Downloading a file attached to a command, within a size and a time limit.

Discord delivers an attachment as a URL on its CDN, with its size announced beside it. The size
is checked before anything is downloaded (Handlers.check_upload); the download is bounded anyway,
since the announced size and the body could disagree.
"""
from __future__ import annotations

import asyncio

import aiohttp

from .handlers import UserError

CHUNK = 64 * 1024


async def download(url: str, max_bytes: int, timeout: float) -> bytes:
    """The body at url, or UserError when it cannot be had or is over max_bytes."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            async with session.get(url) as response:
                if response.status != 200:
                    raise UserError(f"the attachment could not be downloaded (HTTP {response.status}); "
                                    "try again")
                if response.content_length is not None and response.content_length > max_bytes:
                    raise _too_big(max_bytes)
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data += chunk
                    if len(data) > max_bytes:
                        raise _too_big(max_bytes)
                return bytes(data)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise UserError(f"the attachment could not be downloaded ({type(exc).__name__}); try again") from None


def _too_big(max_bytes: int) -> UserError:
    return UserError(f"the attachment is over the limit of {max_bytes:,} bytes")
