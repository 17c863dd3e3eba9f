"""How people write an account, reduced to keys that match the registry's.

Someone checking an account pastes what they have: ``@LakeviewPS``,
``https://mobile.twitter.com/LakeviewPS/?s=20``, ``@user@instance``, a Bluesky
handle, a Facebook ``profile.php?id=`` address. :func:`keys` reduces any of
these to the keys of the account they mean, and :func:`account_keys` gives an
account's own keys, from its profile URL and its handle: an account is the one
pasted when the two share a key.

The rules are data, :data:`RULES`, in one place: the verify page hands them
to ``themes/default/static/verify.js`` as JSON (:func:`rules_json`), whose
small engine takes the same steps as :func:`keys`, in the same order. The
steps are documented in docs/accounts-json.md; the tests run both engines on
the same spellings. Regular expressions keep to the subset Python and
JavaScript read alike, and every key is lower case.

A key is ``<platform>:<handle>`` (``x:lakeviewps``) for an address or
handle that names its platform, ``any:<handle>`` for a bare handle (it
matches that handle on every platform), or ``url:<host><path>`` for an
address on another site (a website, a blog).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache

FORMAT = 1
"""The version of the rules' JSON and of the keys they make."""


@dataclass(frozen=True)
class PathRule:
    """An address on a platform's site that names one account."""

    host: str
    """The host once its prefixes are stripped and its aliases resolved; ``*``
    for any host that is not a platform's (the fediverse)."""
    path: str
    """A regular expression, anchored, on the lower-cased path without trailing slashes."""
    platform: str
    handle: str = "$1"
    """The handle: ``$1`` is the path's first group, ``$host`` the host."""
    query: str = ""
    """Where the handle is a query parameter (``profile.php?id=``): its name."""
    value: str = ""
    """The pattern that parameter's value must match."""


@dataclass(frozen=True)
class BareRule:
    """A handle written without an address that still names its platform."""

    pattern: str
    platform: str
    handle: str


@dataclass(frozen=True)
class Rules:
    format: int
    space: str
    """What is removed wherever it is: spaces, line breaks, zero-width spaces."""
    scheme: str
    """What starts an address: ``https://`` and its kind, removed."""
    prefixes: tuple[str, ...]
    """Host prefixes removed while the host keeps a dot: ``www.``, ``m.``, ``mobile.``."""
    aliases: dict[str, str]
    """Other names of a platform's host: ``twitter.com`` is ``x.com``."""
    hosts: tuple[str, ...]
    """The platforms' hosts: an address there (or on a subdomain) that no path
    rule reads names no account we can tell (a post, a search)."""
    paths: tuple[PathRule, ...]
    bare: tuple[BareRule, ...]
    handle: str
    """What a bare handle may hold, once its leading ``@`` are removed."""
    domain: str
    """A bare handle that is also a domain (a Bluesky handle, a website)."""


_USER = "[a-z0-9_]{1,30}"
_DOMAIN = "[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,63}"

RULES = Rules(
    format=FORMAT,
    space="[\\s\\u200b-\\u200d\\ufeff]+",
    scheme="^[a-z][a-z0-9+.-]*://",
    prefixes=("www.", "m.", "mobile."),
    aliases={
        "twitter.com": "x.com",
        "fb.com": "facebook.com",
        "instagr.am": "instagram.com",
        "threads.com": "threads.net",
        "telegram.me": "t.me",
    },
    hosts=(
        "x.com",
        "facebook.com",
        "instagram.com",
        "threads.net",
        "tiktok.com",
        "youtube.com",
        "youtu.be",
        "bsky.app",
        "flickr.com",
        "linkedin.com",
        "reddit.com",
        "t.me",
        "nixle.com",
        "vimeo.com",
        "twitch.tv",
        "nextdoor.com",
    ),
    paths=(
        PathRule("x.com", "^/([a-z0-9_]{1,15})(/status/[0-9]+)?$", "x"),
        PathRule("facebook.com", "^/profile\\.php$", "facebook", query="id", value="^[0-9]{5,20}$"),
        PathRule("facebook.com", "^/([a-z0-9.]{5,50})$", "facebook"),
        PathRule("instagram.com", "^/([a-z0-9._]{1,30})$", "instagram"),
        PathRule("threads.net", "^/@([a-z0-9._]{1,30})(/post/[a-z0-9_-]+)?$", "threads"),
        PathRule("tiktok.com", "^/@([a-z0-9._]{2,24})(/video/[0-9]+)?$", "tiktok"),
        PathRule("youtube.com", "^/(@[a-z0-9._-]{3,30})(/[a-z]+)?$", "youtube"),
        PathRule("youtube.com", "^/channel/(uc[a-z0-9_-]{22})(/[a-z]+)?$", "youtube"),
        PathRule("bsky.app", "^/profile/([a-z0-9.:-]{3,253})(/post/[a-z0-9]+)?$", "bluesky"),
        PathRule("flickr.com", "^/(photos|people)/([a-z0-9@_-]{3,32})$", "flickr", "$2"),
        PathRule("linkedin.com", "^/company/([a-z0-9-]{2,100})$", "linkedin"),
        PathRule("linkedin.com", "^/in/([a-z0-9-]{2,100})$", "linkedin", "in/$1"),
        PathRule("reddit.com", "^/(u|user)/([a-z0-9_-]{3,20})$", "reddit", "u/$2"),
        PathRule("t.me", "^(/s)?/([a-z0-9_]{5,32})$", "telegram", "$2"),
        PathRule("local.nixle.com", "^/([a-z0-9-]{2,80})$", "nixle"),
        PathRule("vimeo.com", "^/([a-z0-9_]*[a-z_][a-z0-9_]*)$", "vimeo"),
        PathRule("twitch.tv", "^/([a-z0-9_]{4,25})$", "twitch"),
        PathRule("nextdoor.com", "^/agency/([a-z0-9-]{2,80})$", "nextdoor"),
        PathRule("*", "^/@(" + _USER + ")(/[0-9]+)?$", "mastodon", "$1@$host"),
        PathRule("*", "^/users/(" + _USER + ")$", "mastodon", "$1@$host"),
    ),
    bare=(
        BareRule("^@?(" + _USER + ")@(" + _DOMAIN + ")$", "mastodon", "$1@$2"),
        BareRule("^/?u/([a-z0-9_-]{3,20})$", "reddit", "u/$1"),
    ),
    handle="^[a-z0-9._:-]{1,253}$",
    domain="^" + _DOMAIN + "$",
)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _search(pattern: str, text: str) -> re.Match[str] | None:
    return _compiled(pattern).search(text)


