"""Where the publish gate's baseline comes from: the manifest of the published site.

The manifest in the output folder, else the one on the deployed site
(``{site.url}/hub-manifest.json``), so the comparison survives a CI runner
that starts with no output folder and no store. A baseline that cannot be
read means no comparison: the build publishes, and says why.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx

from hub.feeds.fetch import user_agent
from hub.feeds.netguard import AddressPolicy, VettedTransport
from hub.feeds.result import FetchError
from hub.model import Site
from hub.publish import gate
from hub.publish.gate import Manifest

BASELINE_TIMEOUT = 5.0
"""Seconds to connect to, and between bytes from, the deployed site for its manifest."""
BASELINE_MAX_BYTES = 64 * 1024
"""A manifest is a few hundred bytes; anything this large is not one."""


@dataclass(frozen=True)
class Baseline:
    """The published site's manifest, if one was found, and where."""

    manifest: Manifest | None = None
    source: str | None = None
    problems: tuple[str, ...] = ()
    """Manifests that were there but could not be read: worth a warning."""


def read_baseline(
    out: Path, site_settings: Site, *, override: str | None = None, remote: bool = True
) -> Baseline:
    """The published site's manifest: ``override``, else the output folder's, else the web's.

    ``remote=False`` never asks the deployed site (an offline build).
    """
    if override:
        candidates = [override]
    else:
        candidates = [str(out / gate.MANIFEST_NAME)]
        if remote:
            candidates.append(f"{site_settings.url.rstrip('/')}/{gate.MANIFEST_NAME}")
    problems: list[str] = []
    for where in candidates:
        try:
            data = _read(where, site_settings)
            if data is None:
                continue
            return Baseline(Manifest.from_json(data), where, tuple(problems))
        except (ValueError, _Unreadable) as exc:
            problems.append(f"{where}: {exc}")
    return Baseline(None, None, tuple(problems))


class _Unreadable(Exception):
    """A baseline that should be there but cannot be read; the message says why."""


def _read(where: str, site_settings: Site) -> bytes | None:
    """The bytes at a path or URL; None when nothing was published there yet."""
    if where.startswith(("http://", "https://")):
        agent = user_agent(site_settings.url)
        allow = site_settings.fetch.allow_private_addresses
        return asyncio.run(_download(where, agent, allow_private=allow))
    path = Path(where)
    if not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc)) from exc


async def _download(url: str, agent: str, *, allow_private: bool) -> bytes | None:
    transport = VettedTransport(AddressPolicy(allow_private), httpx.Limits(max_connections=1))
    headers = {"User-Agent": agent, "Accept": "application/json", "Cache-Control": "no-cache"}
    try:
        async with (
            asyncio.timeout(2 * BASELINE_TIMEOUT),
            httpx.AsyncClient(
                transport=transport,
                timeout=BASELINE_TIMEOUT,
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
                raise _Unreadable(f"HTTP {response.status_code}")
            return await _capped(response)
    except TimeoutError:
        raise _Unreadable(f"no answer within {2 * BASELINE_TIMEOUT:g} s") from None
    except FetchError as exc:
        raise _Unreadable(str(exc)) from None
    except httpx.HTTPError as exc:
        raise _Unreadable(str(exc) or type(exc).__name__) from None


async def _capped(response: httpx.Response) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > BASELINE_MAX_BYTES:
            raise _Unreadable(f"larger than {BASELINE_MAX_BYTES // 1024} KiB: not a manifest")
    return bytes(body)
