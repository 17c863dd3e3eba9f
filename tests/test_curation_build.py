"""End to end: ``content/curation.yaml`` applied by a real build, every output file searched.

A small site (``tests/data/curation/``) is copied, given a curation file,
read into a real store and built with :func:`hub.pipeline.build`, as the
command line does. Then every file the build wrote (pages in both languages,
Atom and JSON feeds, the sitemap, the OPML list, the manifest...) is read:
a post taken down, held or muted must be in none of them, by its URL or by
its words.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub import pipeline
from hub.model import Registry
from hub.registry import load as registry
from hub.site.content import load_content
from hub.site.moderation import held_posts
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

FIXTURE = Path(__file__).parent / "data" / "curation"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

HIDDEN = ("news.harbourbay.example/2026/zebrafinch", "Zebrafinch", "Quillfeather")
"""The post taken down: its address (as any page or feed would write it) and its words."""
PINNED = "https://news.harbourbay.example/2026/winter-tires"
SHOTS = ("police.harbourbay.example/@ada/1", "Kestrelwood")
DRILL = ("police.harbourbay.example/@ada/2", "Marigold")
EVACUATIONS = ("police.harbourbay.example/@ada/3", "Periwinkle")
"""Says "evacuations", which is not the held word "évacuation"."""
MUTED = ("traffic.harbourbay.example/post/3kaa", "Albatross", "Cormorant")

CURATION = """\
    # yaml-language-server: $schema=curation.schema.json
    hide:
      - url: HTTPS://www.News.HarbourBay.example/2026/zebrafinch/
        reason: The address of a private home is in it (CC-1).
        date: 2026-11-21
    pin:
      - url: https://news.harbourbay.example/2026/winter-tires
        until: 2026-11-22
    hold: [shots fired, évacuation]
    mute:
      - account: bluesky:Traffic.HarbourBay.example
        reason: Suspicious login (CC-2).
    """
APPROVED = CURATION + "approve: [https://www.police.harbourbay.example/@ada/2/]\n"


@dataclass
class Built:
    site: Path
    cache: Path
    out: Path
    registry: Registry
    result: pipeline.BuildResult

    def files_with(self, *needles: str) -> dict[str, list[str]]:
        """Each output file holding any of ``needles`` (any case), with those it holds."""
        found: dict[str, list[str]] = {}
        for path in sorted(self.out.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes().lower()
            held = [n for n in needles if n.lower().encode() in data]
            if held:
                found[path.relative_to(self.out).as_posix()] = held
        return found

    def page(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")


def build(base: Path, curation: str, *, site: Path | None = None) -> Built:
    """Write ``curation`` into the site (a copy of the fixture under ``base``), then build it."""
    if site is None:
        site = base / "site"
        shutil.copytree(FIXTURE, site, symlinks=False)
    (site / "content" / "curation.yaml").write_text(textwrap.dedent(curation), encoding="utf-8")
    reg = registry.load(site / "sources.yaml").registry
    loaded = load_content(site / "content", reg.site.languages, display_root=site, registry=reg)
    cache, out = base / "cache", base / "public"
    with Store.open(cache / STORE_NAME) as store:
        update(reg, store, now=NOW)
    result = pipeline.build(reg, loaded, cache, out, now=NOW)
    return Built(site, cache, out, reg, result)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("curated"), CURATION)


def first_post(html: str) -> str:
    """The first post of a page, up to the next one."""
    start = html.index('<article class="post')
    end = html.find('<article class="post', start + 1)
    return html[start : end if end > 0 else len(html)]


def test_the_build_publishes_with_every_kind_of_output(built: Built) -> None:
    assert built.result.published
    names = {p.relative_to(built.out).as_posix() for p in built.out.rglob("*") if p.is_file()}
    wanted = {"sitemap.xml", "opml.xml", "hub-manifest.json", "en/feed.xml", "fr/feed.json"}
    assert wanted | {"en/index.html", "fr/index.html", "en/units/traffic/feed.xml"} <= names


def test_without_curation_every_post_is_on_the_site(tmp_path: Path) -> None:
    """The control: the fixture's posts all reach the pages and feeds when nothing curates them."""
    plain = build(tmp_path, "# nothing curated yet\n")
    for needles in (HIDDEN, SHOTS, DRILL, MUTED):
        found = plain.files_with(*needles)
        assert {"en/index.html", "fr/feed.json", "en/feed.xml"} <= set(found), needles
    assert PINNED not in first_post(plain.page("en/index.html"))
    assert "Pinned post" not in plain.page("en/index.html")


def test_a_hidden_post_is_in_no_file_of_the_build(built: Built) -> None:
    assert built.files_with(*HIDDEN) == {}
    # The rest of its feed is still there.
    assert built.files_with("road-closure")


def test_the_pinned_post_is_first_on_the_home_page_in_each_language(built: Built) -> None:
    for lang, label in (("en", "Pinned post"), ("fr", "Publication épinglée")):
        first = first_post(built.page(f"{lang}/index.html"))
        assert PINNED in first and label in first, lang
        assert built.page(f"{lang}/index.html").count(label) == 1
    # Only the home page pins it: the site's feeds keep every post in date order.
    atom = built.page("en/feed.xml")
    assert atom.index("road-closure") < atom.index("winter-tires")


