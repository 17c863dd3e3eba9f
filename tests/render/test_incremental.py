"""An incremental build gives, file for file, the bytes of a full one (``--full``).

A copy of the demo is built once, then changed step by step as scheduled runs
and editors change it (new posts, edited posts, withdrawn posts, a feed image
saved, a new day, an edited page, a renamed unit), and built again after each
change, incrementally, into the same output folder. After each step the same
store is also built with ``full=True`` into a new folder, with a cache of its
own, and every file of the two is compared. The steps come in a random order
from a fixed seed, so a failure can be replayed.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import pipeline
from hub.model import MediaFile, Registry
from hub.registry import load as registry
from hub.render.inputs import WatchedSite
from hub.site.content import Content, load_content
from hub.store.database import STORE_NAME, Store
from hub.store.media import CACHE_FOLDER
from hub.store.update import update

ROOT = Path(__file__).resolve().parents[2]
FETCHED = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEMO = ("sources.yaml", "sources.admin.yaml", "content", "themes")


def files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def copy_demo(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in DEMO:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, symlinks=True)
        else:
            shutil.copy2(source, folder / name)
    return folder / "sources.yaml"


def load(sources: Path) -> tuple[Registry, Content]:
    reg = registry.load(sources).registry
    return reg, load_content(reg.root / "content", reg.site.languages, display_root=reg.root)


class Demo:
    """The demo's copy, its store and the clock, changed a step at a time."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.sources = copy_demo(folder / "site")
        self.cache = folder / "cache"
        self.rng = rng
        self.now = FETCHED
        reg, _ = load(self.sources)
        with Store.open(self.cache / STORE_NAME) as store:
            report = update(reg, store, now=self.now)
        assert not report.failed
        self.now += timedelta(minutes=10)

    def sources_of(self, store: Store) -> list[str]:
        return sorted({entry.feed for entry in store.entries(now=self.now)})

    def fetched(self, source: str, change: Callable[[list], list]) -> None:
        """A fetch of ``source`` that returns its stored entries, changed."""
        with Store.open(self.cache / STORE_NAME) as store:
            entries = change(store.entries([source], now=self.now))
            store.record_success(
                source, entries, now=self.now, etag=None, last_modified=None, content_hash=None
            )

    def pick(self) -> str:
        with Store.open(self.cache / STORE_NAME) as store:
            return self.rng.choice(self.sources_of(store))

    # The steps

    def new_post(self) -> None:
        source, number = self.pick(), self.rng.randrange(10**6)
        self.now += timedelta(minutes=15)

        def add(entries: list) -> list:
            new = replace(
                entries[0],
                id=f"new-{number}",
                title=f"New post {number}",
                summary=f"<p>Road closure number {number} downtown.</p>",
                content="",
                link=f"https://example.org/new/{number}",
                published=self.now - timedelta(minutes=5),
                updated=None,
                media=(),
                texts=None,
            )
            return [new, *entries]

        self.fetched(source, add)
        self.now += timedelta(minutes=10)  # past the minutes a post just seen may change

    def edited_post(self) -> None:
        self.now += timedelta(minutes=15)

        def edit(entries: list) -> list:
            at = self.rng.randrange(len(entries))
            changed = replace(entries[at], summary="<p>Updated: the road is open again.</p>")
            return [*entries[:at], replace(changed, texts=None), *entries[at + 1 :]]

        self.fetched(self.pick(), edit)

    def withdrawn_post(self) -> None:
        self.now += timedelta(minutes=15)
        self.fetched(self.pick(), lambda entries: entries[1:] if len(entries) > 1 else entries)

    def saved_image(self) -> None:
        """A feed image copied into the cache, for a post that has none shown yet."""
        with Store.open(self.cache / STORE_NAME) as store:
            saved = store.media_map()
            wanted = [
                e.media[0].url
                for e in store.entries(now=self.now)
                if e.media and e.media[0].url not in saved
            ]
            if not wanted:
                return
            url = self.rng.choice(wanted)
            photo = b"\xff\xd8\xff" + url.encode()
            name = hashlib.sha256(photo).hexdigest() + ".jpg"
            (self.cache / CACHE_FOLDER).mkdir(parents=True, exist_ok=True)
            (self.cache / CACHE_FOLDER / name).write_bytes(photo)
            store.record_media(url, now=self.now, saved=MediaFile(name, 640, 480))

    def next_day(self) -> None:
        self.now += timedelta(days=1)

    def edited_page(self) -> None:
        page = sorted((self.sources.parent / "content" / "pages").glob("*.en.md"))[0]
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    def renamed_unit(self) -> None:
        text = self.sources.read_text(encoding="utf-8")
        self.sources.write_text(text.replace("Marine Unit", "Marine and Harbour Unit", 1))


