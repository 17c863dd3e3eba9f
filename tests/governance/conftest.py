"""The Test Bay Police world (:mod:`tests.governance.world`), fetched into a real store once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.governance.accounts import account_rows
from hub.governance.model import AccountRow, Stored
from hub.governance.report import read_store
from hub.model import Registry
from hub.site.content import load_content
from hub.site.curation import Curation
from hub.store.database import STORE_NAME, Store
from tests.feedserver import FeedServer
from tests.governance import world


@dataclass(frozen=True)
class World:
    """The registry, its curation and what two real fetches left in the store."""

    folder: Path
    registry: Registry
    curation: Curation
    stored: Stored

    @property
    def rows(self) -> tuple[AccountRow, ...]:
        return account_rows(self.registry, self.stored)

    def row(self, key: str) -> AccountRow:
        return next(row for row in self.rows if row.key == key)


@pytest.fixture(scope="session")
def testbay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("testbay")
    with FeedServer() as server:
        world.serve(server)
        registry = world.load(world.write_registry(folder, server))
        world.fill_store(registry, folder / "cache", server)
    loaded = load_content(
        folder / "content", registry.site.languages, display_root=folder, registry=registry
    )
    with Store.open(folder / "cache" / STORE_NAME) as store:
        stored = read_store(store, world.NOW)
    yield World(folder, registry, loaded.curation, stored)
