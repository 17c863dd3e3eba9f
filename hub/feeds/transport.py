"""The httpx transport that connects only to vetted addresses, and its proof.

:class:`VettedTransport` owns an httpcore connection pool whose network
backend is :class:`hub.feeds.netguard.VettedBackend`, and drives it through
httpx's and httpcore's public APIs, translating their requests, responses and
exceptions. A guard that is silently off is worse than none, so before a
transport class sends its first request in a process it must refuse a test
connection to a loopback socket that would have accepted it (:func:`prove`);
if it does not, :class:`GuardError` stops the run with nothing fetched.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from contextlib import contextmanager, suppress

import httpcore
import httpx

from hub.feeds.netguard import AddressPolicy, AddressRefused, VettedBackend
from hub.problems import HubError


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The TLS settings of every transport: built once per process.

    Loading the CA bundle takes tens of milliseconds, and a context is safe to share.
    """
    return httpx.create_ssl_context(trust_env=False)


class VettedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that connects only to addresses the policy accepts.

    Built from public APIs only: it owns an httpcore connection pool whose
    network backend is a :class:`VettedBackend`, and translates between httpx's
    and httpcore's requests, responses and exceptions (as httpx's own transport
    does). HTTP/1.1 only. Transports of one run share a ``backend``, and with it
    the addresses resolved so far.

    Before its first request in a process, a transport class proves it refuses
    a loopback address (:func:`prove`); a class that cannot sends nothing.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        limits: httpx.Limits,
        *,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.connections = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend or self.backend_for(policy),
        )

    @classmethod
    def backend_for(cls, policy: AddressPolicy) -> httpcore.AsyncNetworkBackend:
        """The network backend this class connects through: one that vets every address."""
        return VettedBackend(policy)

    def is_idle(self) -> bool:
        """Whether no request is using (or opening) any of its connections."""
        return all(c.is_idle() or c.is_closed() for c in self.connections.connections)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if type(self) not in _PROVEN:
            await prove(type(self))
        return await self._send(request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """The exchange itself; the body is left to stream, and closing it frees the connection."""
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=_request_body(request),
            extensions=request.extensions,
        )
        with _httpx_errors(request):
            answer = await self.connections.handle_async_request(core)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_ResponseBody(answer.stream, request),
            extensions=answer.extensions,
        )

    async def aclose(self) -> None:
        await self.connections.aclose()


def _request_body(request: httpx.Request) -> AsyncIterable[bytes]:
    stream = request.stream
    if not isinstance(stream, httpx.AsyncByteStream):
        raise TypeError("an async transport needs a request with an async body")
    return stream


class _ResponseBody(httpx.AsyncByteStream):
    """httpcore's streamed body as httpx expects it, with httpx's exceptions."""

    def __init__(
        self, stream: Iterable[bytes] | AsyncIterable[bytes], request: httpx.Request
    ) -> None:
        if not isinstance(stream, AsyncIterable):
            raise TypeError("httpcore's async pool returned a synchronous body")
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        # httpcore's pool stream has aclose(): it hands the connection back.
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with _httpx_errors(self._request):
                await close()


_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    # The most specific first: the first match wins.
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _httpx_errors(request: httpx.Request) -> Iterator[None]:
    """Raise httpcore's exceptions as the httpx ones of the same name; others pass as they are."""
    try:
        yield
    except Exception as error:
        for core, ours in _ERRORS:
            if isinstance(error, core):
                raise ours(str(error), request=request) from error
        raise


# -- the proof --------------------------------------------------------------------------


class GuardError(HubError):
    """The private-address guard could not show it works: nothing is fetched."""


_PROVEN: set[type[VettedTransport]] = set()
"""The transport classes that refused the loopback test in this process."""

PROOF_TIMEOUT = 1.0
"""Seconds the test request may take: it is refused before connecting, or it failed."""


async def prove(transport: type[VettedTransport]) -> None:
    """Raise GuardError unless ``transport`` refuses a loopback address that would answer.

    A throwaway socket listens on 127.0.0.1, so without the guard the test
    connection WOULD be made; the transport, with a policy that allows no
    private address (whatever the run's settings), must refuse it before
    connecting. Once passed, the proof is remembered for the class, for the
    life of the process.
    """
    if transport in _PROVEN:
        return
    problem = await _loopback_test(transport)
    if problem is not None:
        raise GuardError(
            f"the private-address guard is not active with httpx {httpx.__version__} / "
            f"httpcore {httpcore.__version__}: nothing was fetched; {problem}"
        )
    _PROVEN.add(transport)


async def _loopback_test(transport: type[VettedTransport]) -> str | None:
    """What went wrong with the test connection, or None if the guard refused it."""
    try:
        listener = socket.create_server(("127.0.0.1", 0))
    except OSError as error:
        return f"no local test socket could be opened ({error})"
    with listener:
        listener.setblocking(False)
        port: int = listener.getsockname()[1]
        target = f"127.0.0.1:{port}"
        # Answers at once, so that an unguarded transport fails the test quickly.
        accepted: list[socket.socket] = []
        answering = asyncio.create_task(_answer(listener, accepted))
        try:
            problem = await _attempt(transport, f"http://{target}/")
        finally:
            answering.cancel()
            with suppress(asyncio.CancelledError):
                await answering
        with suppress(BlockingIOError):
            accepted.append(listener.accept()[0])  # one that arrived after the answer
        for connection in accepted:
            connection.close()
    if accepted:
        return f"a test connection to {target}, which the guard must refuse, was made"
    return problem


async def _answer(listener: socket.socket, accepted: list[socket.socket]) -> None:
    loop = asyncio.get_running_loop()
    while True:
        connection, _ = await loop.sock_accept(listener)
        accepted.append(connection)
        with suppress(OSError):
            await loop.sock_sendall(connection, _TEST_ANSWER)


_TEST_ANSWER = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


async def _attempt(transport: type[VettedTransport], url: str) -> str | None:
    timeout = dict.fromkeys(("connect", "read", "write", "pool"), PROOF_TIMEOUT)
    request = httpx.Request("GET", url, extensions={"timeout": timeout})
    try:
        client = transport(AddressPolicy(allow_private=False), httpx.Limits(max_connections=1))
    except Exception as error:
        return f"the transport could not be made ({type(error).__name__}: {error})"
    try:
        response = await client._send(request)
        await response.aclose()
    except AddressRefused as error:
        if error.address == ipaddress.IPv4Address("127.0.0.1"):
            return None
        return f"the test connection was refused for another address ({error})"
    except Exception as error:
        return f"the test connection failed with {type(error).__name__}: {error}"
    finally:
        await client.aclose()
    return f"a test request to {url} was answered with HTTP {response.status_code}"