STEPS = (
    "new_post",
    "new_post",
    "new_post",
    "edited_post",
    "withdrawn_post",
    "saved_image",
    "next_day",
    "edited_page",
    "renamed_unit",
)


def full_build(demo: Demo, folder: Path) -> dict[str, bytes]:
    """The same store built from nothing, with ``--full``, in a cache and folder of its own."""
    cache = folder / "cache"
    shutil.copytree(demo.cache, cache)
    for name in ("build-state.json", "build-files.json"):
        (cache / name).unlink(missing_ok=True)
    reg, loaded = load(demo.sources)
    out = folder / "public"
    result = pipeline.build(reg, loaded, cache, out, now=demo.now, full=True)
    assert result.published
    return files(out)


@pytest.mark.parametrize("seed", [7, 2027])
def test_incremental_builds_equal_full_builds_after_every_change(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    demo = Demo(tmp_path, rng)
    out = tmp_path / "public"
    reg, loaded = load(demo.sources)
    first = pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    assert first.rendered["pages"] == {"no previous build": first.pages}
    steps = list(STEPS)
    rng.shuffle(steps)
    for number, step in enumerate(steps):
        getattr(demo, step)()
        reg, loaded = load(demo.sources)
        result = pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
        assert result.published, step
        expected = full_build(demo, tmp_path / f"full-{number}")
        built = files(out)
        assert built.keys() == expected.keys(), step
        differ = sorted(path for path in built if built[path] != expected[path])
        assert differ == [], f"after {step} (step {number}): {differ[:10]}"


def test_a_new_post_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(1))
    out = tmp_path / "public"
    reg, loaded = load(demo.sources)
    first = pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    before = files(out)
    demo.new_post()
    result = pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    pages = result.rendered["pages"]
    rendered = sum(pages.values())
    # The home page and the post's day page of each language, and the author's
    # page and unit's, at most: a tenth of the demo's pages.
    assert 0 < rendered <= first.pages // 10, pages
    assert set(pages) <= {"its posts changed", "posts it shows changed", "new"}
    # New: the page of the post's day, if it is the first post of that day.
    assert pages.get("new", 0) <= len(reg.site.languages)
    after = files(out)
    changed = [path for path in after if before.get(path) != after[path]]
    assert any(path.endswith("index.html") for path in changed)
    assert result.publish is not None
    assert result.publish.written < len(after) // 10


def test_full_renders_every_page_and_says_so(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(2))
    out = tmp_path / "public"
    reg, loaded = load(demo.sources)
    pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    demo.new_post()
    result = pipeline.build(reg, loaded, demo.cache, out, now=demo.now, full=True)
    assert result.rendered["pages"] == {"full build": result.pages}


def test_a_ledger_for_another_output_folder_is_not_used(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(3))
    reg, loaded = load(demo.sources)
    pipeline.build(reg, loaded, demo.cache, tmp_path / "one", now=demo.now)
    result = pipeline.build(reg, loaded, demo.cache, tmp_path / "two", now=demo.now)
    assert result.rendered["pages"] == {"no previous build": result.pages}


def test_templates_that_look_at_posts_are_noted() -> None:
    class Site:
        def __init__(self) -> None:
            self.posts_by_unit = {"d52": (1, 2)}
            self.posts_by_owner: dict[str, tuple[int, ...]] = {}
            self.river = (3,)
            self.name = "Lakeview"

    watched = WatchedSite(Site())  # type: ignore[arg-type]
    assert watched.name == "Lakeview"
    assert watched.posts_by_unit.get("d52") == (1, 2)
    assert watched.river == (3,)
    assert "x" not in watched.posts_by_owner
    assert watched.taken() == {"posts_by_unit:d52", "river", "posts_by_owner:x"}
    assert watched.taken() == frozenset()


def test_a_build_with_nothing_new_renders_nothing_and_says_against_what(tmp_path: Path) -> None:
    demo = Demo(tmp_path, random.Random(4))
    out = tmp_path / "public"
    reg, loaded = load(demo.sources)
    pipeline.build(reg, loaded, demo.cache, out, now=demo.now)
    again = pipeline.build(reg, loaded, demo.cache, out, now=demo.now + timedelta(hours=3))
    assert again.rendered == {}
    assert again.publish is not None and again.publish.written == 0
    assert again.decision.baseline_from == str(out / "hub-manifest.json")
