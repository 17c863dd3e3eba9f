"""End to end: reaching the right place, in the right language.

A small site (``tests/data/reach/``) is read into a real store and built with
:func:`hub.pipeline.build`, as the command line does. Then the files the
build wrote are read: a division's station on its page (its address, a phone
link, a link to a map search, nothing loaded from another host), the tip
line's text and online channels and the service links on every page in both
languages, officers' ranks in French, French addresses (``slug:``) in every
link of the French pages, the sitemap and the feeds, and each post marked
with the language it is written in.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from hub import pipeline
from hub.registry import load as registry
from hub.site.content import load_content
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

FIXTURE = Path(__file__).parent / "data" / "reach"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BASE = "https://connect.harbourbay.example"

LINKS = {
    "https://www.harbourbay.example/complaints/": ("Make a complaint", "Déposer une plainte"),
    "https://www.harbourbay.example/compliments/": (
        "Send a compliment",
        "Transmettre un compliment",
    ),
    "https://www.harbourbay.example/records/": ("Request records", "Demander des documents"),
    "https://oversight.harbourbay.example/": (
        "Harbour Bay Oversight Office",
        "Bureau de surveillance de Harbour Bay",
    ),
}
"""The service links: address -> what the link says in English and in French."""
OLD_FRENCH = ("/fr/unites/traffic/", "/fr/agents/ada-fenwick/")
"""The French addresses the ids would give, which the slugs replace."""
NEW_FRENCH = ("/fr/unites/circulation/", "/fr/agents/ada-fenwick-circulation/")
ADA_POST = "Quillwort school zones"
ROY_POST = "parc Marguerite"
NEWS_POST = "Waterfront roads close"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """A page's elements with their attributes and text, and each text's language."""

    VOID = frozenset({"meta", "link", "img", "br", "input", "source", "hr", "use", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[tuple[str, str | None]] = []
        """Each run of text and the ``lang`` in force there (the nearest ancestor's)."""
        self._open: list[tuple[Element, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            inherited = self._open[-1][1] if self._open else None
            self._open.append((element, element.attrs.get("lang", inherited)))

    def handle_endtag(self, tag: str) -> None:
        # An end tag closes its element and those left open inside it; a stray one nothing.
        if any(element.tag == tag for element, _ in self._open):
            while self._open.pop()[0].tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((squash(data), self._open[-1][1] if self._open else None))
        for element, _ in self._open:
            element.text += data

    def links(self) -> dict[str, str]:
        """href -> the link's text, for every ``<a>``."""
        return {e.attrs["href"]: squash(e.text) for e in self.elements if e.tag == "a"}

    def language_of(self, words: str) -> str | None:
        """The ``lang`` in force where ``words`` are; fails if they are not on the page."""
        found = [lang for text, lang in self.texts if words in text]
        assert found, f"{words!r} is not on the page"
        return found[0]

    def first(self, tag: str, cls: str = "") -> Element:
        """The first ``tag`` element, of class ``cls`` when given."""
        return next(
            e
            for e in self.elements
            if e.tag == tag and (not cls or cls in e.attrs.get("class", "").split())
        )


def squash(text: str) -> str:
    """Runs of spaces and line breaks as one space; a no-break space is kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@dataclass(frozen=True)
class Built:
    out: Path

    def text(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")

    def page(self, path: str) -> Page:
        return parse(self.text(path))

    def pages(self, lang: str) -> list[str]:
        return sorted(p.relative_to(self.out).as_posix() for p in (self.out / lang).rglob("*.html"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("reach")
    site = base / "site"
    shutil.copytree(FIXTURE, site, symlinks=False)
    reg = registry.load(site / "sources.yaml").registry
    loaded = load_content(site / "content", reg.site.languages, display_root=site, registry=reg)
    cache, out = base / "cache", base / "public"
    with Store.open(cache / STORE_NAME) as store:
        report = update(reg, store, now=NOW)
    assert not report.failed, [outcome.message for outcome in report.failed]
    result = pipeline.build(reg, loaded, cache, out, now=NOW)
    assert result.published
    return Built(out)


# A unit's station


@pytest.mark.parametrize(
    ("path", "lines", "hours"),
    [
        (
            "en/units/division-1/index.html",
            "10 Harbour Street\nHarbour Bay, ON  L0L 1A0",
            "Open 24 hours",
        ),
        (
            "fr/unites/division-1/index.html",
            "10, rue Harbour\nHarbour Bay (Ontario)  L0L 1A0",
            "Ouvert jour et nuit",
        ),
    ],
)
def test_the_station_on_its_units_page(built: Built, path: str, lines: str, hours: str) -> None:
    page = built.page(path)
    assert page.first("address").text == lines
    links = page.links()
    assert "tel:555-010-1111" in links
    [search] = [href for href in links if "openstreetmap" in href]
    parts = urlsplit(search)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.openstreetmap.org", "/search")
    assert parse_qs(parts.query)["query"] == [", ".join(lines.split("\n"))]
    assert hours in built.text(path)


def test_a_unit_without_a_station_shows_none(built: Built) -> None:
    page = built.page("en/units/comms/index.html")
    assert not [e for e in page.elements if e.tag == "address"]
    assert "openstreetmap" not in built.text("en/units/comms/index.html")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_loads_anything_from_another_host(built: Built, lang: str) -> None:
    """The map is a link to follow, never an embed: every resource a page loads is the site's."""
    for path in built.pages(lang):
        for element in built.page(path).elements:
            loaded = [element.attrs.get(name, "") for name in ("src", "srcset", "data", "poster")]
            if element.tag == "link" and element.attrs.get("rel") not in ("canonical", "alternate"):
                loaded.append(element.attrs.get("href", ""))
            if element.tag in ("iframe", "embed", "object"):
                loaded.append(f"<{element.tag}>")
            for address in filter(None, loaded):
                assert address.startswith("/") and not address.startswith("//"), (path, address)


# The tip line and the service links, on every page


@pytest.mark.parametrize(("lang", "index"), [("en", 0), ("fr", 1)])
def test_the_service_links_are_on_every_page(built: Built, lang: str, index: int) -> None:
    pages = built.pages(lang)
    home, directory = (
        f"{lang}/index.html",
        f"{lang}/{'joindre' if lang == 'fr' else 'connect'}/index.html",
    )
    assert {home, directory} <= set(pages) and len(pages) >= 9
    for path in pages:
        links = built.page(path).links()
        for url, words in LINKS.items():
            assert links.get(url) == words[index], (path, url)


@pytest.mark.parametrize(
    ("lang", "by_text", "report"),
    [
        ("en", "Tips by text: HARBOUR to 555-010-8477", "Report anonymously"),
        ("fr", "Signalements par texto\u00a0: HARBOUR au 555-010-8477", "Signaler anonymement"),
    ],
)
def test_the_tip_line_by_phone_text_and_online_form(
    built: Built, lang: str, by_text: str, report: str
) -> None:
    for path in built.pages(lang):
        page = built.page(path)
        links = page.links()
        assert links["sms:555-010-8477?body=HARBOUR"] == "555-010-8477", path
        assert links["https://tips.harbourbay.example/report/"] == report, path
        # With an online form, the tip line's name links to its website.
        assert links["https://tips.harbourbay.example"] in ("Crime Stoppers", "Échec au crime")
        assert links["tel:1-800-555-0101"] == "1-800-555-0101"
        assert squash(page.first("li", "contact-sms").text) == by_text, path


# Ranks in French


def test_french_pages_show_french_ranks(built: Built) -> None:
    ada_fr = built.page("fr/agents/ada-fenwick-circulation/index.html")
    assert ada_fr.first("h1").text == "S.é.-m. Ada Fenwick"
    assert ada_fr.first("title").text.startswith("S.é.-m. Ada Fenwick \N{EN DASH}")
    ada_en = built.page("en/officers/ada-fenwick/index.html")
    assert ada_en.first("h1").text == "S/Sgt Ada Fenwick"
    # A rank the registry gives for a language wins.
    assert built.page("fr/agents/helene-roy/index.html").first("h1").text == "Agente Hélène Roy"
    assert built.page("en/officers/helene-roy/index.html").first("h1").text == "Cst Hélène Roy"
    # Everywhere a French page names her: the directory, the posts, the feeds.
    assert "S.é.-m. Ada Fenwick" in built.text("fr/joindre/index.html")
    assert "S.é.-m. Ada Fenwick" in built.text("fr/index.html")
    assert "S.é.-m. Ada Fenwick" in built.text("fr/feed.xml")
    assert "S.é.-m." not in built.text("en/feed.xml") + built.text("en/index.html")


# French addresses


def test_french_pages_are_at_their_french_addresses(built: Built) -> None:
    for new in NEW_FRENCH:
        assert (built.out / new.strip("/") / "index.html").is_file()
    for old in OLD_FRENCH:
        assert not (built.out / old.strip("/")).exists()
    assert (built.out / "fr/unites/circulation/feed.xml").is_file()


def test_no_file_of_the_build_links_to_the_ids_french_addresses(built: Built) -> None:
    """Pages, language switches, hreflang alternates, the sitemap, feeds and the OPML list."""
    for path in sorted(built.out.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".opml"):
            text = path.read_text(encoding="utf-8")
            for old in OLD_FRENCH:
                assert old not in text, (path.relative_to(built.out).as_posix(), old)


def test_every_link_to_a_french_profile_uses_its_slug(built: Built) -> None:
    unit, officer = NEW_FRENCH
    directory = built.page("fr/joindre/index.html").links()
    assert unit in directory and officer in directory
    english = built.text("en/units/traffic/index.html")
    assert f'hreflang="fr" href="{BASE}{unit}"' in english  # the alternate
    assert f'href="{unit}" lang="fr"' in english  # the language switch
    french = built.page("fr/unites/circulation/index.html").links()
    assert "/en/units/traffic/" in french
    canonical = built.text("fr/agents/ada-fenwick-circulation/index.html")
    assert f'rel="canonical" href="{BASE}{officer}"' in canonical


def test_the_sitemap_lists_the_french_addresses(built: Built) -> None:
    sitemap = built.text("sitemap.xml")
    for new in NEW_FRENCH:
        assert f"<loc>{BASE}{new}</loc>" in sitemap
        assert f'hreflang="fr" href="{BASE}{new}"' in sitemap
    assert f"<loc>{BASE}/en/units/traffic/</loc>" in sitemap


def test_the_feeds_link_to_the_french_addresses(built: Built) -> None:
    feed = built.text("fr/unites/circulation/feed.xml")
    assert f'href="{BASE}/fr/unites/circulation/feed.xml"' in feed
    assert f'href="{BASE}/fr/unites/circulation/"' in feed
    assert f"{BASE}/fr/agents/ada-fenwick-circulation/" in built.text("fr/feed.xml")


# Every post in its language


@pytest.mark.parametrize(
    "path",
    [
        "fr/index.html",
        "fr/agents/ada-fenwick-circulation/index.html",
        "fr/unites/circulation/index.html",
    ],
)
def test_an_english_only_officers_post_on_a_french_page_is_marked_english(
    built: Built, path: str
) -> None:
    """Her feed says nothing of its language; her ``languages: [en]`` does."""
    assert built.page(path).language_of(ADA_POST) == "en"


def test_the_same_post_on_an_english_page_is_in_the_pages_language(built: Built) -> None:
    assert built.page("en/index.html").language_of(ADA_POST) == "en"


def test_an_accounts_language_wins_over_the_feeds(built: Built) -> None:
    assert built.page("en/index.html").language_of(ROY_POST) == "fr"
    assert built.page("fr/index.html").language_of(ROY_POST) == "fr"


def test_a_post_nothing_tells_the_language_of_is_not_marked(built: Built) -> None:
    """A unit's feed without a language: the page's language stands, no guess is made."""
    assert built.page("fr/index.html").language_of(NEWS_POST) == "fr"
    assert built.page("en/index.html").language_of(NEWS_POST) == "en"
