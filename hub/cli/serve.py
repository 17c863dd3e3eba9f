"""``hub serve``: build, serve the output, rebuild on changes, reload the browser.

For previewing an edit before opening a pull request, not for production
(production is a CDN in front of the output folder). The first build fetches
feeds unless ``--offline``; rebuilds after an edit never fetch, so they are
quick. It listens on 127.0.0.1 unless ``--bind`` names another address, and
warns when that address is not this machine's own (loopback): the preview
then shows unreviewed content to whoever can reach the machine. Each HTML
page is sent with the live reload's script (:mod:`hub.cli.livereload`), so
the browser reloads when a rebuild has finished; the files on disk never
have it. A site whose ``site.url`` has a path (``https://org.github.io/hub/``)
is served under that path, as it will be online, and ``/`` sends the browser
there: every link the pages write starts with it.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hub.cli import livereload, messages
from hub.problems import HubError

POLL_SECONDS = 1.0


@dataclass
class Under:
    """The path the site is served under (``Site.base_path``), as the last good build had it."""

    prefix: str = ""


class _Handler(SimpleHTTPRequestHandler):
    builds: livereload.Builds

    def __init__(
        self, *args: Any, builds: livereload.Builds, under: Under | None = None, **kwargs: Any
    ) -> None:
        self.builds = builds
        self.under = under or Under()
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, *, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == livereload.BUILD_PATH:
            self._send(200, "application/json", self.builds.answer(), head)
        elif path == livereload.SCRIPT_PATH:
            self._send(200, "text/javascript; charset=utf-8", livereload.SCRIPT, head)
        elif self.under.prefix and path in ("/", self.under.prefix):
            self._redirect(self.under.prefix + "/")
        elif self.under.prefix and not path.startswith(self.under.prefix + "/"):
            self.send_error(404)
        elif (page := self._page(path)) is not None:
            self._send(200, "text/html; charset=utf-8", self._with_reload(page), head)
        elif head:
            super().do_HEAD()
        else:
            super().do_GET()

    def translate_path(self, path: str) -> str:
        """The file for ``path``, the site's path taken off first."""
        prefix = self.under.prefix
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix) :]
        return super().translate_path(path)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _page(self, path: str) -> Path | None:
        """The HTML file ``path`` is served from; None for anything else (redirects too)."""
        found = Path(self.translate_path(path))
        if found.is_dir():
            found = found / "index.html" if path.endswith("/") else found / "."
        return found if found.suffix == ".html" and found.is_file() else None

    def _with_reload(self, page: Path) -> bytes:
        return livereload.inject(page.read_bytes(), self.builds.marker)

    def _send(self, code: int, kind: str, body: bytes, head: bool = False) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # Every answer is fresh: a page from the cache would carry an old build's marker.
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code == 404 and page.is_file():
            self._send(404, "text/html; charset=utf-8", self._with_reload(page))
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def watched_files(root: Path, sources: Path) -> Iterator[Path]:
    yield sources
    for folder in (root / "content", root / "themes"):
        if folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file())


def snapshot(root: Path, sources: Path) -> dict[Path, float]:
    state = {}
    for path in watched_files(root, sources):
        try:
            state[path] = path.stat().st_mtime
        except OSError:
            continue
    return state


def loopback(address: str) -> bool:
    """Whether ``address`` is this machine's own, which no other machine can reach."""
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: whatever it resolves to may be reachable


def listen(address: str, port: int, handler: Callable[..., Any]) -> ThreadingHTTPServer:
    """The server on ``address``:``port``; HubError when it cannot listen there."""
    host = address.strip("[]")
    kind = _Server6 if ":" in host else ThreadingHTTPServer
    try:
        return kind((host, port), handler)
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise HubError(
            f"cannot listen on {address}:{port}: {reason}; choose another --port or --bind"
        ) from None


def serve(
    options: Any, build: Callable[[Any], int], base_path: Callable[[], str] = lambda: ""
) -> int:
    """Build once, then serve and rebuild (offline) whenever a watched file changes.

    ``base_path()``: the path the registry's ``site.url`` has, read after each good build.
    """
    status = build(options)
    if status != 0:
        return status
    builds = livereload.Builds()
    under = Under(base_path())
    handler = functools.partial(_Handler, directory=str(options.out), builds=builds, under=under)
    server = listen(options.bind, options.port, handler)
    if not loopback(options.bind):
        messages.warning(
            f"--bind {options.bind}: the preview is open to every machine that can reach this "
            "one, with whatever is not reviewed yet; the default, 127.0.0.1, keeps it to you"
        )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"[{server.server_address[0]}]" if ":" in options.bind else options.bind
    messages.status(
        f"serving {options.out}/ at http://{host}:{server.server_address[1]}{under.prefix}/ "
        "(Ctrl-C to stop); rebuilding on changes, and the browser reloads"
    )
    root = options.sources.resolve().parent
    offline = dataclasses.replace(options, offline=True)
    seen = snapshot(root, options.sources)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(root, options.sources)
            if now != seen:
                seen = now
                messages.status("change detected: rebuilding")
                try:
                    if build(offline) == 0:
                        under.prefix = base_path()
                        builds.finished()
                except HubError as exc:  # keep serving the last good site
                    messages.failure(exc.format())
    finally:
        server.shutdown()
