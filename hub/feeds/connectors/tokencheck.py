"""Whether each API token works, what it may read and when it expires, asked of its platform.

``hub tokens`` checks every token an account names (``token:``, or
``site.api.x_bearer_token`` for X) with one or two small requests, through the
same client, transport, address rule and ``HUB_API_BASE_<PLATFORM>`` as the
reads (:mod:`hub.feeds.connectors.session`; the values and the request are
:mod:`hub.feeds.connectors.tokenmodel`'s):

- Facebook, and Instagram with a Facebook Login token (``EAA...``): Graph
  API ``GET /debug_token?input_token=...``, with the same token as Bearer.
  The answer gives its validity, scopes, ``expires_at`` (0: never) and
  ``data_access_expires_at``. The token is in that URL, unavoidably: no URL is
  ever part of a message, and every message passes through
  :func:`hub.feeds.connectors.secrets.redact`, which hides ``input_token=``.
- Instagram Login: ``GET /me?fields=user_id,username``; Threads:
  ``GET /me?fields=id,username``. An answer shows the token is valid and
  whose it is; neither API says when it expires (60 days after it was made or
  last refreshed).
- X: with the account's own token, ``GET /2/users/me`` (a user token; an
  app-only token, which X refuses there, is then tried as below); with the
  shared bearer token, ``GET /2/users/by/username/{handle}``. Each answered
  look-up is billed by X (:attr:`TokenCheck.billed`).
- TikTok: ``GET /v2/user/info/?fields=open_id,display_name``, then
  ``POST /v2/video/list/?fields=id`` with ``{"max_count": 1}``, which needs the
  ``video.list`` scope the read needs. Access tokens last 2 hours.

Which accounts (:func:`token_uses`): each that names a token variable, and
each X account read with ``site.api.x_bearer_token``, set or not; ``hub
tokens`` and the governance report (``hub report``) check the same.

A refusal (an expired, revoked or wrong token, a missing permission) says
what the platform said and how to renew the token, in the words of the
reads' own errors (:mod:`hub.feeds.connectors.limits`). A rate limit, a
server error or a network failure leaves that token ``unchecked``, alone.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote

from hub.feeds.connectors import limits, secrets
from hub.feeds.connectors.graph import dig
from hub.feeds.connectors.session import ApiFailure, Call, Client, Session, base_of
from hub.feeds.connectors.tokenmodel import (
    UNSET,
    TokenCheck,
    TokenUse,
    ask,
    failed,
    redacted,
    result,
    shown,
    wording,
)
from hub.feeds.result import describe, when
from hub.feeds.transport import VettedTransport, prove
from hub.model import FetchSettings, Registry
from hub.problems import HubError, RegistryError
from hub.registry.load import EveryVariableSet, load

__all__ = ["CHECKS", "TokenCheck", "TokenUse", "check_tokens", "token_uses"]

SOON = timedelta(days=7)
"""A token that expires sooner than this is valid, with a warning to renew it."""

NEEDED = {
    "facebook": ("pages_read_engagement",),
    "instagram": ("instagram_basic", "pages_read_engagement", "pages_show_list"),
}
"""The permissions a Facebook Login token's read needs: a Page's posts, or an
Instagram account found among the token's Pages."""

_SCOPE = re.compile(r"[a-z0-9_.]{1,64}")
_USERNAME = re.compile(r"[A-Za-z0-9._]{1,30}")
_ID = re.compile(r"[0-9]{1,25}")
_KIND = re.compile(r"[A-Z_]{1,20}")
_TIKTOK_SCOPE = ("scope_not_authorized", "scope_permission_missed")


async def check_tokens(
    uses: Sequence[TokenUse],
    settings: FetchSettings,
    *,
    user_agent: str,
    transport: type[VettedTransport] = VettedTransport,
    environ: Mapping[str, str] | None = None,
) -> list[TokenCheck]:
    """Check every token; one result per use, in the order given.

    GuardError (the transport's guard could not be shown to work) is the one
    failure that stops them all, before anything is sent.
    """
    tokens = [secrets.value_of(use.variable, environ) for use in uses]
    if not any(tokens):
        return [result(use, "not_set", UNSET) for use in uses]
    await prove(transport)
    client = Client(settings, user_agent, transport)
    checks = (_check(client, use, token, environ) for use, token in zip(uses, tokens, strict=True))
    try:
        return list(await asyncio.gather(*checks))
    finally:
        await client.aclose()


async def _check(
    client: Client, use: TokenUse, token: str | None, environ: Mapping[str, str] | None
) -> TokenCheck:
    if token is None:
        return result(use, "not_set", UNSET)
    check = CHECKS.get(use.platform)
    if check is None:
        return result(use, "unchecked", "hub tokens does not check this platform's tokens")
    try:
        base = base_of(use.platform, environ, token)
    except ApiFailure as failure:
        return result(use, "unchecked", failure.message)
    try:
        return redacted(await check(Session(client, base, use.feed, token), use))
    except ApiFailure as failure:
        return result(use, "unchecked", failure.message)
    except Exception as error:  # one token's failure must never stop the others
        return result(use, "unchecked", describe(error, client.settings, base.host))


# -- Meta: Facebook, and Instagram with Facebook Login -----------------------------------


async def _debug_token(session: Session, use: TokenUse) -> TokenCheck:
    reply = await ask(session, Call(session.url("debug_token", input_token=session.token)))
    if reply.failure is not None:
        return failed(use, reply)
    data = dig(reply.document, "data")
    if not isinstance(data, Mapping):
        return result(use, "unchecked", "the Graph API's answer to debug_token holds no data")
    renew = f"{limits.RENEW[wording(session)]}, and put it in the secret {use.variable}"
    if data.get("is_valid") is not True:
        return result(use, "refused", _invalid(session, data.get("error"), renew))
    scopes = tuple(
        s for s in _list(data.get("scopes")) if isinstance(s, str) and _SCOPE.fullmatch(s)
    )
    kind = data.get("type")
    kind = (
        f"{kind.lower().replace('_', ' ')} token"
        if isinstance(kind, str) and _KIND.fullmatch(kind)
        else "token"
    )
    if application := shown(data.get("application")):
        kind += f" of the app {application}"
    profile = data.get("profile_id")
    found: dict[str, Any] = {
        "kind": kind,
        "reads": f"Page {profile}" if isinstance(profile, str) and _ID.fullmatch(profile) else "",
        "scopes": scopes,
    }
    missing = [scope for scope in NEEDED[use.platform] if scope not in scopes]
    if missing:
        return result(
            use,
            "refused",
            f"the token in {use.variable} lacks a permission this read needs "
            f"({', '.join(missing)}, says debug_token); it needs "
            f"{limits.PERMISSIONS[use.platform]}: add it to the app, then {renew}",
            **found,
        )
    expires_at = _unix(data.get("expires_at"))
    data_access = _unix(data.get("data_access_expires_at"))
    now = datetime.now(UTC)
    warnings = [
        f"{what} {when(moment)}, in less than {SOON.days} days: {renew}"
        for what, moment in (("it expires", expires_at), ("its data access ends", data_access))
        if isinstance(moment, datetime) and moment - now < SOON
    ]
    return TokenCheck(
        use,
        "valid",
        expires=_expiry(expires_at),
        expires_at=expires_at if isinstance(expires_at, datetime) else None,
        data_access_expires=_expiry(data_access),
        warnings=tuple(warnings),
        **found,
    )


def _invalid(session: Session, error: object, renew: str) -> str:
    """Why debug_token says a token is not valid, in the words of the reads' errors."""
    said = None
    if isinstance(error, Mapping):
        document = {"error": error}
        now = datetime.now(UTC)
        said = limits.failure(wording(session), 400, {}, document, session.variable, now)
    message = (
        said.message
        if said is not None
        else (f"the token in {session.variable} is not valid (Graph API debug_token)")
    )
    return message if limits.RENEW[wording(session)] in message else f"{message}: {renew}"


# -- Instagram Login, Threads -----------------------------------------------------------


async def _me(session: Session, use: TokenUse) -> TokenCheck:
    if wording(session) == "facebook":
        return await _debug_token(session, use)
    fields = "id,username" if use.platform == "threads" else "user_id,username"
    reply = await ask(session, Call(session.url("me", fields=fields)))
    if reply.failure is not None:
        return failed(use, reply)
    label = "Threads" if use.platform == "threads" else "Instagram"
    reads, warnings = _whose(
        use, reply.document.get("username"), "give each account a token of its own"
    )
    return TokenCheck(
        use,
        "valid",
        kind=f"{label} user token",
        reads=reads,
        expires=f"60 days after it was made or last refreshed ({label} does not say when; "
        f"docs/connectors.md#{use.platform})",
        warnings=warnings,
    )


