"""A site served under a path: ``site.url: https://org.github.io/hub/`` (GitHub project pages).

The demo, with that address, is built and served by a real HTTP server under
``/hub/`` only, with nothing at ``/`` (a missing path under ``/hub/`` gets the
site's 404 page, as GitHub Pages answers). Every ``href``, ``src`` and
``srcset`` of every page, the search index the search page loads, and every
address of the site that the feeds, the sitemap, robots.txt, the OPML file,
the calendars and ``accounts.json`` give, is asked of that server and must be
there. In Chromium, pages of each kind load their stylesheets and scripts
with no error in the console (a refused load under the Content-Security-Policy
is one) and the search finds pages under the path.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser

from hub import pipeline
from hub.registry import load as registry
from hub.site.content import load_content
from hub.site.urls import SEGMENTS
from hub.store.database import STORE_NAME, Store
from hub.store.update import update
from tests.browser import SiteHandler, SiteServer

if TYPE_CHECKING:
    from tests.browser import Watch

pytest_plugins = ("tests.browser",)

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://org.github.io/hub/"
PREFIX = "/hub"
PUBLIC = "https://org.github.io"
"""The origin the pages name in full addresses: the local server stands in for it."""
HTML_ATTRIBUTES = frozenset({"href", "src", "srcset", "data-index"})
SITE_ADDRESS = re.compile(re.escape(PUBLIC) + r"[^\s\"'<>\\]*")


class _UnderPath(SiteHandler):
    """The output folder at ``/hub/``, nothing elsewhere; a missing page gets ``404.html``."""

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            SimpleHTTPRequestHandler.send_error(self, 404, "nothing outside /hub/")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path(path[len(PREFIX) :] if path.startswith(PREFIX) else path)


@dataclass(frozen=True)
class Served:
    out: Path
    origin: str
    """``http://127.0.0.1:PORT``: the site is at ``{origin}/hub/``."""

    def local(self, url: str) -> str:
        """A full address of the site as this server has it."""
        return self.origin + url.removeprefix(PUBLIC) if url.startswith(PUBLIC) else url

    def page_url(self, file: Path) -> str:
        relative = file.relative_to(self.out).as_posix()
        if relative == "index.html" or relative.endswith("/index.html"):
            relative = relative.removesuffix("index.html")
        return f"{self.origin}{PREFIX}/{relative}"


