"""A real build that reads the service's accounts through their APIs: no token anywhere.

``python build.py`` runs in a subprocess, as CI runs it, with recognisable
tokens in its environment and every API pointed at a local server that
answers in the documented shapes: pages whose ``paging.next`` carries
``access_token=``, answers and errors that echo the tokens (and the YouTube
Data API key), hostile text and URLs in every field. Then every file the
build wrote (the output folder, the cache folder with the SQLite store's
bytes, ``report.json``, the step summary) and everything it printed is
searched for each token: none may appear, in any spelling. The pages built
from hostile posts must be inert.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.feeds.connectors.apiserver import (
    ACCOUNTS,
    BASES,
    SHARED_KEYS,
    TOKENS,
    YOUTUBE_FEEDS,
    ApiServer,
    ago,
    graph_time,
    query,
    sources_text,
)
from tests.feedserver import Recorded

REPO = Path(__file__).resolve().parent.parent
FB, IG, TH, X, TT = (TOKENS[f"HUB_TOKEN_{p}_MAIN"] for p in ("FB", "IG", "TH", "X", "TT"))
YT = TOKENS["HUB_YOUTUBE_KEY"]
TRAFFIC = "{platform: facebook, handle: LakeviewTraffic, token: HUB_TOKEN_FB_MAIN}"
HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)> javascript:alert(2)'


def facebook(request: Recorded, server: ApiServer) -> dict[str, Any]:
    if query(request).get("after") == "NEXT":
        return {
            "data": [
                {
                    "id": "4242_3",
                    "message": f"An API that echoes the token {FB} and access_token={FB}",
                    "created_time": graph_time(ago(3)),
                }
            ]
        }
    leak = server.url(BASES["facebook"] + "/4242/posts") + f"?access_token={FB}&after=NEXT"
    return {
        "data": [
            {
                "id": "4242_1",
                "message": f"Road closed on Main Street\n{HOSTILE}",
                "created_time": graph_time(ago(1)),
                "permalink_url": "javascript:alert(document.cookie)",
                "full_picture": "javascript:alert(3)",
                "attachments": {
                    "data": [
                        {
                            "type": "share",
                            "unshimmed_url": "javascript:alert(4)",
                            "title": '"><script>alert(5)</script>',
                            "description": "<b onclick=alert(6)>alt</b>",
                        }
                    ]
                },
            },
            {
                "id": "4242_2",
                "message": "Missing person found safe. Thank you for sharing.",
                "created_time": graph_time(ago(2)),
                "permalink_url": "https://www.facebook.com/LakeviewPoliceService/posts/2",
                "full_picture": f"https://cdn.invalid/pic.jpg?access_token={FB}",
            },
        ],
        "paging": {"cursors": {"after": "NEXT"}, "next": leak},
    }


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, ApiServer]]:
    with ApiServer() as server:
        server.route(
            BASES["facebook"] + "/LakeviewPoliceService/posts",
            body=lambda request: _json(facebook(request, server)),
        )
        server.route(
            BASES["facebook"] + "/4242/posts",
            body=lambda request: _json(facebook(request, server)),
        )
        server.route(
            BASES["facebook"] + "/LakeviewTraffic/posts",
            status=500,
            body=_json(
                {
                    "error": {
                        "message": f"An unexpected error has occurred ({FB}) access_token={FB}",
                        "type": "OAuthException",
                        "code": 2,
                    }
                }
            ),
        )
        server.route(
            BASES["instagram"] + "/me/media",
            status=400,
            body=_json(
                {
                    "error": {
                        "message": f"Invalid OAuth access token - Cannot parse access token {IG}",
                        "type": "OAuthException",
                        "code": 190,
                        "fbtrace_id": f"A{quote(IG)}",
                    }
                }
            ),
        )
        server.route(
            BASES["threads"] + "/me/threads",
            body=_json(
                {
                    "data": [
                        {
                            "id": "1801",
                            "text": f"{HOSTILE} {TH}",
                            "media_type": "IMAGE",
                            "media_url": "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
                            "permalink": "https://www.threads.net.evil.example/@x/post/1",
                            "timestamp": graph_time(ago(4)),
                            "username": "lakeviewpolice",
                        }
                    ]
                }
            ),
        )
        server.route(
            BASES["x"] + "/users/by/username/LakeviewPS",
            status=401,
            body=_json({"title": "Unauthorized", "status": 401, "detail": f"Bearer {X} refused"}),
        )
        server.route(
            BASES["tiktok"] + "/video/list/",
            status=401,
            body=_json(
                {
                    "data": {},
                    "error": {
                        "code": "access_token_invalid",
                        "message": f"The access token is invalid or not found: {TT}",
                        "log_id": "202611201200",
                    },
                }
            ),
        )
        server.route(
            BASES["youtube"] + "/channels",
            status=400,
            body=_json(
                {
                    "error": {
                        "code": 400,
                        "message": f"API key not valid. Please pass a valid API key. key={YT}",
                        "errors": [
                            {"message": f"{YT} is not valid", "reason": "keyInvalid"},
                        ],
                    }
                }
            ),
        )
        shutil.copytree(REPO / "themes", tmp_path / "themes")
        (tmp_path / "sources.yaml").write_text(
            sources_text([*ACCOUNTS.values(), TRAFFIC], "{api_interval: 0}", SHARED_KEYS).replace(
                "https://connect.lakeview.example", server.url("/site")
            ),
            encoding="utf-8",
        )
        yield tmp_path, server


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


def build(
    root: Path, server: ApiServer, *args: str, tokens: bool = True
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "GITHUB_"))}
    if tokens:
        environ.update(TOKENS)
    for platform, path in BASES.items():
        environ[f"HUB_API_BASE_{platform.upper()}"] = server.url(path)
    environ["HUB_FEED_BASE_YOUTUBE"] = server.url(YOUTUBE_FEEDS)
    environ.update(
        PYTHONIOENCODING="utf-8",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(root / "summary.md"),
    )
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=root,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        timeout=240,
        check=False,
    )


def spellings(token: str) -> set[bytes]:
    """A token as it may be written: as is, percent-encoded, and its distinctive middle."""
    return {token.encode(), quote(token, safe="").encode(), token[3:-3].encode()}


def test_no_token_is_written_or_printed_anywhere(site: tuple[Path, ApiServer]) -> None:
    root, server = site
    runs = [build(root, server), build(root, server)]
    assert runs[0].returncode == 0, runs[0].stderr
    written = [path for path in root.rglob("*") if path.is_file()]
    assert (root / ".hub-cache" / "report.json") in written
    assert (root / ".hub-cache" / "store.sqlite3") in written
    assert (root / "summary.md") in written
    printed = "".join(run.stdout + run.stderr for run in runs).encode()
    for token in TOKENS.values():
        for form in spellings(token):
            assert form not in printed, f"{token} printed"
            leaks = [str(p.relative_to(root)) for p in written if form in p.read_bytes()]
            assert leaks == [], f"{token} written to {leaks}"
    # The reads happened, and the token went in a header only.
    sent = server.requests
    assert {r.path.split("?")[0] for r in sent} >= {
        "/fb/v26.0/LakeviewPoliceService/posts",
        "/fb/v26.0/4242/posts",
        "/ig/v26.0/me/media",
        "/th/v1.0/me/threads",
        "/x/2/users/by/username/LakeviewPS",
        "/tt/v2/video/list/",
        "/yt/v3/channels",
    }
    assert all("access_token" not in r.path and "key=" not in r.path for r in sent)
    (looked_up,) = server.requests_for("/yt/v3/channels")
    assert looked_up.headers["x-goog-api-key"] == YT
    stderr = runs[0].stderr
    assert "api:instagram:lakeviewpolice: the token in HUB_TOKEN_IG_MAIN was refused" in stderr
    assert "api:x:LakeviewPS: the token in HUB_TOKEN_X_MAIN was refused" in stderr
    assert "::warning title=Feed problem::api:tiktok:lakeviewpolice" in stderr
    assert "api:youtube:@LakeviewPolice: the key in HUB_YOUTUBE_KEY was refused" in stderr
    assert (
        "api:facebook:LakeviewTraffic: the Graph API answered with an error (Graph API error 2: "
        "An unexpected error has occurred ([hidden]) access_token=[hidden])"
    ) in stderr


def test_hostile_posts_read_through_an_api_are_inert(site: tuple[Path, ApiServer]) -> None:
    root, server = site
    run = build(root, server)
    assert run.returncode == 0, run.stderr
    pages = {p: p.read_text("utf-8") for p in (root / "public").rglob("*.html")}
    shown = [text for text in pages.values() if "Road closed on Main Street" in text]
    assert shown, "the Facebook post is on the site"
    assert any("Missing person found safe" in text for text in pages.values())
    for path, text in pages.items():
        assert not re.search(r"<script[^>]*>[^<]*alert", text), path
        assert not re.search(r"<[^>]+\son\w+\s*=", text), path
        assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|data):""", text), path
        assert "evil.example" not in text, path


def test_a_run_without_secrets_builds_the_api_accounts_from_the_store(
    site: tuple[Path, ApiServer],
) -> None:
    """A pull-request check has no tokens: it must not lose the posts read through
    APIs (and see the publish gate refuse), nor ask the APIs without a token."""
    root, server = site
    assert build(root, server).returncode == 0
    home = root / "public" / "en" / "index.html"
    assert "Missing person found safe" in home.read_text(encoding="utf-8")
    asked = len(server.requests)

    checked = build(root, server, "--without-secrets", tokens=False)
    assert checked.returncode == 0, checked.stderr
    assert "gate: passed" in checked.stderr
    assert "read through an API left out (--without-secrets" in checked.stderr
    assert "is not set" not in checked.stderr
    assert "Missing person found safe" in home.read_text(encoding="utf-8")
    assert len(server.requests) == asked

    # Without the option, those accounts are in the directory only: most of the
    # site's posts are gone, and the gate refuses it.
    refused = build(root, server, tokens=False)
    assert refused.returncode == 3, refused.stderr
    assert len(server.requests) == asked
