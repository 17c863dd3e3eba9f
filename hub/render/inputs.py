"""What each page and feed is made from, as fingerprints, for incremental builds.

A scheduled run usually brings a few new posts. Rendering again only the files
that show one needs, for every file, what it was made from last time:

- the **site's fingerprint**, the same for every file: the code, the registry,
  content/, the theme and translations, and what of the day the pages show
  (alerts, events, who has left, pins and mutes: ``hub.pipeline._moment``), the
  names feeds give their accounts and the appeals' state. When it changes,
  everything is rendered again;
- the file's **own fingerprint**: its template, language and path, and what
  it was handed (a day's posts, a unit, a content page), posts by their
  fingerprints and the rest by value;
- the **posts it looked at** while rendering, recorded as it renders: the
  templates read them through :class:`WatchedSite`, which notes each list of
  posts a page takes (a unit's, an officer's, the pinned ones) and the
  appeals (which the posts resolve), whatever the theme does with them. Each
  is kept as a fingerprint of what it held.

:class:`Ledger` holds these per output path; the build keeps it in the cache
folder (:mod:`hub.publish.buildstate`). A file is rendered again when any of
the three changed, when the previous tree lacks it, or when there is no
ledger (a first build, or ``hub build --full``), and :class:`Ledger` says why.

A post's fingerprint is that of everything about it a page can show: its
entry (text, links, times, media, language), its account and owner, the
accounts it was cross-posted to, its excerpt, and the site's copy of its
picture. The registry's side of an account is in the site's fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from hub.site.model import Post, SiteModel

Dep = str
"""A list of posts a file looked at: ``"posts_by_unit:52d"``, ``"pinned"``."""
WATCHED_LISTS = ("posts", "river", "pinned")
"""The model's attributes that are lists of posts."""
WATCHED_MAPS = ("posts_by_owner", "posts_by_unit")
"""The model's attributes that map a profile to its list of posts."""
WATCHED_VALUES = ("appeals",)
"""The model's other attributes made from the posts: the appeals, resolved by them."""


class PostPrints:
    """Post fingerprints, each worked out once a build."""

    def __init__(self, thumbs: Mapping[str, object]) -> None:
        self._thumbs = thumbs
        self._made: dict[int, str] = {}

    def of(self, post: Post) -> str:
        found = self._made.get(id(post))
        if found is None:
            media = post.entry.media
            thumb = self._thumbs.get(media[0].url) if media else None
            text = "\0".join(
                (
                    repr(post.entry),
                    post.account.key,
                    post.owner,
                    repr(post.when),
                    post.excerpt,
                    ",".join(a.key for a in post.also),
                    repr(thumb),
                )
            )
            digest = hashlib.blake2b(text.encode(), digest_size=12)
            found = self._made[id(post)] = digest.hexdigest()
        return found

    def of_all(self, posts: Iterable[Post]) -> str:
        h = hashlib.blake2b(digest_size=16)
        for post in posts:
            h.update(self.of(post).encode())
        return h.hexdigest()


class _Watched(Mapping[str, Any]):
    """A profile -> posts mapping that notes each profile a page looks up."""

    def __init__(self, name: str, data: Mapping[str, Any], seen: set[Dep]) -> None:
        self._name = name
        self._data = data
        self._seen = seen

    def __getitem__(self, key: str) -> Any:
        self._seen.add(f"{self._name}:{key}")
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._seen.add(f"{self._name}:{key}")
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._seen.add(f"{self._name}:{key}")
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._seen.add(f"{self._name}:*")
        return iter(self._data)

    def __len__(self) -> int:
        self._seen.add(f"{self._name}:*")
        return len(self._data)


class WatchedSite:
    """The site model as templates see it: each list of posts they take is noted.

    Everything else is the model's own, unchanged.
    """

    def __init__(self, site: SiteModel) -> None:
        self._site = site
        self.seen: set[Dep] = set()
        self._maps = {name: _Watched(name, getattr(site, name), self.seen) for name in WATCHED_MAPS}

    def __getattr__(self, name: str) -> Any:
        if name in self._maps:
            return self._maps[name]
        if name in WATCHED_LISTS or name in WATCHED_VALUES:
            self.seen.add(name)
        return getattr(self._site, name)

    def taken(self) -> frozenset[Dep]:
        """What was noted since the last call, which starts a new page."""
        found = frozenset(self.seen)
        self.seen.clear()
        return found


def dep_print(site: SiteModel, dep: Dep, prints: PostPrints) -> str:
    """The fingerprint, now, of the list of posts ``dep`` names."""
    name, _, key = dep.partition(":")
    if name in WATCHED_VALUES:
        return hashlib.blake2b(repr(getattr(site, name)).encode(), digest_size=16).hexdigest()
    if name in WATCHED_LISTS:
        return prints.of_all(getattr(site, name))
    data: Mapping[str, Sequence[Post]] = getattr(site, name)
    if key == "*":
        return prints.of_all(p for k in sorted(data) for p in data[k])
    return prints.of_all(data.get(key, ()))


def own_print(*parts: object, prints: PostPrints) -> str:
    """A file's own fingerprint: its template, language, path and what it was handed.

    Posts count by their fingerprints, anything else by value, through its
    fields, items and elements.
    """
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(_part(part, prints).encode())
        h.update(b"\0")
    return h.hexdigest()


