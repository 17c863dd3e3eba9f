"""The build's clock reaches no page: the demo's store, built two hours apart and a day
apart, gives the same bytes in every file, and a scheduled run with nothing new, in a
new hour or on a new day, renders nothing at all.

Pages show absolute times (hub/render/dates.py); "2 hours ago" is time.js's, in the
browser. What the clock still decides, and the build's digest holds instead of the
hour (``hub.pipeline._moment``): which alerts are active, which officers have left
(the site's day against their ``until``), which pins and mutes of
``content/curation.yaml`` are in force, and, for five minutes after a post is first
seen, whether a post dated a little ahead is shown yet (``Store.revision``). The
times below are chosen so that none of these change between the builds compared,
and the last test moves to a day where one does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import pipeline
from hub.model import Registry
from hub.registry import load as registry
from hub.site.content import Content, load_content
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

ROOT = Path(__file__).resolve().parent.parent
FETCHED = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NOW = FETCHED + timedelta(minutes=10)
"""The first build: past the five minutes in which a post just seen may still change."""

LEGITIMATELY_DIFFERENT: frozenset[str] = frozenset()
"""Files that may differ between two builds of the same store at other times: none.
The publish gate's manifest (``hub-manifest.json``) holds counts and the newest
post's time, not the build's; a feed's ``<updated>`` is its newest entry's, and a
page's ``<lastmod>`` in the sitemap the newest post it shows."""


def demo() -> tuple[Registry, Content]:
    reg = registry.load(ROOT / "sources.yaml").registry
    return reg, load_content(reg.root / "content", reg.site.languages, display_root=reg.root)


def fetched(cache: Path, reg: Registry, now: datetime = FETCHED) -> Path:
    """``cache``, its store holding the demo's feeds (files beside the registry) read at ``now``."""
    with Store.open(cache / STORE_NAME) as store:
        report = update(reg, store, now=now)
    assert not report.failed, [outcome.message for outcome in report.failed]
    return cache


def files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, Content, Path]:
    reg, loaded = demo()
    return reg, loaded, fetched(tmp_path_factory.mktemp("clock") / "cache", reg)


@pytest.fixture(scope="module")
def first(
    store: tuple[Registry, Content, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    reg, loaded, cache = store
    out = tmp_path_factory.mktemp("first") / "public"
    pipeline.build(reg, loaded, cache, out, now=NOW)
    return files(out)


@pytest.mark.parametrize(
    "later", [timedelta(hours=2), timedelta(days=1)], ids=["two-hours-later", "a-day-later"]
)
def test_the_same_store_builds_the_same_bytes_at_another_time(
    store: tuple[Registry, Content, Path],
    first: dict[str, bytes],
    tmp_path: Path,
    later: timedelta,
) -> None:
    reg, loaded, cache = store
    out = tmp_path / "public"
    pipeline.build(reg, loaded, cache, out, now=NOW + later)
    second = files(out)
    assert sorted(second) == sorted(first), "files added or removed"
    pages = [path for path in first if path.endswith(".html")]
    assert len(pages) > 200 and any(b"data-ago" in first[path] for path in pages)
    differ = sorted(p for p in first if first[p] != second[p] and p not in LEGITIMATELY_DIFFERENT)
    assert not differ, f"{len(differ)} files differ {later} later: {differ[:10]}"


def test_a_run_with_nothing_new_renders_nothing_in_a_new_hour_or_on_a_new_day(
    tmp_path: Path,
) -> None:
    reg, loaded = demo()
    cache, out = fetched(tmp_path / "cache", reg), tmp_path / "public"
    built = pipeline.build(reg, loaded, cache, out, now=NOW)
    assert built.publish is not None and built.publish.written > 0
    home = out / "en" / "index.html"
    stamp = home.stat().st_mtime_ns
    assert b"Pinned post" in home.read_bytes()

    for later in (timedelta(hours=2), timedelta(days=1)):
        # A scheduled run: every feed read again, nothing new in any.
        fetched(cache, reg, NOW + later)
        again = pipeline.build(reg, loaded, cache, out, now=NOW + later)
        assert again.publish is not None and again.publish.written == 0, later
        assert again.seconds["publish"] == 0.0, f"{later} later: the site was rendered again"
    assert home.stat().st_mtime_ns == stamp

    # The day still counts where the site depends on it: the pin of curation.yaml
    # ends on November 30, so on December 1 the home page changes.
    ended = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    after = pipeline.build(reg, loaded, cache, out, now=ended)
    assert after.publish is not None and after.publish.written > 0
    assert b"Pinned post" not in home.read_bytes()
