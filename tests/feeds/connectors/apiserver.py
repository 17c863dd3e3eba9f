"""Fake platform APIs on a local server, answering in each API's documented shapes.

``FakeApis`` points ``HUB_API_BASE_<PLATFORM>`` at paths of one local
FeedServer (``/fb/v26.0``, ``/ig/v26.0``, ``/th/v1.0``, ``/x/2``, ``/tt/v2``,
``/yt/v3``), and ``HUB_FEED_BASE_YOUTUBE`` at ``/yt/feeds/videos.xml``, so
the hub's live reads go there and nowhere else, and makes the registry and
the store a test reads them with.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.model import Registry
from hub.registry import load as registry_loader
from hub.store.database import Store
from hub.store.update import FeedOutcome, UpdateReport, update
from tests.feedserver import FeedServer, Recorded, _Handler, _Server

BASES = {
    "facebook": "/fb/v26.0",
    "instagram": "/ig/v26.0",
    "threads": "/th/v1.0",
    "x": "/x/2",
    "tiktok": "/tt/v2",
    "youtube": "/yt/v3",
}
YOUTUBE_FEEDS = "/yt/feeds/videos.xml"
"""Where the YouTube channel feeds are served (``HUB_FEED_BASE_YOUTUBE``)."""
TOKENS = {
    "HUB_TOKEN_FB_MAIN": "EAAtesttokenLEAKCHECK1234",
    "HUB_TOKEN_IG_MAIN": "IGQtesttokenLEAKCHECK5678",
    "HUB_TOKEN_TH_MAIN": "THQtesttokenLEAKCHECK4321",
    "HUB_TOKEN_X_MAIN": "AAAAxbearertokenLEAKCHECK9999",
    "HUB_TOKEN_TT_MAIN": "act.tiktoktokenLEAKCHECK0000",
    "HUB_YOUTUBE_KEY": "AIzaSyYoutubeKeyLEAKCHECK-2468_abcdefgh",
}
ACCOUNTS = {
    "facebook": "{platform: facebook, handle: LakeviewPoliceService, token: HUB_TOKEN_FB_MAIN}",
    "instagram": "{platform: instagram, handle: lakeviewpolice, token: HUB_TOKEN_IG_MAIN}",
    "threads": "{platform: threads, handle: lakeviewpolice, token: HUB_TOKEN_TH_MAIN}",
    "x": "{platform: x, handle: LakeviewPS, token: HUB_TOKEN_X_MAIN}",
    "tiktok": "{platform: tiktok, handle: lakeviewpolice, token: HUB_TOKEN_TT_MAIN}",
    "youtube": "{platform: youtube, handle: '@LakeviewPolice'}",
}
SOURCES = {
    "facebook": "api:facebook:LakeviewPoliceService",
    "instagram": "api:instagram:lakeviewpolice",
    "threads": "api:threads:lakeviewpolice",
    "x": "api:x:LakeviewPS",
    "tiktok": "api:tiktok:lakeviewpolice",
    "youtube": "api:youtube:@LakeviewPolice",
}
SHARED_KEYS = "  api: {youtube_key: HUB_YOUTUBE_KEY}\n"
"""``site.api`` naming the YouTube Data API key's variable."""


class ApiServer(FeedServer):
    """A FeedServer that also answers POST requests (TikTok's), keeping their bodies."""

    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.1",)) -> None:
        super().__init__(hosts)
        self.posted: list[bytes] = []

    def start(self) -> ApiServer:
        for host in self.hosts:
            server = _Server((host, 0), _PostHandler)
            server.feeds = self
            self._servers[host] = server
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self


class _PostHandler(_Handler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        server = self.server.feeds
        assert isinstance(server, ApiServer)
        server.posted.append(self.rfile.read(min(length, 1 << 20)))
        self.do_GET()


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# One moment for the whole run: a post a test serves twice has the same time
# both ways, however long apart (a loaded machine may cross a second between
# them, and the post would look newer than itself).
_NOW = datetime.now(UTC).replace(microsecond=0)


def ago(hours: float) -> datetime:
    return _NOW - timedelta(hours=hours)


def query(request: Recorded) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}


def sources_text(
    accounts: list[str], fetch: str = "{api_interval: 0}", extra_site: str = ""
) -> str:
    lines = "".join(f"      - {account}\n" for account in accounts)
    return (
        "site:\n"
        "  name: Lakeview Police Service\n"
        "  url: https://connect.lakeview.example\n"
        "  languages: [en]\n"
        '  contact: {emergency: "911"}\n'
        f"  fetch: {fetch}\n"
        f"{extra_site}"
        "units:\n"
        "  - id: comms\n"
        "    name: Corporate Communications\n"
        "    kind: office\n"
        "    official: true\n"
        "    accounts:\n"
        f"{lines}"
    )


class FakeApis:
    """The six APIs on one local server; the registry and store of one test."""

    def __init__(self, server: FeedServer, folder: Path, monkeypatch: pytest.MonkeyPatch):
        self.server = server
        self.folder = folder
        self.monkeypatch = monkeypatch
        for platform, path in BASES.items():
            monkeypatch.setenv(f"HUB_API_BASE_{platform.upper()}", server.url(path))
        monkeypatch.setenv("HUB_FEED_BASE_YOUTUBE", server.url(YOUTUBE_FEEDS))
        for name, value in TOKENS.items():
            monkeypatch.setenv(name, value)
        (folder / "themes" / "default").mkdir(parents=True, exist_ok=True)

    def url(self, platform: str, path: str) -> str:
        return self.server.url(BASES[platform] + path)

    def route(self, platform: str, path: str, body: Any = None, **options: Any) -> None:
        """Answer ``path`` under the platform's base with ``body`` (JSON, or a function)."""
        options["headers"] = {"Content-Type": "application/json", **options.get("headers", {})}
        if callable(body):
            answer: Callable[[Recorded], bytes] = lambda request: _json(body(request))  # noqa: E731
            self.server.route(BASES[platform] + path, body=answer, **options)
        else:
            self.server.route(BASES[platform] + path, body=_json(body), **options)

    def requests(self, platform: str, path: str) -> list[Recorded]:
        return self.server.requests_for(BASES[platform] + path)

    def registry(self, *platforms: str, fetch: str = "{api_interval: 0}") -> Registry:
        path = self.folder / "sources.yaml"
        accounts = [ACCOUNTS[p] for p in platforms]
        path.write_text(sources_text(accounts, fetch, SHARED_KEYS), encoding="utf-8")
        return registry_loader.load(path).registry

    def store(self) -> Iterator[Store]:
        with Store.open(self.folder / "cache" / "store.sqlite3") as store:
            yield store

    def run(self, registry: Registry, store: Store) -> UpdateReport:
        return update(registry, store, now=datetime.now(UTC))


def outcome(report: UpdateReport, platform: str) -> FeedOutcome:
    return next(o for o in report.outcomes if o.source == SOURCES[platform])


def _json(value: Any) -> bytes:
    return value if isinstance(value, bytes) else json.dumps(value).encode()
