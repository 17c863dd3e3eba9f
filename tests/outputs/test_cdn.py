"""What CDNs and crawlers read: sitemap.xml, robots.txt, _headers and the CSP.

Most checks read a real build of the golden fixture (tests/data/golden/site).
The browser check loads one page of each kind of the demo, with ``_headers``
applied the way Netlify and Cloudflare Pages apply it, and counts policy
violations.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from hub import pipeline
from hub.outputs import cdn
from hub.outputs.files import MARKER
from hub.publish import gate
from hub.registry import load as registry
from hub.site import model as site
from hub.site.content import load_content
from hub.site.urls import Route, Urls
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Route as PlaywrightRoute

    from tests.browser import Site

pytest_plugins = ("tests.browser",)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
GOLDEN_SITE = Path(__file__).parents[1] / "data" / "golden" / "site"
BASE = "https://connect.goldenbay.example"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HASHED = re.compile(r"\.([0-9a-f]{10})\.[a-z0-9]+$")

Rules = list[tuple[str, list[tuple[str, str]]]]


def build_fixture(base: Path) -> Path:
    """A copy of the golden site with its feeds read and published to ``base/public``."""
    folder = base / "site"
    shutil.copytree(GOLDEN_SITE, folder, symlinks=False)
    reg = registry.load(folder / "sources.yaml").registry
    loaded = load_content(folder / "content", reg.site.languages, display_root=folder)
    with Store.open(base / "cache" / STORE_NAME) as store:
        update(reg, store, now=NOW)
    pipeline.build(reg, loaded, base / "cache", base / "public", now=NOW)
    return base / "public"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("cdn"))


@pytest.fixture(scope="module")
def sitemap(out: Path) -> dict[str, dict[str, Any]]:
    """loc -> {"lastmod": text or None, "alternates": {hreflang: href}}."""
    root = ET.parse(out / "sitemap.xml").getroot()
    found: dict[str, dict[str, Any]] = {}
    for url in root.findall(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        assert loc is not None and loc not in found, loc
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        found[loc] = {
            "lastmod": url.findtext(f"{SM}lastmod"),
            "alternates": {link.get("hreflang"): link.get("href") for link in links},
        }
    return found


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def url_path(out: Path, file: Path) -> str:
    relative = file.relative_to(out).as_posix()
    return "/" + relative.removesuffix("index.html")


class Head(HTMLParser):
    """What the CSP cares about in a page: its policy tags, what loads, what is inline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.loads_before_policy: list[str] = []
        self.alternates: dict[str, str] = {}
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values.get("content", ""))
        elif tag in ("link", "script", "img", "style") and not self.policies:
            self.loads_before_policy.append(tag)
        # Feed links are alternates too, with a type; language versions have none.
        is_version = "hreflang" in values and "type" not in values
        if tag == "link" and values.get("rel") == "alternate" and is_version:
            self.alternates[values["hreflang"]] = values["href"]
        self._check_inline(tag, values)

    def _check_inline(self, tag: str, values: dict[str, str]) -> None:
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script":
            self._in_script = True
            if "src" not in values:
                self.inline.append("<script> without src")
        for name, value in values.items():
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}>")
            if value.strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=javascript:>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append("script text")


def head_of(file: Path) -> Head:
    parser = Head()
    parser.feed(file.read_text("utf-8"))
    return parser


def parse_headers(text: str) -> Rules:
    """``_headers`` as a host reads it; any line it would not understand fails the test."""
    rules: Rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("/"):
            assert " " not in line, f"line {number}: a path has no spaces: {line!r}"
            rules.append((line, []))
            continue
        name, colon, value = line.strip().partition(": ")
        assert line.startswith("  ") and colon and rules, f"line {number}: {line!r}"
        assert re.fullmatch(r"[A-Za-z-]+", name), f"line {number}: {name!r}"
        rules[-1][1].append((name, value))
    return rules


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """``/static/*`` -> a regex: ``*`` matches anything (slashes too), ``:name`` one segment."""
    parts = re.split(r"(\*|:[A-Za-z]+)", pattern)
    body = "".join(
        ".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts
    )
    return re.compile(body)


def headers_for(rules: Rules, path: str) -> dict[str, str]:
    """Every matching rule applies; a header set twice is joined with a comma, as hosts do."""
    sent: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern_regex(pattern).fullmatch(path):
            for name, value in headers:
                sent[name] = f"{sent[name]}, {value}" if name in sent else value
    return sent


