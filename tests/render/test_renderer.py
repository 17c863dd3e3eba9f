"""The default theme, rendered: a small site with hostile feed text, built and read back.

Every page is parsed, not grepped, so text that merely looks like markup (an
escaped ``onerror=``) is not mistaken for an attribute.
"""

from __future__ import annotations

import itertools
import pickle
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hub.model import Entry
from hub.publish.tree import publish
from hub.registry import load as registry
from hub.render import pages as generate
from hub.render import renderer as render
from hub.render import theme
from hub.render.jinjaenv import BuildEnvironment, CompiledCode, Interrupted
from hub.render.renderer import Renderer
from hub.site import model as site
from hub.site.content import load_content

ROOT = Path(__file__).resolve().parents[2]
BUILT_AT = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

REGISTRY = """\
site:
  name: {en: Test Police Service, fr: Service de police de Test}
  url: https://hub.test.example
  languages: [en, fr]
  contact:
    emergency: "911"
    non_emergency: "555-010-0000"
    tips:
      name: {en: Test Crime Stoppers, fr: Échec au crime de Test}
      phone: "1-800-555-0100"
      url: https://tips.test.example
  disclaimer: {en: Not monitored 24/7., fr: Pas surveillé en tout temps.}
  timezone: America/Toronto
units:
  - id: comms
    name: {en: Corporate Communications, fr: Communications corporatives}
    kind: office
    official: true
    topics: [news]
    accounts:
      - {platform: x, handle: TestPolice}
      - platform: mastodon
        handle: "@police@social.test.example"
        feed: feeds/comms-mastodon.xml
  - id: west
    name: {en: West Division, fr: Division Ouest}
    kind: division
    parent: comms
    topics: [community]
    accounts:
      - {platform: facebook, handle: TestPoliceWest}
  - id: traffic
    name: {en: Traffic Unit, fr: Unité de la circulation}
    kind: unit
    topics: [road-safety]
    accounts:
      - {platform: bluesky, handle: traffic.test.example, feed: feeds/traffic-bluesky.xml}
      - {platform: website, url: "https://traffic.test.example/"}
officers:
  - name: Jack West
    rank: Sgt
    unit: traffic
    title: {en: Collision Investigator, fr: Enquêteur en collisions}
    photo: photos/jack.svg
    topics: [road-safety]
    languages: [en, fr]
    accounts:
      - {platform: x, handle: SgtJackWest}
      - platform: mastodon
        handle: "@jackwest@social.test.example"
        feed: feeds/jack-mastodon.xml
  - name: Marie Tremblay
    rank: Cst
    unit: west
    accounts:
      - {platform: instagram, handle: csttremblay}
  - name: Old Timer
    rank: Det
    unit: west
    since: 2000-01-01
    until: 2020-06-30
    accounts:
      - {platform: x, handle: DetOldTimer}
"""

PAGES = {
    "about.en.md": "---\ntitle: About this site\nslug: about\nmenu: 1\n---\n\nAll about it.\n",
    "about.fr.md": "---\ntitle: À propos\nslug: a-propos\nmenu: 1\n---\n\nTout savoir.\n",
}

ALERTS = {
    "active.md": """\
        ---
        level: urgent
        starts: 2026-03-01T00:00:00Z
        expires: 2026-03-09T00:00:00Z
        title: {en: Missing child, fr: Enfant disparu}
        link: https://news.test.example/appeal
        ---

        Have you seen her? Call 911.

        <!-- lang: fr -->

        L'avez-vous vue? Composez le 911.
        """,
    "expired.md": """\
        ---
        level: info
        starts: 2026-01-01T00:00:00Z
        expires: 2026-02-01T00:00:00Z
        title: {en: Old road closure, fr: Ancienne fermeture}
        ---

        Long gone.
        """,
}

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_TEXT = "<img src=x onerror=alert(1)>"
GENERATED = 120
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


