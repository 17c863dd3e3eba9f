"""``hub tokens``: each named API token checked with its platform, from the command line.

Every test runs the real command in a subprocess against the local stand-in
APIs (``HUB_API_BASE_*`` -> :class:`tests.feeds.connectors.apiserver.ApiServer`),
with the recognisable tokens of ``TOKENS``: what each line says, the JSON
report, the exit codes, and that no token is ever printed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.feeds.connectors import tokenanswers as answers
from tests.feeds.connectors.apiserver import TOKENS, ApiServer, FakeApis, query
from tests.feedserver import Recorded

REPO = Path(__file__).resolve().parents[2]
BEARER = "AAAAAAAAAAAAAAAAAAAAAsharedbearerLEAKCHECK7777"
SECRETS = [*TOKENS.values(), BEARER]

REGISTRY = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {emergency: "911"}
  api: {x_bearer_token: HUB_X_BEARER_TOKEN, youtube_key: HUB_YOUTUBE_KEY}
units:
  - id: comms
    name: Corporate Communications
    kind: office
    official: true
    accounts:
      - {platform: facebook, handle: LakeviewPoliceService, token: HUB_TOKEN_FB_MAIN}
      - {platform: instagram, handle: lakeviewpolice, token: HUB_TOKEN_IG_MAIN}
      - {platform: threads, handle: lakeviewpolice, token: HUB_TOKEN_TH_MAIN}
      - {platform: x, handle: LakeviewPS, token: HUB_TOKEN_X_MAIN}
      - {platform: tiktok, handle: lakeviewpolice, token: HUB_TOKEN_TT_MAIN}
      - {platform: youtube, handle: UCq3Ci-h945sbEYXpVlw7rJg}
      - {platform: youtube, handle: '@LakeviewPolice'}
officers:
  - id: west
    name: Jack West
    unit: comms
    accounts:
      - {platform: x, handle: LakeviewTraffic}
"""

