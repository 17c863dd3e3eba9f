"""Whether each Mastodon and Bluesky profile links back to the site, asked of their public APIs.

No token is needed; each look-up is one GET, through the vetted transport
(:mod:`hub.feeds.transport`) with the run's timeouts, body cap and
private-address rule (:class:`hub.feeds.connectors.session.Client`):

- Mastodon: ``GET https://{instance}/api/v1/accounts/lookup?acct={user}``,
  which answers with an Account: among its ``fields``, one whose ``value``
  (HTML) links to the site, with ``verified_at`` set once Mastodon has found
  the site's ``rel="me"`` link back to the profile. Its ``url`` is the
  profile as the instance gives it.
- Bluesky: ``GET https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor={handle}``,
  which answers with a profile view: its ``description`` (or ``website``)
  names the site's host, or its ``handle`` is the site's host or under it.

``HUB_API_BASE_BLUESKY`` replaces the Bluesky AppView's address (a test
server, a proxy). ``HUB_API_BASE_MASTODON`` sends every Mastodon look-up to
one instance instead of each account's own, with the whole address as
``acct`` (``user@instance``: the look-up takes a WebFinger address); the
host named in either, and only it, may be a private address. Otherwise each
instance is asked under the run's rule, which ``site.fetch.allow_private_addresses``
relaxes. A look-up that fails is that account's "could not check", never the run's.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from hub.feeds.connectors.session import Base, Client, Page
from hub.feeds.connectors.tokenmodel import shown
from hub.feeds.result import describe
from hub.feeds.transport import GuardError, VettedTransport, prove
from hub.model import Account, Site

Status = Literal["ok", "missing", "unverified", "unchecked"]

PLATFORMS = ("mastodon", "bluesky")
"""The platforms whose profiles are asked about."""
BLUESKY_APPVIEW = "https://public.api.bsky.app"
MASTODON_LOOKUP = "/api/v1/accounts/lookup"
BLUESKY_PROFILE = "/xrpc/app.bsky.actor.getProfile"
BASE_VARIABLE = "HUB_API_BASE_{platform}"


@dataclass(frozen=True)
class Backlink:
    """What one profile says of the site."""

    account: str
    """The account's key (``mastodon:user@instance``)."""
    status: Status
    detail: str = ""
    """The link found but not verified, or why the profile could not be checked."""
    profile: str | None = None
    """The profile's address as the platform gives it."""


@dataclass(frozen=True)
class SiteAddress:
    """The site's host (without ``www.``) and path, which a profile should point to."""

    host: str
    path: str

    @classmethod
    def of(cls, url: str) -> SiteAddress:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return cls(host, _folder(parts.path))

    def links_to(self, href: str) -> bool:
        """Whether ``href`` is an address on the site."""
        try:
            parts = urlsplit(href.strip())
            host = (parts.hostname or "").lower().removeprefix("www.")
        except ValueError:
            return False
        return (
            parts.scheme in ("http", "https")
            and host == self.host
            and _folder(parts.path).startswith(self.path)
        )

    def named_in(self, text: str) -> bool:
        """Whether ``text`` names the site's host (``www.`` or not), as a whole name."""
        pattern = r"(?<![\w.-])(?:www\.)?" + re.escape(self.host) + r"(?![\w-]|\.[\w-])"
        return re.search(pattern, text, re.IGNORECASE) is not None

    def owns_handle(self, handle: str) -> bool:
        """Whether a Bluesky handle is the site's host or a name under it."""
        handle = handle.lower().removeprefix("@")
        return handle == self.host or handle.endswith("." + self.host)


def _folder(path: str) -> str:
    return path if path.endswith("/") else path + "/"


