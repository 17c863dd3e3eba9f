"""Pages that cannot be turned against their readers, checked in Chromium.

tests/data/hostile is a small site whose feeds (RSS 2.0, RSS 1.0, Atom and
JSON Feed) carry an attack in every field. Every page of its build is opened
with a dialog listener and a request log in place before navigation: no
dialog may open, the page may not go anywhere, and nothing may be asked of a
host but the local server. The live DOM is searched too, for anything that
could run script, load from elsewhere or move the page later (on a click, a
hover, a timer); a canary page with one attack of each kind proves that these
checks see what they look for.

The demo site must load nothing from another host either: a page of every
kind in every language (and every content page) is opened with the same
request log, under the site's own Content-Security-Policy, which must refuse
nothing; and every page and stylesheet is read for addresses it would fetch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from hub.site.urls import file_for

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

MARKERS = {
    "RSS 2.0": "Hostile RSS item one",
    "RSS 1.0": "Hostile RDF item one",
    "Atom": "Hostile Atom entry one",
    "JSON Feed": "Hostile JSON item one",
}
"""Text from one entry of each feed: proof that its attacks reached the pages."""
SETTLE_MS = 100
"""How long a hostile page may go on after its load event, for a deferred attack to fire."""

# Run in the page: everything in the live DOM that could run script, load
# from another host, restyle the page or send the reader elsewhere.
FIND_DANGER = """
() => {
  const found = [];
  const here = location.origin;
  const where = (el) => {
    let path = el.tagName.toLowerCase();
    for (let up = el.parentElement; up && path.length < 160; up = up.parentElement) {
      const name = up.className ? "." + String(up.className).split(" ")[0] : "";
      path = up.tagName.toLowerCase() + name + " > " + path;
    }
    return path;
  };
  const flag = (what, el) => found.push(what + " at " + where(el));
  // The site's own controls, by the ids feed markup can never carry (the sanitizer drops ids).
  const OURS = new Set(["directory-search", "verify-form", "verify-input", "search-form",
    "search-input"]);
  const ours = (el) => OURS.has(el.id) || OURS.has((el.closest("form") || {}).id);
  const FORBIDDEN = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "form", "button", "textarea", "select", "base", "style", "template", "math", "portal",
    "audio", "video", "source", "track", "marquee", "isindex", "noscript", "xmp", "plaintext"]);
  const LOADS = new Set(["src", "srcset", "data", "poster", "background", "lowsrc", "dynsrc",
    "codebase", "archive", "manifest", "ping", "action", "formaction"]);
  const POINTS = new Set(["href", "xlink:href", "cite", "longdesc", "usemap", "profile", "icon"]);
  const SCHEMES = new Set(["http:", "https:", "tel:", "mailto:"]);
  const LANGUAGE = /^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)?$/;
  const SVG = "http://www.w3.org/2000/svg";
  if (document.baseURI !== location.href) found.push("document base is " + document.baseURI);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (FORBIDDEN.has(tag) && !ours(el)) flag("<" + tag + ">", el);
    if (["meta", "link", "title"].includes(tag) && !el.closest("head")) {
      flag("<" + tag + "> outside <head>", el);
    }
    if (tag === "meta" && el.httpEquiv.toLowerCase() === "refresh" && location.pathname !== "/") {
      flag("<meta http-equiv=refresh>", el);
    }
    if (tag === "script" && (!el.src || new URL(el.src).origin !== here)) {
      flag("<script> not from this site", el);
    }
    if (tag === "input" && !ours(el)) flag("<input>", el);
    const icon = tag === "use" || (tag === "svg" && el.classList.contains("icon"));
    if (el.namespaceURI === SVG && !icon) flag("<svg:" + tag + ">", el);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      const shown = name + "=" + JSON.stringify(value) + " on <" + tag + ">";
      if (name.startsWith("on") || name === "style") flag(shown, el);
      if (["srcdoc", "formtarget", "autofocus"].includes(name)) flag(shown, el);
      if (name === "lang" && !LANGUAGE.test(value)) flag(shown, el);
      if (name === "target" && value.toLowerCase() !== "_blank") flag(shown, el);
      if (!LOADS.has(name) && !POINTS.has(name)) continue;
      const addresses = name === "srcset" || name === "ping"
        ? value.split(name === "ping" ? /\\s+/ : ",").map((part) => part.trim().split(/\\s+/)[0])
        : [value];
      for (const address of addresses.filter(Boolean)) {
        let url;
        try {
          url = new URL(address, document.baseURI);
        } catch (error) {
          flag("unparsable " + shown, el);
          continue;
        }
        const elsewhere = url.origin !== here;
        const linkLoads = tag === "link" && !["canonical", "alternate"].includes(el.rel);
        if (!SCHEMES.has(url.protocol)) flag(shown, el);
        else if (elsewhere && (LOADS.has(name) || linkLoads)) flag("loads elsewhere: " + shown, el);
      }
    }
  }
  return found;
}
"""


@dataclass(frozen=True)
class PageReport:
    """What one page did in the browser, and what its DOM holds."""

    path: str
    status: int | None
    url: str
    """Where the tab was once the page had loaded and settled."""
    dialogs: tuple[str, ...]
    navigations: tuple[str, ...]
    third_party: tuple[str, ...]
    missing: tuple[str, ...]
    errors: tuple[str, ...]
    console: tuple[str, ...]
    danger: tuple[str, ...]
    text: str


def visit_all(
    browser: Browser, site: Site, paths: list[str], *, hostile: bool
) -> Iterator[PageReport]:
    """Open each of ``paths`` in one tab, each with fresh logs.

    A hostile site's pages are opened with their Content-Security-Policy
    bypassed, and their DOM is searched: the policy is a second line of
    defence, and these checks are about the first (what the pages contain).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=hostile)
    try:
        page = context.new_page()
        watch = site.watch()
        watch.attach(page)
        for path in paths:
            response = watch.visit(page, path, settle_ms=SETTLE_MS if hostile else 0)
            danger: list[str] = page.evaluate(FIND_DANGER) if hostile else []
            text = page.inner_text("body") if hostile else ""
            url = page.url
            watch.leave(page)
            yield PageReport(
                path=path,
                status=response.status if response else None,
                url=url,
                dialogs=tuple(watch.dialogs),
                navigations=tuple(watch.navigations),
                third_party=tuple(watch.third_party),
                missing=tuple(watch.missing),
                errors=tuple(watch.errors),
                console=tuple(watch.console),
                danger=tuple(danger),
                text=text,
            )
    finally:
        context.close()


