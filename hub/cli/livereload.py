"""``hub serve``'s live reload: the page reloads itself when a rebuild has finished.

Only the preview server adds it, to each HTML page as it sends it; nothing
of it is ever written into the output folder, so no build, and no
published site, has it. The page gets one small script from the server
itself (:data:`SCRIPT_PATH`), tagged with the build it was served from;
once a second it asks :data:`BUILD_PATH` which build is current, a few
bytes of JSON, and reloads when the answer differs. No dependency, no
socket kept open: a page whose server has stopped just keeps asking.

The site's Content-Security-Policy allows scripts from the site itself but
no ``fetch``: the page's ``<meta>`` policy is rewritten as it is served to
add ``connect-src 'self'``, for this server's pages only.
"""

from __future__ import annotations

import json
import os
import re
import threading
from html import escape, unescape

PREFIX = "/__hub/"
"""The preview server's own paths; no page of a site lives under it."""
SCRIPT_PATH = PREFIX + "livereload.js"
BUILD_PATH = PREFIX + "build"
POLL_MILLISECONDS = 1000

SCRIPT = f"""\
// hub serve: reload this page when a rebuild has finished. Never part of a build.
(function () {{
  "use strict";
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-build") : null;
  function again() {{ window.setTimeout(ask, {POLL_MILLISECONDS}); }}
  function ask() {{
    fetch("{BUILD_PATH}", {{ cache: "no-store" }})
      .then(function (response) {{ return response.json(); }})
      .then(function (state) {{
        if (seen === null || state.build === seen) {{ again(); }} else {{ location.reload(); }}
      }})
      .catch(again);
  }}
  again();
}})();
""".encode()

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_POLICY_META = re.compile(rb"""http-equiv\s*=\s*["']?content-security-policy\b""", re.IGNORECASE)
_CONTENT = re.compile(rb"""(\scontent\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class Builds:
    """Which build the server is showing: a marker that changes when a rebuild finishes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = os.urandom(4).hex()
        self._count = 0

    @property
    def marker(self) -> str:
        with self._lock:
            return f"{self._started}-{self._count}"

    def finished(self) -> None:
        """A rebuild has published a new site: the pages served before it reload."""
        with self._lock:
            self._count += 1

    def answer(self) -> bytes:
        """The body of :data:`BUILD_PATH`."""
        return json.dumps({"build": self.marker}).encode()


def allow(policy: str) -> str:
    """``policy`` with what the live reload needs: scripts and ``fetch`` to the site itself."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    for name in ("script-src", "connect-src"):
        sources = [s for s in directives.get(name, []) if s != "'none'"]
        if "'self'" not in sources:
            sources.insert(0, "'self'")
        directives[name] = sources
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def inject(page: bytes, marker: str) -> bytes:
    """``page`` with the live reload's script, its ``<meta>`` policy allowing it."""
    page = _META.sub(_with_policy_allowed, page)
    tag = f'<script src="{SCRIPT_PATH}" data-build="{escape(marker)}" defer></script>'.encode()
    for end in (_HEAD_END, _BODY_END):
        found = end.search(page)
        if found is not None:
            return page[: found.start()] + tag + page[found.start() :]
    return page + tag


def _with_policy_allowed(meta: re.Match[bytes]) -> bytes:
    """A ``<meta http-equiv="Content-Security-Policy">`` tag rewritten by :func:`allow`."""
    tag = meta.group(0)
    if _POLICY_META.search(tag) is None:
        return tag

    def content(found: re.Match[bytes]) -> bytes:
        policy = unescape((found.group(2) or found.group(3) or b"").decode("utf-8", "replace"))
        return found.group(1) + b'"' + escape(allow(policy), quote=True).encode() + b'"'

    return _CONTENT.sub(content, tag, count=1)
