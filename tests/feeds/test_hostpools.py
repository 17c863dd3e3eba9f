"""The fetch stage's connection pools, one per origin, against a real local server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import httpcore
import httpx
import pytest

from hub.feeds.hostpools import HostPools
from hub.feeds.netguard import AddressPolicy
from hub.feeds.result import FetchError
from hub.feeds.transport import GuardError, VettedTransport
from tests.feedserver import FeedServer

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")


@pytest.fixture
def four_hosts() -> Iterator[FeedServer]:
    with FeedServer(hosts=HOSTS) as server:
        server.route("/feed.xml", body=b"<rss/>")
        server.route("/slow.xml", body=b"<rss/>", delay=0.3)
        yield server


def pools(max_origins: int, policy: AddressPolicy | None = None) -> HostPools:
    return HostPools(policy or AddressPolicy(True), per_origin=2, max_origins=max_origins)


def test_each_origin_gets_its_pool_and_idle_ones_are_closed_past_the_limit(
    four_hosts: FeedServer,
) -> None:
    async def run() -> list[int]:
        transport = pools(max_origins=2)
        statuses = []
        async with httpx.AsyncClient(transport=transport) as client:
            for host in HOSTS:
                response = await client.get(four_hosts.url("/feed.xml", host=host))
                statuses.append(response.status_code)
                assert transport.open_pools <= 2
        assert transport.open_pools == 0
        return statuses

    assert asyncio.run(run()) == [200] * len(HOSTS)
    assert {r.host for r in four_hosts.requests} == set(HOSTS)


def test_a_pool_with_a_request_in_flight_is_never_closed(four_hosts: FeedServer) -> None:
    async def run() -> list[int]:
        transport = pools(max_origins=1)
        async with httpx.AsyncClient(transport=transport) as client:
            slow = asyncio.create_task(client.get(four_hosts.url("/slow.xml", host=HOSTS[0])))
            await asyncio.sleep(0.1)
            quick = [await client.get(four_hosts.url("/feed.xml", host=h)) for h in HOSTS[1:]]
            return [(await slow).status_code, *(r.status_code for r in quick)]

    assert asyncio.run(run()) == [200] * len(HOSTS)


def test_every_pool_vets_addresses(four_hosts: FeedServer) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(transport=pools(2, AddressPolicy(False))) as client:
            await client.get(four_hosts.url("/feed.xml", host=HOSTS[2]))

    with pytest.raises(FetchError, match=re.escape("refused: 127.0.0.3 is a loopback address")):
        asyncio.run(run())


class Unvetted(VettedTransport):
    """Our transport with the guard broken on purpose: httpcore's backend, which vets nothing."""

    @classmethod
    def backend_for(cls, policy: AddressPolicy) -> httpcore.AsyncNetworkBackend:
        return httpcore.AnyIOBackend()


def test_pools_are_of_the_class_given_and_it_must_prove_its_guard(four_hosts: FeedServer) -> None:
    async def run() -> None:
        transport = HostPools(AddressPolicy(True), per_origin=2, max_origins=2, transport=Unvetted)
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get(four_hosts.url("/feed.xml", host=HOSTS[1]))

    with pytest.raises(GuardError, match="private-address guard is not active"):
        asyncio.run(run())
    assert four_hosts.requests == []
