"""What CDNs and crawlers read beside the pages: sitemap, robots.txt and ``_headers``.

This module owns the site's HTTP policy. The Content-Security-Policy is
written once, here: ``_headers`` sends it as a header (Netlify, Cloudflare
Pages) and every page carries :data:`META_CSP` in a ``<meta>`` tag for hosts
that cannot set headers (GitHub Pages). Choices worth knowing:

- The policy starts from ``default-src 'none'`` and allows only what the
  theme uses: stylesheets, its scripts and images, all from the site itself.
  No page has inline script or style (the brand colours are a generated
  stylesheet), so nothing needs ``'unsafe-inline'``. ``base-uri``,
  ``form-action`` and ``frame-ancestors`` do not fall back to ``default-src``,
  so they are set on their own.
- The search pages alone get a little more (:data:`SEARCH_SOURCES`): Pagefind
  compiles its WebAssembly (``'wasm-unsafe-eval'``) and fetches its index
  (``connect-src 'self'``). :func:`page_policy` says which policy a page has;
  its ``<meta>`` tag and ``_headers`` both ask it.
- In ``_headers`` every matching rule applies and a header set by two rules
  is joined with a comma (two policies, both enforced), so each published
  path gets ``Cache-Control`` and the policy from exactly one rule: the
  hashed folders get a year, every other top-level folder and root file a
  short lifetime, and a folder that holds a search page is split into its
  files and folders so that the search page's folder has a rule of its own.
  ``/*`` carries only the other security headers.
- The sitemap lists every page in every language with its hreflang
  alternates. ``<lastmod>`` is the newest post a page shows (home, officer
  and unit pages), so a rebuild with nothing new writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from hub.model import PAGE_SIZE
from hub.outputs.files import Output
from hub.site.model import Post, SiteModel
from hub.site.urls import Route, RouteName, Urls

CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("img-src", "'self'"),
    ("style-src", "'self'"),
    ("script-src", "'self'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),
)
"""The Content-Security-Policy, directive by directive."""
HEADER_ONLY = frozenset({"frame-ancestors"})
"""Directives browsers ignore in a ``<meta>`` policy."""
SEARCH_SOURCES: tuple[tuple[str, str], ...] = (
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("connect-src", "'self'"),
)
"""What the search pages add: Pagefind compiles WebAssembly and fetches its index."""
SEARCH_ROUTES: frozenset[RouteName] = frozenset({"search"})
"""The pages that get the search policy; every other page gets the strict one."""


def content_security_policy(*, meta: bool = False, search: bool = False) -> str:
    """The policy as a header value, or without header-only directives for ``<meta>``.

    ``search``: the search pages' policy, the strict one with :data:`SEARCH_SOURCES`.
    """
    directives = dict(CSP_DIRECTIVES)
    if search:
        directives.update(SEARCH_SOURCES)
    return "; ".join(
        f"{name} {value}"
        for name, value in directives.items()
        if not (meta and name in HEADER_ONLY)
    )


CSP = content_security_policy()
META_CSP = content_security_policy(meta=True)
SEARCH_CSP = content_security_policy(search=True)
SEARCH_META_CSP = content_security_policy(meta=True, search=True)


def page_policy(route: Route | None, *, meta: bool) -> str:
    """The policy of the page at ``route``: for its ``<meta>`` tag, or as a header."""
    search = route is not None and route.name in SEARCH_ROUTES
    if search:
        return SEARCH_META_CSP if meta else SEARCH_CSP
    return META_CSP if meta else CSP


def search_folders(urls: Urls, languages: Iterable[str]) -> list[str]:
    """The folders of the search pages, ``en/search/``: what ``_headers`` relaxes."""
    return [
        urls.path(Route(name), lang).lstrip("/")
        for name in sorted(SEARCH_ROUTES)
        for lang in languages
    ]


IMMUTABLE = "public, max-age=31536000, immutable"
"""For content-hashed files: a change is a new name, so a year is safe."""
REVALIDATE = "public, max-age=300, stale-while-revalidate=60, stale-if-error=86400"
"""Pages, feeds, sitemap: fresh for 5 minutes, and served stale for a day if the origin fails."""
HASHED_FOLDERS = ("static", "media")
"""Top-level folders whose file names carry a hash of their content."""
SEARCH_INDEX = "pagefind"
"""The folder of the search index (:mod:`hub.publish.search` writes it): short-lived,
as ``pagefind.js`` and ``pagefind-entry.json`` keep their names from build to build."""
TYPED_FOLDERS: tuple[tuple[str, str], ...] = (("calendars", "text/calendar; charset=utf-8"),)
"""Top-level folders whose files get a ``Content-Type`` of their own, whatever a
host guesses from their names: the events' calendars (:mod:`hub.outputs.calendars`)."""

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    # The origin, never the path: a partner sees that a visitor came from the hub,
    # not which officer's page they were reading; nothing at all on a downgrade.
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()",
    ),
    ("X-Frame-Options", "DENY"),
)
"""Sent with every response (``/*``); the policy goes by path, :func:`headers_file`."""
POLICY_HEADER = "Content-Security-Policy"