def entries() -> list[Entry]:
    """Hostile and French entries (the newest), then many plain ones."""
    found = [
        Entry(
            feed="feeds/jack-mastodon.xml",
            id="hostile-1",
            title=HOSTILE_TITLE,
            # Entities, so that the plain-text excerpt holds the literal markup.
            summary="Look: &lt;img src=x onerror=alert(1)&gt; here",
            link="https://social.test.example/@jackwest/1",
            published=BUILT_AT - timedelta(minutes=5),
        ),
        Entry(
            feed="feeds/traffic-bluesky.xml",
            id="french-1",
            title="",
            summary="Fermeture de la rue Principale ce soir.",
            link="https://bsky.app/profile/traffic.test.example/post/1",
            published=BUILT_AT - timedelta(minutes=30),
            language="fr",
        ),
    ]
    for number in range(GENERATED):
        found.append(
            Entry(
                feed="feeds/comms-mastodon.xml",
                id=f"plain-{number}",
                title="",
                summary=f"Community update number {number}: word{number} for the record.",
                link=f"https://social.test.example/@police/{number}",
                published=BUILT_AT - timedelta(hours=1 + number),
            )
        )
    return found


@dataclass
class Page:
    """One parsed page: its elements in order, with their attributes, and its text."""

    path: str
    html: str
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag
            and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def link_to(self, href: str) -> dict[str, str]:
        found = self.all("a", href=href)
        assert found, f"{self.path}: no link to {href}"
        return found[0]

    def spoken(self, href: str) -> str:
        """What a screen reader says of the first link to ``href``: its text, without
        what is ``aria-hidden``."""
        found = re.search(rf'<a [^>]*href="{re.escape(href)}"[^>]*>(.*?)</a>', self.html, re.S)
        assert found, f"{self.path}: no link to {href}"
        reader = _Spoken()
        reader.feed(found.group(1))
        return " ".join("".join(reader.parts).split())


