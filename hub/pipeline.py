"""The build, start to end, as one readable function per command.

``fetch`` runs fetch -> parse -> store; ``build`` adds site -> render ->
publish. The command line calls these; tests call them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hub import generate, site, theme
from hub.content import Content
from hub.model import Registry
from hub.publish import PublishReport, publish
from hub.store import STORE_NAME, Store
from hub.update import FeedOutcome, UpdateReport, update


@dataclass(frozen=True)
class BuildResult:
    pages: int
    posts: int
    publish: PublishReport


def open_store(cache: Path) -> Store:
    return Store.open(cache / STORE_NAME)


def fetch(
    registry: Registry,
    cache: Path,
    *,
    now: datetime,
    on_start: Callable[[int], None] | None = None,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
) -> UpdateReport:
    """Fetch every due feed into the store in ``cache``."""
    with open_store(cache) as store:
        return update(registry, store, now=now, on_start=on_start, on_outcome=on_outcome)


def build(
    registry: Registry, loaded: Content, cache: Path, out: Path, *, now: datetime
) -> BuildResult:
    """Render the site from the store and content/, and publish it to ``out``."""
    with open_store(cache) as store:
        entries = store.entries([feed.source for feed in registry.feeds()], now=now)
    model = site.build(registry, entries, loaded, now)
    output = generate.collect(model, theme.load(registry.root, registry.site.theme))
    # Never let an output folder swallow the registry, its content or the store.
    report = publish(output, out, protect=(registry.path, registry.root / "content", cache))
    pages = sum(1 for path in output.paths() if path.endswith(".html"))
    return BuildResult(pages, len(model.posts), report)
