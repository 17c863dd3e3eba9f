"""Appeals and events through whole builds: a fixture site fetched into a real store and
published by the pipeline, at clocks passed in.

Once an appeal is resolved (by its file, by its post's deletion on the platform, by an
edit of its post), no file the build writes holds the person's name, description or
photo: every output file is searched, compressed ones too.
"""

from __future__ import annotations

import gzip
import shutil
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub import pipeline
from hub.registry import load as registry
from hub.site.content import load_content
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # Sunday, noon in Toronto
NAME = "Gordon Achterberg"
DESCRIPTION = "navy winter coat and a red toque"
POST = "https://news.example/2026/11/missing-man"
PHOTO = b"<svg xmlns='http://www.w3.org/2000/svg'><title>appeal-photo-7f3a</title></svg>\n"

REGISTRY = """\
site:
  name: {en: Test Police, fr: Police de test}
  url: https://police.example
  languages: [en, fr]
  timezone: America/Toronto
  contact: {emergency: "911", non_emergency: "555-0100"}
units:
  - id: chief
    name: {en: Office of the Chief, fr: Bureau du chef}
    kind: office
    accounts:
      - {platform: website, url: "https://news.example/", feed: content/feeds/news.xml}
"""

ITEM = """<item><guid>{link}</guid><title>{title}</title><link>{link}</link>
<pubDate>{date}</pubDate><description>{text}</description></item>"""


def feed(*items: tuple[str, str, str, str]) -> str:
    body = "".join(ITEM.format(link=a, title=b, date=c, text=d) for a, b, c, d in items)
    channel = f"<channel><title>News</title>{body}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


OLDER = (
    "https://news.example/2026/11/bridge",
    "Bridge closed",
    "Fri, 20 Nov 2026 14:00:00 +0000",
    "Until Monday.",
)
APPEAL_POST = (
    POST,
    f"MISSING: {NAME}, 67",
    "Sat, 21 Nov 2026 20:00:00 +0000",
    "Last seen downtown.",
)

APPEAL = f"""\
---
kind: missing
status: open
date: 2026-11-21T15:00
unit: chief
title: {{en: "Missing man, 67", fr: "Homme de 67 ans disparu"}}
post: {POST}
photo: content/appeals/photos/case-118.svg
person:
  name: {NAME}
  age: 67
  description: Last seen wearing a {DESCRIPTION}.
---
Last seen downtown on Saturday.

<!-- lang: fr -->

Vu au centre-ville samedi.
"""

STREAM = """\
---
title: {en: Ask the Chief, fr: Questions au chef}
unit: chief
start: 2026-11-26T19:00
end: 2026-11-26T19:45
stream: https://video.example/live
repeat: weekly
---
Every Thursday.
"""

TOWN_HALL = """\
---
title: {en: Town hall, fr: Assemblée publique}
unit: chief
start: 2027-01-14T19:00
end: 2027-01-14T20:30
place: 240 Elm Avenue
map: https://maps.example/240-elm
languages: [fr]
---
Come and meet us.
"""


