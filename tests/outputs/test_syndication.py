"""Feeds out: the Atom, JSON Feed and OPML files of a real build, checked against
their specifications with real validators.

The fixture is the golden site (tests/data/golden/site) with hostile feeds
added: an Atom feed whose text carries markup and scripts, a JSON Feed with
control characters and more posts than a feed keeps, and a website whose feed
is served over HTTP by a local server, so the OPML has a public source feed.
Atom files are validated with ``jing`` against RFC 4287's RELAX NG schema
(tests/schemas/atom.rnc); JSON feeds with jsonschema against
tests/schemas/jsonfeed-1.1.schema.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from hub import pipeline
from hub.model import Account, Entry, Media
from hub.outputs import syndication
from hub.outputs.feedmodel import FeedEntry, Origin, Person
from hub.outputs.feedwriters import EntryWriter, atom_entry, clean, json_item
from hub.registry import load as registry
from hub.render.i18n import translations
from hub.site.content import load_content
from hub.site.model import Post
from hub.store.database import Store
from hub.store.update import update
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "site"
SCHEMAS = Path(__file__).parents[1] / "schemas"
TEMPLATES = ROOT / "themes" / "default" / "templates"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
OLD = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BASE = "https://connect.goldenbay.example"
A = "{http://www.w3.org/2005/Atom}"

HOSTILE_TITLE = """<script>alert("t")</script> Fish & "chips" <b>bold</b> ]]> 'q'"""
HOSTILE_AUTHOR = 'Ed & Co "quoted" 1 < 2 > 0'
HOSTILE_CATEGORY = "a&b \"d\" < 'e' >"
HOSTILE_HTML = (
    '<p onclick="alert(2)">Read <a href="javascript:alert(3)">this</a><script>alert(4)</script>'
    # A tracker: a feed reader of the site's feeds must not load it.
    '<img src="https://tracker.evil.example/p.gif" alt="" width="1" height="1"></p>'
)
CONTROL_TITLE = "Bell\u0007 and escape\u001b in a title"

ATOM_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Hostile</title>
  <id>urn:uuid:hostile</id>
  <updated>2026-11-21T10:00:00Z</updated>
  <entry>
    <id>urn:uuid:hostile-1</id>
    <title type="text">{escape(HOSTILE_TITLE)}</title>
    <link rel="alternate" href="https://x.example/GoldenBayPolice/1"/>
    <updated>2026-11-21T10:00:00Z</updated>
    <author><name>{escape(HOSTILE_AUTHOR)}</name></author>
    <category term={quoteattr(HOSTILE_CATEGORY)}/>
    <content type="html">{escape(HOSTILE_HTML)}</content>
  </entry>
  <entry>
    <id>urn:uuid:hostile-2</id>
    <title></title>
    <link rel="alternate" href="https://x.example/GoldenBayPolice/2"/>
    <updated>2026-11-21T09:00:00Z</updated>
    <summary>A post with no title: its feed entry is titled with this excerpt instead.</summary>
  </entry>
</feed>
"""


def json_feed(count: int) -> str:
    items = [
        {
            "id": f"many-{n}",
            "url": f"https://bsky.example/ada/{n}",
            "title": CONTROL_TITLE if n == 0 else f"Post {n}",
            "content_text": f"Post number {n}.\u0000",
            # Older than every other post: they fill what the others leave of a feed.
            "date_published": (OLD - timedelta(minutes=n)).isoformat(),
        }
        for n in range(count)
    ]
    return json.dumps({"version": syndication.JSON_FEED_VERSION, "title": "Many", "items": items})


