"""What the platforms answer to ``hub tokens``' checks, in each API's documented shapes.

Graph API ``debug_token`` (``{"data": {app_id, type, application, is_valid,
expires_at, data_access_expires_at, scopes, profile_id?, error?}}``), the
Instagram and Threads ``/me`` nodes, X's user objects and problem documents,
and TikTok's ``{"data": ..., "error": {"code", "message", "log_id"}}``, for
the local stand-in APIs of :mod:`tests.feeds.connectors.apiserver`.
"""

from __future__ import annotations

from typing import Any

from tests.feeds.connectors.apiserver import FakeApis

PAGE_SCOPES = ["pages_show_list", "pages_read_engagement"]
IG_SCOPES = ["instagram_basic", "pages_show_list", "pages_read_engagement"]
X_USER = {"data": {"id": "2244994945", "name": "Lakeview Police", "username": "LakeviewPS"}}
X_TRAFFIC = {
    "data": {"id": "2244994946", "name": "Lakeview Traffic", "username": "LakeviewTraffic"}
}
X_APP_ONLY = {
    "title": "Unsupported Authentication",
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
    "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": "https://api.twitter.com/2/problems/unsupported-authentication",
    "status": 403,
}
X_UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
LOG_ID = "202611021405000102451301711E0A1B2C"


def debug_token(
    scopes: list[str] | None = None,
    *,
    kind: str = "PAGE",
    expires_at: int = 0,
    data_access_expires_at: int = 0,
    profile_id: str | None = "104242424242424",
) -> dict[str, Any]:
    """A valid token's metadata; ``expires_at`` 0 is a token that never expires."""
    data: dict[str, Any] = {
        "app_id": "1234567890123456",
        "type": kind,
        "application": "Lakeview Social Hub",
        "data_access_expires_at": data_access_expires_at,
        "expires_at": expires_at,
        "is_valid": True,
        "issued_at": 1767225600,
        "scopes": PAGE_SCOPES if scopes is None else scopes,
        "granular_scopes": [{"scope": "pages_show_list"}],
        "user_id": "100000000000001",
    }
    if profile_id is not None:
        data["profile_id"] = profile_id
    return {"data": data}


def debug_token_expired(echo: str = "") -> dict[str, Any]:
    """An expired token's metadata: ``is_valid`` false and the error object (190)."""
    return {
        "data": {
            "app_id": "1234567890123456",
            "type": "USER",
            "application": "Lakeview Social Hub",
            "data_access_expires_at": 1767225600,
            "error": {
                "code": 190,
                "message": f"Error validating access token: Session has expired on Thursday, "
                f"01-Jan-26 00:00:00 PST. {echo}",
                "subcode": 463,
            },
            "expires_at": 1767254400,
            "is_valid": False,
            "scopes": PAGE_SCOPES,
            "user_id": "100000000000001",
        }
    }


def graph_error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    """A Graph API error answer (HTTP 400)."""
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def instagram_me(username: str = "lakeviewpolice") -> dict[str, Any]:
    return {"user_id": "17841400000000001", "username": username, "id": "27841400000000001"}


def threads_me(username: str = "lakeviewpolice") -> dict[str, Any]:
    return {"id": "1234567", "username": username}


def tiktok(data: dict[str, Any], code: str = "ok", message: str = "") -> dict[str, Any]:
    return {"data": data, "error": {"code": code, "message": message, "log_id": LOG_ID}}


TIKTOK_USER = tiktok(
    {"user": {"open_id": "723f24d7-e717-40f8-a2b6-cb8464cd23b4", "display_name": "Lakeview Police"}}
)
TIKTOK_VIDEOS = tiktok(
    {"videos": [{"id": "7291234567890123456"}], "cursor": 1767225600000, "has_more": True}
)


def route_valid(apis: FakeApis) -> None:
    """Every platform answers as for a valid token that can do the read."""
    apis.route("facebook", "/debug_token", debug_token())
    apis.route("instagram", "/me", instagram_me())
    apis.route("threads", "/me", threads_me())
    apis.route("x", "/users/me", X_USER)
    apis.route("x", "/users/by/username/LakeviewTraffic", X_TRAFFIC)
    apis.route("x", "/users/by/username/LakeviewPS", X_USER)
    apis.route("tiktok", "/user/info/", TIKTOK_USER)
    apis.route("tiktok", "/video/list/", TIKTOK_VIDEOS)