def _fill(template: str, match: re.Match[str], host: str = "") -> str:
    """``$1``, ``$2`` and ``$host`` in ``template``, filled in."""
    filled = template.replace("$host", host)
    return _compiled("\\$([0-9])").sub(lambda m: match.group(int(m.group(1))) or "", filled)


def keys(text: str) -> list[str]:
    """The keys of whatever someone pasted: a handle, a profile address, a post's.

    Empty when it names no account (an empty box, a platform's search page).
    """
    s = _compiled(RULES.space).sub("", text).lower()
    if not s:
        return []
    for rule in RULES.bare:
        match = _search(rule.pattern, s)
        if match:
            return [f"{rule.platform}:{_fill(rule.handle, match)}"]
    if _is_address(s):
        return _address_keys(s, ancestors=True)
    bare = s.lstrip("@")
    if not _search(RULES.handle, bare):
        return []
    found = [f"any:{bare}"]
    if _search(RULES.domain, bare):
        found += _address_keys(bare, ancestors=False)
    return found


def account_keys(handle: str | None, url: str) -> list[str]:
    """An account's keys: from its profile URL, and ``any:`` its bare handle."""
    found = _address_keys(_compiled(RULES.space).sub("", url).lower(), ancestors=False)
    if handle:
        found.append("any:" + handle.lower().lstrip("@"))
    return list(dict.fromkeys(found))


def _is_address(s: str) -> bool:
    """Whether ``s`` is an address rather than a handle."""
    if _search(RULES.scheme, s):
        return True
    head = _compiled("[/?#]").split(s, maxsplit=1)[0]
    return ("/" in s and "." in head) or _platform_host(_host(head))


def _host(head: str) -> str:
    """The host of an address's first part: no user, port or prefixes; aliases resolved."""
    host = head.rpartition("@")[2].partition(":")[0].rstrip(".")
    stripped = True
    while stripped:
        stripped = False
        for prefix in RULES.prefixes:
            rest = host.removeprefix(prefix)
            if rest != host and "." in rest:
                host, stripped = rest, True
    return RULES.aliases.get(host, host)


def _platform_host(host: str) -> bool:
    return any(host == known or host.endswith("." + known) for known in RULES.hosts)


def _address_keys(s: str, *, ancestors: bool) -> list[str]:
    """The keys of an address. On another site: the address, and with
    ``ancestors`` each folder above it, so that a page under a website's
    address finds the website."""
    s = _compiled(RULES.scheme).sub("", s, count=1).partition("#")[0]
    s, _, query = s.partition("?")
    head, _, rest = s.partition("/")
    host = _host(head)
    path = ("/" + rest).rstrip("/")
    params = dict(pair.partition("=")[::2] for pair in query.split("&") if pair)
    platform_site = _platform_host(host)
    for rule in RULES.paths:
        if rule.host != host and not (rule.host == "*" and not platform_site):
            continue
        match = _search(rule.path, path)
        if match is None:
            continue
        if rule.query:
            value = params.get(rule.query, "")
            if _search(rule.value, value):
                return [f"{rule.platform}:{value}"]
            continue
        return [f"{rule.platform}:{_fill(rule.handle, match, host)}"]
    if platform_site or not host:
        return []
    found = [f"url:{host}{path}"]
    while ancestors and path:
        path = path.rpartition("/")[0]
        found.append(f"url:{host}{path}")
    return found


def rules_json() -> str:
    """:data:`RULES` as the JSON ``verify.js`` reads (compact, keys sorted)."""
    return json.dumps(asdict(RULES), sort_keys=True, separators=(",", ":"))
