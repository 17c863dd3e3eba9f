"""Shared fixtures for the browser and validator checks: built sites, a static
server, one headless Chromium, and a log of what a page did while it loaded.

A test module that needs them declares ``pytest_plugins = ("tests.browser",)``
and imports nothing from here at run time (only for type checking), so that
pytest registers this module once, as a plugin: the demo and the hostile
fixture are built once per session, and each module runs one browser.

Chromium is Debian's (``/usr/bin/chromium``), which ``scripts/test.sh``
installs. The server is a plain static one, sending none of the ``_headers``
a CDN would: what a page loads, runs or refuses is down to the page itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Error,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    WebSocket,
    sync_playwright,
)

from hub import pipeline
from hub.model import Registry
from hub.registry import load as registry
from hub.site.content import load_content
from hub.site.urls import SEGMENTS, file_for
from hub.store.database import STORE_NAME, Store
from hub.store.update import update

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "data" / "hostile"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
"""The build's clock: fixed, so the pages (and the demo's current alert) never drift."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_HOST = "127.0.0.1"

PAGE_KINDS = (
    "home",
    "day",
    "directory",
    "platform",
    "topic",
    "former",
    "appeals",
    "events",
    "verify",
    "search",
    "officer",
    "unit",
    "station",
    "content-page",
    "not-found",
    "root",
)
"""The kinds of page a site has, each checked wherever one page stands for all."""
LANGUAGE_FREE = frozenset({"not-found", "root"})
"""Kinds with one page for every language."""
FOLDERS = {
    "platform": "platform",
    "topic": "topic",
    "officer": "officer",
    "unit": "unit",
    "station": "unit",
    "content-page": "page",
}
"""Kinds with a page each, and the route whose folder holds them."""
MISSING_PATH = "/no/such/page/"


def build_site(sources: Path, out: Path, cache: Path) -> Registry:
    """Read the registry's feeds (local files) into ``cache`` and publish the site to ``out``."""
    reg = registry.load(sources).registry
    loaded = load_content(reg.root / "content", reg.site.languages, display_root=reg.root)
    with Store.open(cache / STORE_NAME) as store:
        report = update(reg, store, now=NOW)
    failed = [f"{outcome.source}: {outcome.message}" for outcome in report.failed]
    assert not failed, f"feeds that should have been read were not: {failed}"
    pipeline.build(reg, loaded, cache, out, now=NOW)
    return reg


def page_paths(out: Path) -> list[str]:
    """The URL path of every HTML page of a published site."""
    paths = []
    for file in sorted(out.rglob("*.html")):
        relative = file.relative_to(out).as_posix()
        if relative == "index.html" or relative.endswith("/index.html"):
            paths.append("/" + relative.removesuffix("index.html"))
        else:
            paths.append("/" + relative)
    return paths


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404 page, as a CDN serves it."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser drops connections it no longer needs (a cancelled favicon).
        pass


class StaticServer:
    """A published site served on 127.0.0.1 at a free port."""

    def __init__(self, root: Path) -> None:
        self._server = SiteServer((LOCAL_HOST, 0), partial(SiteHandler, directory=root))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def origin(self) -> str:
        return f"http://{LOCAL_HOST}:{self._server.server_address[1]}"


@dataclass(frozen=True)
class Site:
    """A built site and the server it is served on."""

    out: Path
    origin: str
    languages: tuple[str, ...]
    """The site's languages, the default first."""

    @property
    def paths(self) -> list[str]:
        return page_paths(self.out)

    def url(self, path: str) -> str:
        return self.origin + path

    def watch(self) -> Watch:
        return Watch(self.origin)

    def page(self, kind: str, lang: str) -> str:
        """The path of this site's page of ``kind`` (one of PAGE_KINDS) in ``lang``.

        Where a kind has many pages (officers, units, ...), the biggest: it has
        the most to check. A site with one page of latest activity has no
        "home-2"; its home page stands in.
        """
        words = SEGMENTS.get(lang, SEGMENTS["en"])
        days = sorted((self.out / lang / words["day"]).glob("*/index.html"), reverse=True)
        newest = f"/{lang}/{words['day']}/{days[0].parent.name}/" if days else f"/{lang}/"
        fixed = {
            "home": f"/{lang}/",
            "day": newest,
            "directory": f"/{lang}/{words['connect']}/",
            "former": f"/{lang}/{words['former']}/",
            "verify": f"/{lang}/{words['verify']}/",
            "search": f"/{lang}/{words['search']}/",
            "appeals": f"/{lang}/{words['appeals']}/",
            "events": f"/{lang}/{words['events']}/",
            "not-found": MISSING_PATH,
            "root": "/",
        }
        if kind in fixed:
            path = fixed[kind]
            exists = (self.out / file_for(path)).is_file()
            assert exists or kind == "not-found", f"the site has no page at {path}"
            return path
        folder = self.out / lang / words[FOLDERS[kind]]
        pages = sorted(folder.glob("*/index.html"), key=lambda p: (-p.stat().st_size, p))
        assert pages, f"the site has no page under {folder}"
        if kind == "station":  # the biggest unit page with a station, where one has
            pages = [p for p in pages if 'class="station"' in p.read_text("utf-8")] or pages
        return "/" + pages[0].parent.relative_to(self.out).as_posix() + "/"

    def languages_of(self, kind: str) -> tuple[str, ...]:
        """The languages a kind of page is checked in: one, if its page is every language's."""
        return self.languages[:1] if kind in LANGUAGE_FREE else self.languages

    def sample(self) -> list[str]:
        """A page of every kind in every language, and every content page."""
        paths = [self.page(kind, lang) for kind in PAGE_KINDS for lang in self.languages_of(kind)]
        for lang in self.languages:
            folder = self.out / lang / SEGMENTS.get(lang, SEGMENTS["en"])["page"]
            paths += [
                "/" + p.parent.relative_to(self.out).as_posix() + "/"
                for p in sorted(folder.glob("*/index.html"))
            ]
        return list(dict.fromkeys(paths))


