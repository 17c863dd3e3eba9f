"""The soak's published site (bench/soak.py): its posts, whether it is whole, and the
deployed copy (:class:`Deployed`), served on loopback at the site's address.

The posts are read from the site's archive (``archive/index.json`` and each
profile's JSON Feed pages, ``hub/outputs/archive.py``), which lists every
post the site shows, each with the feed it came from and its id there
(``_hub``); the profiles' pages and feeds show only the newest.

A published tree is whole when:

- it carries the marker of a published folder (``.hub-output``) and its
  manifest (``hub-manifest.json``), whose counts are those of the archive
  and of the registry;
- every archive the index names, and every page each one chains to, is there;
- every page, feed and file that a page links to, that the sitemap lists and
  that ``_headers`` names is there;
- every file the build's ledger (``build-files.json`` in the cache folder)
  says it wrote is there.

A temporary tree a killed build left beside the output folder
(``.public.new-<pid>``) is never read: only the output folder is the site.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from hub.feeds.sitearchive import INDEX_PATH
from hub.outputs.files import MARKER
from hub.publish.buildstate import LEDGER_NAME
from hub.publish.gate import MANIFEST_NAME

_LINK = re.compile(r'(?:href|src)="([^"]*)"')
_LOC = re.compile(r"<loc>([^<]*)</loc>")
_TAGS = re.compile(r"<[^>]+>")

Shown = dict[str, dict[str, tuple[str, str]]]
"""Per feed (its key in the archive): guid -> (date published, words)."""


@dataclass
class Site:
    """What one published tree shows, and what is wrong with it."""

    posts: Shown = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(posts) for posts in self.posts.values())


def digest(folder: Path) -> dict[str, str]:
    """Each file of ``folder`` (hidden ones too) and a hash of its bytes: to tell
    whether a tree changed, and to compare two trees."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def read(out: Path, site_url: str, *, profiles: int, cache: Path | None = None) -> Site:
    """The posts of the tree in ``out`` published for ``site_url``, and its problems.

    ``profiles`` is how many units and officers the registry has; ``cache``, the
    cache folder whose build ledger is checked against the tree.
    """
    site = Site()
    if not out.is_dir():
        site.problems.append(f"{out.name}/ is missing")
        return site
    if not (out / MARKER).is_file():
        site.problems.append(f"{out.name}/{MARKER} is missing: no published tree")
    _read_archive(out, site_url, site)
    _check_manifest(out, site, profiles)
    for page, target in _links(out, site_url):
        if not _exists(out, target):
            site.problems.append(f"{page} links to {target}, which is missing")
    if cache is not None:
        for path in _ledger_files(cache, out):
            if not (out / path).is_file():
                site.problems.append(f"{path}: the build's ledger lists it; it is missing")
    return site


def _read_archive(out: Path, site_url: str, site: Site) -> None:
    index = _json(out, INDEX_PATH, site)
    if index is None:
        return
    for first in index.get("archives", []):
        path: str | None = first
        seen: set[str] = set()
        while path is not None and path not in seen:
            seen.add(path)
            page = _json(out, path, site)
            if page is None:
                break
            for item in page.get("items", []):
                hub = item.get("_hub", {})
                words = _TAGS.sub("", item.get("content_html", item.get("content_text", "")))
                posts = site.posts.setdefault(hub.get("feed", "?"), {})
                if hub.get("id") in posts:
                    site.problems.append(f"{path}: {hub.get('id')} is listed twice")
                posts[hub.get("id", "?")] = (item.get("date_published", ""), words)
            following = page.get("next_url")
            path = _local(following, site_url) if following else None


def _check_manifest(out: Path, site: Site, profiles: int) -> None:
    manifest = _json(out, MANIFEST_NAME, site)
    if manifest is None:
        return
    dates = [when for posts in site.posts.values() for when, _ in posts.values()]
    counted = {
        "posts": site.count,
        "feeds_with_entries": sum(1 for posts in site.posts.values() if posts),
        "profiles": profiles,
        "newest_post": max(dates) if dates else None,
    }
    for name, value in counted.items():
        if manifest.get(name) != value:
            site.problems.append(
                f"{MANIFEST_NAME}: {name} is {manifest.get(name)!r}; the site shows {value!r}"
            )


def _json(out: Path, path: str, site: Site) -> Any:
    try:
        return json.loads((out / path).read_bytes())
    except (OSError, ValueError) as exc:
        site.problems.append(f"{path}: cannot be read: {exc}")
        return None


def _links(out: Path, site_url: str) -> Iterator[tuple[str, str]]:
    """(file, site path) of every link of the site's own: from its pages, the sitemap
    and ``_headers``."""
    for page in sorted(out.rglob("*.html")):
        name = page.relative_to(out).as_posix()
        base = PurePosixPath("/" + name).parent
        for link in _LINK.findall(page.read_text(encoding="utf-8")):
            target = _local(link, site_url, base)
            if target is not None:
                yield name, target
    sitemap = out / "sitemap.xml"
    if sitemap.is_file():
        for loc in _LOC.findall(sitemap.read_text(encoding="utf-8")):
            target = _local(loc, site_url)
            yield "sitemap.xml", target if target is not None else loc
    headers = out / "_headers"
    if headers.is_file():
        for line in headers.read_text(encoding="utf-8").splitlines():
            if line.startswith("/") and "*" not in line:
                yield "_headers", line.strip().lstrip("/")


def _local(link: str, site_url: str, base: PurePosixPath | None = None) -> str | None:
    """The path in the tree that ``link`` names, if it is one of the site's."""
    link = link.split("#", 1)[0].split("?", 1)[0]
    if link.startswith(site_url):
        return unquote(link[len(site_url) :])
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link or base is None:
        return None
    joined = PurePosixPath(link) if link.startswith("/") else base / link
    resolved: list[str] = []
    for part in joined.parts[1:]:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part != ".":
            resolved.append(part)
    return unquote("/".join(resolved) + ("/" if link.endswith("/") else ""))


def _exists(out: Path, target: str) -> bool:
    path = out / target
    if target == "" or target.endswith("/") or path.is_dir():
        return (path / "index.html").is_file()
    return path.is_file()


def _ledger_files(cache: Path, out: Path) -> list[str]:
    """The files the ledger says the last build wrote into ``out``; a build forgets
    its ledger before it changes the tree and saves the new one after."""
    try:
        saved = json.loads((cache / LEDGER_NAME).read_bytes())
    except (OSError, ValueError):
        return []
    if Path(saved.get("out", "")).resolve() != out.resolve():
        return []
    return sorted(saved.get("ledger", {}).get("files", {}))


class Deployed:
    """The deployed site: the output folder as the last deploy copied it, served on loopback."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        handler = partial(_QuietHandler, directory=str(folder))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def deploy(self, out: Path) -> None:
        fresh = self.folder.with_name(self.folder.name + ".new")
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.copytree(out, fresh)
        self.folder.rename(old)
        fresh.rename(self.folder)
        shutil.rmtree(old)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass
