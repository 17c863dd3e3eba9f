"""The vetted transport and its proof, against real sockets on loopback.

Every address a request goes to here is a loopback one, so even a broken guard
could never send traffic off this machine. A guard deliberately broken is our
own transport with httpcore's own network backend, which connects anywhere.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpcore
import httpx
import pytest

from hub.feeds.fetch import fetch_all, user_agent
from hub.feeds.netguard import AddressPolicy
from hub.feeds.result import FetchResult
from hub.feeds.transport import GuardError, VettedTransport, prove
from hub.model import FeedRef, FetchSettings
from hub.problems import HubError
from hub.store.database import STORE_NAME, Store
from tests.feeds.test_netguard import LIMITS, RSS, get
from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parents[2]
GUARD_OFF = (
    rf"^the private-address guard is not active with httpx {re.escape(httpx.__version__)} / "
    rf"httpcore {re.escape(httpcore.__version__)}: nothing was fetched; "
    r"a test connection to 127\.0\.0\.1:\d+, which the guard must refuse, was made$"
)


class Unvetted(VettedTransport):
    """Our transport with the guard broken on purpose: httpcore's backend, which vets nothing."""

    @classmethod
    def backend_for(cls, policy: AddressPolicy) -> httpcore.AsyncNetworkBackend:
        return httpcore.AnyIOBackend()


# -- the transport: streamed bodies, connections handed back, httpx's exceptions -------


def test_the_body_streams_in_chunks_and_closing_hands_the_connection_back(
    feed_server: FeedServer,
) -> None:
    body = os.urandom(1024 * 1024)
    feed_server.route("/big.bin", body=body)
    url = httpx.URL(feed_server.url("/big.bin"))

    async def run() -> tuple[int, bytes, bool, bool, bool]:
        transport = VettedTransport(AddressPolicy(True), LIMITS)
        try:
            clients = []
            for _ in range(2):
                response = await transport.handle_async_request(httpx.Request("GET", url))
                busy = not transport.is_idle()
                chunks = [chunk async for chunk in response.aiter_raw()]
                await response.aclose()
                stream = response.extensions["network_stream"]
                clients.append(stream.get_extra_info("client_addr"))
            return len(chunks), b"".join(chunks), busy, transport.is_idle(), len(set(clients)) == 1
        finally:
            await transport.aclose()

    chunks, received, busy, idle, reused = asyncio.run(run())
    assert received == body
    assert chunks > 1
    assert busy and idle
    assert reused  # the second request went over the first one's connection