class _Links(HTMLParser):
    """The ``href`` of every link in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html[:20_000])
    parser.close()
    return parser.hrefs


def mastodon_verdict(account: str, document: Mapping[str, Any], site: SiteAddress) -> Backlink:
    """What a Mastodon Account says: a verified field linking to the site, or not."""
    profile = document.get("url") if isinstance(document.get("url"), str) else None
    fields = document.get("fields")
    linked: str | None = None
    for field in fields if isinstance(fields, list) else []:
        if not isinstance(field, Mapping) or not isinstance(field.get("value"), str):
            continue
        links = [href for href in hrefs(field["value"]) if site.links_to(href)]
        if links and field.get("verified_at"):
            return Backlink(account, "ok", profile=profile)
        linked = linked or (links[0] if links else None)
    if linked is not None:
        return Backlink(account, "unverified", shown(linked), profile)
    return Backlink(account, "missing", profile=profile)


def bluesky_verdict(account: str, document: Mapping[str, Any], site: SiteAddress) -> Backlink:
    """What a Bluesky profile view says: its description, website or handle names the site."""
    handle = document.get("handle")
    description = document.get("description")
    website = document.get("website")
    profile = f"https://bsky.app/profile/{handle}" if isinstance(handle, str) else None
    if (
        (isinstance(handle, str) and site.owns_handle(handle))
        or (isinstance(description, str) and site.named_in(description))
        or (isinstance(website, str) and site.links_to(website))
    ):
        return Backlink(account, "ok", profile=profile)
    return Backlink(account, "missing", profile=profile)


def base_of(platform: str, environ: Mapping[str, str], default: str) -> Base:
    """The API the look-ups go to: ``default``, or the one HUB_API_BASE_<PLATFORM> gives."""
    name = BASE_VARIABLE.format(platform=platform.upper())
    given = environ.get(name, "").strip()
    try:
        url = httpx.URL(given or default)
    except httpx.InvalidURL:
        url = httpx.URL()
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"{name} is not an http(s) URL such as https://mastodon.example")
    return Base(url.copy_with(query=None, fragment=None), bool(given))


def request_of(account: Account, environ: Mapping[str, str]) -> tuple[Base, httpx.URL]:
    """Where to ask about ``account``: its API's base, and the look-up's address."""
    handle = account.handle or ""
    if account.platform == "mastodon":
        user, _, instance = handle.partition("@")
        base = base_of("mastodon", environ, f"https://{instance.lower()}")
        acct = handle if base.given else user
        return base, _under(base, MASTODON_LOOKUP, acct=acct)
    base = base_of("bluesky", environ, BLUESKY_APPVIEW)
    return base, _under(base, BLUESKY_PROFILE, actor=handle)


def _under(base: Base, path: str, **params: str) -> httpx.URL:
    root = base.url.copy_with(path=base.url.path.rstrip("/") + path)
    return root.copy_merge_params(params)


async def check_backlinks(
    accounts: Sequence[Account],
    site: Site,
    *,
    user_agent: str,
    environ: Mapping[str, str] | None = None,
    transport: type[VettedTransport] = VettedTransport,
) -> list[Backlink]:
    """Ask about every Mastodon and Bluesky account of ``accounts``; one result each, in order."""
    asked = [a for a in accounts if a.platform in PLATFORMS and a.handle]
    if not asked:
        return []
    try:
        await prove(transport)
    except GuardError as error:
        return [Backlink(a.key, "unchecked", str(error)) for a in asked]
    client = Client(site.fetch, user_agent, transport)
    address = SiteAddress.of(site.url)
    lookups = (
        _look_up(client, a, address, os.environ if environ is None else environ) for a in asked
    )
    try:
        return list(await asyncio.gather(*lookups))
    finally:
        await client.aclose()


async def _look_up(
    client: Client, account: Account, site: SiteAddress, environ: Mapping[str, str]
) -> Backlink:
    try:
        base, url = request_of(account, environ)
    except ValueError as error:
        return Backlink(account.key, "unchecked", str(error))
    headers = {"User-Agent": client.agent, "Accept": "application/json"}
    try:
        page = await client.send(base, "GET", url, headers, None)
    except Exception as error:  # one profile's failure must never stop the others
        return Backlink(account.key, "unchecked", describe(error, client.settings, base.host))
    if page.status != 200 or page.document is None:
        return Backlink(account.key, "unchecked", _refusal(account, page))
    if account.platform == "mastodon":
        return mastodon_verdict(account.key, page.document, site)
    return bluesky_verdict(account.key, page.document, site)


def _refusal(account: Account, page: Page) -> str:
    """Why an answer holds no profile, in the platform's words where it gives them."""
    document = page.document or {}
    said = shown(document.get("message")) or shown(document.get("error"))
    if page.status == 200:
        return "the answer is not a JSON object"
    if page.status == 404 and account.platform == "mastodon":
        return f"the instance knows no account {account.handle} (HTTP 404): check the handle"
    return f"HTTP {page.status}" + (f": {said}" if said else "")
