"""Reads one small document from the deployed site: the publish gate's baseline manifest.

The fetch stage's rules apply: the address is vetted on every hop, the answer
is bounded in time and size, and nothing is read from the environment's proxy
settings. :mod:`hub.publish.baseline` decides what to do with the bytes.
"""

from __future__ import annotations

import asyncio

import httpx

from hub.feeds.fetch import user_agent
from hub.feeds.netguard import AddressPolicy
from hub.feeds.result import FetchError
from hub.feeds.transport import VettedTransport
from hub.model import Site

TIMEOUT = 5.0
"""Seconds to connect to, and between bytes from, the deployed site."""
MAX_BYTES = 64 * 1024
"""A manifest is a few hundred bytes; anything this large is not one."""


class Unreadable(OSError):
    """The document should be there but cannot be read; the message says why."""


def download(url: str, site: Site) -> bytes | None:
    """The bytes at ``url`` on the deployed site; None when nothing is published there."""
    agent = user_agent(site.url)
    return asyncio.run(_download(url, agent, allow_private=site.fetch.allow_private_addresses))


async def _download(url: str, agent: str, *, allow_private: bool) -> bytes | None:
    transport = VettedTransport(AddressPolicy(allow_private), httpx.Limits(max_connections=1))
    headers = {"User-Agent": agent, "Accept": "application/json", "Cache-Control": "no-cache"}
    try:
        async with (
            asyncio.timeout(2 * TIMEOUT),
            httpx.AsyncClient(
                transport=transport,
                timeout=TIMEOUT,
                headers=headers,
                follow_redirects=True,
                max_redirects=3,
                trust_env=False,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code in (404, 410):
                return None
            if response.status_code != 200:
                raise Unreadable(f"HTTP {response.status_code}")
            return await _capped(response)
    except TimeoutError:
        raise Unreadable(f"no answer within {2 * TIMEOUT:g} s") from None
    except FetchError as exc:
        raise Unreadable(str(exc)) from None
    except httpx.HTTPError as exc:
        raise Unreadable(str(exc) or type(exc).__name__) from None


async def _capped(response: httpx.Response) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // 1024} KiB: not a manifest")
    return bytes(body)
