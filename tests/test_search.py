"""Search: the demo's Pagefind index, searched in Chromium in each language.

A word that only a few posts use finds the pages that show those posts, with
the word marked in the excerpt. The search page is the only page whose
Content-Security-Policy lets WebAssembly compile (``'wasm-unsafe-eval'``),
in its ``<meta>`` tag and in ``_headers`` alike, and it searches under that
header without a violation. Without JavaScript it says that search needs it
and links to the directory; its results pass axe and are reached by Tab.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, Page
from playwright.sync_api import Route as PlaywrightRoute

from hub.outputs import cdn
from hub.publish import search
from hub.site.urls import SEGMENTS
from tests.outputs.test_cdn import LISTEN, _HeadersHandler, head_of, headers_for, parse_headers

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RESULTS = """
() => [...document.querySelectorAll("[data-results] .result")].map((li) => ({
  href: li.querySelector("a").getAttribute("href"),
  marks: [...li.querySelectorAll("mark")].map((m) => m.textContent.toLowerCase()),
}))
"""


def search_path(lang: str) -> str:
    return f"/{lang}/{SEGMENTS[lang]['search']}/"


class PostTexts(HTMLParser):
    """The text of each post (``.post-text``) on a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and "post-text" in (dict(attrs).get("class") or "").split():
            self._in = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.texts[-1] += data


def posts_on(page: Path) -> list[str]:
    parser = PostTexts()
    parser.feed(page.read_text("utf-8"))
    return parser.texts


def indexed_pages(out: Path, lang: str) -> list[Path]:
    return [
        page
        for folder in search.folders([lang])
        for page in sorted((out / folder).glob("*/index.html"))
    ]


