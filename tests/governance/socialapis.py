"""Mastodon's and Bluesky's public profile APIs, on loopback, in their documented shapes.

- ``GET /api/v1/accounts/lookup?acct=...``: an Account entity (``url``,
  ``fields`` of ``name``, ``value`` as HTML, ``verified_at``), or 404 with
  ``{"error": "Record not found"}``.
- ``GET /xrpc/app.bsky.actor.getProfile?actor=...``: a profileViewDetailed
  (``did``, ``handle``, ``description``...), or 400 with
  ``{"error": "InvalidRequest", "message": "Profile not found"}``.

A test says what each account's look-up answers (a status and a document or
raw bytes, after a delay if it likes); every request is recorded. Point
``HUB_API_BASE_MASTODON`` and ``HUB_API_BASE_BLUESKY`` at :attr:`SocialApis.url`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MASTODON = "/api/v1/accounts/lookup"
BLUESKY = "/xrpc/app.bsky.actor.getProfile"
LINK = (
    '<a href="{url}" target="_blank" rel="nofollow noopener noreferrer me" translate="no">'
    '<span class="invisible">https://</span><span class="">{shown}</span></a>'
)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any] | bytes
    delay: float = 0.0


@dataclass(frozen=True)
class Asked:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def mastodon_account(acct: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """An Account entity, as ``GET /api/v1/accounts/lookup`` answers."""
    user, _, instance = acct.partition("@")
    return {
        "id": "109302",
        "username": user,
        "acct": acct,
        "display_name": "Test Bay Police",
        "locked": False,
        "bot": False,
        "created_at": "2022-11-05T00:00:00.000Z",
        "note": "<p>Official account</p>",
        "url": f"https://{instance}/@{user}",
        "avatar": f"https://{instance}/avatars/original/missing.png",
        "followers_count": 1200,
        "following_count": 10,
        "statuses_count": 300,
        "emojis": [],
        "fields": fields,
    }


def field_(url: str, verified: bool, name: str = "Website") -> dict[str, Any]:
    """A profile field whose value links to ``url``, verified or not."""
    return {
        "name": name,
        "value": LINK.format(url=url, shown=url.removeprefix("https://")),
        "verified_at": "2026-10-01T12:00:00.000+00:00" if verified else None,
    }


def bluesky_profile(handle: str, description: str = "", **more: Any) -> dict[str, Any]:
    """A profileViewDetailed, as ``app.bsky.actor.getProfile`` answers."""
    return {
        "did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
        "handle": handle,
        "displayName": "Test Bay Police",
        "description": description,
        "followersCount": 800,
        "followsCount": 3,
        "postsCount": 90,
        "indexedAt": "2026-11-01T00:00:00.000Z",
        **more,
    }


@dataclass
class SocialApis:
    """Both APIs on one loopback server; what each account answers is the test's to say."""

    mastodon: dict[str, Answer] = field(default_factory=dict)
    """By ``acct`` as asked (``user@instance``)."""
    bluesky: dict[str, Answer] = field(default_factory=dict)
    """By ``actor``."""
    requests: list[Asked] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.apis = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> SocialApis:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path == MASTODON:
            found = self.mastodon.get(query.get("acct", ""))
            return found or Answer(404, {"error": "Record not found"})
        if path == BLUESKY:
            found = self.bluesky.get(query.get("actor", ""))
            return found or Answer(400, {"error": "InvalidRequest", "message": "Profile not found"})
        return Answer(404, b"not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    apis: SocialApis

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up waiting hangs up


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        apis = self.server.apis
        apis.requests.append(
            Asked(parts.path, query, {k.lower(): v for k, v in self.headers.items()})
        )
        answer = apis.answer(parts.path, query)
        time.sleep(answer.delay)
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
