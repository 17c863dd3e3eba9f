"""Shared pytest fixtures: the local feed server; old trees left deleting are waited for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hub.publish import tree
from tests.feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A started FeedServer on 127.0.0.1, stopped after the test."""
    with FeedServer() as server:
        yield server


@pytest.fixture(autouse=True, scope="session")
def _old_trees_deleted() -> Iterator[None]:
    """Builds in this process leave their old trees to processes they do not wait for:
    the session does, so that none is still running when it ends."""
    yield
    tree.settle()
