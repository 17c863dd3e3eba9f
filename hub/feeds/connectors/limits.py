"""What an API's answer says about its rate limits and its errors, for one account.

Rate limits (:func:`pause`): X counts the requests left in its window
(``x-rate-limit-remaining``) and says when it starts again
(``x-rate-limit-reset``, Unix seconds); Meta's APIs give the share used of
each limit, in percent (``x-app-usage``, and ``x-business-use-case-usage``
with ``estimated_time_to_regain_access`` in minutes). An account whose answer
shows a limit near its ceiling is not read again before it has room.

Errors (:func:`failure`): Meta's error object (code 190: the token expired or
was revoked; 4, 17, 32, 613, 80001-80099: rate limited; 10, 200-299: a
permission missing), X's HTTP statuses (401: the token refused; 429: rate
limited), TikTok's ``error.code`` (``access_token_invalid``...) and Google's
``error.errors[].reason`` for the YouTube Data API (``keyInvalid``;
``quotaExceeded``: the daily quota, reset at midnight Pacific time) become
one message that says what to do, naming the token's (or key's) variable and
never its value; what the API said is cut short and any token in it hidden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from http import HTTPStatus
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.feeds.connectors import secrets
from hub.feeds.result import parse_retry_after, when

GRAPH = frozenset({"facebook", "instagram", "threads"})
"""The platforms whose APIs are Meta's Graph API or built like it."""

NEAR_CEILING = 90.0
"""Share of a Meta limit used, in percent, from which an account waits."""
META_COOL_DOWN = timedelta(hours=1)
"""How long an account waits when Meta says nothing of when access returns:
its limits count over a rolling hour."""
X_RESERVE = 1
"""Requests left in X's window at or below which an account waits for the reset."""
RETRY = timedelta(minutes=15)
"""How long a rate-limited account waits when the API says nothing of when."""
MAX_WAIT = timedelta(days=1)

API_NAMES = {
    "facebook": "Graph API",
    "instagram": "Instagram API",
    "threads": "Threads API",
    "x": "X API",
    "tiktok": "TikTok API",
    "youtube": "YouTube Data API",
}

RENEW = {
    "facebook": "make a new Page access token (a system user's never expires; "
    "docs/connectors.md#facebook-pages)",
    "instagram": "refresh the long-lived token, which lasts 60 days (docs/connectors.md#instagram)",
    "threads": "refresh the long-lived token, which lasts 60 days (docs/connectors.md#threads)",
    "x": "make a new bearer token in the X developer portal (docs/connectors.md#x)",
    "tiktok": "get a new access token with the refresh token (docs/connectors.md#tiktok)",
}
"""How each platform's token is renewed, in a few words."""

PERMISSIONS = {
    "facebook": "pages_read_engagement and pages_show_list",
    "instagram": "instagram_business_basic (with Facebook Login: instagram_basic, "
    "pages_show_list and pages_read_engagement)",
    "threads": "threads_basic",
    "x": "read access to posts",
    "tiktok": "the video.list scope",
}

_MAX_SAID = 200
_CODE = re.compile(r"[a-z0-9_]{1,64}")


@dataclass(frozen=True)
class Failure:
    """One account's failed read: what to tell, and when to try again."""

    message: str
    retry_after: datetime | None = None
    why: str | None = None
    """For a rate limit (or a 503 with a Retry-After), what the API said in a few
    words: every account read with the same token is held (:mod:`hub.feeds.holds`)."""


# -- rate limits ------------------------------------------------------------------------


def pause(platform: str, headers: Mapping[str, str], now: datetime) -> datetime | None:
    """Until when an account waits because a limit is near its ceiling; None when it is not."""
    if platform == "x":
        remaining = _number(headers.get("x-rate-limit-remaining"))
        if remaining is None or remaining > X_RESERVE:
            return None
        return _x_reset(headers, now) or now + RETRY
    if platform in GRAPH:
        used, regain = meta_usage(headers)
        if used < NEAR_CEILING:
            return None
        return now + (timedelta(minutes=regain) if regain else META_COOL_DOWN)
    return None


def meta_usage(headers: Mapping[str, str]) -> tuple[float, float]:
    """The highest share used of Meta's limits (percent), and minutes until access returns."""
    used = 0.0
    regain = 0.0
    app = _json(headers.get("x-app-usage"))
    if isinstance(app, Mapping):
        used = max([used, *(_share(value) for value in app.values())])
    business = _json(headers.get("x-business-use-case-usage"))
    for limits in business.values() if isinstance(business, Mapping) else ():
        for limit in limits if isinstance(limits, list) else ():
            if not isinstance(limit, Mapping):
                continue
            for key in ("call_count", "total_cputime", "total_time"):
                used = max(used, _share(limit.get(key)))
            minutes = _number(limit.get("estimated_time_to_regain_access"))
            regain = max(regain, min(minutes or 0.0, MAX_WAIT.total_seconds() / 60))
    return used, regain