@pytest.fixture(scope="module")
def hostile_pages(browser: Browser, hostile_site: Site) -> list[PageReport]:
    # Not the home page's numbered pages of old, which show no feed's words and send
    # readers home by design (tests/render/test_renderer.py checks where).
    paths = [path for path in hostile_site.paths if not MOVED.fullmatch(path)]
    return list(visit_all(browser, hostile_site, paths, hostile=True))


MOVED = re.compile(r"/[a-z]{2}/[0-9]+/")
"""Where the home page's numbered pages were (hub/site/daypages.py)."""


@pytest.fixture(scope="module")
def demo_pages(browser: Browser, demo_site: Site) -> list[PageReport]:
    """A page of every kind in every language, and every content page, as served."""
    return list(visit_all(browser, demo_site, demo_site.sample(), hostile=False))


class Fetched(HTMLParser):
    """The addresses a page fetches by itself (not the links a reader may follow)."""

    LOADS = frozenset({"src", "srcset", "data", "poster", "background", "action", "formaction"})
    LINK_LOADS = frozenset(
        {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in self.LOADS or (name == "href" and tag in ("use", "image")):
                self.urls.append(value)
            elif name == "style":
                self.urls += CSS_URL.findall(value)
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & self.LINK_LOADS:
            self.urls.append(values.get("href", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += CSS_URL.findall(data)


CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?([^"')\s]+)""", re.IGNORECASE)


def elsewhere(url: str) -> bool:
    """Whether fetching ``url`` from a page of the site would ask another host."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def served(site: Site, path: str) -> int:
    """The status a path is served with: its page, or the 404 page."""
    return 200 if (site.out / file_for(path)).is_file() else 404


def unexpected_navigations(site: Site, report: PageReport) -> tuple[str, ...]:
    """Where a page tried to go. Only the root page may move: to the default language."""
    allowed = {site.url(f"/{site.languages[0]}/")} if report.path == "/" else set()
    return tuple(url for url in report.navigations if url not in allowed)


def listing(problems: dict[str, tuple[str, ...]]) -> str:
    return "\n".join(f"{path}: {item}" for path, items in problems.items() for item in items)


def test_every_hostile_feed_reached_the_pages(
    hostile_site: Site, hostile_pages: list[PageReport]
) -> None:
    assert len(hostile_pages) >= 20, [p.path for p in hostile_pages]
    home = next(p for p in hostile_pages if p.path == "/en/")
    missing = [feed for feed, marker in MARKERS.items() if marker not in home.text]
    assert not missing, f"entries of these feeds are not on the home page: {missing}"
    assert all(p.status == 200 for p in hostile_pages), [(p.path, p.status) for p in hostile_pages]


CANARY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head><body>
<img src="https://evil.example/pixel.gif" alt="">
<img src="missing.png" alt="" onerror="alert('canary'); location.href = '/elsewhere/'">
<a href=" JaVa&#x09;Script:alert(1)">hidden scheme</a>
<iframe title="frame" src="about:blank"></iframe>
<meta http-equiv="refresh" content="5;url=/later/">
<p style="color: red" lang='en" x'>styled</p>
</body></html>
"""


def test_the_checks_catch_a_page_that_attacks(
    browser: Browser, serve_folder: Callable[[Path], Site], tmp_path: Path
) -> None:
    """The checks themselves, on a page with one attack of each kind left in."""
    (tmp_path / "canary").mkdir()
    (tmp_path / "canary" / "index.html").write_text(CANARY, encoding="utf-8")
    site = serve_folder(tmp_path)
    [report] = visit_all(browser, site, site.paths, hostile=True)
    assert report.dialogs == ("alert: 'canary'",)
    assert unexpected_navigations(site, report) == (site.url("/elsewhere/"),)
    assert report.third_party == ("https://evil.example/pixel.gif",)
    danger = "\n".join(report.danger)
    for expected in ("onerror=", "script:alert", "<iframe>", "refresh", "style=", "lang="):
        assert expected in danger.lower(), f"{expected} not reported in:\n{danger}"


def test_no_hostile_page_opens_a_dialog(hostile_pages: list[PageReport]) -> None:
    opened = {p.path: p.dialogs for p in hostile_pages if p.dialogs}
    assert not opened, "script from a feed ran:\n" + listing(opened)


def test_no_hostile_page_navigates_away(
    hostile_site: Site, hostile_pages: list[PageReport]
) -> None:
    moved = {p.path: unexpected_navigations(hostile_site, p) for p in hostile_pages}
    moved = {path: urls for path, urls in moved.items() if urls}
    assert not moved, "pages tried to go elsewhere:\n" + listing(moved)
    relocated = {p.path: (p.url,) for p in hostile_pages if p.url != hostile_site.url(p.path)}
    assert not relocated, "pages ended up at another address:\n" + listing(relocated)


def test_no_hostile_page_asks_another_host_for_anything(hostile_pages: list[PageReport]) -> None:
    outside = {p.path: p.third_party for p in hostile_pages if p.third_party}
    assert not outside, "requests to other hosts:\n" + listing(outside)


def test_no_hostile_page_has_a_script_error_or_a_broken_asset(
    hostile_pages: list[PageReport],
) -> None:
    broken = {p.path: p.errors + p.missing for p in hostile_pages if p.errors or p.missing}
    assert not broken, listing(broken)


def test_no_hostile_markup_survives_in_the_dom(hostile_pages: list[PageReport]) -> None:
    dangerous = {p.path: p.danger for p in hostile_pages if p.danger}
    assert not dangerous, "dangerous markup in the live DOM:\n" + listing(dangerous)


def test_demo_pages_load_nothing_from_another_host(demo_pages: list[PageReport]) -> None:
    assert len(demo_pages) >= 20
    outside = {p.path: p.third_party for p in demo_pages if p.third_party}
    assert not outside, "third-party requests:\n" + listing(outside)


def test_no_demo_page_or_stylesheet_names_another_host_for_what_it_loads(
    demo_site: Site,
) -> None:
    """Every page (the browser opens a sample), read for what it would fetch by itself."""
    found: dict[str, tuple[str, ...]] = {}
    for file in sorted(demo_site.out.rglob("*.html")):
        parser = Fetched()
        parser.feed(file.read_text(encoding="utf-8"))
        found[file.relative_to(demo_site.out).as_posix()] = tuple(parser.urls)
    for file in sorted(demo_site.out.rglob("*.css")):
        css = file.read_text(encoding="utf-8")
        found[file.relative_to(demo_site.out).as_posix()] = tuple(CSS_URL.findall(css))
    assert sum(map(len, found.values())) > len(found), "the scan found almost nothing to check"
    outside = {name: tuple(u for u in urls if elsewhere(u)) for name, urls in found.items()}
    outside = {name: urls for name, urls in outside.items() if urls}
    assert not outside, "addresses on other hosts:\n" + listing(outside)


def test_demo_pages_load_under_their_security_policy_without_errors(
    demo_site: Site, demo_pages: list[PageReport]
) -> None:
    """Every asset is found, no script fails, and the policy refuses nothing the theme uses."""
    broken = {
        p.path: (f"status {p.status}", *p.errors, *p.missing, *p.console, *p.dialogs)
        for p in demo_pages
        if p.errors or p.missing or p.console or p.dialogs or p.status != served(demo_site, p.path)
    }
    assert not broken, listing(broken)
    moved = {p.path: unexpected_navigations(demo_site, p) for p in demo_pages}
    moved = {path: urls for path, urls in moved.items() if urls}
    assert not moved, listing(moved)