HEADERS_FILE = "_headers"
ROBOTS_FILE = "robots.txt"
SITEMAP_FILE = "sitemap.xml"
MAX_URLS = 50_000
"""The sitemap protocol's limits per file: URLs, and bytes uncompressed."""
MAX_BYTES = 50 * 1024 * 1024

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET_OPEN = f'<urlset xmlns="{_SITEMAP_NS}" xmlns:xhtml="{_XHTML_NS}">\n'
_URLSET_CLOSE = "</urlset>\n"
_HEADERS_INTRO = """\
HTTP headers for Netlify and Cloudflare Pages, written by hub build.
Every matching rule applies and a header set twice is joined with a comma,
so no path below matches two rules that set Cache-Control or the policy."""


@dataclass(frozen=True)
class SitemapUrl:
    """One page in one language, as the sitemap lists it."""

    loc: str
    alternates: tuple[tuple[str, str], ...]
    """(hreflang, absolute URL) for every language version, then ``x-default``."""
    lastmod: datetime | None = None


def crawler_files(
    site: SiteModel, urls: Urls, routes: Mapping[str, Sequence[Route]]
) -> list[tuple[str, bytes, str]]:
    """(path, bytes, source) of the sitemap and robots.txt; ``routes``: each language's pages."""
    base = site.registry.site.url.rstrip("/")
    sitemaps = sitemap_files(sitemap_urls(site, urls, routes), base)
    files = [(name, data, "the sitemap") for name, data in sitemaps.items()]
    return [*files, (ROBOTS_FILE, robots_txt(base).encode(), "robots.txt")]


def add_headers(output: Output, search: Iterable[str] = ()) -> None:
    """Add ``_headers``. Call it last: it gives a cache lifetime and a policy to every
    path in ``output``, and to the search index the publish stage adds after it
    (:data:`SEARCH_INDEX`); ``search``: the search pages' folders (:func:`search_folders`)."""
    text = headers_file([*output.paths(), f"{SEARCH_INDEX}/pagefind.js"], search)
    output.add(HEADERS_FILE, text, source="the _headers file")


def sitemap_urls(
    site: SiteModel, urls: Urls, routes: Mapping[str, Sequence[Route]]
) -> list[SitemapUrl]:
    """Every page of every language, in the order the site is built."""
    base = site.registry.site.url.rstrip("/")
    languages = site.registry.site.languages
    present = {lang: set(routes.get(lang, ())) for lang in languages}
    found: list[SitemapUrl] = []
    for lang in languages:
        for route in routes.get(lang, ()):
            versions = [code for code in languages if route in present[code]]
            found.append(
                SitemapUrl(
                    loc=_absolute(base, urls.path(route, lang)),
                    alternates=_alternates(base, urls, route, versions, site),
                    lastmod=_lastmod(site, route),
                )
            )
    return found


