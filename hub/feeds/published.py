"""Reads documents of the deployed site: the publish gate's baseline manifest,
and the archive a lost store is re-seeded from (:mod:`hub.feeds.reseed`).

The fetch stage's rules apply: the address is vetted on every hop, nothing is
read from the environment's proxy settings, and each document is bounded in
time (``site.fetch``'s timeouts) and in size (decoded bytes: a gzip bomb is
stopped as it inflates). :mod:`hub.publish.baseline` decides what to do with
a manifest's bytes.
"""

from __future__ import annotations

import asyncio
import zlib
from urllib.parse import urlsplit

import httpx

from hub.feeds.bodycap import read_capped
from hub.feeds.fetch import user_agent
from hub.feeds.netguard import AddressPolicy
from hub.feeds.result import FetchError, describe
from hub.feeds.transport import VettedTransport
from hub.model import Site

MANIFEST_BYTES = 64 * 1024
"""A manifest is a few hundred bytes; anything this large is not one."""
MAX_REDIRECTS = 3


class Unreadable(OSError):
    """The document should be there but cannot be read; the message says why."""


class SiteReader:
    """The deployed site at ``base`` (a URL), read a document at a time."""

    def __init__(self, base: str, site: Site, *, accept: str, connections: int = 1) -> None:
        self.base = base
        self.host = urlsplit(base).netloc
        self.settings = settings = site.fetch
        transport = VettedTransport(
            AddressPolicy(settings.allow_private_addresses),
            httpx.Limits(max_connections=connections),
        )
        self.client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            headers={
                "User-Agent": user_agent(site.url),
                "Accept": accept,
                "Accept-Encoding": "gzip",
                "Cache-Control": "no-cache",
            },
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,
        )

    async def __aenter__(self) -> SiteReader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def get(self, path: str, limit: int) -> bytes | None:
        """The decoded bytes at ``base + path``, at most ``limit`` of them; None when
        nothing is published there; :class:`Unreadable` saying why not."""
        total = self.settings.total_timeout
        try:
            async with (
                asyncio.timeout(total),
                self.client.stream("GET", self.base + path) as response,
            ):
                if response.status_code in (404, 410):
                    return None
                if response.status_code != 200:
                    raise Unreadable(f"HTTP {response.status_code}")
                return await read_capped(response, limit)
        except TimeoutError:
            raise Unreadable(f"no whole answer within {total:g} s") from None
        except (FetchError, httpx.HTTPError, httpx.InvalidURL, zlib.error) as exc:
            raise Unreadable(describe(exc, self.settings, self.host)) from None


def download(url: str, site: Site) -> bytes | None:
    """The manifest at ``url`` on the deployed site; None when nothing is published there."""

    async def read() -> bytes | None:
        async with SiteReader(url, site, accept="application/json") as reader:
            return await reader.get("", MANIFEST_BYTES)

    return asyncio.run(read())
