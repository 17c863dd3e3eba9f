"""End to end: `python build.py` on the demo, as a webmaster runs it, with no network."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from hub import svgfiles
from hub.registry import load as registry
from hub.site.content import load_content
from hub.store.database import Store
from tests.feeds.test_images import no_metadata

ROOT = Path(__file__).resolve().parent.parent


class Links(HTMLParser):
    """Every href and every <time datetime> of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.times: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"] or "")


def links(path: Path, after: str = "") -> Links:
    """The page's links and times; with ``after``, only those after that text."""
    text = path.read_text(encoding="utf-8")
    parser = Links()
    parser.feed(text.partition(after)[2] if after else text)
    return parser


def run_build(out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "--out", str(out), "--cache", str(cache), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("demo")
    out, cache = base / "public", base / "cache"
    result = run_build(out, cache)
    assert result.returncode == 0, result.stderr
    return out, cache, result.stderr


def test_the_demo_builds_without_a_traceback(demo: tuple[Path, Path, str]) -> None:
    _, _, log = demo
    assert "Traceback" not in log
    assert re.search(r"build: \d+ pages, \d+ posts", log)
    # A first build renders every page, and does not speak of a previous site's.
    assert re.search(r"(?m)^rendered: (\d+) \(no previous build: \1\) pages, \d+ feeds$", log), log


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_type_exists_in_each_language(demo: tuple[Path, Path, str], lang: str) -> None:
    out, _, _ = demo
    reg = registry.load(ROOT / "sources.yaml").registry
    words = {"en": ("connect", "officers", "units"), "fr": ("joindre", "agents", "unites")}[lang]
    connect, officers, units = words
    assert (out / lang / "index.html").is_file()
    assert (out / lang / connect / "index.html").is_file()
    # Each at its address in the language: its slug there (/fr/unites/circulation/), else its id.
    for officer in reg.officers:
        at = officer.slug.get(lang, officer.id)
        assert (out / lang / officers / at / "index.html").is_file(), officer.id
    for unit in reg.units:
        assert (out / lang / units / unit.slug.get(lang, unit.id) / "index.html").is_file(), unit.id
    assert len(list((out / lang / "pages").glob("*/index.html"))) >= 3
    assert (out / "index.html").is_file() and (out / "404.html").is_file()


def test_every_account_is_in_the_directory(demo: tuple[Path, Path, str]) -> None:
    """On the directory page, or (for officers who left) on its former-accounts page."""
    out, _, _ = demo
    reg = registry.load(ROOT / "sources.yaml").registry
    for lang, connect, former in (("en", "connect", "former"), ("fr", "joindre", "anciens")):
        hrefs = set(links(out / lang / connect / "index.html").hrefs)
        former_page = out / lang / connect / former / "index.html"
        if former_page.is_file():
            hrefs |= set(links(former_page).hrefs)
        missing = [a.url for a in reg.accounts() if a.url not in hrefs]
        assert not missing, f"{lang}: {missing[:5]}"


def test_home_shows_every_feed_newest_first(demo: tuple[Path, Path, str]) -> None:
    """Every feed but those of the accounts content/curation.yaml mutes; the posts it
    pins first."""
    out, cache, _ = demo
    reg = registry.load(ROOT / "sources.yaml").registry
    curation = load_content(ROOT / "content", reg.site.languages, registry=reg).curation
    muted = {m.account for m in curation.mute if m.until is None}
    # Pinned until a day that may have passed: as many as the home page marks.
    pinned = (out / "en" / "index.html").read_text(encoding="utf-8").count("post post--pinned")
    assert pinned <= len(curation.pin)
    # The home page, then a page per day, the newest day first (hub/site/daypages.py).
    home = links(out / "en" / "index.html", 'class="latest"')  # not the appeals and events
    days = sorted((out / "en" / "days").glob("*/index.html"), reverse=True)
    assert days
    hrefs: set[str] = set(home.hrefs)
    times: list[str] = []
    for page in days:
        found = links(page, 'class="latest"')
        hrefs.update(found.hrefs)
        times.extend(found.times)
    with Store.open(cache / "store.sqlite3") as store:
        for feed in reg.feeds():
            if any(a.key in muted for a in reg.accounts() if a.feed == feed):
                continue
            entries = store.entries([feed.source])
            assert entries, f"{feed.source} has no entries"
            assert any(e.link in hrefs for e in entries if e.link), feed.source
    assert home.times[pinned:] == sorted(home.times[pinned:], reverse=True)
    assert times == sorted(times, reverse=True)


def test_the_demo_curation_applies_to_every_file(demo: tuple[Path, Path, str]) -> None:
    """content/curation.yaml takes one post down and mutes one account; the home page
    still shows posts."""
    out, _, _ = demo
    reg = registry.load(ROOT / "sources.yaml").registry
    curation = load_content(ROOT / "content", reg.site.languages, registry=reg).curation
    [hidden] = [h.url for h in curation.hide]
    [muted] = [a for a in reg.accounts() if a.key == curation.mute[0].account]
    needles = [hidden.removeprefix("https://").encode()]
    assert muted.feed is not None and muted.feed.path is not None
    needles += [
        f"/status/{post['id']}".encode()
        for post in json.loads(muted.feed.path.read_bytes())["data"]
    ]
    found = [p for p in out.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]
    assert found == []
    for lang, connect, words in (
        ("en", "connect", "temporarily suspended"),
        ("fr", "joindre", "temporairement suspendu"),
    ):
        page = (out / lang / connect / "index.html").read_text(encoding="utf-8")
        assert words in page[page.index(f'href="{muted.url}"') :].split("</a>")[0]
        assert links(out / lang / "index.html").times, lang


def test_a_second_build_rewrites_nothing(demo: tuple[Path, Path, str]) -> None:
    out, cache, _ = demo
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run_build(out, cache, "--offline")
    assert result.returncode == 0, result.stderr
    assert " 0 written" in result.stderr or "(0 written" in result.stderr, result.stderr
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    changed = [p for p in before if after.get(p) != before[p]]
    assert not changed, changed[:5]


def test_an_invalid_registry_stops_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("previous site")
    bad = tmp_path / "sources.yaml"
    bad.write_text("site: [\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--sources", str(bad), "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"sources\.yaml:\d+:\d+: error: ", result.stderr)
    assert (out / "index.html").read_text() == "previous site"


def test_a_broken_template_names_its_file_and_line_and_keeps_the_site(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_bytes((ROOT / "sources.yaml").read_bytes())
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    broken = tmp_path / "themes" / "broken" / "templates"
    broken.mkdir(parents=True)
    unit = (ROOT / "themes/default/templates/unit.html").read_text(encoding="utf-8")
    # Broken in French only: those pages are rendered by a forked process.
    broken_unit = unit.replace(
        "{% block content %}", '{% block content %}{{ "" if lang == "en" else missing.name }}', 1
    )
    assert broken_unit != unit
    (broken / "unit.html").write_text(broken_unit, encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources.read_text().replace("theme: default", "theme: broken", 1))
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("previous site")
    (out / ".hub-output").write_text("published by hub")

    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(out), "--offline"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(
        r"(?m)^\S*themes/broken/templates/unit\.html:\d+: error: 'missing' is undefined "
        r"\(rendering /fr/\S+/\)$",
        result.stderr,
    ), result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".hub-output", "index.html"]
    assert (out / "index.html").read_text() == "previous site"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".public.")]


def test_no_published_image_carries_exif_data(demo: tuple[Path, Path, str]) -> None:
    """The demo's marine unit photo has a GPS position in its EXIF, as a phone's would:
    what the site publishes of it (and of every image) is pixels only."""
    out, _, _ = demo
    with Image.open(ROOT / "content" / "photos" / "marine-unit.jpg") as original:
        assert original.getexif().get_ifd(0x8825), "the demo's photo has a GPS position"
    raster = [p for p in out.rglob("*") if p.suffix in (".jpg", ".jpeg", ".png", ".webp", ".gif")]
    assert any(p.name.startswith("marine-unit.") for p in raster)
    for path in raster:
        no_metadata(path.read_bytes())
    # The drawings (SVG) are published as they are: nothing in them runs or embeds an image.
    for path in out.rglob("*.svg"):
        svgfiles.check(path.read_bytes())