def main_text(page: Path) -> str:
    """The words of a page's main content, lower case (tags dropped)."""
    html = page.read_text("utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split()).lower()


def rare_word(out: Path) -> tuple[str, set[str]]:
    """A long word of a post that few indexed English pages show, and those pages' paths.

    One that no other word on those pages starts like, so that Pagefind's
    stemming cannot find it on a page the test does not expect.
    """
    pages = indexed_pages(out, "en")
    texts = {page: main_text(page) for page in pages}
    words = sorted(
        {w for page in pages for w in re.findall(r"[a-z]{8,}", " ".join(posts_on(page)).lower())}
    )
    best: tuple[int, str, set[Path]] | None = None
    for word in words:
        exact = {p for p, text in texts.items() if re.search(rf"\b{word}\b", text)}
        near = {p for p, text in texts.items() if word[:5] in text}
        if exact and exact == near and (best is None or len(exact) < best[0]):
            best = (len(exact), word, exact)
    assert best is not None, "no post word to search for"
    _, word, found = best
    return word, {"/" + p.parent.relative_to(out).as_posix() + "/" for p in found}


def in_french(path: str) -> str:
    """The French path of an English officer or unit page."""
    en, fr = SEGMENTS["en"], SEGMENTS["fr"]
    for route in search.ROUTES:
        path = path.replace(f"/en/{en[route]}/", f"/fr/{fr[route]}/")
    return path


def run_search(page: Page, words: str) -> list[dict[str, Any]]:
    page.fill("#search-input", words)
    page.press("#search-input", "Enter")
    page.wait_for_function("() => document.querySelector('[data-status]').textContent !== ''")
    found: list[dict[str, Any]] = page.evaluate(RESULTS)
    return found


@pytest.fixture(scope="module")
def tab(browser: Browser, demo_site: Site) -> Iterator[tuple[Page, Any]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = demo_site.watch()
    watch.attach(page)
    yield page, watch
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_word_from_a_post_finds_the_pages_that_show_it(
    tab: tuple[Page, Any], demo_site: Site, lang: str
) -> None:
    page, watch = tab
    word, pages = rare_word(demo_site.out)
    expected = pages if lang == "en" else {in_french(p) for p in pages}
    watch.visit(page, search_path(lang))
    found = run_search(page, word)
    assert {hit["href"] for hit in found} == expected, word
    assert all(word in hit["marks"] for hit in found), found
    assert not watch.errors and not watch.console, (watch.errors, watch.console)
    assert not watch.third_party, watch.third_party
    # Each language searches its own pages only.
    assert all(hit["href"].startswith(f"/{lang}/") for hit in found)


def test_a_search_for_nothing_that_exists_says_so(tab: tuple[Page, Any], demo_site: Site) -> None:
    page, watch = tab
    watch.visit(page, search_path("en"))
    assert run_search(page, "zzqxv") == []
    assert page.inner_text("[data-status]") == "Nothing matches your search."


def test_a_link_can_carry_the_search(tab: tuple[Page, Any], demo_site: Site) -> None:
    page, watch = tab
    word, pages = rare_word(demo_site.out)
    watch.visit(page, f"{search_path('en')}?q={word}")
    page.wait_for_function("() => document.querySelector('[data-status]').textContent !== ''")
    assert {hit["href"] for hit in page.evaluate(RESULTS)} == pages


def test_only_the_search_pages_let_webassembly_compile(demo_site: Site) -> None:
    rules = parse_headers((demo_site.out / "_headers").read_text("utf-8"))
    searched = {search_path(lang) for lang in demo_site.languages}
    pages = sorted(demo_site.out.rglob("*.html"))
    assert len(pages) > 100
    for file in pages:
        relative = file.relative_to(demo_site.out).as_posix()
        path = "/" + relative.removesuffix("index.html")
        (meta,) = head_of(file).policies
        header = headers_for(rules, path)["Content-Security-Policy"]
        if path in searched:
            assert (meta, header) == (cdn.SEARCH_META_CSP, cdn.SEARCH_CSP), path
            assert "'wasm-unsafe-eval'" in meta and "'wasm-unsafe-eval'" in header
        else:
            assert (meta, header) == (cdn.META_CSP, cdn.CSP), path
    # The search page's policy is the strict one and what Pagefind needs, no more.
    strict = dict(part.split(" ", 1) for part in cdn.CSP.split("; "))
    relaxed = dict(part.split(" ", 1) for part in cdn.SEARCH_CSP.split("; "))
    assert {k: v for k, v in relaxed.items() if strict.get(k) != v} == {
        "script-src": "'self' 'wasm-unsafe-eval'",
        "connect-src": "'self'",
    }


@pytest.fixture(scope="module")
def with_headers(demo_site: Site) -> Iterator[str]:
    """The demo served with the headers of its ``_headers``, as Netlify applies them."""
    rules = parse_headers((demo_site.out / "_headers").read_text("utf-8"))
    handler = partial(_HeadersHandler, rules=rules, directory=demo_site.out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_search_runs_under_its_header_policy_without_a_violation(
    browser: Browser, demo_site: Site, with_headers: str
) -> None:
    word, pages = rare_word(demo_site.out)
    page = browser.new_page()
    try:
        page.add_init_script(LISTEN)
        response = page.goto(with_headers + search_path("en"))
        assert response is not None
        assert response.headers["content-security-policy"] == cdn.SEARCH_CSP
        assert {hit["href"] for hit in run_search(page, word)} == pages
        assert page.evaluate("window.__violations") == []
    finally:
        page.close()


@pytest.mark.parametrize(("directive", "source"), cdn.SEARCH_SOURCES, ids=lambda v: v)
def test_pagefind_needs_each_source_the_search_page_adds(
    browser: Browser, demo_site: Site, directive: str, source: str
) -> None:
    """The search page's own policy without one of its additions: search fails, and says so."""
    word, _ = rare_word(demo_site.out)
    strict = dict(cdn.CSP_DIRECTIVES).get(directive)
    weaker = cdn.SEARCH_META_CSP.replace(
        f"{directive} {source}", f"{directive} {strict}" if strict else f"{directive} 'none'"
    )
    assert weaker != cdn.SEARCH_META_CSP
    url = demo_site.url(search_path("en"))
    page = browser.new_page()
    try:
        page.add_init_script(LISTEN)

        def weaken(route: PlaywrightRoute) -> None:
            body = route.fetch().text()
            tag = escape(cdn.SEARCH_META_CSP, {"'": "&#39;"})
            assert tag in body
            route.fulfill(body=body.replace(tag, escape(weaker, {"'": "&#39;"})))

        page.route(url, weaken)
        page.goto(url)
        page.fill("#search-input", word)
        page.press("#search-input", "Enter")
        page.wait_for_selector("[data-search-off]", state="visible")
        assert page.evaluate("window.__violations"), "the policy refused nothing"
    finally:
        page.close()


def test_without_javascript_the_page_points_to_the_directory(
    browser: Browser, demo_site: Site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site.url(search_path("fr")))
        assert not page.locator("[data-search]").is_visible()
        notice = page.locator("[data-search-off]")
        assert notice.is_visible()
        assert "JavaScript" in notice.inner_text()
        assert notice.locator("a").get_attribute("href") == f"/fr/{SEGMENTS['fr']['connect']}/"
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_results_pass_axe_and_are_reached_by_tab(
    browser: Browser, demo_site: Site, width: int
) -> None:
    word, _ = rare_word(demo_site.out)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(demo_site.url(search_path("en")))
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "search-input":
                break
        else:
            pytest.fail("Tab never reached the search box")
        page.keyboard.type(word)
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-results] .result a")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.closest('.result') !== null,"
            " document.activeElement.matches(':focus-visible')]"
        )
        assert focused == [True, True], focused
        page.evaluate(AXE_SCRIPT)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        violations = page.evaluate("o => axe.run(document, o)", options)["violations"]
        assert not violations, [(v["id"], v["nodes"][0]["target"]) for v in violations]
    finally:
        context.close()