@pytest.fixture
def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def garbage_server() -> Iterator[int]:
    """Answers every connection with bytes that are not HTTP, then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (closing alone does not)
    listener.close()
    thread.join(timeout=5)


def test_httpcore_errors_come_out_as_httpx_ones(
    feed_server: FeedServer, closed_port: int, garbage_server: int
) -> None:
    feed_server.route("/slow.xml", body=RSS, delay=1.0)
    # Promises more body than it sends, then closes: the error comes while streaming.
    feed_server.route("/short.xml", body=RSS, headers={"Content-Length": str(len(RSS) + 100)})
    allow = AddressPolicy(True)

    async def error_of(url: str, read: float = 5.0) -> BaseException:
        timeout = {"connect": 5.0, "read": read, "write": 5.0, "pool": 5.0}
        transport = VettedTransport(allow, LIMITS)
        try:
            request = httpx.Request("GET", url, extensions={"timeout": timeout})
            response = await transport.handle_async_request(request)
            try:
                await response.aread()
            finally:
                await response.aclose()
        except Exception as error:
            return error
        finally:
            await transport.aclose()
        raise AssertionError(f"{url} did not fail")

    async def run() -> list[BaseException]:
        return [
            await error_of(f"http://127.0.0.1:{closed_port}/"),
            await error_of(feed_server.url("/slow.xml"), read=0.2),
            await error_of(f"http://127.0.0.1:{garbage_server}/"),
            await error_of(feed_server.url("/short.xml")),
            await error_of(f"gopher://127.0.0.1:{closed_port}/"),
        ]

    refused, slow, garbage, short, scheme = asyncio.run(run())
    assert type(refused) is httpx.ConnectError
    assert type(slow) is httpx.ReadTimeout
    assert type(garbage) is httpx.RemoteProtocolError
    assert type(short) is httpx.RemoteProtocolError
    assert type(scheme) is httpx.UnsupportedProtocol
    for error in (refused, slow, garbage, short, scheme):
        # The httpcore exception it stands for is kept as the cause.
        cause = error.__cause__
        assert type(cause).__name__ == type(error).__name__
        assert type(cause).__module__.startswith("httpcore")
        assert isinstance(error, httpx.RequestError) and error.request.url.host == "127.0.0.1"


# -- the proof -------------------------------------------------------------------------


def test_the_real_transport_proves_its_guard_and_is_not_asked_again() -> None:
    asyncio.run(prove(VettedTransport))
    # Proven once, the check is a set lookup: the coroutine finishes without waiting.
    again = prove(VettedTransport)
    with pytest.raises(StopIteration):
        again.send(None)


def test_the_proof_fails_closed_and_is_asked_again_every_time() -> None:
    for _ in range(2):
        with pytest.raises(GuardError, match=GUARD_OFF):
            asyncio.run(prove(Unvetted))


def test_a_broken_transport_sends_nothing_even_used_on_its_own(feed_server: FeedServer) -> None:
    # As the baseline download uses it: the transport proves itself before its first request.
    feed_server.route("/feed.xml", body=RSS)
    with pytest.raises(GuardError, match=GUARD_OFF):
        get(feed_server.url("/feed.xml"), AddressPolicy(True), transport=Unvetted)
    assert feed_server.requests == []


def test_the_fetch_stage_fetches_nothing_when_the_guard_is_off(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.route("/feed.xml", body=RSS)
    local = tmp_path / "local.xml"
    local.write_bytes(RSS)
    feeds = [
        FeedRef(source=feed_server.url("/feed.xml"), url=feed_server.url("/feed.xml")),
        FeedRef(source="feeds/local.xml", path=local),
    ]
    # Private addresses allowed: the proof is about the mechanism, not the settings.
    settings = FetchSettings(allow_private_addresses=True)
    seen: list[FetchResult] = []
    agent = user_agent("https://connect.lakeview.example")
    with pytest.raises(GuardError, match=GUARD_OFF) as raised:
        fetch_all(feeds, settings, user_agent=agent, on_result=seen.append, transport=Unvetted)
    assert isinstance(raised.value, HubError)
    assert seen == []
    assert feed_server.requests == []
    # The same run with the real transport fetches both.
    results = fetch_all(feeds, settings, user_agent=agent)
    assert [r.outcome for r in results] == ["ok", "ok"]


BREAK_THE_GUARD = """\
import sys
import httpcore
from hub.cli.main import command
from hub.feeds.transport import VettedTransport

if sys.argv[1] == "broken":
    VettedTransport.backend_for = classmethod(lambda cls, policy: httpcore.AnyIOBackend())
sys.argv[1:2] = []
sys.exit(command())
"""


def test_hub_fetch_stops_with_one_line_and_an_empty_store_when_the_guard_is_off(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.route("/feed.xml", body=RSS.replace(b"</channel>", ITEM + b"</channel>"))
    shutil.copytree(REPO / "themes", tmp_path / "themes")
    sources = tmp_path / "sources.yaml"
    sources.write_text(registry(feed_server.url("/feed.xml")), encoding="utf-8")

    def hub_fetch(mode: str, cache: Path) -> subprocess.CompletedProcess[str]:
        options = ["--sources", str(sources), "--cache", str(cache)]
        environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
        return subprocess.run(
            [sys.executable, "-c", BREAK_THE_GUARD, mode, "fetch", *options],
            cwd=REPO,
            env={**environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

    broken = hub_fetch("broken", tmp_path / "broken-cache")
    assert broken.returncode == 1, broken.stderr
    errors = [line for line in broken.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert re.match(GUARD_OFF.replace("^", "^error: ", 1), errors[0])
    assert feed_server.requests == []
    with Store.open(tmp_path / "broken-cache" / STORE_NAME) as store:
        assert store.counts() == {}
        assert store.feed_states() == {}

    # The control: the same command with the guard as shipped fetches the feed.
    working = hub_fetch("as-shipped", tmp_path / "cache")
    assert working.returncode == 0, working.stderr
    assert [r.path for r in feed_server.requests] == ["/feed.xml"]
    with Store.open(tmp_path / "cache" / STORE_NAME) as store:
        assert store.counts() == {feed_server.url("/feed.xml"): 1}


ITEM = (
    b"<item><title>Road closed</title><link>https://units.example/1</link>"
    b"<guid>unit-1</guid><pubDate>Mon, 06 Jan 2025 10:00:00 GMT</pubDate></item>"
)


def registry(feed_url: str) -> str:
    return f"""\
site:
  name: Test Bay Police
  url: https://connect.testbay.example
  languages: [en]
  contact: {{emergency: "911"}}
  fetch:
    allow_private_addresses: true
units:
  - id: traffic
    name: Traffic Services
    kind: unit
    accounts:
      - {{platform: website, url: "https://units.example/traffic", feed: "{feed_url}"}}
officers: []
"""
