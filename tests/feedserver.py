"""A real HTTP server on loopback for tests and benchmarks.

It serves routes a test declares: a status, headers and a body, with a delay
before the headers, a delay between body chunks, gzip, ETag/Last-Modified
validation that answers 304, and redirects. It records every request (path,
headers, the address it arrived on) and counts how many requests were in flight
at once, per route group, per address and overall, so tests can prove the
client's concurrency limits.

Pass an ``ssl.SSLContext`` as ``tls`` to serve HTTPS instead.

One server can listen on several loopback addresses (127.0.0.1, 127.0.0.2, ...)
at once; each address is its own "host" to a client, as different sites are on
the internet.

    with FeedServer() as server:
        server.route("/feed.xml", body=b"<rss/>", etag='"v1"')
        fetch(server.url("/feed.xml"))
        assert server.requests[0].headers["user-agent"].startswith("police-social-hub/")
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    """The request target, query included."""
    headers: Mapping[str, str]
    """Header names in lower case."""
    host: str
    """The server address the request arrived on."""


Body = bytes | Callable[[Recorded], bytes]


@dataclass(frozen=True)
class Route:
    """What the server answers on one path."""

    status: int = 200
    body: Body = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before sending the status line."""
    chunk_delay: float = 0.0
    """Seconds to wait before each body chunk: a slow drip."""
    chunk_size: int = 16 * 1024
    gzip: bool = False
    etag: str | None = None
    """Sent as ETag; a request whose If-None-Match matches gets 304."""
    last_modified: str | None = None
    """Sent as Last-Modified; a request whose If-Modified-Since equals it gets 304."""
    location: str | None = None
    content_length: bool = True
    """False sends the body chunked, with no Content-Length."""
    group: str | None = None
    """Name under which concurrent requests are counted (see FeedServer.peak)."""


class FeedServer:
    """Threaded HTTP servers on one or more loopback addresses sharing one route table."""

    def __init__(
        self, hosts: Sequence[str] = ("127.0.0.1",), *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.hosts = tuple(hosts)
        self.tls = tls
        self._routes: dict[str, tuple[Route, bytes | None]] = {}
        self._requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._peaks: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> FeedServer:
        for host in self.hosts:
            server = _Server((host, 0), _Handler)
            server.feeds = self
            if self.tls is not None:
                # The handshake happens in the handler's thread, not in the accept loop.
                server.socket = self.tls.wrap_socket(
                    server.socket, server_side=True, do_handshake_on_connect=False
                )
            self._servers[host] = server
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        # Wake handlers sleeping in a delay so shutdown never waits on them.
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(self, path: str, **options: Any) -> Route:
        """Serve ``path`` (query ignored) with a Route built from ``options``."""
        route = Route(**options)
        encoded = (
            gzip.compress(route.body) if route.gzip and isinstance(route.body, bytes) else None
        )
        with self._lock:
            self._routes[path] = (route, encoded)
        return route

    def redirect(self, path: str, to: str, status: int = 302) -> Route:
        return self.route(path, status=status, location=to)

    def port(self, host: str | None = None) -> int:
        return self._servers[host or self.hosts[0]].server_address[1]

    def url(self, path: str, host: str | None = None) -> str:
        host = host or self.hosts[0]
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port(host)}{path}"

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def peak(self, group: str | None = None, *, host: str | None = None) -> int:
        """Most requests in flight at once: for a route group, an address, or overall."""
        with self._lock:
            return self._peaks[_key(group, host)]

    def reset(self) -> None:
        """Forget recorded requests and peaks, keeping the routes."""
        with self._lock:
            self._requests.clear()
            self._peaks.clear()

    def _record(self, request: Recorded) -> tuple[Route, bytes | None] | None:
        with self._lock:
            self._requests.append(request)
            return self._routes.get(urlsplit(request.path).path)

    @contextmanager
    def _counted(self, group: str | None, host: str) -> Iterator[None]:
        keys = {_key(None, None), _key(None, host)} | ({_key(group, None)} if group else set())
        with self._lock:
            for key in keys:
                self._in_flight[key] += 1
                self._peaks[key] = max(self._peaks[key], self._in_flight[key])
        try:
            yield
        finally:
            with self._lock:
                for key in keys:
                    self._in_flight[key] -= 1

    def _sleep(self, seconds: float) -> bool:
        """Wait; False when the server is stopping and the handler should give up."""
        return seconds <= 0 or not self._stopping.wait(seconds)


def _key(group: str | None, host: str | None) -> str:
    if group:
        return f"group:{group}"
    return f"host:{host}" if host else "all"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # Many clients connect at once in the benchmark; the default backlog of 5 drops SYNs.
    request_queue_size = 256
    feeds: FeedServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hang up mid-body on purpose in tests (size caps, timeouts).
        pass

    def close_connections(self) -> None:
        with self.connections_lock:
            for connection in self.connections:
                with suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    # Idle keep-alive connections must not pin a thread forever.
    timeout = 30
    # Headers and body go out in separate writes; with Nagle on, the body waits
    # for the client's delayed ACK (~40 ms) and the server looks slow.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        feeds = self.server.feeds
        request = Recorded(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            host=self.server.server_address[0],
        )
        found = feeds._record(request)
        if found is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found\n", Route())
            return
        route, encoded = found
        with feeds._counted(route.group, request.host):
            if not feeds._sleep(route.delay):
                self.close_connection = True
                return
            self._answer(route, encoded, request)

    def _answer(self, route: Route, encoded: bytes | None, request: Recorded) -> None:
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.location:
            headers["Location"] = route.location
        if _is_fresh(route, request.headers):
            headers.pop("Content-Type")
            self._send(304, headers, b"", route)
            return
        body = encoded if encoded is not None else _body(route, request)
        if route.gzip:
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, headers, body, route)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes, route: Route) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            bodiless = status == 304 or 100 <= status < 200 or status == 204
            if route.content_length or bodiless:
                if not bodiless:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not bodiless:
                    self._write(body, route, chunked=False)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._write(body, route, chunked=True)
        except OSError:
            self.close_connection = True

    def _write(self, body: bytes, route: Route, *, chunked: bool) -> None:
        feeds = self.server.feeds
        for start in range(0, len(body), route.chunk_size):
            if not feeds._sleep(route.chunk_delay):
                self.close_connection = True
                return
            chunk = body[start : start + route.chunk_size]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            self.wfile.flush()
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()


def _body(route: Route, request: Recorded) -> bytes:
    body = route.body(request) if callable(route.body) else route.body
    return gzip.compress(body) if route.gzip else body


def _is_fresh(route: Route, headers: Mapping[str, str]) -> bool:
    if route.etag and "if-none-match" in headers:
        wanted = {tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")}
        return "*" in wanted or route.etag.removeprefix("W/") in wanted
    return bool(route.last_modified) and headers.get("if-modified-since") == route.last_modified