class _Spoken(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden or dict(attrs).get("aria-hidden") == "true":
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        self.hidden = max(self.hidden - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_script: dict[str, str] | None = None
        self.script_text = ""
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append((tag, values))
        if tag == "script":
            self.in_script, self.script_text = values, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_script is not None:
            self.page.scripts.append((self.in_script, self.script_text))
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script is not None:
            self.script_text += data
        self.texts.append(data)


def parse(path: str, html: str) -> Page:
    page = Page(path, html)
    parser = _Parser(page)
    parser.feed(html)
    parser.close()
    # Collapse ASCII whitespace only: a no-break space (French "Urgence : 911") is kept.
    page.text = re.sub(r"[ \t\r\n]+", " ", " ".join(parser.texts)).strip()
    return page


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[site.SiteModel, theme.Theme]:
    root = tmp_path_factory.mktemp("site")
    (root / "themes").symlink_to(ROOT / "themes", target_is_directory=True)
    (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "feeds").mkdir()
    for name in ("comms-mastodon.xml", "traffic-bluesky.xml", "jack-mastodon.xml"):
        (root / "feeds" / name).write_text("<rss version='2.0'><channel/></rss>")
    (root / "photos").mkdir()
    (root / "photos" / "jack.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 2 2'><rect width='2' height='2'/>"
        "</svg>"
    )
    for name, text in PAGES.items():
        (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
        (root / "content" / "pages" / name).write_text(text, encoding="utf-8")
    for name, text in ALERTS.items():
        (root / "content" / "alerts").mkdir(parents=True, exist_ok=True)
        (root / "content" / "alerts" / name).write_text(textwrap.dedent(text), encoding="utf-8")

    checked = registry.loads((root / "sources.yaml").read_bytes(), root / "sources.yaml")
    reg = checked.registry
    content = load_content(root / "content", reg.site.languages)
    return site.build(reg, entries(), content, BUILT_AT), theme.load(root, reg.site.theme)


@pytest.fixture(scope="module")
def built(
    fixture_site: tuple[site.SiteModel, theme.Theme], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Page]:
    output = generate.collect(*fixture_site)
    out = tmp_path_factory.mktemp("public")
    publish(output, out)
    return {
        path.relative_to(out).as_posix(): parse(
            path.relative_to(out).as_posix(), path.read_text(encoding="utf-8")
        )
        for path in sorted(out.rglob("*.html"))
    }


@pytest.mark.parametrize("workers", [2, 3])
def test_worker_processes_render_the_same_files(
    fixture_site: tuple[site.SiteModel, theme.Theme], workers: int
) -> None:
    alone = generate.collect(*fixture_site)
    shared = generate.collect(*fixture_site, workers=workers)
    assert shared.paths() == alone.paths()
    assert dict(shared.items()) == dict(alone.items())


def directory_of(model: site.SiteModel) -> site.SiteModel:
    return site.directory(model.registry, model.content, model.built_at, model.channel_names)


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_rendered_ahead_of_the_posts_are_the_same_files(
    fixture_site: tuple[site.SiteModel, theme.Theme], workers: int
) -> None:
    model, chain = fixture_site
    ahead = generate.ahead_of_posts(directory_of(model), chain)
    early = {path for path, _ in ahead.files}
    assert {"en/connect/index.html", "fr/index.html", "index.html", "opml.xml"} - early == {
        "fr/index.html"  # the home page shows posts: it waits for them
    }
    assert not any("/officers/" in path or "/units/" in path for path in early)
    assert ahead.fragments["en"] and ahead.fragments["fr"]

    alone = generate.collect(model, chain)
    with_ahead = generate.collect(model, chain, workers=workers, ahead=ahead)
    assert with_ahead.paths() == alone.paths()
    assert dict(with_ahead.items()) == dict(alone.items())


def after(calls: int) -> Callable[[], bool]:
    """False for the first ``calls`` calls, then true."""
    count = itertools.count(1)
    return lambda: next(count) > calls


def test_pages_ahead_stop_when_the_posts_are_ready_and_the_rest_are_rendered_after(
    fixture_site: tuple[site.SiteModel, theme.Theme],
) -> None:
    model, chain = fixture_site
    alone = dict(generate.collect(model, chain).items())
    every = [path for path, _ in generate.ahead_of_posts(directory_of(model), chain).files]
    finished, kept = [], []
    # enough() is asked before each page, and before each piece a page
    # renders and each macro it calls.
    for asked in (0, 1, 4, 20, 60, 100, 10_000):  # 0 to every page
        ahead = generate.ahead_of_posts(directory_of(model), chain, enough=after(asked))
        paths = [path for path, _ in ahead.files]
        assert paths == every[: len(paths)]
        finished.append(len(paths))
        # A page stopped halfway keeps the pieces it rendered, for collect to reuse.
        kept.append(bool(any(ahead.fragments.values())))
        assert dict(generate.collect(model, chain, ahead=ahead).items()) == alone
    assert finished == sorted(finished)
    assert finished[0] == 0 and 0 < finished[-2] < finished[-1] == len(every)
    assert kept == sorted(kept) and not kept[0] and kept[3]


def test_a_page_asked_to_stop_stops_at_its_next_macro_even_when_every_piece_is_ready(
    fixture_site: tuple[site.SiteModel, theme.Theme],
) -> None:
    model, chain = fixture_site
    asked = False
    parts = generate.parts_of(model, chain)
    renderer = Renderer(
        model, chain, parts.urls, parts.assets, parts.gallery.pictures, stop=lambda: asked
    )
    spec = next(s for s in generate.pages(model, "en") if s.template == "officer.html")
    page = renderer.render(spec.template, "en", spec.route, **spec.context)
    assert renderer.render(spec.template, "en", spec.route, **spec.context) == page
    asked = True  # every piece is in the cache now: only a macro call can stop it
    with pytest.raises(Interrupted, match="macro"):
        renderer.render(spec.template, "en", spec.route, **spec.context)


def theme_with(root: Path, template: str, text: str) -> theme.Theme:
    """A theme under ``root`` that overrides one template of the default theme."""
    (root / "themes" / "mine" / "templates").mkdir(parents=True)
    (root / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    (root / "themes" / "mine" / "templates" / template).write_text(text)
    return theme.load(root, "mine")


def test_a_theme_that_shows_posts_on_the_directory_gets_them(
    fixture_site: tuple[site.SiteModel, theme.Theme], tmp_path: Path
) -> None:
    model, _ = fixture_site
    chain = theme_with(
        tmp_path,
        "connect.html",
        '{% extends "base.html" %}{% block content %}<h1>Connect</h1>'
        "<p>{{ site.posts|length }} posts so far</p>{% endblock %}",
    )

    ahead = generate.ahead_of_posts(directory_of(model), chain)
    assert "en/connect/index.html" not in {path for path, _ in ahead.files}
    assert "en/connect/platform/mastodon/index.html" in {path for path, _ in ahead.files}
    output = dict(generate.collect(model, chain, ahead=ahead).items())
    page = output["en/connect/index.html"].data
    assert page is not None
    assert f"<p>{len(model.posts)} posts so far</p>".encode() in page
    assert len(model.posts) > 0


def test_only_pieces_with_plain_keys_go_to_another_process(
    fixture_site: tuple[site.SiteModel, theme.Theme], tmp_path: Path
) -> None:
    model, _ = fixture_site
    chain = theme_with(
        tmp_path,
        "keys.html",
        '{% cache "by-function", url %}a{% endcache %}'
        '{% cache "plain", 1, "b", none %}b{% endcache %}',
    )
    renderer = Renderer(model, chain, generate.urls_for(model), chain.assets(), {})
    assert renderer.render("keys.html", "en", None) == "ab"

    pieces = renderer.fragments()
    assert pieces == {"en": {("plain", 1, "b", None): "b"}}
    other = Renderer(model, chain, generate.urls_for(model), chain.assets(), {})
    other.reuse(pickle.loads(pickle.dumps(pieces)))
    assert other.fragments() == pieces


def test_a_model_without_posts_refuses_every_look_at_them(
    fixture_site: tuple[site.SiteModel, theme.Theme],
) -> None:
    model, _ = fixture_site
    directory = directory_of(model)
    looks = [
        lambda: directory.posts[:5],
        lambda: len(directory.posts),
        lambda: bool(directory.posts),
        lambda: list(directory.posts),
        lambda: directory.posts_by_owner.get("officer:jack"),
        lambda: "unit:traffic" in directory.posts_by_unit,
    ]
    for look in looks:
        with pytest.raises(site.PostsNotLoaded):
            look()
    assert directory.officers == model.officers
    assert directory.units == model.units
    assert (directory.platforms, directory.topics) == (model.platforms, model.topics)


def test_every_page_is_a_whole_document(built: dict[str, Page]) -> None:
    assert "index.html" in built and "404.html" in built and "en/index.html" in built
    for path, page in built.items():
        assert page.html.startswith("<!doctype html>"), path
        (html,) = page.all("html")
        assert html.get("lang") in ("en", "fr"), path
        assert page.all("meta", charset="utf-8"), path
        assert page.all("meta", name="viewport"), path
        assert len(page.all("h1")) == 1, path
        assert len(page.all("main", id="main")) == 1, path
        ids = [a["id"] for _, a in page.elements if "id" in a]
        assert len(ids) == len(set(ids)), f"{path}: repeated ids"


def test_a_skip_link_is_the_first_thing_to_focus(built: dict[str, Page]) -> None:
    for path, page in built.items():
        body = next(i for i, (tag, _) in enumerate(page.elements) if tag == "body")
        first = next(
            (tag, attrs)
            for tag, attrs in page.elements[body:]
            if tag in FOCUSABLE or attrs.get("tabindex", "-1") != "-1"
        )
        assert first[0] == "a" and first[1].get("href") == "#main", f"{path}: {first}"


def test_pages_link_their_translations(built: dict[str, Page]) -> None:
    for path, page in built.items():
        # The moved pages name the home page instead (test_the_numbered_pages_of_old_...).
        if path == "404.html" or re.fullmatch(r"(en|fr)/[0-9]+/index\.html", path):
            continue
        alternates = {
            a["hreflang"]: a["href"]
            for a in page.all("link", rel="alternate")
            if "hreflang" in a  # feed discovery links are alternates too
        }
        assert {"en", "fr", "x-default"} <= set(alternates), path
        assert alternates["x-default"] == alternates["en"], path
        assert all(href.startswith("https://hub.test.example/") for href in alternates.values())
        if path != "index.html":
            (canonical,) = page.all("link", rel="canonical")
            assert canonical["href"] == "https://hub.test.example/" + path.removesuffix(
                "index.html"
            )


def test_no_inline_style_or_script_and_nothing_from_another_host(
    built: dict[str, Page],
) -> None:
    for path, page in built.items():
        for tag, attrs in page.elements:
            assert tag != "style", path
            assert "style" not in attrs, f"{path}: style= on <{tag}>"
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, f"{path}: {handlers} on <{tag}>"
            source = attrs.get("src", "")
            assert not re.match(r"(?i)\s*(https?:)?//", source), f"{path}: <{tag} src={source}>"
            if tag == "link" and attrs.get("rel") in ("stylesheet", "icon"):
                assert attrs["href"].startswith("/") and not attrs["href"].startswith("//")
        for attrs, text in page.scripts:
            assert attrs.get("src", "").startswith("/static/"), path
            assert "defer" in attrs and not text.strip(), path
        assert "javascript:" not in page.html, path


def test_pages_load_only_the_scripts_they_use(built: dict[str, Page]) -> None:
    def scripts(path: str) -> list[str]:
        return [re.sub(r"\.[0-9a-f]{10}\.", ".", a["src"]) for a, _ in built[path].scripts]

    # The directory's search box; relative times where pages show posts.
    assert scripts("en/connect/index.html") == ["/static/filter.js"]
    assert scripts("fr/joindre/index.html") == ["/static/filter.js"]
    newest_day = day_pages(built, "fr", "jours")[0].path
    for path in ("en/index.html", newest_day, "en/officers/jack-west/index.html"):
        assert scripts(path) == ["/static/time.js"], path
    assert scripts("fr/unites/traffic/index.html") == ["/static/time.js"]
    for path in ("index.html", "404.html", "en/connect/former/index.html"):
        assert scripts(path) == [], path


def test_hostile_feed_text_is_escaped_everywhere(built: dict[str, Page]) -> None:
    home = built["en/index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in home.html
    assert HOSTILE_TITLE in home.text and HOSTILE_TEXT in home.text
    for path, page in built.items():
        assert HOSTILE_TITLE not in page.html, path
        assert HOSTILE_TEXT not in page.html, path
        assert not [a for t, a in page.elements if t == "img" and a.get("src") == "x"], path


def test_a_post_in_another_language_is_marked(built: dict[str, Page]) -> None:
    page = built["en/index.html"]
    marked = re.search(r'<p class="post-text" lang="fr">Fermeture de la rue', page.html)
    assert marked, "the French post has no lang attribute on the English page"
    assert '<p class="post-text">Fermeture de la rue' in built["fr/index.html"].html


def test_each_language_has_its_own_interface(built: dict[str, Page]) -> None:
    en, fr = built["en/index.html"], built["fr/index.html"]
    assert en.all("html", lang="en") and fr.all("html", lang="fr")
    for text in ("Latest activity", "Official accounts", "Skip to main content", "Emergency:"):
        assert text in en.text and text not in fr.text, text
    for text in ("Dernières publications", "Comptes officiels", "Passer au contenu principal"):
        assert text in fr.text and text not in en.text, text
    assert "Urgence\u00a0: 911" in fr.text
    assert "Communiquez avec nous" in built["fr/joindre/index.html"].text


def test_the_language_switch_lands_on_the_same_page(built: dict[str, Page]) -> None:
    officer = built["en/officers/jack-west/index.html"]
    switch = officer.link_to("/fr/agents/jack-west/")
    assert switch["lang"] == "fr" and switch["hreflang"] == "fr"
    back = built["fr/agents/jack-west/index.html"].link_to("/en/officers/jack-west/")
    assert back["lang"] == "en"
    assert "English" in built["fr/agents/jack-west/index.html"].text
    assert "Français" in officer.text
    # Content pages have their own slug in each language.
    assert built["en/pages/about/index.html"].link_to("/fr/pages/a-propos/")["hreflang"] == "fr"


def test_only_the_active_alert_shows_on_every_page(built: dict[str, Page]) -> None:
    for path, page in built.items():
        assert "Old road closure" not in page.text and "Ancienne fermeture" not in page.text
        if path == "index.html":
            continue  # the root only forwards to a language
        if path.startswith("fr/"):
            assert "Enfant disparu" in page.text, path
        else:
            assert "Missing child" in page.text, path
        assert page.all("section", class_="alert alert--urgent"), path


def test_the_emergency_numbers_are_on_every_page(built: dict[str, Page]) -> None:
    for path, page in built.items():
        if path == "index.html":
            continue
        assert page.link_to("tel:911"), path
        assert page.link_to("tel:555-010-0000"), path
        assert page.link_to("https://tips.test.example"), path


def test_profile_pages_name_and_claim_each_account(built: dict[str, Page]) -> None:
    en = built["en/officers/jack-west/index.html"]
    link = en.link_to("https://x.com/SgtJackWest")
    assert en.spoken("https://x.com/SgtJackWest") == "Sgt Jack West on X, @SgtJackWest"
    assert "me" in link["rel"].split()
    fr = built["fr/agents/jack-west/index.html"]
    assert fr.spoken("https://x.com/SgtJackWest") == "Sgt Jack West sur X, @SgtJackWest"
    page = built["en/units/traffic/index.html"]
    bluesky = "https://bsky.app/profile/traffic.test.example"
    assert page.spoken(bluesky) == "Traffic Unit on Bluesky, @traffic.test.example"
    assert "me" in page.link_to(bluesky)["rel"].split()
    # No aria-label: it could not say which of its words are in another language.
    assert "aria-label" not in link
    directory = built["en/connect/index.html"].link_to("https://x.com/SgtJackWest")
    assert "me" not in directory["rel"].split()


def test_links_to_posts_are_not_endorsed(built: dict[str, Page]) -> None:
    post = built["en/index.html"].link_to("https://social.test.example/@jackwest/1")
    assert set(post["rel"].split()) == {"nofollow", "noopener", "noreferrer"}


def test_the_directory_groups_units_and_lists_current_officers(built: dict[str, Page]) -> None:
    page = built["en/connect/index.html"]
    headings = re.findall(r'<h2 id="kind-(\w+)">', page.html)
    assert headings == ["office", "division", "unit"]
    assert "Sgt Jack West" in page.text and "Cst Marie Tremblay" in page.text
    assert "Old Timer" not in page.text
    assert page.link_to("/en/connect/former/")
    assert page.link_to("/en/connect/platform/mastodon/")
    assert page.link_to("/en/connect/topic/road-safety/")
    (search,) = page.all("div", class_="search")
    assert "hidden" in search


def test_a_former_officer_is_archived_not_listed(built: dict[str, Page]) -> None:
    former = built["en/connect/former/index.html"]
    assert "Det Old Timer" in former.text
    assert "Left the service on June 30, 2020" in former.text
    link = former.link_to("https://x.com/DetOldTimer")
    assert "me" not in link["rel"].split()
    assert "no longer an official account" in former.spoken("https://x.com/DetOldTimer")
    assert "No longer an official account" in former.text
    for path in ("en/connect/index.html", "en/units/west/index.html", "en/index.html"):
        assert "Old Timer" not in built[path].text, path
    profile = built["en/officers/old-timer/index.html"]
    assert "left the service on June 30, 2020" in profile.text
    assert "me" not in profile.link_to("https://x.com/DetOldTimer")["rel"].split()


def test_filter_pages_say_what_they_show(built: dict[str, Page]) -> None:
    platform = built["en/connect/platform/x/index.html"]
    assert "Official accounts on X" in platform.text
    assert platform.link_to("/en/connect/")
    assert "https://x.com/TestPolice" in platform.html
    assert "https://www.facebook.com/TestPoliceWest" not in platform.html
    topic = built["fr/joindre/sujet/road-safety/index.html"]
    assert "Sujet\u00a0: Sécurité routière" in topic.text
    assert "Sgt Jack West" in topic.text and "Cst Marie Tremblay" not in topic.text


def day_pages(built: dict[str, Page], lang: str = "en", word: str = "days") -> list[Page]:
    """The pages of latest activity after the home page, the newest day first."""
    prefix = f"{lang}/{word}/"
    return [built[path] for path in sorted(built, reverse=True) if path.startswith(prefix)]


def test_every_post_is_on_its_day_s_page_newest_first(built: dict[str, Page]) -> None:
    days = day_pages(built)
    assert len(days) >= 5  # 122 posts, an hour apart: six days
    times = [a["datetime"] for page in days for a in page.all("time")]
    assert len(times) == GENERATED + 2
    moments = [datetime.fromisoformat(t) for t in times]
    assert moments == sorted(moments, reverse=True)
    zone = ZoneInfo("America/Toronto")
    for page in days:
        day = page.path.split("/")[-2]
        assert {
            datetime.fromisoformat(a["datetime"]).astimezone(zone).date().isoformat()
            for a in page.all("time")
        } == {day}, page.path
    home = built["en/index.html"]
    assert "&lt;script&gt;" in home.html  # the newest post leads the home page
    assert len(home.all("time")) >= 50


def test_day_pages_link_each_day_to_its_neighbours(built: dict[str, Page]) -> None:
    days = day_pages(built)
    paths = ["/" + page.path.removesuffix("index.html") for page in days]
    for index, page in enumerate(days):
        newer = [a["href"] for a in page.all("a", rel="prev")]
        older = [a["href"] for a in page.all("a", rel="next")]
        assert newer == [paths[index - 1] if index else "/en/"], page.path
        assert older == ([paths[index + 1]] if index + 1 < len(paths) else []), page.path
    # The home page's "Older" leads to the day of the first post it does not show.
    [older] = [a["href"] for a in built["en/index.html"].all("a", rel="next")]
    assert older in paths
    assert not built["en/index.html"].all("a", rel="prev")
    french = day_pages(built, "fr", "jours")
    assert [p.path.split("/")[-2] for p in french] == [p.path.split("/")[-2] for p in days]
    assert "Activité du" in french[0].text


def test_the_numbered_pages_of_old_send_readers_home(built: dict[str, Page]) -> None:
    for lang in ("en", "fr"):
        page = built[f"{lang}/2/index.html"]
        [refresh] = page.all("meta", http_equiv="refresh")
        assert refresh["content"] == f"0; url=/{lang}/"
        assert page.all("meta", name="robots", content="noindex")
        assert page.link_to(f"/{lang}/")
        # The page to index is the one it sends readers to, not itself in another language.
        [canonical] = page.all("link", rel="canonical")
        assert canonical["href"].endswith(f"/{lang}/")
        assert not page.all("link", hreflang=True)


def test_the_root_page_offers_every_language_and_sends_nobody_on(built: dict[str, Page]) -> None:
    root = built["index.html"]
    assert not root.all("meta", http_equiv="refresh") and not root.scripts
    assert root.link_to("/en/")["lang"] == "en"
    assert root.link_to("/fr/")["lang"] == "fr"
    assert "Test Police Service" in root.text and "Service de police de Test" in root.text
    assert "Choose your language" in root.text and "Choisissez votre langue" in root.text
    assert "Emergency: 911" in root.text and "Urgence\u00a0: 911" in root.text
    # The other language's words say which language they are in.
    assert '<span lang="fr">Choisissez votre langue</span>' in root.html


def test_the_not_found_page_speaks_both_languages(built: dict[str, Page]) -> None:
    page = built["404.html"]
    assert page.all("html", lang="en")
    assert "Page not found" in page.text and "Page introuvable" in page.text
    assert page.all("section", lang="fr")
    for href in ("/en/", "/fr/", "/en/connect/", "/fr/joindre/"):
        assert page.link_to(href)


def test_photos_and_initials(built: dict[str, Page]) -> None:
    page = built["en/units/traffic/index.html"]
    photos = [a for a in page.all("img") if a["src"].startswith("/media/jack.")]
    assert photos and all(a["alt"] == "" for a in photos)
    initials = re.search(
        r'<span class="avatar avatar--initials avatar--tone-(\d)" aria-hidden="true">MT</span>',
        built["en/units/west/index.html"].html,
    )
    assert initials, "Cst Marie Tremblay's initials are not drawn"


def compilations(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates compiled from now on, in order."""
    compiled: list[str | None] = []
    compile_source = BuildEnvironment.compile

    def counted(self: BuildEnvironment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(BuildEnvironment, "compile", counted)
    return compiled


def test_templates_compiled_once_serve_every_language_and_change_with_their_source(
    fixture_site: tuple[site.SiteModel, theme.Theme],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, _ = fixture_site
    chain = theme_with(tmp_path, "page.html", '{% extends "base.html" %}')
    render.compile_templates(chain)
    compiled = compilations(monkeypatch)
    urls = generate.urls_for(model)
    renderer = Renderer(model, chain, urls, {}, {})
    for lang in ("en", "fr"):
        renderer.env(lang).get_template("officer.html")
    assert compiled == []
    # An edited template is compiled again (hub serve rebuilds in one process).
    (tmp_path / "themes" / "mine" / "templates" / "page.html").write_text("{{ 1 }}")
    Renderer(model, chain, urls, {}, {}).env("en").get_template("page.html")
    assert compiled == ["page.html"]


def test_templates_compiled_ahead_are_adopted_not_compiled_again(
    fixture_site: tuple[site.SiteModel, theme.Theme],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, _ = fixture_site
    chain = theme_with(tmp_path, "page.html", '{% extends "base.html" %}')
    ahead = generate.ahead_of_posts(directory_of(model), chain)
    # As if in the build's process, which has compiled nothing: the code
    # comes over as bytes, the way it comes from the forked process.
    monkeypatch.setattr(render, "_COMPILED", CompiledCode())
    render.adopt_templates(pickle.loads(pickle.dumps(ahead.compiled)))
    compiled = compilations(monkeypatch)
    render.compile_templates(chain)
    assert dict(generate.collect(model, chain, ahead=ahead).items())
    assert compiled == []


def test_compiling_stops_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chain = theme_with(tmp_path, "page.html", '{% extends "base.html" %}')
    monkeypatch.setattr(render, "_COMPILED", CompiledCode())
    asked = iter([False, False, True])
    render.compile_templates(chain, enough=lambda: next(asked))
    assert len(render.compiled_templates()) == 2


def test_a_template_that_does_not_compile_is_reported_by_the_page_that_uses_it(
    fixture_site: tuple[site.SiteModel, theme.Theme], tmp_path: Path
) -> None:
    model, _ = fixture_site
    chain = theme_with(tmp_path, "officer.html", "{% if %}")
    render.compile_templates(chain)  # says nothing: the page says where
    with pytest.raises(render.TemplateProblem, match=r"officer\.html:1"):
        generate.collect(model, chain)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ('{{ 1 + "a" }}', "TypeError"),
        ('{{ "%d"|format("x") }}', "TypeError"),
        ("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}", "RecursionError"),
    ],
)
def test_a_template_that_fails_as_it_renders_is_reported_at_its_line(
    fixture_site: tuple[site.SiteModel, theme.Theme], tmp_path: Path, code: str, said: str
) -> None:
    model, _ = fixture_site
    page = f'{{% extends "base.html" %}}\n{{% block content %}}{code}{{% endblock %}}'
    chain = theme_with(tmp_path, "officer.html", page)
    with pytest.raises(render.TemplateProblem, match=rf"officer\.html:2: {said}.*\(rendering /"):
        generate.collect(model, chain)