def _part(value: object, prints: PostPrints, depth: int = 0) -> str:
    if isinstance(value, Post):
        return prints.of(value)
    if value is None or isinstance(value, str | int | float | bool | date | datetime):
        return repr(value)
    if depth > MAX_DEPTH:
        return type(value).__name__
    if type(value).__module__ == REGISTRY_MODEL:
        # A unit, an officer, an account: the registry's, which the site's fingerprint covers.
        key = getattr(value, "key", None) or getattr(value, "id", None)
        if isinstance(key, str):
            return f"{type(value).__name__}:{key}"
    if is_dataclass(value) and not isinstance(value, type):
        inner = (_part(getattr(value, f.name), prints, depth + 1) for f in fields(value))
        return f"{type(value).__name__}({','.join(inner)})"
    if isinstance(value, Mapping):
        inner = (
            f"{_part(k, prints, depth + 1)}={_part(v, prints, depth + 1)}"
            for k, v in sorted(value.items(), key=lambda item: repr(item[0]))
        )
        return "{" + ",".join(inner) + "}"
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
        return "[" + ",".join(_part(v, prints, depth + 1) for v in items) + "]"
    return type(value).__name__


REGISTRY_MODEL = "hub.model"
"""The module of the registry's values (units, officers, accounts)."""
MAX_DEPTH = 8
"""How deep a page's context is followed; what lies deeper comes from the registry or
content/, which the site's fingerprint covers."""


@dataclass(frozen=True)
class Made:
    """What one file was made from."""

    own: str
    deps: Mapping[Dep, str] = field(default_factory=dict)


@dataclass
class Ledger:
    """Per output path, what it was made from: last build's, to compare, and this one's."""

    site: str
    """The site's fingerprint."""
    previous: Mapping[str, Made] = field(default_factory=dict)
    previous_site: str | None = None
    full: bool = False
    """Every file is rendered (``hub build --full``); the ledger is still kept."""
    made: dict[str, Made] = field(default_factory=dict)
    reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    """Why files were rendered: ``"pages"`` and ``"feeds"``, each reason -> how many."""

    def stale(self, path: str, own: str, current: Callable[[Dep], str]) -> str | None:
        """Why the file at ``path`` must be rendered again; None when the previous one is it."""
        before = self.previous.get(path)
        if self.full:
            reason = "full build"
        elif before is None:
            reason = "new" if self.previous else "no previous build"
        elif self.previous_site != self.site:
            reason = "site, theme or code changed"
        elif before.own != own:
            reason = "its posts changed"
        elif any(current(dep) != value for dep, value in before.deps.items()):
            reason = "posts it shows changed"
        else:
            self.made[path] = before
            return None
        return reason

    def fresh(self) -> Ledger:
        """The same comparison with nothing made yet: for another render process."""
        return Ledger(self.site, self.previous, self.previous_site, self.full)

    def missing(self, path: str) -> str:
        """The file :meth:`stale` found current is not in the previous site after all."""
        self.made.pop(path, None)
        return "missing from the previous site"

    def record(self, path: str, made: Made, reason: str) -> None:
        """``path`` was rendered, for ``reason``, from what ``made`` says."""
        self.made[path] = made
        counts = self.reasons.setdefault("pages" if path.endswith(".html") else "feeds", {})
        counts[reason] = counts.get(reason, 0) + 1

    def merge(self, made: Mapping[str, Made], reasons: Mapping[str, Mapping[str, int]]) -> None:
        """What another render process made and why."""
        self.made.update(made)
        for kind, counts in reasons.items():
            mine = self.reasons.setdefault(kind, {})
            for reason, number in counts.items():
                mine[reason] = mine.get(reason, 0) + number

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "files": {p: [m.own, dict(m.deps)] for p, m in sorted(self.made.items())},
        }

    @classmethod
    def after(cls, site: str, saved: object, *, full: bool = False) -> Ledger:
        """This build's ledger, given the one the previous build saved (damaged: none)."""
        previous_site, files = _files_of(saved)
        return cls(site, files, previous_site, full)


def _files_of(data: object) -> tuple[str | None, dict[str, Made]]:
    """The site's fingerprint and the files of a saved ledger; nothing if damaged."""
    if not isinstance(data, dict):
        return None, {}
    site, files = data.get("site"), data.get("files")
    if not isinstance(site, str) or not isinstance(files, dict):
        return None, {}
    made: dict[str, Made] = {}
    for path, value in files.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], str)
            and isinstance(value[1], dict)
        ):
            made[path] = Made(value[0], {str(k): str(v) for k, v in value[1].items()})
    return site, made


class Reuse:
    """One render process's choice, file by file, between rendering and keeping."""

    def __init__(self, ledger: Ledger, site: SiteModel, prints: PostPrints) -> None:
        self.ledger = ledger
        self.site = site
        self.prints = prints
        self._deps: dict[Dep, str] = {}

    def current(self, dep: Dep) -> str:
        """The fingerprint of ``dep``'s posts in this build."""
        found = self._deps.get(dep)
        if found is None:
            found = self._deps[dep] = dep_print(self.site, dep, self.prints)
        return found

    def own(self, *parts: object) -> str:
        return own_print(*parts, prints=self.prints)

    def record(self, path: str, own: str, deps: Iterable[Dep], reason: str) -> None:
        made = Made(own, {dep: self.current(dep) for dep in sorted(deps)})
        self.ledger.record(path, made, reason)