def _alternates(
    base: str, urls: Urls, route: Route, versions: Sequence[str], site: SiteModel
) -> tuple[tuple[str, str], ...]:
    pairs = [(code, _absolute(base, urls.path(route, code))) for code in versions]
    default = site.registry.site.default_language
    if default in versions:
        pairs.append(("x-default", _absolute(base, urls.path(route, default))))
    return tuple(pairs)


def _absolute(base: str, path: str) -> str:
    return base + quote(path)


def _lastmod(site: SiteModel, route: Route) -> datetime | None:
    """The newest post the page shows, never later than the build; None for other pages."""
    posts = _posts_on(site, route)
    if route.name == "home" and route.number == 1 and site.pinned:
        # Pinned posts come first, whatever their age.
        newest = max((p.when for p in posts if p.when is not None), default=None)
    else:
        # Posts come newest first, undated ones last.
        newest = next((p.when for p in posts if p.when is not None), None)
    return min(newest, site.built_at) if newest is not None else None


def _posts_on(site: SiteModel, route: Route) -> Sequence[Post]:
    if route.name == "home":
        return site.river[:PAGE_SIZE]
    if route.name == "day":
        return next((day.posts for day in site.days if day.key == route.key), ())
    if route.name == "officer":
        return site.posts_by_owner.get(f"officer:{route.key}", ())
    if route.name == "unit":
        return site.posts_by_unit.get(route.key, ())
    return ()


def sitemap_files(
    entries: Sequence[SitemapUrl],
    base: str,
    *,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> dict[str, bytes]:
    """``sitemap.xml``; past the limits, an index of ``sitemap-1.xml``, ``sitemap-2.xml``..."""
    chunks = _chunks([_url_element(e) for e in entries], max_urls, max_bytes)
    if len(chunks) == 1:
        return {SITEMAP_FILE: _urlset(chunks[0])}
    files = {f"sitemap-{n}.xml": _urlset(chunk) for n, chunk in enumerate(chunks, 1)}
    files[SITEMAP_FILE] = _index([f"{base}/{name}" for name in files])
    return files


def _url_element(entry: SitemapUrl) -> str:
    lines = [f"<url>\n<loc>{escape(entry.loc)}</loc>\n"]
    if entry.lastmod is not None:
        moment = entry.lastmod.astimezone(UTC).isoformat(timespec="seconds")
        lines.append(f"<lastmod>{moment}</lastmod>\n")
    for code, href in entry.alternates:
        lines.append(
            f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(href)}/>\n'
        )
    lines.append("</url>\n")
    return "".join(lines)


def _chunks(elements: Sequence[str], max_urls: int, max_bytes: int) -> list[list[str]]:
    """``elements`` cut into runs that fit one sitemap file each (at least one run)."""
    room = max_bytes - len((_XML_DECLARATION + _URLSET_OPEN + _URLSET_CLOSE).encode())
    chunks: list[list[str]] = [[]]
    size = 0
    for element in elements:
        length = len(element.encode())
        if chunks[-1] and (len(chunks[-1]) >= max_urls or size + length > room):
            chunks.append([])
            size = 0
        chunks[-1].append(element)
        size += length
    return chunks


def _urlset(elements: Iterable[str]) -> bytes:
    return (_XML_DECLARATION + _URLSET_OPEN + "".join(elements) + _URLSET_CLOSE).encode()


def _index(locations: Iterable[str]) -> bytes:
    body = "".join(f"<sitemap>\n<loc>{escape(loc)}</loc>\n</sitemap>\n" for loc in locations)
    return (
        f'{_XML_DECLARATION}<sitemapindex xmlns="{_SITEMAP_NS}">\n{body}</sitemapindex>\n'
    ).encode()