def _whose(use: TokenUse, username: object, otherwise: str) -> tuple[str, tuple[str, ...]]:
    """The account a token is a user's token of, and a warning when it is not ``use``'s."""
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        return "", ()
    if username.casefold() == use.handle.casefold():
        return f"@{username}", ()
    warning = f"the token in {use.variable} is @{username}'s, not @{use.handle}'s: {otherwise}"
    return f"@{username}", (warning,)


# -- X ----------------------------------------------------------------------------------


async def _x(session: Session, use: TokenUse) -> TokenCheck:
    if use.shared:
        return await _x_app_only(session, use)
    reply = await ask(session, Call(session.url("users/me")))
    kind = reply.document.get("type")
    if (
        reply.page.status == 403
        and isinstance(kind, str)
        and kind.endswith("/unsupported-authentication")
    ):
        return await _x_app_only(session, use)  # an app-only token: X wants a user's here
    if reply.failure is not None:
        return failed(use, reply)
    username = dig(reply.document, "data", "username")
    reads, warnings = _whose(use, username, f"it reads @{use.handle}'s public posts all the same")
    return TokenCheck(
        use,
        "valid",
        kind="user token (OAuth 2.0)",
        reads=reads,
        expires="2 hours after it was made or last refreshed (X does not say when): refresh "
        "it before each build (docs/connectors.md#x)",
        warnings=warnings,
        billed=1,
    )


async def _x_app_only(session: Session, use: TokenUse) -> TokenCheck:
    reply = await ask(session, Call(session.url(f"users/by/username/{quote(use.handle, safe='')}")))
    if reply.failure is not None:
        return failed(use, reply)
    reads, warnings = _whose(use, dig(reply.document, "data", "username"), "")
    if not reads:
        warnings = (f"the X API knows no account @{use.handle}: check handle:",)
    return TokenCheck(
        use,
        "valid",
        kind="app-only bearer token" + (" (site.api.x_bearer_token)" if use.shared else ""),
        reads=reads,
        expires="never (until it is regenerated in the X developer console)",
        warnings=warnings,
        billed=1,
    )


# -- TikTok -----------------------------------------------------------------------------


async def _tiktok(session: Session, use: TokenUse) -> TokenCheck:
    info = await ask(session, Call(session.url("user/info/", fields="open_id,display_name")))
    scopes: tuple[str, ...] = ()
    if info.failure is None:
        scopes = ("user.info.basic",)
    elif dig(info.document, "error", "code") not in _TIKTOK_SCOPE:
        return failed(use, info)  # without user.info.basic, video.list may still be granted
    videos = await ask(session, Call(session.url("video/list/", fields="id"), {"max_count": 1}))
    if videos.failure is not None:  # a missing video.list scope is said as the reads say it
        return failed(use, videos, scopes=scopes)
    return TokenCheck(
        use,
        "valid",
        kind="user access token",
        reads=shown(dig(info.document, "data", "user", "display_name")),
        scopes=(*scopes, "video.list"),
        expires="2 hours after its last refresh (TikTok does not say when): refresh it in the "
        "job, just before the build (docs/connectors.md#tiktok)",
    )


CHECKS: Mapping[str, Callable[[Session, TokenUse], Awaitable[TokenCheck]]] = {
    "facebook": _debug_token,
    "instagram": _me,
    "threads": _me,
    "x": _x,
    "tiktok": _tiktok,
}
"""Platform -> how its tokens are checked."""


def token_uses(registry: Registry) -> list[TokenUse]:
    """Every account of ``registry`` read through its API with a token, set or not.

    The registry is read again as if every environment variable were set, so
    that an account whose variable is missing is listed too. The first reading
    passed, so this one does too, unless the file changed in between.
    """
    try:
        named = load(registry.path, environ=EveryVariableSet()).registry
    except RegistryError:
        raise HubError(
            f"{registry.path}: changed while it was read: run the command again"
        ) from None
    bearer = named.site.api.get("x_bearer_token")
    uses = []
    for account in named.accounts():
        feed = account.feed
        if feed is None or not feed.is_api or feed.platform not in CHECKS:
            continue
        shared = feed.platform == "x" and feed.token == bearer
        uses.append(TokenUse(feed, account.owner, shared))
    return uses


def _unix(value: object) -> datetime | Literal[0] | None:
    """A Unix time as Meta gives it: a moment, 0 for never, None when it says nothing."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if value == 0:
        return 0
    return datetime.fromtimestamp(value, UTC) if 0 < value < 10**11 else None


def _expiry(moment: datetime | Literal[0] | None) -> str:
    if moment is None:
        return ""
    return "never" if isinstance(moment, int) else when(moment)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