def _x_reset(headers: Mapping[str, str], now: datetime) -> datetime | None:
    reset = _number(headers.get("x-rate-limit-reset"))
    if reset is None:
        return None
    try:
        moment = datetime.fromtimestamp(reset, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return min(moment, now + MAX_WAIT) if moment > now else None


def _retry(platform: str, headers: Mapping[str, str], now: datetime) -> datetime:
    """When a rate-limited account may be read again, from what the answer says."""
    said = parse_retry_after(headers.get("retry-after"), now)
    if said is None and platform == "x":
        said = _x_reset(headers, now)
    if said is None and platform in GRAPH:
        regain = meta_usage(headers)[1]
        said = now + (timedelta(minutes=regain) if regain else META_COOL_DOWN)
    return min(max(said or now + RETRY, now), now + MAX_WAIT)


# -- errors -----------------------------------------------------------------------------


def failure(
    platform: str,
    status: int,
    headers: Mapping[str, str],
    document: Mapping[str, Any] | None,
    variable: str,
    now: datetime,
) -> Failure | None:
    """What an answer's error means for the account; None for an answer without one."""
    answer = document or {}
    if platform == "youtube":
        return _google(status, headers, answer.get("error"), variable, now)
    if platform in GRAPH and isinstance(answer.get("error"), Mapping):
        return _graph(platform, answer["error"], headers, variable, now)
    if platform == "tiktok" and isinstance(answer.get("error"), Mapping):
        code = str(answer["error"].get("code") or "")
        if code != "ok" or status >= 400:
            return _tiktok(code, answer["error"], status, headers, variable, now)
        return None
    if status < 400:
        return None
    if status == 429:
        return _rate_limited(platform, f"HTTP {status}", headers, now)
    if status == 401:
        return _token(platform, variable, f"HTTP {status} Unauthorized")
    detail = _said(answer.get("detail") or answer.get("title") or answer.get("message"))
    message = f"HTTP {status} {_phrase(status)}" + (f": {detail}" if detail else "")
    if status == 403:
        needed = PERMISSIONS[platform]
        return Failure(f"the {API_NAMES[platform]} refused the read ({message}); it needs {needed}")
    retry = parse_retry_after(headers.get("retry-after"), now) if status == 503 else None
    if retry is None:
        return Failure(message)
    return Failure(
        f"{message} (retry after {when(retry)})", retry, f"HTTP {status} {_phrase(status)}"
    )


def _graph(
    platform: str,
    error: Mapping[str, Any],
    headers: Mapping[str, str],
    variable: str,
    now: datetime,
) -> Failure:
    code = _number(error.get("code"))
    subcode = _number(error.get("error_subcode"))
    said = _said(error.get("message"))
    tag = f"{API_NAMES[platform]} error {int(code) if code is not None else '?'}"
    if code in (102, 190) or (subcode is not None and 458 <= subcode <= 467):
        return _token(platform, variable, tag)
    if code in (4, 17, 32, 613) or (code is not None and 80000 <= code < 80100):
        return _rate_limited(platform, tag, headers, now)
    if code == 10 or (code is not None and 200 <= code < 300):
        return Failure(
            f"the token in {variable} lacks a permission this read needs ({tag}: {said}); "
            f"it needs {PERMISSIONS[platform]}"
        )
    if code == 100 and subcode == 33:
        return Failure(
            f"the {API_NAMES[platform]} found no account of this handle that the token in "
            f"{variable} may read ({tag}): check handle: and the token's account"
        )
    return Failure(f"the {API_NAMES[platform]} answered with an error ({tag}: {said})")


def _tiktok(
    code: str,
    error: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    variable: str,
    now: datetime,
) -> Failure:
    said = _said(error.get("message"))
    code = code if _CODE.fullmatch(code) else "unknown_error"
    tag = f"TikTok API error {code}"
    # TikTok answers a missing scope with HTTP 401 too: the code says which it is.
    if code in ("scope_not_authorized", "scope_permission_missed"):
        return Failure(
            f"the token in {variable} lacks the video.list scope ({tag}): authorize the app "
            "again with video.list (docs/connectors.md#tiktok)"
        )
    if code == "access_token_invalid" or status == 401:
        return _token("tiktok", variable, tag)
    if code == "rate_limit_exceeded" or status == 429:
        return _rate_limited("tiktok", tag, headers, now)
    return Failure(f"the TikTok API answered with an error ({tag}{': ' if said else ''}{said})")


GOOGLE_KEY_REFUSED = frozenset({"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"})
GOOGLE_QUOTA = frozenset({"quotaExceeded", "dailyLimitExceeded"})
GOOGLE_RATE = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"})
GOOGLE_DISABLED = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
GOOGLE_BLOCKED = frozenset(
    {
        "ipRefererBlocked",
        "API_KEY_SERVICE_BLOCKED",
        "API_KEY_HTTP_REFERRER_BLOCKED",
        "API_KEY_IP_ADDRESS_BLOCKED",
    }
)
"""Google's error reasons (``errors[].reason``, or ``details[].reason`` in its newer
error format) for an API key refused, the daily quota or a rate limit reached, the
API not enabled in the key's project, and a key whose restrictions forbid the call."""
_REASON = re.compile(r"[A-Za-z_]{1,64}")


def _google(
    status: int, headers: Mapping[str, str], error: object, variable: str, now: datetime
) -> Failure | None:
    """A YouTube Data API error, from Google's error object."""
    if status < 400 and not isinstance(error, Mapping):
        return None
    error = error if isinstance(error, Mapping) else {}
    reasons = [
        item.get("reason")
        for key in ("errors", "details")
        for item in (error.get(key) if isinstance(error.get(key), list) else [])
        if isinstance(item, Mapping)
    ]
    found = [r for r in reasons if isinstance(r, str) and _REASON.fullmatch(r)]
    tag = f"HTTP {status}" + (f" {found[0]}" if found else "")
    said = _said(error.get("message"))
    if GOOGLE_KEY_REFUSED.intersection(found):
        return Failure(
            f"the key in {variable} was refused: it is wrong or was deleted ({tag}): make an "
            "API key restricted to the YouTube Data API v3 (docs/connectors.md#youtube), and put "
            f"it in the secret {variable}; the account's last posts are kept"
        )
    if GOOGLE_QUOTA.intersection(found):
        retry = quota_reset(now)
        return Failure(
            f"the daily quota of the Google Cloud project of the key in {variable} is used up "
            f"({tag}): next try after {when(retry)}, once Google resets it at midnight "
            "Pacific time",
            retry,
        )
    if GOOGLE_RATE.intersection(found) or status == 429:
        return _rate_limited("youtube", tag, headers, now)
    if GOOGLE_DISABLED.intersection(found):
        return Failure(
            f"the YouTube Data API v3 is not enabled in the Google Cloud project of the key in "
            f"{variable} ({tag}): enable it in the console (docs/connectors.md#youtube)"
        )
    if GOOGLE_BLOCKED.intersection(found):
        return Failure(
            f"the restrictions of the key in {variable} forbid this request ({tag}): restrict "
            "it to the YouTube Data API v3 only, with no website or IP address restriction "
            "(docs/connectors.md#youtube)"
        )
    return Failure(
        f"the {API_NAMES['youtube']} answered with an error ({tag}{': ' if said else ''}{said})"
    )


def quota_reset(now: datetime) -> datetime:
    """Just after the next midnight Pacific time, when Google resets the daily quotas."""
    try:
        pacific = ZoneInfo("America/Los_Angeles")
    except (ZoneInfoNotFoundError, ValueError):
        return now + MAX_WAIT
    tomorrow = now.astimezone(pacific).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0, 5), pacific).astimezone(UTC)


def _token(platform: str, variable: str, tag: str) -> Failure:
    return Failure(
        f"the token in {variable} was refused: it is wrong, has expired or was revoked "
        f"({tag}): {RENEW[platform]}, and put it in the secret {variable}; the account's "
        "last posts are kept"
    )


def _rate_limited(platform: str, tag: str, headers: Mapping[str, str], now: datetime) -> Failure:
    retry = _retry(platform, headers, now)
    why = f"rate limited by the {API_NAMES[platform]} ({tag})"
    return Failure(f"{why}: next read after {when(retry)}", retry, why)


# -- reading what an API says -----------------------------------------------------------


def _said(value: object) -> str:
    return secrets.said(value, _MAX_SAID)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


def _json(value: str | None) -> Any:
    if not value or len(value) > 8192:
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip().lstrip("-").replace(".", "", 1).isdigit():
        number = float(value.strip())
    else:
        return None
    return number if -1e12 < number < 1e12 else None


def _share(value: object) -> float:
    """A percentage as Meta writes it, between 0 and 100."""
    number = _number(value)
    return 0.0 if number is None else min(max(number, 0.0), 100.0)
