"""The token checks, platform by platform, against the local stand-in APIs.

What each answer means (valid, refused, not checked), the permissions a
Facebook Login token's read needs, X's app-only tokens, TikTok's scopes,
and failures that are one token's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.feeds.connectors.tokencheck import TokenCheck, TokenUse, check_tokens
from hub.model import FetchSettings
from hub.registry.accounts import api_ref
from tests.feeds.connectors import tokenanswers as answers
from tests.feeds.connectors.apiserver import TOKENS, ApiServer, FakeApis

FB = TokenUse(api_ref("facebook", "LakeviewPoliceService", "", "HUB_TOKEN_FB_MAIN"), "unit:comms")
IG = TokenUse(api_ref("instagram", "lakeviewpolice", "", "HUB_TOKEN_IG_MAIN"))
X_OWN = TokenUse(api_ref("x", "LakeviewPS", "", "HUB_TOKEN_X_MAIN"))
X_SHARED = TokenUse(api_ref("x", "LakeviewPS", "", "HUB_TOKEN_X_MAIN"), shared=True)
TT = TokenUse(api_ref("tiktok", "lakeviewpolice", "", "HUB_TOKEN_TT_MAIN"))
FB_TOKEN = TOKENS["HUB_TOKEN_FB_MAIN"]


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server:
        yield FakeApis(server, tmp_path, monkeypatch)


def check(*uses: TokenUse) -> list[TokenCheck]:
    return asyncio.run(check_tokens(uses, FetchSettings(), user_agent="police-social-hub/test"))


def one(use: TokenUse) -> TokenCheck:
    [found] = check(use)
    return found


def test_debug_token_says_an_expired_token_is_not_valid(apis: FakeApis) -> None:
    apis.route("facebook", "/debug_token", answers.debug_token_expired(echo=FB_TOKEN))
    found = one(FB)
    assert found.status == "refused"
    assert found.message.startswith(
        "the token in HUB_TOKEN_FB_MAIN was refused: it is wrong, has expired or was revoked "
        "(Graph API error 190): make a new Page access token"
    )
    assert FB_TOKEN not in repr(found)


def test_a_page_token_without_the_permission_its_read_needs_is_refused(apis: FakeApis) -> None:
    apis.route("facebook", "/debug_token", answers.debug_token(["pages_show_list"]))
    found = one(FB)
    assert found.status == "refused"
    assert found.scopes == ("pages_show_list",)
    assert found.message.startswith(
        "the token in HUB_TOKEN_FB_MAIN lacks a permission this read needs "
        "(pages_read_engagement, says debug_token); it needs pages_read_engagement and "
        "pages_show_list: add it to the app, then make a new Page access token"
    )


def test_a_token_that_expires_soon_is_valid_with_a_warning(apis: FakeApis) -> None:
    soon = int((datetime.now(UTC) + timedelta(days=2)).timestamp())
    apis.route("facebook", "/debug_token", answers.debug_token(kind="USER", expires_at=soon))
    found = one(FB)
    assert found.status == "valid"
    assert found.expires_at == datetime.fromtimestamp(soon, UTC)
    # Its data access, which never ends, is not warned of.
    [warning] = found.warnings
    assert warning.startswith(
        f"it expires {found.expires}, in less than 7 days: make a new Page access token"
    )
    assert found.data_access_expires == "never"


def test_an_instagram_token_from_facebook_login_is_debugged(
    apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_TOKEN_IG_MAIN", "EAAsystemusertokenLEAKCHECK2222")
    apis.route(
        "instagram", "/debug_token", answers.debug_token(answers.IG_SCOPES, kind="SYSTEM_USER")
    )
    found = one(IG)
    assert found.status == "valid", found.message
    assert found.kind == "system user token of the app Lakeview Social Hub"
    assert not apis.requests("instagram", "/me")

    apis.route("instagram", "/debug_token", answers.debug_token(answers.PAGE_SCOPES))
    refused = one(IG)
    assert refused.status == "refused"
    assert "(instagram_basic, says debug_token)" in refused.message
    assert "make a new Page access token (a system user's never expires" in refused.message


def test_an_app_only_token_in_an_accounts_own_token_is_looked_up_by_username(
    apis: FakeApis,
) -> None:
    apis.route("x", "/users/me", answers.X_APP_ONLY, status=403)
    apis.route("x", "/users/by/username/LakeviewPS", answers.X_USER)
    found = one(X_OWN)
    assert (found.status, found.kind, found.reads) == (
        "valid",
        "app-only bearer token",
        "@LakeviewPS",
    )
    assert found.expires.startswith("never")
    assert found.billed == 1
    assert len(apis.requests("x", "/users/me")) == 1


def test_an_unknown_x_account_is_a_warning(apis: FakeApis) -> None:
    not_found = {
        "errors": [
            {
                "value": "LakeviewPS",
                "detail": "Could not find user with username: [LakeviewPS].",
                "title": "Not Found Error",
                "resource_type": "user",
                "parameter": "username",
                "resource_id": "LakeviewPS",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }
    apis.route("x", "/users/by/username/LakeviewPS", not_found)
    found = one(X_SHARED)
    assert found.status == "valid"
    assert found.warnings == ("the X API knows no account @LakeviewPS: check handle:",)
    assert not apis.requests("x", "/users/me")


def test_tiktok_scopes(apis: FakeApis) -> None:
    scope = answers.tiktok({}, "scope_not_authorized", "The user did not authorize the scope.")
    apis.route("tiktok", "/user/info/", scope, status=401)
    apis.route("tiktok", "/video/list/", answers.TIKTOK_VIDEOS)
    found = one(TT)
    assert (found.status, found.scopes) == ("valid", ("video.list",))

    apis.route("tiktok", "/user/info/", answers.TIKTOK_USER)
    apis.route("tiktok", "/video/list/", scope, status=401)
    refused = one(TT)
    assert refused.status == "refused"
    assert refused.scopes == ("user.info.basic",)
    assert refused.message == (
        "the token in HUB_TOKEN_TT_MAIN lacks the video.list scope (TikTok API error "
        "scope_not_authorized): authorize the app again with video.list "
        "(docs/connectors.md#tiktok)"
    )


def test_what_the_platform_cannot_answer_is_not_checked(apis: FakeApis) -> None:
    apis.route("x", "/users/me", {"title": "Too Many Requests"}, status=429)
    apis.route("tiktok", "/user/info/", answers.tiktok({}, "internal_error"), status=500)
    apis.route("facebook", "/debug_token", b"<html>maintenance</html>")
    x, tiktok, facebook = check(X_OWN, TT, FB)
    assert x.status == "unchecked"
    assert x.message.startswith("rate limited by the X API (HTTP 429): next read after ")
    assert tiktok.status == "unchecked"
    assert facebook.status == "unchecked"
    assert facebook.message == "the Graph API did not answer with a JSON object"


def test_a_bad_api_base_is_that_tokens_failure(
    apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    apis.route("tiktok", "/user/info/", answers.TIKTOK_USER)
    apis.route("tiktok", "/video/list/", answers.TIKTOK_VIDEOS)
    monkeypatch.setenv("HUB_API_BASE_X", "ftp://example.com/2")
    x, tiktok = check(X_OWN, TT)
    assert (x.status, x.message) == (
        "unchecked",
        "HUB_API_BASE_X is not an http(s) URL such as https://api.x.com/2",
    )
    assert tiktok.status == "valid"


def test_unset_variables_send_nothing(apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TOKENS:
        monkeypatch.delenv(name)
    assert [found.status for found in check(FB, IG, X_OWN, TT)] == ["not_set"] * 4
    assert not apis.server.requests