def test_held_posts_are_in_no_file(built: Built) -> None:
    assert built.files_with(*SHOTS, *DRILL) == {}
    # "evacuations" is another word than "évacuation".
    assert "en/index.html" in built.files_with(*EVACUATIONS)


def test_the_held_posts_are_listed_with_their_phrase(built: Built) -> None:
    loaded = load_content(built.site / "content", ("en", "fr"), registry=built.registry)
    with Store.open(built.cache / STORE_NAME) as store:
        entries = store.entries(now=NOW)
    held = held_posts(built.registry, entries, loaded.curation, NOW)
    assert [(h.account_name, h.url, h.phrase) for h in held] == [
        ("mastodon:ada@police.harbourbay.example", f"https://{SHOTS[0]}", "shots fired"),
        ("mastodon:ada@police.harbourbay.example", f"https://{DRILL[0]}", "évacuation"),
    ]
    assert held[0].seen == datetime(2026, 11, 21, 20, 0, tzinfo=UTC)


def test_a_muted_account_is_in_no_file_and_its_card_says_suspended(built: Built) -> None:
    assert built.files_with(*MUTED) == {}
    pages = {
        "en": ("en/connect/index.html", "en/units/traffic/index.html", "temporarily suspended"),
        "fr": ("fr/joindre/index.html", "fr/unites/traffic/index.html", "temporairement suspendu"),
    }
    for directory, profile, words in pages.values():
        for path in (directory, profile):
            html = built.page(path)
            link = html[html.index('href="https://bsky.app/profile/traffic.harbourbay.example"') :]
            link = link[: link.index("</a>")]
            assert words in link, path
            # The other account of the same card is not suspended.
            other = html[html.index('href="https://x.com/HarbourTraffic"') :]
            assert words not in other[: other.index("</a>")], path


def test_an_approved_post_appears_and_an_edit_of_curation_alone_publishes(
    tmp_path: Path,
) -> None:
    first = build(tmp_path, CURATION)
    assert first.files_with(*DRILL) == {}
    again = build(tmp_path, CURATION, site=first.site)
    assert again.result.publish is not None and again.result.publish.written == 0
    approved = build(tmp_path, APPROVED, site=first.site)
    assert approved.result.publish is not None and approved.result.publish.written > 0
    assert "en/index.html" in approved.files_with(*DRILL)
    assert approved.files_with(*SHOTS, *HIDDEN, *MUTED) == {}


def test_a_pin_no_stored_post_has_is_a_warning_not_an_error(tmp_path: Path) -> None:
    curation = """\
        pin:
          - url: https://news.harbourbay.example/2026/no-such-post
            until: 2026-12-01
        """
    done = build(tmp_path, curation)
    assert done.result.published
    [warning] = done.result.warnings
    assert warning.format() == (
        "content/curation.yaml:2:10: warning: pin[0].url: "
        "no stored post has this URL: check it against the post's link on the site"
    )


def test_a_pin_ends_after_its_last_day_in_the_site_time_zone(tmp_path: Path) -> None:
    """2026-11-23 03:00 UTC is still 2026-11-22 in Toronto; 06:00 UTC is not."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, symlinks=False)
    (site / "content" / "curation.yaml").write_text(textwrap.dedent(CURATION), encoding="utf-8")
    reg = registry.load(site / "sources.yaml").registry
    loaded = load_content(site / "content", reg.site.languages, registry=reg)
    with Store.open(tmp_path / "cache" / STORE_NAME) as store:
        update(reg, store, now=NOW)
    for hour, pinned in ((3, True), (6, False)):
        out = tmp_path / f"public-{hour}"
        now = datetime(2026, 11, 23, hour, 0, tzinfo=UTC)
        pipeline.build(reg, loaded, tmp_path / "cache", out, now=now)
        first = first_post((out / "en" / "index.html").read_text(encoding="utf-8"))
        assert (PINNED in first) is pinned, hour


def test_hub_check_prints_each_problem_with_its_position_and_exits_1(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, symlinks=False)
    broken = """\
        hide:
          - url: https://news.harbourbay.example/2026/zebrafinch
            reason: A private address.
            date: 21/11/2026
          - url: https://news.harbourbay.example/2026/bbq
            date: 2026-11-21
        mute:
          - account: bluesky:trafic.harbourbay.example
            reason: Suspicious login.
        hidden: []
        """
    (site / "content" / "curation.yaml").write_text(textwrap.dedent(broken), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "hub", "check"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        # This checkout's hub; no GitHub annotations, even when CI runs the test.
        env={
            **{k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
            "PYTHONPATH": str(Path(__file__).parents[1]),
        },
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "content/curation.yaml:4:11: error: hide[0].date: "
        'expected a date such as 2011-07-27, got "21/11/2026"',
        'content/curation.yaml:5:5: error: hide[1]: missing required key "reason"',
        "content/curation.yaml:8:14: error: mute[0].account: "
        'no account "bluesky:trafic.harbourbay.example" in sources.yaml '
        '(did you mean "bluesky:traffic.harbourbay.example"?): '
        "mute an account the registry lists, as platform:handle",
        'content/curation.yaml:10:1: error: hidden: unknown key (did you mean "hide"?); '
        "expected one of: hide, pin, hold, approve, mute",
        "error: content/: 4 errors",
    ]
