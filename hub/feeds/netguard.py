"""Which addresses the fetch stage may connect to, and the network backend that enforces it.

No connection goes to a loopback, private, link-local, CGNAT, multicast or
reserved address (nor an IPv6 form that embeds one) unless the policy allows
it (:class:`AddressPolicy`). Every host is resolved here and the connection is
made to the address that was vetted, so DNS rebinding between check and
connect is not possible (:class:`VettedBackend`, the network backend of an
httpcore connection pool). Proxies from the environment are not used: through
a proxy the address check would be meaningless.

The httpx transport built over that backend, and the proof that the check is
on before anything is sent, are :mod:`hub.feeds.transport`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

import httpcore

from hub.feeds.result import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def address_problem(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_problem(embedded)
    checks = (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a shared (CGNAT)", address in _CGNAT),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private or address in _NAT64_LOCAL),
        ("a non-public", not address.is_global),
    )
    return next((f"{kind} address" for kind, failed in checks if failed), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries, which is where packets go."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which resolved addresses a connection may go to."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    def refusal(self, host: str, address: IPAddress) -> str | None:
        if self.allow_private or any(address in net for net in self.allowed_networks):
            return None
        problem = address_problem(address)
        if problem is None:
            return None
        if _literal_address(host) == address:
            return f"refused: {host} is {problem}"
        return f"refused: {host} resolves to {problem} {address}"


class VettedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host itself and connects only to an address the policy accepts.

    httpcore's own backend resolves names inside the socket connect; doing it
    here instead lets us check every address and then connect to exactly the one we checked. A name
    is resolved once per backend (one fetch run); every connection is still
    checked against the policy.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()
        self._resolved: dict[tuple[str, int], list[IPAddress]] = {}

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._resolved.get((host, port))
        if addresses is None:
            addresses = self._resolved[host, port] = await _resolve(host, port, timeout)
        for address in addresses:
            if refusal := self._policy.refusal(host, address):
                raise AddressRefused(refusal, address)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("refused: unix sockets are never fetched from")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class AddressRefused(FetchError):
    """The policy refused the address a host is (or resolves to); nothing was sent."""

    def __init__(self, message: str, address: IPAddress) -> None:
        super().__init__(message)
        self.address = address


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a name, or an odd spelling of an address ("0x7f.1") only a resolver reads


NEVER_RESOLVE = (".example", ".invalid")
"""Names reserved never to exist (RFC 2606, RFC 6761): no need to ask DNS about them."""


async def _resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    if (literal := _literal_address(host)) is not None:
        return [literal]
    if f".{host.lower().rstrip('.')}".endswith(NEVER_RESOLVE):
        raise FetchError(f"{host} is a reserved name that never resolves")
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s (resolving {host})") from None
    except (OSError, UnicodeError) as error:
        raise FetchError(f"could not resolve host {host}") from error
    found = [ipaddress.ip_address(info[4][0]) for info in infos]
    return list(dict.fromkeys(found))