def robots_txt(base: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}/{SITEMAP_FILE}\n"


def headers_file(paths: Iterable[str], search: Iterable[str] = ()) -> str:
    """``_headers`` for the published ``paths``: the security headers on all, and on
    each path one rule with its cache lifetime and its policy. ``search``: the
    folders (``en/search/``) whose pages get the search policy."""
    relaxed = set(search)
    searched = {f"/{folder}*" for folder in relaxed}
    hashed: list[str] = []
    short: list[str] = []
    searching: list[str] = []
    for pattern in _patterns(sorted(paths), "", relaxed):
        top = pattern.strip("/").split("/")[0]
        if pattern in searched:
            searching.append(pattern)
        elif top in HASHED_FOLDERS and pattern.endswith("/*"):
            hashed.append(pattern)
        else:
            short.append(pattern)
    blocks = [
        "".join(f"# {line}\n" for line in _HEADERS_INTRO.splitlines()),
        _rule("/*", SECURITY_HEADERS),
        _group(
            "Content-hashed names: a changed file is published under a new name.",
            [_rule(p, [("Cache-Control", IMMUTABLE), (POLICY_HEADER, CSP)]) for p in hashed],
        ),
        _group(
            "Pages, feeds and the sitemap: short-lived, served stale if the origin fails.",
            [_rule(p, [("Cache-Control", REVALIDATE), (POLICY_HEADER, CSP)]) for p in short],
        ),
        _group(
            "The search pages: Pagefind compiles WebAssembly and fetches its index.",
            [
                _rule(p, [("Cache-Control", REVALIDATE), (POLICY_HEADER, SEARCH_CSP)])
                for p in searching
            ],
        ),
        _group(
            "Calendars: iCalendar files, whatever the host guesses from their names.",
            [_rule(f"/{name}/*", [("Content-Type", kind)]) for name, kind in _typed(paths)],
        ),
    ]
    return "\n".join(block for block in blocks if block)


def _typed(paths: Iterable[str]) -> list[tuple[str, str]]:
    """The :data:`TYPED_FOLDERS` that hold some of ``paths``."""
    tops = {path.split("/")[0] for path in paths if "/" in path}
    return [(name, kind) for name, kind in TYPED_FOLDERS if name in tops]


def _patterns(paths: Sequence[str], folder: str, relaxed: set[str]) -> list[str]:
    """Rule patterns under ``folder`` (``""`` or ``en/``) that match each of ``paths`` once.

    A folder is one pattern (``/static/*``) unless a search page's folder lies
    inside it: then it is the folder's own page (``/en/``), each of its files
    and a pattern for each folder in it, and so on down to the search page's.
    """
    inside = [p.removeprefix(folder) for p in paths if p.startswith(folder)]
    folders, files = _top_level(inside)
    found = ["/" + folder]
    found += [f"/{folder}{name}" for name in files if not (folder == "" and name == HEADERS_FILE)]
    for name in folders:
        sub = f"{folder}{name}/"
        if sub not in relaxed and any(r.startswith(sub) for r in relaxed):
            found += _patterns(paths, sub, relaxed)
        else:
            found.append(f"/{sub}*")
    return found


def _top_level(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """(folders, files) at the top of ``paths``, each sorted."""
    folders: set[str] = set()
    files: set[str] = set()
    for path in paths:
        head, slash, _ = path.partition("/")
        (folders if slash else files).add(head)
    return sorted(folders), sorted(files)


def _group(comment: str, rules: Sequence[str]) -> str:
    """Rules under a comment, a blank line between rules; empty without rules."""
    if not rules:
        return ""
    lines = "".join(f"# {line}\n" for line in comment.splitlines())
    return lines + "\n".join(rules)


def _rule(pattern: str, headers: Iterable[tuple[str, str]]) -> str:
    return pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in headers)
