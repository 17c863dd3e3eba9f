"""The fetch stage's connections, kept in one small pool per origin.

httpcore's connection pool, whenever a request starts or ends, checks every
connection it holds once for each idle one (and polls each idle socket), so
its cost per request grows with the square of its size. With a connection or
two kept alive for each of dozens of hosts, that check was most of the fetch
stage's CPU. Here each origin (scheme, host, port) gets its own
``VettedTransport`` (or the subclass given as ``transport``), whose checks
cover only that host's few connections. All of them connect through one
network backend, made by that class, so a name is resolved once per run.

At most ``max_origins`` pools stay open: past that, the least recently used
pool with nothing in flight is closed, so the sockets a run keeps open stay
bounded however many hosts it meets.
"""

from __future__ import annotations

from collections import OrderedDict

import httpx

from hub.feeds.netguard import AddressPolicy
from hub.feeds.transport import VettedTransport

Origin = tuple[str, str, int | None]


class HostPools(httpx.AsyncBaseTransport):
    """A transport that hands each request to its origin's own vetted pool."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        per_origin: int,
        max_origins: int,
        transport: type[VettedTransport] = VettedTransport,
    ) -> None:
        self._policy = policy
        self._transport = transport
        # Shared by every pool: one DNS answer per name per run.
        self._backend = transport.backend_for(policy)
        self._limits = httpx.Limits(max_connections=None, max_keepalive_connections=per_origin)
        self._max_origins = max_origins
        self._pools: OrderedDict[Origin, VettedTransport] = OrderedDict()

    @property
    def open_pools(self) -> int:
        """How many origins have a pool open."""
        return len(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        pool = self._pools.get(origin)
        if pool is None:
            await self._close_one_idle()
            # Another request may have opened this origin's pool during the await.
            pool = self._pools.get(origin)
            if pool is None:
                pool = self._transport(self._policy, self._limits, backend=self._backend)
                self._pools[origin] = pool
        self._pools.move_to_end(origin)
        return await pool.handle_async_request(request)

    async def _close_one_idle(self) -> None:
        if len(self._pools) < self._max_origins:
            return
        for origin, pool in self._pools.items():
            if pool.is_idle():
                # Out of the table before the await, so no request can pick it up.
                del self._pools[origin]
                await pool.aclose()
                return

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()