class Site:
    """The fixture site, its store and its output folder: fetch, then build, at a clock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "public"
        self.cache = root / "cache"
        (root / "themes").mkdir(parents=True)
        (root / "themes" / "default").symlink_to(ROOT / "themes" / "default")
        (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
        self.write("content/appeals/photos/case-118.svg", PHOTO.decode())
        self.write("content/appeals/case-118.md", APPEAL)
        self.write("content/events/ask-the-chief.md", STREAM)
        self.write("content/events/town-hall.md", TOWN_HALL)
        self.write("content/feeds/news.xml", feed(APPEAL_POST, OLDER))

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    def build(self, now: datetime = NOW) -> pipeline.BuildResult:
        reg = registry.load(self.root / "sources.yaml").registry
        loaded = load_content(self.root / "content", reg.site.languages, registry=reg)
        with Store.open(self.cache / STORE_NAME) as store:
            update(reg, store, now=now)
        return pipeline.build(reg, loaded, self.cache, self.out, now=now)

    def page(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")

    def holding(self, *needles: bytes) -> list[str]:
        """The output files that hold any of ``needles``, gzip-compressed ones opened."""
        found = []
        for file in sorted(self.out.rglob("*")):
            if not file.is_file():
                continue
            data = file.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data += gzip.decompress(data)
            if any(needle in data for needle in needles):
                found.append(file.relative_to(self.out).as_posix())
        return found


PERSONAL = (NAME.encode(), DESCRIPTION.encode(), b"appeal-photo-7f3a", POST.encode())


@pytest.fixture
def site(tmp_path: Path) -> Site:
    built = Site(tmp_path / "site")
    built.build()
    return built


def test_an_open_appeal_shows_its_photo_and_details(site: Site) -> None:
    page = site.page("en/appeals/index.html")
    assert NAME in page and DESCRIPTION in page and "Missing man, 67" in page
    assert "appeals/" in page and site.holding(b"appeal-photo-7f3a") == [
        next(p for p in site.holding(b"appeal-photo-7f3a") if p.startswith("appeals/"))
    ]
    assert "Homme de 67 ans disparu" in site.page("fr/appels/index.html")
    home = site.page("en/index.html")
    assert "Open appeals" in home and "Missing man, 67" in home
    assert f"MISSING: {NAME}" in home  # the post itself, in the latest activity


@pytest.mark.parametrize("how", ["file", "withdrawn", "edited"])
def test_a_resolved_appeal_leaves_no_trace_of_the_person(site: Site, how: str) -> None:
    assert site.holding(*PERSONAL)
    if how == "file":
        site.write(
            "content/appeals/case-118.md", APPEAL.replace("status: open", "status: resolved")
        )
    elif how == "withdrawn":  # deleted on the platform: gone from the feed
        later = (
            "https://news.example/2026/11/later",
            "Later news",
            "Sun, 22 Nov 2026 20:00:00 +0000",
            ".",
        )
        site.write("content/feeds/news.xml", feed(later, OLDER))
    else:
        located = (
            POST,
            f"UPDATE: {NAME} has been located",
            APPEAL_POST[2],
            "Thank you for sharing.",
        )
        site.write("content/feeds/news.xml", feed(located, OLDER))
    result = site.build(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert result.published
    assert site.holding(*PERSONAL) == []
    assert not (site.out / "appeals").exists()  # where the open appeals' photos go
    page = site.page("en/appeals/index.html")
    assert "Resolved appeals" in page and "Missing man, 67" in page
    assert "There are no open appeals right now." in page
    assert "Open appeals" not in site.page("en/index.html")
    warned = [w.message for w in result.warnings if w.file.endswith("case-118.md")]
    assert bool(warned) is (how != "file")  # the file should say status: resolved too


def test_the_events_page_the_weeks_events_and_the_calendars(site: Site) -> None:
    page = site.page("en/events/index.html")
    upcoming = page.split("Upcoming events")[1]
    assert upcoming.index("Ask the Chief") < upcoming.index("Town hall")  # soonest first
    assert "Language: French" in page and 'href="https://maps.example/240-elm"' in page
    assert page.count('rel="alternate" type="text/calendar"') == 4  # 2 in <head>, 2 listed
    assert 'href="/calendars/en/events.ics"' in page and "/calendars/en/units/chief.ics" in page
    home = site.page("en/index.html")
    week = home.split("Events in the next seven days")[1].split("</section>")[0]
    assert "Ask the Chief" in week and "Town hall" not in week  # January is not this week
    assert "Questions au chef" in site.page("fr/evenements/index.html")
    headers = site.page("_headers")
    assert "/calendars/*\n  Content-Type: text/calendar; charset=utf-8" in headers
    sitemap = site.page("sitemap.xml")
    assert "https://police.example/en/events/" in sitemap
    assert "https://police.example/fr/appels/" in sitemap
    ics = (site.out / "calendars" / "fr" / "events.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"SUMMARY:Assembl" in ics


def test_the_live_banner_comes_and_goes_with_the_clock(site: Site) -> None:
    thursday = datetime(2026, 11, 27, 0, 10, tzinfo=UTC)  # 7:10 p.m. in Toronto
    assert "Live now" not in site.page("en/connect/index.html")
    site.build(thursday)
    for page in ("en/index.html", "en/connect/index.html", "fr/evenements/index.html"):
        text = site.page(page)
        assert ("Live now" in text) or ("En direct" in text), page
    assert 'href="https://video.example/live"' in site.page("en/connect/index.html")
    site.build(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))  # 8 p.m.: over
    assert "Live now" not in site.page("en/connect/index.html")


def test_the_demo_shows_its_appeals_and_events(tmp_path: Path) -> None:
    out, cache = tmp_path / "public", tmp_path / "cache"
    shutil.copytree(ROOT / "content", tmp_path / "site" / "content")
    reg = registry.load(ROOT / "sources.yaml").registry
    loaded = load_content(ROOT / "content", reg.site.languages, registry=reg)
    with Store.open(cache / STORE_NAME) as store:
        update(reg, store, now=NOW)
    pipeline.build(reg, loaded, cache, out, now=NOW)
    appeals = (out / "en" / "appeals" / "index.html").read_text(encoding="utf-8")
    assert "Gordon Achterberg" in appeals and "Jordan Whitlock" in appeals
    assert "Missing woman, 81, Harbourview" in appeals
    every = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"Oyelowo-Brandt" not in every and b"2123812654413836687" not in every
    events = (out / "en" / "events" / "index.html").read_text(encoding="utf-8")
    assert "Ask the Chief, live" in events and "11 Division town hall" in events
