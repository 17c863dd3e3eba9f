"""The private-address guard: what the policy refuses, checked where the backend connects.

Every address a request goes to here is a loopback one, so even a broken guard
could never send traffic off this machine; the private addresses beyond it are
checked through the policy alone.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator

import httpx
import pytest

from hub.feeds.netguard import AddressPolicy, AddressRefused
from hub.feeds.transport import VettedTransport
from tests.feedserver import FeedServer

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Traffic</title></channel></rss>"
LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=2)


def get(
    url: str, policy: AddressPolicy, *, transport: type[VettedTransport] = VettedTransport
) -> httpx.Response:
    """One GET through a fresh transport, following redirects, body read."""

    async def run() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=transport(policy, LIMITS), follow_redirects=True, timeout=5
        ) as client:
            return await client.get(url)

    return asyncio.run(run())


@pytest.fixture
def two_hosts() -> Iterator[FeedServer]:
    with FeedServer(hosts=("127.0.0.1", "127.0.0.2")) as server:
        yield server


@pytest.mark.parametrize(
    ("host", "refusal"),
    [
        ("127.0.0.1", r"refused: 127\.0\.0\.1 is a loopback address"),
        ("[::ffff:127.0.0.1]", r"refused: ::ffff:127\.0\.0\.1 is a loopback address"),
        ("[::1]", r"refused: ::1 is a loopback address"),
        ("localhost", r"refused: localhost resolves to a loopback address (127\.0\.0\.1|::1)"),
    ],
)
def test_loopback_is_refused_literal_or_resolved(
    feed_server: FeedServer, host: str, refusal: str
) -> None:
    feed_server.route("/feed.xml", body=RSS)
    url = f"http://{host}:{feed_server.port()}/feed.xml"
    with pytest.raises(AddressRefused, match=f"^{refusal}$"):
        get(url, AddressPolicy())
    assert feed_server.requests == []


def test_a_redirect_to_a_refused_address_is_not_followed(two_hosts: FeedServer) -> None:
    two_hosts.route("/feed.xml", body=RSS)
    two_hosts.redirect("/start.xml", two_hosts.url("/feed.xml", host="127.0.0.2"), 302)
    only_the_first = AddressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    with pytest.raises(AddressRefused, match=r"^refused: 127\.0\.0\.2 is a loopback address$"):
        get(two_hosts.url("/start.xml"), only_the_first)
    assert [(r.host, r.path) for r in two_hosts.requests] == [("127.0.0.1", "/start.xml")]


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.0.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("100.64.0.1", "a shared (CGNAT) address"),
        ("169.254.169.254", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("fd00::1", "a private address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("64:ff9b::a9fe:a9fe", "a link-local address"),
    ],
)
def test_the_policy_refuses_private_addresses_unless_allowed(address: str, problem: str) -> None:
    ip = ipaddress.ip_address(address)
    assert AddressPolicy().refusal(address, ip) == f"refused: {address} is {problem}"
    assert AddressPolicy().refusal("feeds.lan", ip) == (
        f"refused: feeds.lan resolves to {problem} {ip}"
    )
    assert AddressPolicy(allow_private=True).refusal(address, ip) is None
    network = ipaddress.ip_network(f"{address}/{ip.max_prefixlen}")
    assert AddressPolicy(allowed_networks=(network,)).refusal(address, ip) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_policy_flag_lets_private_addresses_through(feed_server: FeedServer, host: str) -> None:
    feed_server.route("/feed.xml", body=RSS)
    response = get(f"http://{host}:{feed_server.port()}/feed.xml", AddressPolicy(True))
    assert (response.status_code, response.content) == (200, RSS)
    assert len(feed_server.requests) == 1