SERVED_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Traffic news</title><link>https://goldenbay.example/traffic</link>
<item><guid>https://goldenbay.example/traffic/1</guid><title>Road work on Main St</title>
<link>https://goldenbay.example/traffic/1</link><pubDate>Thu, 19 Nov 2026 12:00:00 +0000</pubDate>
<description>Expect delays.</description></item>
</channel></rss>
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_site(tmp: Path, served: str) -> Path:
    """The golden site plus hostile feeds; ``served``: the URL of a feed over HTTP."""
    site = tmp / "site"
    shutil.copytree(GOLDEN, site, symlinks=False)
    feeds = site / "content" / "feeds"
    (feeds / "hostile.xml").write_text(ATOM_FEED, encoding="utf-8")
    (feeds / "many.json").write_text(json_feed(60), encoding="utf-8")
    sources = site / "sources.yaml"
    # Generous limits: a loaded test machine must not fail the fetch from loopback.
    limits = "{allow_private_addresses: true, connect_timeout: 10, read_timeout: 10}"
    edit(
        sources,
        "  timezone: America/Toronto\n",
        f"  timezone: America/Toronto\n  fetch: {limits}\n",
    )
    edit(
        sources,
        "{platform: x, handle: GoldenBayPolice}",
        "{platform: x, handle: GoldenBayPolice, feed: content/feeds/hostile.xml}",
    )
    website = f'{{platform: website, url: "https://goldenbay.example/traffic", feed: "{served}"}}'
    edit(
        sources,
        "    topics: [road-safety]\nofficers:",
        f"    topics: [road-safety]\n    accounts:\n      - {website}\nofficers:",
    )
    bluesky = "{platform: bluesky, handle: ada.goldenbay.example, feed: content/feeds/many.json}"
    edit(
        sources,
        "feed: content/feeds/ada.xml}\n",
        f"feed: content/feeds/ada.xml}}\n      - {bluesky}\n",
    )
    return site


def build(site: Path, cache: Path, out: Path, now: datetime) -> Path:
    reg = registry.load(site / "sources.yaml").registry
    loaded = load_content(site / "content", reg.site.languages, display_root=site)
    pipeline.build(reg, loaded, cache, out, now=now)
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.route("/traffic.xml", body=SERVED_RSS)
        yield running


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, server: FeedServer) -> Path:
    tmp = tmp_path_factory.mktemp("syndication")
    site = make_site(tmp, server.url("/traffic.xml"))
    reg = registry.load(site / "sources.yaml").registry
    with Store.open(tmp / "cache" / "store.sqlite3") as store:
        report = update(reg, store, now=NOW)
    assert not report.failed, report.failed
    return build(site, tmp / "cache", tmp / "public", NOW)


def atom_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.xml") if p.name in ("feed.xml", "own-feed.xml"))


def json_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.json") if p.name in ("feed.json", "own-feed.json"))