def directives(policy: str) -> dict[str, str]:
    pairs = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {name: value for name, value in pairs}


# The sitemap


def test_sitemap_is_well_formed_with_the_sitemap_and_xhtml_namespaces(out: Path) -> None:
    text = (out / "sitemap.xml").read_text("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode())
    assert root.tag == f"{SM}urlset"
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in text
    assert root.findall(f"{SM}url/{XHTML}link"), "no hreflang alternates"


def test_sitemap_lists_every_page_but_the_404_and_the_root_redirect(
    out: Path, sitemap: dict[str, dict[str, Any]]
) -> None:
    # Nor the home page's numbered pages of old, which send readers on to it.
    moved = re.compile(r"[a-z]{2}/[0-9]+/index\.html")
    pages = {
        BASE + url_path(out, f)
        for f in html_files(out)
        if f.relative_to(out).as_posix() not in ("index.html", "404.html")
        and not moved.fullmatch(f.relative_to(out).as_posix())
    }
    assert set(sitemap) == pages
    assert all(loc.startswith(BASE + "/") for loc in sitemap)


def test_every_sitemap_url_has_its_language_versions_and_x_default(
    sitemap: dict[str, dict[str, Any]],
) -> None:
    for loc, entry in sitemap.items():
        alternates = entry["alternates"]
        lang = loc.removeprefix(BASE + "/").split("/")[0]
        assert alternates[lang] == loc
        assert alternates["x-default"] == alternates["en"], loc
        for href in alternates.values():
            assert href in sitemap, f"{loc}: alternate {href} is not a page"
            assert sitemap[href]["alternates"] == alternates, f"{href} and {loc} disagree"
    home = sitemap[f"{BASE}/en/"]["alternates"]
    assert home == {"en": f"{BASE}/en/", "fr": f"{BASE}/fr/", "x-default": f"{BASE}/en/"}
    connect = sitemap[f"{BASE}/en/connect/"]["alternates"]
    assert connect["fr"] == f"{BASE}/fr/joindre/"


def test_a_page_in_one_language_lists_only_that_version() -> None:
    reg = registry.load(GOLDEN_SITE / "sources.yaml").registry
    loaded = load_content(GOLDEN_SITE / "content", reg.site.languages, display_root=GOLDEN_SITE)
    model = site.build(reg, [], loaded, NOW)
    urls = Urls({("notice", "en"): "road-closures", ("avis", "fr"): "fermetures"})
    routes = {
        "en": [Route("connect"), Route("page", "notice")],
        "fr": [Route("connect"), Route("page", "avis")],
    }
    found = {entry.loc: dict(entry.alternates) for entry in cdn.sitemap_urls(model, urls, routes)}
    english = f"{BASE}/en/pages/road-closures/"
    french = f"{BASE}/fr/pages/fermetures/"
    assert found[english] == {"en": english, "x-default": english}
    # No version in the default language, so no x-default either.
    assert found[french] == {"fr": french}
    assert len(found) == 4


def test_sitemap_alternates_are_the_ones_each_page_declares(
    out: Path, sitemap: dict[str, dict[str, Any]]
) -> None:
    for loc, entry in sitemap.items():
        page = out / (loc.removeprefix(BASE + "/") + "index.html")
        assert head_of(page).alternates == entry["alternates"], loc


def test_lastmod_is_the_newest_post_a_page_shows(sitemap: dict[str, dict[str, Any]]) -> None:
    home = sitemap[f"{BASE}/en/"]["lastmod"]
    assert home is not None and home == sitemap[f"{BASE}/fr/"]["lastmod"]
    assert datetime.fromisoformat(home) <= NOW
    assert sitemap[f"{BASE}/en/connect/"]["lastmod"] is None
    assert sitemap[f"{BASE}/en/pages/about/"]["lastmod"] is None
    for entry in sitemap.values():
        if entry["lastmod"] is not None:
            moment = datetime.fromisoformat(entry["lastmod"])
            assert moment.tzinfo is not None and moment <= NOW


def test_a_large_sitemap_becomes_an_index_of_files_within_the_limits() -> None:
    entries = [
        cdn.SitemapUrl(
            f"{BASE}/en/units/u{n}/",
            (("en", f"{BASE}/en/units/u{n}/"),),
            datetime(2026, 1, 2, tzinfo=UTC) if n == 0 else None,
        )
        for n in range(7)
    ]
    files = cdn.sitemap_files(entries, BASE, max_urls=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    children = [loc.text for loc in index.iter(f"{SM}loc")]
    assert children == [f"{BASE}/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = []
    for n in (1, 2, 3):
        urls = ET.fromstring(files[f"sitemap-{n}.xml"]).findall(f"{SM}url")
        assert 1 <= len(urls) <= 3
        listed += [u.findtext(f"{SM}loc") for u in urls]
    assert listed == [e.loc for e in entries]
    assert b"<lastmod>2026-01-02T00:00:00+00:00</lastmod>" in files["sitemap-1.xml"]
    by_size = cdn.sitemap_files(entries, BASE, max_bytes=700)
    assert len(by_size) > 2
    assert all(len(data) <= 700 for data in by_size.values())
    assert list(cdn.sitemap_files(entries, BASE)) == ["sitemap.xml"]


def test_robots_txt_allows_everything_and_names_the_sitemap(out: Path) -> None:
    text = (out / "robots.txt").read_text("utf-8")
    assert text == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"


# _headers and the Content-Security-Policy


def test_headers_file_parses_and_has_the_rules(out: Path) -> None:
    rules = dict(parse_headers((out / "_headers").read_text("utf-8")))
    assert dict(rules["/*"]) == dict(cdn.SECURITY_HEADERS)
    policy = "Content-Security-Policy"
    assert rules["/static/*"] == [
        ("Cache-Control", "public, max-age=31536000, immutable"),
        (policy, cdn.CSP),
    ]
    short = "public, max-age=300, stale-while-revalidate=60, stale-if-error=86400"
    # The language folders hold the search pages: each is split into its pages and folders.
    for pattern in ("/", "/en/", "/fr/joindre/*", "/sitemap.xml", "/robots.txt", "/404.html"):
        assert rules[pattern] == [("Cache-Control", short), (policy, cdn.CSP)], pattern
    for pattern in ("/en/search/*", "/fr/recherche/*"):
        assert rules[pattern] == [("Cache-Control", short), (policy, cdn.SEARCH_CSP)], pattern
    assert "/en/*" not in rules
    security = dict(rules["/*"])
    assert security["X-Content-Type-Options"] == "nosniff"
    assert security["X-Frame-Options"] == "DENY"
    assert security["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
        assert f"{feature}=()" in security["Permissions-Policy"]


def test_every_published_file_gets_one_cache_rule_and_the_security_headers(out: Path) -> None:
    rules = parse_headers((out / "_headers").read_text("utf-8"))
    # The gate's manifest is added after generate.collect, where _headers is written, so
    # it keeps the host's default (always revalidate), which suits a file builds read back.
    unlisted = ("_headers", MARKER, gate.MANIFEST_NAME)
    files = [p for p in out.rglob("*") if p.is_file() and p.name not in unlisted]
    assert files
    for file in files:
        relative = file.relative_to(out).as_posix()
        paths = {"/" + relative, url_path(out, file)}
        for path in paths:
            sent = headers_for(rules, path)
            hashed = relative.split("/")[0] in ("static", "media")
            assert sent.get("Cache-Control") == (cdn.IMMUTABLE if hashed else cdn.REVALIDATE), path
            for name, value in cdn.SECURITY_HEADERS:
                assert sent[name] == value, f"{path}: {name}"
            # One policy, never two joined: the search pages' alone lets WebAssembly run.
            search = relative.split("/")[1:2] in (["search"], ["recherche"])
            policy = cdn.SEARCH_CSP if search else cdn.CSP
            assert sent["Content-Security-Policy"] == policy, path


def test_the_policy_allows_only_the_site_itself_and_nothing_inline() -> None:
    policy = directives(cdn.CSP)
    assert policy == {
        "default-src": "'none'",
        "img-src": "'self'",
        "style-src": "'self'",
        "script-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
    }
    for word in ("unsafe-inline", "unsafe-eval", "data:", "http", "*"):
        assert word not in cdn.CSP
    meta = directives(cdn.META_CSP)
    assert meta == {k: v for k, v in policy.items() if k != "frame-ancestors"}


def test_every_page_carries_the_policy_before_it_loads_anything(out: Path) -> None:
    pages = html_files(out)
    searches = {"en/search/index.html", "fr/recherche/index.html"}
    assert {"index.html", "404.html", *searches} <= {p.relative_to(out).as_posix() for p in pages}
    for page in pages:
        head = head_of(page)
        search = page.relative_to(out).as_posix() in searches
        assert head.policies == [cdn.SEARCH_META_CSP if search else cdn.META_CSP], page
        assert not head.loads_before_policy, page


def test_no_page_has_inline_script_or_style(out: Path, demo_site: Site) -> None:
    for root in (out, demo_site.out):
        for page in html_files(root):
            assert not head_of(page).inline, page


def test_css_and_js_names_carry_a_hash_of_their_content(out: Path) -> None:
    static = [p for p in (out / "static").rglob("*") if p.is_file()]
    assert {p.suffix for p in static} >= {".css", ".js"}
    for file in static:
        match = HASHED.search(file.name)
        assert match, file.name
        assert match.group(1) == hashlib.sha256(file.read_bytes()).hexdigest()[:10], file.name
    connect = (out / "en" / "connect" / "index.html").read_text("utf-8")
    for address in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', connect):
        assert (out / address.lstrip("/")).is_file(), address


def test_the_deploying_guide_quotes_the_headers_the_build_writes() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "deploying.md").read_text("utf-8")
    quoted = re.findall(r"default-src[^`\"]*", guide)
    assert quoted and set(quoted) == {cdn.CSP, cdn.SEARCH_CSP}
    for name, value in cdn.SECURITY_HEADERS:
        assert value in guide, name
    for value in (cdn.IMMUTABLE, cdn.REVALIDATE):
        assert guide.count(value) >= 2, value


def test_two_builds_write_the_same_bytes(tmp_path: Path) -> None:
    first = build_fixture(tmp_path / "first")
    second = build_fixture(tmp_path / "second")
    for name in ("sitemap.xml", "robots.txt", "_headers"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


# In a browser, with the headers applied


class _HeadersHandler(SimpleHTTPRequestHandler):
    """Static files with the headers ``_headers`` gives each path, as the hosts apply them."""

    def __init__(self, *args: Any, rules: Rules, **kwargs: Any) -> None:
        self.rules = rules  # before the base class, which answers the request in __init__
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in headers_for(self.rules, self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def with_headers(demo_site: Site) -> Iterator[str]:
    """The demo served with its ``_headers`` applied; the origin."""
    rules = parse_headers((demo_site.out / "_headers").read_text("utf-8"))
    handler = partial(_HeadersHandler, rules=rules, directory=demo_site.out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.effectiveDirective + " " + e.blockedURI);
});
"""


def one_of_each_kind(paths: list[str]) -> list[str]:
    """The first page of each shape: ``/en/``, ``/en/2/``, ``/en/officers/*``, ``/404.html``..."""
    kinds: dict[tuple[str, ...], str] = {}
    for path in paths:
        parts = path.strip("/").split("/")
        shape = (
            (*parts[:-1], "*")
            if len(parts) > 2
            else tuple("#" if part.isdigit() else part for part in parts)
        )
        kinds.setdefault(shape, path)
    return sorted(kinds.values())


def test_the_demo_loads_under_the_policy_without_a_violation(
    browser: Browser, demo_site: Site, with_headers: str
) -> None:
    page = browser.new_page()
    page.add_init_script(LISTEN)
    visiting = ""

    def hold(route: PlaywrightRoute) -> None:
        # The root page's 0 s refresh must not replace it before it is checked.
        request = route.request
        if request.is_navigation_request() and request.url != visiting:
            route.fulfill(status=204)
        else:
            route.continue_()

    page.route("**/*", hold)
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(r.url) if r.ok else None)
    paths = one_of_each_kind(demo_site.paths)
    assert {"/", "/en/connect/", "/404.html"} <= set(paths)
    try:
        for path in paths:
            visiting = with_headers + path
            response = page.goto(visiting, wait_until="load")
            assert response is not None
            search = path.strip("/").split("/")[1:2] in (["search"], ["recherche"])
            policy = cdn.SEARCH_CSP if search else cdn.CSP
            assert response.headers["content-security-policy"] == policy, path
            assert page.evaluate("window.__violations") == [], path
        visiting = with_headers + "/en/connect/"
        page.goto(visiting, wait_until="load")
        assert page.locator("[data-filter]").is_visible(), "filter.js did not run"
        assert any("/static/icons." in url for url in loaded)
        assert any("/media/" in url for url in loaded)
        # The listener does hear a violation: a remote image and an inline style are refused.
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend',"
            ' \'<img src="https://example.invalid/x.png"><b style="color:red">x</b>\')'
        )
        page.wait_for_function("window.__violations.length >= 2")
    finally:
        page.close()