def _build(folder: Path) -> Path:
    """The site built as ``hub build`` does, from the demo's sample feeds, at a fixed time."""
    from tests.browser import NOW

    reg = registry.load(folder / "sources.yaml").registry
    loaded = load_content(folder / "content", reg.site.languages, display_root=folder, registry=reg)
    with Store.open(folder / "cache" / STORE_NAME) as store:
        assert not update(reg, store, now=NOW).failed
    out = folder / "public"
    pipeline.build(reg, loaded, folder / "cache", out, now=NOW)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demo with ``site.url: https://org.github.io/hub/``, built and served under ``/hub/``."""
    folder = tmp_path_factory.mktemp("project-pages")
    text = (ROOT / "sources.yaml").read_text(encoding="utf-8")
    moved = text.replace("url: https://connect.lakeview.example\n", f"url: {SITE_URL}\n", 1)
    assert moved != text
    (folder / "sources.yaml").write_text(moved, encoding="utf-8")
    shutil.copytree(ROOT / "content", folder / "content")
    # The build runs an event loop of its own: not on the browser's thread.
    with ThreadPoolExecutor(1) as pool:
        out = pool.submit(_build, folder).result()
    server = SiteServer(("127.0.0.1", 0), partial(_UnderPath, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Served(out, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Links(HTMLParser):
    """Every address an HTML page names in ``href``, ``src``, ``srcset`` and ``data-index``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name not in HTML_ATTRIBUTES or value is None:
                continue
            if name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "data-index":
                self.found.append(value + "pagefind.js")  # what search.js imports
            else:
                self.found.append(value)


def html_links(site: Served, file: Path) -> Iterator[str]:
    parser = Links()
    parser.feed(file.read_text(encoding="utf-8"))
    here = site.page_url(file)
    for value in parser.found:
        target = urldefrag(urljoin(here, site.local(value.strip())))[0]
        if urlsplit(target).scheme in ("http", "https"):
            yield target


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def named_addresses(file: Path) -> Iterator[str]:
    """The site's own full addresses in a feed, sitemap, OPML, calendar, JSON or text file."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".json":
        found: Iterable[str] = strings(json.loads(text))
    elif file.suffix == ".xml":
        tree = ElementTree.fromstring(text.encode())
        found = [v for e in tree.iter() for v in (*e.attrib.values(), (e.text or "").strip())]
    else:  # calendars (folded lines joined) and robots.txt
        found = [text.replace("\r\n ", "")]
    for value in found:
        yield from SITE_ADDRESS.findall(value)


def unreachable(site: Served, urls: Iterable[str]) -> list[str]:
    """Each local address that does not answer 200 (redirects followed), with its status."""
    missing = []
    for url in sorted(set(urls)):
        if not url.startswith(site.origin):
            continue
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10):
                pass
        except urllib.error.HTTPError as error:
            missing.append(f"{error.code} {url}")
    return missing


def test_every_address_the_pages_give_is_there(site: Served) -> None:
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) > 100
    links = {url for page in pages for url in html_links(site, page)}
    local = {url for url in links if url.startswith(site.origin)}
    # Every kind of address is in the crawl: pages, styles, scripts, pictures, feeds, calendars.
    paths = {urlsplit(url).path for url in local}
    for kind in (".css", ".js", "/feed.xml", "/feed.json", ".ics", "/opml.xml"):
        assert any(path.endswith(kind) for path in paths), kind
    for folder in ("media", "appeals", "static"):
        assert any(path.startswith(f"{PREFIX}/{folder}/") for path in paths), folder
    assert f"{PREFIX}/pagefind/pagefind.js" in paths
    assert all(path.startswith(PREFIX + "/") for path in paths), sorted(
        p for p in paths if not p.startswith(PREFIX + "/")
    )
    assert unreachable(site, local) == []


def test_every_address_of_the_site_in_its_feeds_and_files_is_there(site: Served) -> None:
    files = [
        *site.out.rglob("*.xml"),
        *site.out.rglob("*.json"),
        *site.out.rglob("*.ics"),
        site.out / "robots.txt",
    ]
    found = {site.local(url) for file in files for url in named_addresses(file)}
    paths = {urlsplit(url).path for url in found}
    for named in (
        "/hub/sitemap.xml",
        "/hub/en/",
        "/hub/fr/",
        "/hub/en/feed.xml",
        "/hub/en/feed.json",
    ):
        assert named in paths, named
    assert len(found) > 200
    assert unreachable(site, found) == []


def test_the_crawl_finds_a_link_that_misses_the_path(site: Served) -> None:
    assert unreachable(site, [f"{site.origin}/en/", f"{site.origin}{PREFIX}/en/"]) == [
        f"404 {site.origin}/en/"
    ]


def test_the_site_files_stay_at_the_top_of_the_output_folder(site: Served) -> None:
    # The path is in the links, not in the files: the folder is what /hub/ serves.
    assert (site.out / "index.html").is_file() and (site.out / "404.html").is_file()
    assert not (site.out / "hub").exists()
    root = (site.out / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}">' in root
    assert f'href="{PREFIX}/en/"' in root


PAGES = (
    ("root", f"{PREFIX}/"),
    ("home", f"{PREFIX}/en/"),
    ("unit", f"{PREFIX}/fr/{SEGMENTS['fr']['unit']}/circulation/"),
    ("events", f"{PREFIX}/fr/{SEGMENTS['fr']['events']}/"),
    ("appeals", f"{PREFIX}/en/{SEGMENTS['en']['appeals']}/"),
    ("verify", f"{PREFIX}/en/{SEGMENTS['en']['verify']}/"),
    ("not found", f"{PREFIX}/no/such/page/"),
)
LOADED = """
() => ({
  styles: [...document.styleSheets].map((s) => [s.href, s.cssRules.length]),
  scripts: [...document.scripts].map((s) => s.src).filter(Boolean),
})
"""


def checked_visit(watch: Watch, page: Any, path: str) -> dict[str, Any]:
    response = watch.visit(page, path, settle_ms=200)
    assert response is not None
    loaded: dict[str, Any] = page.evaluate(LOADED)
    assert not watch.errors and not watch.console, (path, watch.errors, watch.console)
    assert not watch.missing and not watch.third_party, (path, watch.missing, watch.third_party)
    return {"status": response.status, **loaded}


@pytest.mark.parametrize(("kind", "path"), PAGES, ids=[kind for kind, _ in PAGES])
def test_pages_load_their_styles_and_scripts_under_the_path(
    browser: Browser, site: Served, kind: str, path: str
) -> None:
    from tests.browser import Watch

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        watch = Watch(site.origin)
        watch.attach(page)
        loaded = checked_visit(watch, page, path)
        assert loaded["status"] == (404 if kind == "not found" else 200)
        styles = loaded["styles"]
        assert len(styles) >= 2 and all(rules > 0 for _, rules in styles), styles
        assert all(urlsplit(href).path.startswith(f"{PREFIX}/static/") for href, _ in styles)
        assert all(urlsplit(src).path.startswith(f"{PREFIX}/static/") for src in loaded["scripts"])
        if kind in ("home", "unit", "verify"):
            assert loaded["scripts"], f"the {kind} page has no script to load"
    finally:
        context.close()


def test_the_search_finds_pages_under_the_path(browser: Browser, site: Served) -> None:
    from tests.browser import Watch

    context = browser.new_context()
    try:
        page = context.new_page()
        watch = Watch(site.origin)
        watch.attach(page)
        checked_visit(watch, page, f"{PREFIX}/en/{SEGMENTS['en']['search']}/?q=traffic")
        page.wait_for_function("() => document.querySelector('[data-status]').textContent !== ''")
        hrefs = page.eval_on_selector_all("[data-results] a", "(links) => links.map((a) => a.href)")
        assert hrefs, page.inner_text("[data-status]")
        assert all(urlsplit(href).path.startswith(f"{PREFIX}/en/") for href in hrefs), hrefs
        assert unreachable(site, hrefs) == []
        assert not watch.errors and not watch.console, (watch.errors, watch.console)
    finally:
        context.close()
