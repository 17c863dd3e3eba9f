"""``site.search.refresh_minutes``: the search index may stay behind new posts, never
behind a post taken away.

A copy of the demo with ``refresh_minutes: 60`` is built, then changed as
scheduled runs change it. New posts alone keep the previous index (Pagefind does
not run); an edited or deleted post, an hour gone by, or ``0`` refresh it.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from hub import pipeline
from tests.render.test_incremental import Demo, files, load

SETTING = "  search: {refresh_minutes: 60}\n"


def index(out: Path) -> dict[str, bytes]:
    return {path: data for path, data in files(out).items() if path.startswith("pagefind/")}


def with_setting(demo: Demo, setting: str = SETTING) -> None:
    text = demo.sources.read_text(encoding="utf-8")
    demo.sources.write_text(text.replace("site:\n", "site:\n" + setting, 1), encoding="utf-8")


def build(demo: Demo, out: Path) -> pipeline.BuildResult:
    reg, loaded = load(demo.sources)
    result = pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    assert result.published
    return result


def test_new_posts_alone_leave_the_index_as_it_was_for_an_hour(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(11))
    with_setting(demo)
    out = tmp_path / "public"
    build(demo, out)
    first = index(out)
    assert first
    demo.new_post()
    kept = build(demo, out)
    assert kept.search_behind
    assert index(out) == first
    assert sum(kept.rendered["pages"].values()) > 0  # the pages did change
    # An hour after the index was made, it is made again, with the new posts.
    demo.now += timedelta(minutes=60)
    demo.new_post()
    refreshed = build(demo, out)
    assert not refreshed.search_behind
    assert index(out) != first


def test_an_edited_or_deleted_post_refreshes_the_index_at_once(tmp_path: Path) -> None:
    for change in ("edited_post", "withdrawn_post"):
        demo = Demo(tmp_path / change, random.Random(12))
        with_setting(demo)
        out = tmp_path / change / "public"
        build(demo, out)
        first = index(out)
        getattr(demo, change)()
        result = build(demo, out)
        assert not result.search_behind, change
        assert index(out) != first, change


def test_without_the_setting_the_index_follows_every_new_post(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(13))
    out = tmp_path / "public"
    build(demo, out)
    first = index(out)
    demo.new_post()
    result = build(demo, out)
    assert not result.search_behind
    assert index(out) != first


def test_an_edit_no_page_shows_keeps_the_index_able_to_lag(tmp_path: Path) -> None:
    """The index carried over after an edit of sources.yaml that changed no page is
    that site's index: new posts afterwards may still leave it as it is."""
    demo = Demo(tmp_path, random.Random(14))
    with_setting(demo)
    out = tmp_path / "public"
    build(demo, out)
    first = index(out)
    with demo.sources.open("a", encoding="utf-8") as registry:
        registry.write("# edited: no page shows this\n")
    build(demo, out)
    demo.new_post()
    kept = build(demo, out)
    assert kept.search_behind
    assert index(out) == first