def jing(*files: Path) -> subprocess.CompletedProcess[str]:
    assert shutil.which("jing"), (
        "jing is not installed: apt-get install jing (scripts/test.sh does)"
    )
    return subprocess.run(
        ["jing", "-c", str(SCHEMAS / "atom.rnc"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{A}entry")


def entry_titled(feed: ET.Element, title: str) -> ET.Element:
    found = [e for e in entries(feed) if e.findtext(f"{A}title") == title]
    assert len(found) == 1, [e.findtext(f"{A}title") for e in entries(feed)]
    return found[0]


# Which feeds exist


def test_the_expected_feeds_are_published(built: Path) -> None:
    names = {p.relative_to(built).as_posix() for p in [*atom_files(built), *json_files(built)]}
    stems = {n.rsplit(".", 1)[0] for n in names}
    assert stems == {
        "en/feed",
        "en/units/comms/feed",
        # Traffic's page shows the unit and Ada; its own accounts have a feed of their own.
        "en/units/traffic/feed",
        "en/units/traffic/own-feed",
        "en/officers/ada-fenwick/feed",
        "fr/feed",
        "fr/unites/comms/feed",
        "fr/unites/traffic/feed",
        "fr/unites/traffic/own-feed",
        "fr/agents/ada-fenwick/feed",
    }
    assert {n.rsplit(".", 1)[1] for n in names} == {"xml", "json"}
    assert len(names) == 2 * len(stems)
    assert (built / "opml.xml").is_file()
    # Old Timer's only account has no feed.
    assert not (built / "en" / "officers" / "old-timer" / "feed.xml").exists()


# Atom


def test_every_atom_feed_is_valid_against_rfc_4287(built: Path) -> None:
    files = atom_files(built)
    assert len(files) == 10
    result = jing(*files)
    assert result.returncode == 0, result.stdout


def test_the_atom_schema_catches_an_invalid_feed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<feed xmlns="{syndication.ATOM_NS}"><title>x</title></feed>')
    result = jing(bad)
    assert result.returncode != 0
    assert "missing required element" in result.stdout


def test_atom_feed_metadata(built: Path) -> None:
    feed = parse(built / "en" / "feed.xml")
    assert feed.tag == f"{A}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{A}title") == "Golden Bay Police — latest activity"
    assert feed.findtext(f"{A}id") == f"{BASE}/en/feed.xml"
    links = {(x.get("rel"), x.get("type")): x.get("href") for x in feed.findall(f"{A}link")}
    assert links[("self", "application/atom+xml")] == f"{BASE}/en/feed.xml"
    assert links[("alternate", "text/html")] == f"{BASE}/en/"
    assert links[("alternate", "application/feed+json")] == f"{BASE}/en/feed.json"
    newest = max(e.findtext(f"{A}updated") or "" for e in entries(feed))
    assert feed.findtext(f"{A}updated") == newest
    assert feed.findtext(f"{A}author/{A}name") == "Golden Bay Police"


def test_feeds_are_written_in_each_language(built: Path) -> None:
    french = parse(built / "fr" / "feed.xml")
    assert french.findtext(f"{A}title") == "Police de Golden Bay — dernières publications"
    unit = parse(built / "fr" / "unites" / "traffic" / "feed.xml")
    assert unit.findtext(f"{A}title") == "Circulation et ses policiers — Police de Golden Bay"
    own = parse(built / "fr" / "unites" / "traffic" / "own-feed.xml")
    assert own.findtext(f"{A}title") == "Circulation — Police de Golden Bay"
    links = {x.get("type"): x.get("href") for x in unit.findall(f"{A}link[@rel='alternate']")}
    assert links["text/html"] == f"{BASE}/fr/unites/traffic/"
    english = parse(built / "en" / "feed.xml")
    ids = [e.findtext(f"{A}id") for e in entries(english)]
    # The same posts, with the same ids, in every language.
    assert ids == [e.findtext(f"{A}id") for e in entries(french)]


def test_a_feed_keeps_the_fifty_newest_posts(built: Path) -> None:
    feed = parse(built / "en" / "feed.xml")
    found = entries(feed)
    assert len(found) == syndication.MAX_ENTRIES
    times = [e.findtext(f"{A}updated") or "" for e in found]
    assert times == sorted(times, reverse=True)
    ids = [e.findtext(f"{A}id") for e in found]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i or "") for i in ids)


def test_entries_keep_the_original_post(built: Path) -> None:
    feed = parse(built / "en" / "officers" / "ada-fenwick" / "feed.xml")
    entry = entry_titled(feed, "Slow down near schools.")
    link = entry.find(f"{A}link[@rel='alternate']")
    assert link is not None and link.get("href") == "https://police.goldenbay.example/@ada/1"
    assert entry.findtext(f"{A}published") == "2026-11-21T16:30:00Z"
    assert entry.findtext(f"{A}updated") == "2026-11-21T16:30:00Z"
    assert entry.findtext(f"{A}author/{A}name") == "Sgt Ada Fenwick"
    assert entry.findtext(f"{A}author/{A}uri") == f"{BASE}/en/officers/ada-fenwick/"
    content = entry.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == "<p>Slow down near schools.</p>"