@dataclass
class Watch:
    """What a page did while it loaded: dialogs, navigations, requests and errors.

    Attach it to a page before the first ``goto``: a listener added later never
    sees an alert fired while the page parses. Requests to any host but the
    local server are aborted before they leave the browser, and recorded; a
    navigation away from the page being visited is recorded and cancelled (a
    204 answer keeps the current document), so the rest of the page is still
    checked.
    """

    origin: str
    visiting: str = ""
    dialogs: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    """Errors the browser reported: a refused load, a failed request, a script error."""

    def attach(self, page: Page) -> None:
        page.on("dialog", self._on_dialog)
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("pageerror", self._on_error)
        page.on("console", self._on_console)
        page.on("websocket", self._on_websocket)
        page.route("**/*", self._route)

    def visit(self, page: Page, path: str, *, settle_ms: int = 0) -> Response | None:
        """Load ``path`` with fresh logs, then wait ``settle_ms`` for deferred actions."""
        if page.url != "about:blank":
            self.leave(page)
        for log in (
            self.dialogs,
            self.navigations,
            self.requests,
            self.blocked,
            self.missing,
            self.errors,
            self.console,
        ):
            log.clear()
        self.visiting = self.origin + path
        response = page.goto(self.visiting, wait_until="commit")
        # Not goto's own wait for "load": a navigation the page starts and the
        # route cancels leaves Playwright waiting for a load event it never sees.
        page.wait_for_function("() => document.readyState === 'complete'", polling=20)
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        return response

    def leave(self, page: Page) -> None:
        """Unload the page, so nothing it still had pending lands in the next page's logs."""
        page.goto("about:blank")

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    @property
    def third_party(self) -> list[str]:
        """Every address outside the local server that the page asked for."""
        return sorted({url for url in self.requests if not self.is_local(url)} | set(self.blocked))

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and response.url != self.visiting:
            self.missing.append(f"{response.status} {response.url}")

    def _on_error(self, error: Error) -> None:
        self.errors.append(f"{error.name}: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        # The page itself may be a 404 on purpose; its status is checked on its own.
        if message.type == "error" and message.location.get("url") != self.visiting:
            self.console.append(message.text)

    def _on_websocket(self, socket: WebSocket) -> None:
        self.requests.append(socket.url)

    def _route(self, route: Route) -> None:
        request = route.request
        local = self.is_local(request.url)
        if request.is_navigation_request() and request.url != self.visiting:
            self.navigations.append(request.url)
            if local:
                route.fulfill(status=204)
                return
        if local:
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort("blockedbyclient")


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing that phones home."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for a test module.

    Not for the session: Playwright's event loop runs for as long as the
    browser does, and the tests of other modules start loops of their own.
    """
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def _served(factory: pytest.TempPathFactory, name: str, sources: Path) -> Iterator[Site]:
    base = factory.mktemp(name)
    out = base / "public"
    # The build runs its own event loop, which cannot start on a thread where
    # the browser's is already running.
    with ThreadPoolExecutor(1) as pool:
        reg = pool.submit(build_site, sources, out, base / "cache").result()
    with StaticServer(out) as server:
        yield Site(out, server.origin, reg.site.languages)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo registry of this repository, built and served."""
    yield from _served(tmp_path_factory, "demo", ROOT / "sources.yaml")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """tests/data/hostile, whose feeds carry an attack in every field, built and served."""
    yield from _served(tmp_path_factory, "hostile", HOSTILE / "sources.yaml")


@pytest.fixture
def serve_folder() -> Iterator[Callable[[Path], Site]]:
    """Serve a folder of hand-written pages, as ``serve_folder(folder)``; stopped after the test."""
    with ExitStack() as stack:

        def start(folder: Path) -> Site:
            server = stack.enter_context(StaticServer(folder))
            return Site(folder, server.origin, ("en",))

        yield start
