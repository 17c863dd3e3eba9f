"""``hub serve``: build, serve the output on 127.0.0.1, rebuild on changes.

For previewing an edit before opening a pull request, not for production
(production is a CDN in front of the output folder). The first build fetches
feeds unless ``--offline``; rebuilds after an edit never fetch, so they are quick.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from hub.problems import HubError

POLL_SECONDS = 1.0


class _Handler(SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass


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


def serve(options: Any, build: Callable[[Any], int]) -> int:
    """Build once, then serve and rebuild (offline) whenever a watched file changes."""
    status = build(options)
    if status != 0:
        return status
    handler = functools.partial(_Handler, directory=str(options.out))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", options.port), handler)
    except OSError as exc:
        raise HubError(
            f"cannot listen on 127.0.0.1:{options.port}: {exc.strerror}; choose another --port"
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        f"serving {options.out}/ at http://127.0.0.1:{options.port}/ "
        "(Ctrl-C to stop); rebuilding on changes",
        file=sys.stderr,
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
                print("change detected: rebuilding", file=sys.stderr)
                try:
                    build(offline)
                except HubError as exc:  # keep serving the last good site
                    print(f"error: {exc}", file=sys.stderr)
    finally:
        server.shutdown()