def test_hostile_feed_text_stays_text(built: Path) -> None:
    raw = (built / "en" / "units" / "comms" / "feed.xml").read_bytes()
    assert b"<script" not in raw and b"<img" not in raw and b"<p " not in raw
    feed = parse(built / "en" / "units" / "comms" / "feed.xml")
    entry = entry_titled(feed, HOSTILE_TITLE)
    authors = [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")]
    assert authors == ["Communications", HOSTILE_AUTHOR]
    assert [c.get("term") for c in entry.findall(f"{A}category")] == [HOSTILE_CATEGORY]
    content = entry.findtext(f"{A}content") or ""
    # The entry's HTML went through the sanitizer before it was stored.
    assert "Read" in content
    assert "script" not in content and "onclick" not in content and "javascript" not in content
    assert "tracker" not in content


def test_a_post_without_a_title_is_titled_by_its_excerpt(built: Path) -> None:
    feed = parse(built / "en" / "units" / "comms" / "feed.xml")
    entry_titled(feed, "A post with no title: its feed entry is titled with this excerpt instead.")


def test_characters_xml_cannot_carry_are_dropped(built: Path) -> None:
    feed = parse(built / "en" / "officers" / "ada-fenwick" / "feed.xml")
    entry_titled(feed, CONTROL_TITLE.replace("\u0007", "").replace("\u001b", ""))


def test_a_hostile_entry_written_directly_is_valid_atom(tmp_path: Path) -> None:
    """The writer on its own, with text no parser would let through."""
    nasty = "\x00\x01<![CDATA[ ]]> </title><script>alert(1)</script> \ud800 \ufffe &amp;"
    entry = syndication.FeedEntry(
        id="urn:uuid:00000000-0000-5000-8000-000000000000",
        title=nasty,
        link="https://example.org/post?a=1&b=<2>",
        published=None,
        updated=NOW,
        authors=(syndication.Person(nasty, "https://example.org/a"),),
        categories=(nasty,),
        content_html=f"<p>{nasty}</p>",
        summary_html="",
        text=nasty,
        language="not a language tag",
        media=(Media("https://example.org/a.jpg", type="image/jpeg"), Media("https://e.org/x")),
    )
    feed = syndication.Feed(
        lang="en",
        title=nasty,
        subtitle=nasty,
        atom_url="https://example.org/feed.xml",
        json_url="https://example.org/feed.json",
        page_url="https://example.org/",
        icon=None,
        author=syndication.Person("Service"),
        entries=(entry,),
    )
    path = tmp_path / "feed.xml"
    path.write_bytes(syndication.atom(feed))
    result = jing(path)
    assert result.returncode == 0, result.stdout
    parsed = parse(path)
    expected = "<![CDATA[ ]]> </title><script>alert(1)</script>   &amp;"
    assert parsed.findtext(f"{A}title") == expected
    assert parsed.findtext(f"{A}entry/{A}title") == expected
    link = parsed.find(f"{A}entry/{A}link[@rel='alternate']")
    assert link is not None and link.get("href") == "https://example.org/post?a=1&b=<2>"
    data = json.loads(syndication.json_feed(feed))
    assert data["items"][0]["title"] == expected
    assert "language" not in data["items"][0]
    assert data["items"][0]["attachments"] == [
        {"url": "https://example.org/a.jpg", "mime_type": "image/jpeg"}
    ]


# JSON Feed


@pytest.fixture(scope="module")
def json_schema() -> Draft202012Validator:
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_every_json_feed_matches_the_1_1_schema(
    built: Path, json_schema: Draft202012Validator
) -> None:
    files = json_files(built)
    assert len(files) == 10
    for path in files:
        errors = [e.message for e in json_schema.iter_errors(json.loads(path.read_bytes()))]
        assert not errors, f"{path}: {errors}"


def test_the_json_schema_catches_an_invalid_feed(json_schema: Draft202012Validator) -> None:
    bad = {
        "version": "https://jsonfeed.org/version/1",
        "items": [{"id": "1", "date_published": "yesterday"}],
    }
    messages = " ".join(e.message for e in json_schema.iter_errors(bad))
    assert "'title' is a required property" in messages
    assert "version/1.1" in messages
    assert "yesterday" in messages
    assert not json_schema.is_valid({**bad, "title": "t", "version": syndication.JSON_FEED_VERSION})


def test_json_feed_matches_the_atom_feed(built: Path) -> None:
    data = json.loads((built / "fr" / "agents" / "ada-fenwick" / "feed.json").read_bytes())
    atom = parse(built / "fr" / "agents" / "ada-fenwick" / "feed.xml")
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == atom.findtext(f"{A}title") == "Sgt Ada Fenwick — Police de Golden Bay"
    assert data["language"] == "fr"
    assert data["home_page_url"] == f"{BASE}/fr/agents/ada-fenwick/"
    assert data["feed_url"] == f"{BASE}/fr/agents/ada-fenwick/feed.json"
    assert [i["id"] for i in data["items"]] == [e.findtext(f"{A}id") for e in entries(atom)]
    assert [i["title"] for i in data["items"]] == [e.findtext(f"{A}title") for e in entries(atom)]
    first = data["items"][0]
    assert first["url"].startswith("https://")
    assert first["authors"][0] == {"name": "Sgt Ada Fenwick", "url": data["home_page_url"]}
    assert first["date_modified"].endswith("Z")
    for item in data["items"]:
        assert "\u0000" not in item.get("content_html", "") + item.get("content_text", "")


def test_hostile_text_in_json_feed(built: Path) -> None:
    data = json.loads((built / "en" / "units" / "comms" / "feed.json").read_bytes())
    item = next(i for i in data["items"] if i["title"] == HOSTILE_TITLE)
    assert [a["name"] for a in item["authors"]] == ["Communications", HOSTILE_AUTHOR]
    assert item["tags"] == [HOSTILE_CATEGORY]
    assert "script" not in item["content_html"]


# OPML


def test_opml_lists_every_feed(built: Path, server: FeedServer) -> None:
    root = parse(built / "opml.xml")
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Golden Bay Police: every feed"
    assert root.findtext("head/ownerName") == "Golden Bay Police"
    feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
    for outline in feeds:
        for name in ("text", "type", "xmlUrl", "htmlUrl"):
            assert outline.get(name), (name, outline.attrib)
        assert outline.get("type") == "rss"
    groups = root.findall("body/outline")
    assert [g.get("text") for g in groups] == ["The accounts' own feeds", "This site's feeds"]
    sources, ours = groups
    traffic = sources.find("outline[@text='Traffic']")
    assert traffic is not None
    [account] = list(traffic)
    assert account.get("xmlUrl") == server.url("/traffic.xml")
    assert account.get("htmlUrl") == "https://goldenbay.example/traffic"
    assert account.get("text") == "Traffic: Website"
    # Local demo files have no public address: only http(s) feeds are listed.
    assert all(
        o.get("xmlUrl", "").startswith("http") for o in sources.iter("outline") if o.get("xmlUrl")
    )
    listed = {o.get("xmlUrl") for o in ours.iter("outline") if o.get("xmlUrl")}
    english = {f"{BASE}/{p.relative_to(built).as_posix()}" for p in atom_files(built)}
    assert listed == {url for url in english if url.startswith(f"{BASE}/en/")}
    ada = ours.find(
        "outline[@text='Traffic']/outline[@htmlUrl='" + BASE + "/en/officers/ada-fenwick/']"
    )
    assert ada is not None and ada.get("text") == "Sgt Ada Fenwick — Golden Bay Police"


# Pages


class FeedLinks(HTMLParser):
    """The <link rel="alternate"> feed tags of a page's head, and its <a> hrefs."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate" and values.get("type"):
            self.feeds.append(values)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


def page_links(path: Path) -> FeedLinks:
    parser = FeedLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("en/index.html", ["en/feed"]),
        ("fr/index.html", ["fr/feed"]),
        ("en/officers/ada-fenwick/index.html", ["en/officers/ada-fenwick/feed"]),
        ("en/units/traffic/index.html", ["en/units/traffic/feed", "en/units/traffic/own-feed"]),
        ("fr/unites/comms/index.html", ["fr/unites/comms/feed"]),
        ("en/officers/old-timer/index.html", []),
        ("en/connect/index.html", []),
    ],
)
def test_pages_link_their_feeds(built: Path, page: str, feeds: list[str]) -> None:
    found = page_links(built / page)
    expected = []
    for stem in feeds:
        title = parse(built / f"{stem}.xml").findtext(f"{A}title")
        for media_type, suffix in (
            (syndication.ATOM_TYPE, "xml"),
            (syndication.JSON_FEED_TYPE, "json"),
        ):
            href = f"{BASE}/{stem}.{suffix}"
            expected.append({"rel": "alternate", "type": media_type, "href": href, "title": title})
    assert found.feeds == expected
    # The page shows the same feeds in its "Follow in a feed reader" section.
    for stem in feeds:
        assert f"/{stem}.xml" in found.hrefs and f"/{stem}.json" in found.hrefs


def test_the_directory_links_the_opml_of_its_language(built: Path) -> None:
    for lang, page in (("en", "en/connect/index.html"), ("fr", "fr/joindre/index.html")):
        assert f"/{lang}/opml.xml" in page_links(built / page).hrefs
        listed = parse(built / lang / "opml.xml")
        titled = {
            "en": "Golden Bay Police: every feed",
            "fr": "Police de Golden Bay\u00a0: tous les flux",
        }
        assert listed.findtext("head/title") == titled[lang]
        ours = [
            o.get("xmlUrl") for o in listed.iter("outline") if o.get("xmlUrl", "").startswith(BASE)
        ]
        assert ours and all(url.startswith(f"{BASE}/{lang}/") for url in ours)
    # Where it was before each language had its own: the default language's.
    assert (built / "opml.xml").read_bytes() == (built / "en" / "opml.xml").read_bytes()


def test_feed_titles_use_messages_the_templates_translate() -> None:
    """The feeds' titles are translated with msgids the templates use, so they are
    extracted into the catalogs; a template that changes one must change both."""
    templates = " ".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.html"))
    french = translations("fr")
    for message in syndication.MESSAGES:
        assert f'_("{message}"' in templates, message
        assert french.gettext(message) != message or message == "%(name)s — %(service)s"


# Rebuilds


def test_a_rebuild_with_nothing_new_writes_identical_feeds(
    built: Path, tmp_path: Path, server: FeedServer
) -> None:
    site = built.parent / "site"
    later = build(site, built.parent / "cache", tmp_path / "again", NOW + timedelta(hours=5))
    files = [*atom_files(built), *json_files(built), built / "opml.xml"]
    for path in files:
        again = later / path.relative_to(built)
        assert again.read_bytes() == path.read_bytes(), path.relative_to(built)
    assert sorted(p.relative_to(later) for p in [*atom_files(later), *json_files(later)]) == sorted(
        p.relative_to(built) for p in [*atom_files(built), *json_files(built)]
    )


def test_an_entry_written_once_reads_the_same_in_every_feed_and_language() -> None:
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    english = FeedEntry(
        id="urn:uuid:7f2cd9d1-02b7-4dab-adf3-428c329f90be",
        title="Road closed <Main & 3rd>",
        link="https://social.test.example/1",
        published=when,
        updated=when,
        authors=(Person("Traffic Unit", "https://police.test.example/en/units/traffic/"),),
        categories=("roads",),
        content_html="<p>Detour\x01 via <b>Elm</b></p>",
        summary_html="",
        text="Detour via Elm",
        language="en",
        media=(Media("https://img.test.example/1.jpg", "A sign", "image/jpeg"),),
    )
    french = FeedEntry(
        **{
            **english.__dict__,
            "authors": (
                Person("Unité de la circulation", "https://police.test.example/fr/unites/traffic/"),
                Person("Sgt Ada"),
            ),
        }
    )
    writer = EntryWriter()

    def atom_of(entry: FeedEntry) -> str:
        return b"".join(writer.atom(entry)).decode()

    def json_of(entry: FeedEntry) -> str:
        return b"".join(writer.json(entry)).decode()

    for entry in (english, french, english, french):
        assert atom_of(entry) == atom_entry(entry)
        assert json_of(entry) == json_item(entry)
    assert "Unité de la circulation" in atom_of(french)
    assert "Unité" not in atom_of(english)
    item = json.loads(json_of(french))
    assert [a["name"] for a in item["authors"]] == ["Unité de la circulation", "Sgt Ada"]
    assert item["content_html"] == "<p>Detour via <b>Elm</b></p>"
    element = ET.fromstring(f"<feed xmlns='{syndication.ATOM_NS}'>{atom_of(english)}</feed>")
    ns = {"a": syndication.ATOM_NS}
    assert element.findtext("a:entry/a:title", namespaces=ns) == "Road closed <Main & 3rd>"
    assert element.findtext("a:entry/a:author/a:name", namespaces=ns) == "Traffic Unit"


@pytest.mark.parametrize(
    ("feed", "entry_id"),
    [
        ("https://police.example/feed.xml", "tag:police.example,2026:1"),
        ("https://bsky.app/profile/x/rss", "at://did:plc:abc/app.bsky.feed.post/3k"),
        ("https://police.example/fr/fil.xml", "Été — alerte n°7 😀"),
        ("", ""),
    ],
)
def test_an_entry_id_is_the_uuid5_of_its_feed_and_id(feed: str, entry_id: str) -> None:
    account = Account("mastodon", "@a@police.example", "https://police.example/@a", None, "unit:a")
    post = Post(Entry(feed=feed, id=entry_id, title="t"), account, "unit:a", None, "t")
    expected = uuid.uuid5(syndication.ENTRY_IDS, f"{feed}\n{entry_id}").urn
    assert syndication.entry_id(post) == expected


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _item_as_json_dumps_writes_it(entry: syndication.FeedEntry) -> str:
    """The JSON Feed item as ``json.dumps`` writes it: empty members left out."""
    members = {
        "id": clean(entry.id),
        "url": clean(entry.link or ""),
        "title": clean(entry.title),
        "content_html": clean(entry.content_html),
        "content_text": "" if entry.content_html else clean(entry.text or entry.title),
        "summary": clean(entry.text) if entry.summary_html else "",
        "date_published": rfc3339(entry.published) if entry.published else "",
        "date_modified": rfc3339(entry.updated),
        "tags": [clean(term) for term in entry.categories],
        "language": entry.language if entry.language == "fr-CA" else "",
        "attachments": [
            {"url": clean(m.url), "mime_type": clean(m.type)} for m in entry.media if m.type
        ],
        "_hub": _origin_as_json_dumps_writes_it(entry.origin) if entry.origin else {},
        "authors": [{"name": clean(p.name), "url": p.url} for p in entry.authors],
    }
    return json.dumps({k: v for k, v in members.items() if v}, ensure_ascii=False)


def _origin_as_json_dumps_writes_it(origin: Origin) -> dict[str, object]:
    members: dict[str, object] = {
        "feed": origin.feed,
        "id": clean(origin.id),
        "first_seen": rfc3339(origin.first_seen) if origin.first_seen else "",
        "author": clean(origin.author or ""),
        "media": [
            {
                k: v
                for k, v in {
                    "url": clean(m.url),
                    "alt": clean(m.alt),
                    "type": clean(m.type or ""),
                }.items()
                if v
            }
            for m in origin.media
        ],
        "summary": clean(origin.summary or ""),
    }
    found = {k: v for k, v in members.items() if v}
    return found if origin.title is None else {**found, "title": clean(origin.title)}


@pytest.mark.parametrize(
    "text",
    ["Plain", "", "\x00\x01\x1f", 'Quotes " and \\ back\nslash\t', "Été — 😀 \u2028 \ud800 \ufffe"],
)
def test_a_json_item_is_written_as_json_dumps_writes_it(text: str) -> None:
    entry = syndication.FeedEntry(
        id=text or "urn:uuid:1",
        title=text,
        link=text and f"https://example.org/{text}",
        published=NOW if text else None,
        updated=NOW,
        authors=(syndication.Person("Cst Ada", "https://example.org/a"),),
        categories=(text, "road safety") if text else (),
        content_html=f"<p>{text}</p>" if len(text) > 5 else "",
        summary_html=text,
        text=text,
        language="fr-CA" if text else "not a tag",
        media=(Media("https://e.org/a.jpg", type="image/jpeg"), Media(text or "x", type=text)),
        origin=Origin(
            "0123456789abcdef",
            text or "an id",
            NOW if text else None,
            text if len(text) < 5 else None,
            text or None,
            (Media(f"https://e.org/{text}.jpg", text, text or None),),
            f"<p>{text}</p>" if text else None,
        ),
    )
    assert json_item(entry) == _item_as_json_dumps_writes_it(entry)


def test_an_attribute_keeps_every_character_through_an_xml_parser() -> None:
    nasty = 'a&b <c> "d"\te\nf\rg &amp; é 😀'
    entry = syndication.FeedEntry(
        id="urn:uuid:1",
        title="t",
        link=f"https://example.org/?q={nasty}",
        published=None,
        updated=NOW,
        authors=(),
        categories=(nasty,),
        content_html="",
        summary_html="",
        text="t",
        language=None,
        media=(),
    )
    element = ET.fromstring(f'<feed xmlns="{A[1:-1]}">{atom_entry(entry)}</feed>')
    category = element.find(f"{A}entry/{A}category")
    link = element.find(f"{A}entry/{A}link")
    assert category is not None and category.get("term") == nasty
    assert link is not None and link.get("href") == f"https://example.org/?q={nasty}"