FB = "api:facebook:LakeviewPoliceService (unit:comms) HUB_TOKEN_FB_MAIN"
IG = "api:instagram:lakeviewpolice (unit:comms) HUB_TOKEN_IG_MAIN"
TH = "api:threads:lakeviewpolice (unit:comms) HUB_TOKEN_TH_MAIN"
XU = "api:x:LakeviewPS (unit:comms) HUB_TOKEN_X_MAIN"
TT = "api:tiktok:lakeviewpolice (unit:comms) HUB_TOKEN_TT_MAIN"
XB = "api:x:LakeviewTraffic (officer:west) HUB_X_BEARER_TOKEN"


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with ApiServer() as server:
        fake = FakeApis(server, tmp_path, monkeypatch)
        monkeypatch.setenv("HUB_X_BEARER_TOKEN", BEARER)
        (tmp_path / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
        yield fake


def hub_tokens(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environ.update(PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "hub", "tokens", *args],
        cwd=folder,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def line(result: subprocess.CompletedProcess[str], head: str) -> str:
    found = [text for text in result.stdout.splitlines() if text.startswith(head + ":")]
    assert len(found) == 1, result.stdout + result.stderr
    return found[0]


def no_secret_in(result: subprocess.CompletedProcess[str]) -> None:
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed
    for secret in SECRETS:
        assert secret not in printed
        assert secret[8:24] not in printed


def test_every_valid_token_says_what_it_reads_and_when_it_expires(apis: FakeApis) -> None:
    answers.route_valid(apis)
    result = hub_tokens(apis.folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert line(result, FB) == (
        f"{FB}: valid: page token of the app Lakeview Social Hub, reads Page 104242424242424; "
        "scopes: pages_show_list, pages_read_engagement; expires: never; "
        "data access expires: never"
    )
    assert line(result, IG).startswith(
        f"{IG}: valid: Instagram user token, reads @lakeviewpolice; expires: 60 days after it "
        "was made or last refreshed (Instagram does not say when"
    )
    assert line(result, TH).startswith(f"{TH}: valid: Threads user token, reads @lakeviewpolice")
    assert line(result, XU).startswith(
        f"{XU}: valid: user token (OAuth 2.0), reads @LakeviewPS; expires: 2 hours after"
    )
    assert line(result, XB) == (
        f"{XB}: valid: app-only bearer token (site.api.x_bearer_token), reads @LakeviewTraffic; "
        "expires: never (until it is regenerated in the X developer console)"
    )
    assert line(result, TT).startswith(
        f"{TT}: valid: user access token, reads Lakeview Police; "
        "scopes: user.info.basic, video.list; expires: 2 hours after its last refresh"
    )
    assert "api:youtube" not in result.stdout  # public feeds; a Data API key is no token
    assert result.stdout.splitlines()[-1] == "tokens: 6 accounts: 6 valid"
    assert "note: this check made 2 X user look-ups" in result.stderr
    no_secret_in(result)


def test_each_request_carries_its_token_in_a_header_to_its_own_api(apis: FakeApis) -> None:
    answers.route_valid(apis)
    assert hub_tokens(apis.folder).returncode == 0
    [debug] = apis.requests("facebook", "/debug_token")
    assert query(debug)["input_token"] == TOKENS["HUB_TOKEN_FB_MAIN"]  # Graph API's design
    assert debug.headers["authorization"] == f"Bearer {TOKENS['HUB_TOKEN_FB_MAIN']}"
    [me] = apis.requests("instagram", "/me")
    assert query(me) == {"fields": "user_id,username"}
    assert me.headers["authorization"] == f"Bearer {TOKENS['HUB_TOKEN_IG_MAIN']}"
    [shared] = apis.requests("x", "/users/by/username/LakeviewTraffic")
    assert shared.headers["authorization"] == f"Bearer {BEARER}"
    [videos] = apis.requests("tiktok", "/video/list/")
    assert videos.method == "POST"
    assert query(videos) == {"fields": "id"}
    assert json.loads(apis.server.posted[-1]) == {"max_count": 1}  # type: ignore[attr-defined]
    assert not apis.requests("x", "/users/by/username/LakeviewPS")


def test_an_expired_token_is_refused_with_how_to_renew_it(apis: FakeApis) -> None:
    answers.route_valid(apis)
    expired = answers.graph_error(
        190,
        "Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST.",
        463,
    )
    apis.route("facebook", "/debug_token", expired, status=400)
    result = hub_tokens(apis.folder)
    assert result.returncode == 1
    assert line(result, FB) == (
        f"{FB}: refused: the token in HUB_TOKEN_FB_MAIN was refused: it is wrong, has expired "
        "or was revoked (Graph API error 190): make a new Page access token (a system user's "
        "never expires; docs/connectors.md#facebook-pages), and put it in the secret "
        "HUB_TOKEN_FB_MAIN; the account's last posts are kept"
    )
    assert result.stdout.splitlines()[-1] == "tokens: 6 accounts: 5 valid, 1 refused"
    no_secret_in(result)


def test_tiktok_refuses_an_expired_access_token(apis: FakeApis) -> None:
    answers.route_valid(apis)
    invalid = answers.tiktok(
        {}, "access_token_invalid", "The access token is invalid or not found in the request."
    )
    apis.route("tiktok", "/user/info/", invalid, status=401)
    result = hub_tokens(apis.folder)
    assert result.returncode == 1
    assert line(result, TT).startswith(
        f"{TT}: refused: the token in HUB_TOKEN_TT_MAIN was refused: it is wrong, has expired "
        "or was revoked (TikTok API error access_token_invalid): get a new access token with "
        "the refresh token (docs/connectors.md#tiktok)"
    )
    assert not apis.requests("tiktok", "/video/list/")


def test_an_unset_variable_is_named_and_fails_the_command(
    apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers.route_valid(apis)
    monkeypatch.delenv("HUB_TOKEN_TH_MAIN")
    monkeypatch.delenv("HUB_X_BEARER_TOKEN")
    result = hub_tokens(apis.folder)
    assert result.returncode == 1
    assert line(result, TH) == (
        f"{TH}: not set: map the secret to the variable "
        "(docs/connectors.md#giving-the-tokens-to-github-actions)"
    )
    assert line(result, XB).startswith(f"{XB}: not set: ")
    assert not apis.requests("threads", "/me")
    assert result.stdout.splitlines()[-1] == "tokens: 6 accounts: 4 valid, 2 not set"
    assert "not set" not in result.stderr  # the registry's own warnings are hub check's


def test_the_json_report(apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> None:
    answers.route_valid(apis)
    apis.route("instagram", "/me", answers.instagram_me("someoneelse"))
    monkeypatch.delenv("HUB_TOKEN_TT_MAIN")
    result = hub_tokens(apis.folder, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["x_lookups"] == 2
    records = {record["account"]: record for record in report["tokens"]}
    assert list(records) == [
        "api:facebook:LakeviewPoliceService",
        "api:instagram:lakeviewpolice",
        "api:threads:lakeviewpolice",
        "api:x:LakeviewPS",
        "api:tiktok:lakeviewpolice",
        "api:x:LakeviewTraffic",
    ]
    facebook = records["api:facebook:LakeviewPoliceService"]
    assert facebook == {
        "account": "api:facebook:LakeviewPoliceService",
        "platform": "facebook",
        "handle": "LakeviewPoliceService",
        "owner": "unit:comms",
        "variable": "HUB_TOKEN_FB_MAIN",
        "shared": False,
        "status": "valid",
        "kind": "page token of the app Lakeview Social Hub",
        "reads": "Page 104242424242424",
        "scopes": ["pages_show_list", "pages_read_engagement"],
        "expires": "never",
        "expires_at": None,
        "data_access_expires": "never",
        "message": "",
        "warnings": [],
        "billed": 0,
    }
    instagram = records["api:instagram:lakeviewpolice"]
    assert instagram["status"] == "valid"  # valid, but another account's: a warning
    assert instagram["warnings"] == [
        "the token in HUB_TOKEN_IG_MAIN is @someoneelse's, not @lakeviewpolice's: "
        "give each account a token of its own"
    ]
    assert records["api:tiktok:lakeviewpolice"]["status"] == "not_set"
    assert records["api:x:LakeviewTraffic"]["shared"] is True
    assert records["api:x:LakeviewTraffic"]["owner"] == "officer:west"
    no_secret_in(result)


def test_a_token_that_expires_says_when(apis: FakeApis) -> None:
    answers.route_valid(apis)
    later = 4_102_444_800  # 2100-01-01
    apis.route("facebook", "/debug_token", answers.debug_token(kind="USER", expires_at=later))
    result = hub_tokens(apis.folder, "--format", "json")
    assert result.returncode == 0, result.stdout
    [facebook] = [r for r in json.loads(result.stdout)["tokens"] if r["platform"] == "facebook"]
    assert facebook["expires"] == "2100-01-01 00:00:00 UTC"
    assert facebook["expires_at"] == "2100-01-01T00:00:00+00:00"
    assert facebook["kind"] == "user token of the app Lakeview Social Hub"


def test_a_network_failure_is_one_accounts_line(
    apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers.route_valid(apis)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("HUB_API_BASE_TIKTOK", f"http://127.0.0.1:{port}/v2")
    result = hub_tokens(apis.folder)
    assert result.returncode == 1
    assert line(result, TT) == f"{TT}: not checked: connection refused by 127.0.0.1:{port}"
    assert line(result, FB).startswith(f"{FB}: valid: ")
    assert result.stdout.splitlines()[-1] == "tokens: 6 accounts: 5 valid, 1 not checked"
    no_secret_in(result)


def test_no_token_is_ever_printed_even_when_the_apis_echo_them(apis: FakeApis) -> None:
    answers.route_valid(apis)

    def echo(request: Recorded) -> dict[str, Any]:
        said = f"{request.path} {request.headers.get('authorization')}"
        return answers.graph_error(190, f"Invalid OAuth access token: {said}")

    apis.route("facebook", "/debug_token", echo, status=400)
    apis.route("instagram", "/me", echo, status=400)
    apis.route("threads", "/me", lambda r: {"id": "1", "username": "x" + r.path}, status=200)
    unauthorized = {**answers.X_UNAUTHORIZED, "detail": f"Bad token {TOKENS['HUB_TOKEN_X_MAIN']}"}
    apis.route("x", "/users/me", unauthorized, status=401)

    def tiktok_echo(request: Recorded) -> dict[str, Any]:
        token = request.headers.get("authorization", "")
        return answers.tiktok({}, "invalid_params", f"no such token {token}")

    apis.route("tiktok", "/user/info/", tiktok_echo, status=400)
    for output in ("text", "json"):
        result = hub_tokens(apis.folder, "--format", output)
        assert result.returncode == 1
        no_secret_in(result)
    assert "[hidden]" in result.stdout


def test_registry_errors_end_it_as_in_hub_check(apis: FakeApis) -> None:
    (apis.folder / "sources.yaml").write_text(
        REGISTRY.replace("token: HUB_TOKEN_FB_MAIN", "token: EAAtesttokenLEAKCHECK1234"),
        encoding="utf-8",
    )
    result = hub_tokens(apis.folder)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("sources.yaml:13:68: error: units[0].accounts[0].token: ")
    assert result.stderr.rstrip().endswith("error: sources.yaml: 1 error")
    assert not apis.server.requests
    no_secret_in(result)


def test_a_registry_without_tokens(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    text = REGISTRY.replace(
        "  api: {x_bearer_token: HUB_X_BEARER_TOKEN, youtube_key: HUB_YOUTUBE_KEY}\n", ""
    )
    kept = [row for row in text.splitlines() if "token:" not in row]
    (tmp_path / "sources.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = hub_tokens(tmp_path, "--sources", "sources.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sources.yaml: no account names a token variable")


def test_usage(tmp_path: Path) -> None:
    result = hub_tokens(tmp_path, "--format", "xml")
    assert result.returncode == 2
    assert "usage: hub tokens" in result.stderr
    helped = hub_tokens(tmp_path, "--help")
    assert helped.returncode == 0
    assert "--format {text,json}" in helped.stdout
