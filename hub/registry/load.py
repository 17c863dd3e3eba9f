"""Loads and validates sources.yaml into a :class:`hub.model.Registry`.

Validation reports every problem in one run, each with its line and column,
and never lets a Python exception reach the user for a mistake in the file.
Structure is checked by the declaration in :mod:`hub.registry.format`; this module adds
the rules that span the document: ids that must exist and be unique, parent
cycles, handle rules per platform, duplicate accounts, paths that must stay
inside the registry's folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from hub.model import (
    Account,
    Colors,
    Contact,
    FeedRef,
    FetchSettings,
    Officer,
    PublishSettings,
    Registry,
    Site,
    Text,
    Tips,
    Unit,
)
from hub.problems import Problem, RegistryError, did_you_mean
from hub.registry import platforms
from hub.registry.format import REGISTRY
from hub.registry.spec import INVALID, Checker, Fields, Items, is_web_url
from hub.registry.yamlnodes import Mark, YamlError, decode, end_mark, parse, paused_gc


@dataclass(frozen=True)
class Checked:
    """A registry that passed validation, and the warnings it raised."""

    registry: Registry
    warnings: tuple[Problem, ...]


def load(path: Path, *, display_name: str | None = None) -> Checked:
    """Read and validate a registry; raise RegistryError listing every problem."""
    name = display_name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RegistryError([Problem(name, 1, 1, "", f"cannot read the file: {reason}")]) from None
    return loads(data, path, display_name=name)


def loads(data: bytes, path: Path, *, display_name: str | None = None) -> Checked:
    """Validate registry bytes as if read from ``path`` (relative paths resolve from its folder)."""
    with paused_gc():
        try:
            checked = _loads(data, path, Checker(display_name or str(path)))
        except RegistryError as exc:
            raise RegistryError(_in_order(exc.problems, data)) from None
    return Checked(checked.registry, tuple(_in_order(list(checked.warnings), data)))


def _loads(data: bytes, path: Path, out: Checker) -> Checked:
    try:
        root = parse(decode(data))
    except YamlError as exc:
        for problem in exc.problems:
            out.report(problem.mark, "", problem.message)
        raise RegistryError(out.problems) from None
    if root is None:
        out.report(
            Mark(1, 1),
            "",
            "the file is empty: it needs site:, units: and officers: (see docs/sources.md)",
        )
        raise RegistryError(out.problems)
    out.languages = _languages(root)
    checked = REGISTRY.check(root, "", out)
    if checked is INVALID:
        raise RegistryError(out.problems)
    rules = _Rules(out, path.parent)
    registry = rules.build(path, checked)
    if out.errors or registry is None:
        raise RegistryError(out.problems)
    return Checked(registry, tuple(p for p in out.problems if p.severity == "warning"))


def _is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _in_order(problems: list[Problem], data: bytes) -> list[Problem]:
    """Problems in the order of the file, each on a line the file has."""
    if not problems:
        return problems
    end = end_mark(data.decode("utf-8", "replace").removeprefix("\ufeff"))
    placed = [
        p if (p.line, p.col) <= end else replace(p, line=end.line, col=end.col) for p in problems
    ]
    return sorted(placed, key=lambda p: (p.line, p.col))


def _languages(root: Any) -> tuple[str, ...]:
    """site.languages when well formed, so texts can be checked against it."""
    try:
        langs = root.value["site"].value["languages"].value
        values = tuple(node.value for node in langs)
    except (AttributeError, KeyError, TypeError):
        return ()
    return values if values and all(isinstance(v, str) for v in values) else ()


def _text(value: Any) -> Text | None:
    if value is None or value is INVALID:
        return None
    if isinstance(value, str):
        return Text.plain(value)
    return Text(dict(value))


def _items(fields: Fields, key: str) -> Iterator[tuple[int, Fields]]:
    items = fields.get(key)
    if isinstance(items, Items):
        for i, item in enumerate(items):
            if isinstance(item, Fields):
                yield i, item


class _Rules:
    """The document-wide rules, and building the model once they pass."""

    def __init__(self, out: Checker, root: Path) -> None:
        self.out = out
        self.root = root
        self.resolved_root = root.resolve()
        self.accounts: dict[str, str] = {}
        self.feeds: dict[str, str] = {}

    def error(self, fields: Fields, key: str | None, path: str, message: str) -> None:
        self.out.report(fields.mark(key), path, message)

    def warn(self, fields: Fields, key: str | None, path: str, message: str) -> None:
        self.out.report(fields.mark(key), path, message, "warning")

    def build(self, path: Path, doc: Fields) -> Registry | None:
        site = self.site(doc["site"]) if isinstance(doc.get("site"), Fields) else None
        unit_ids = self.unit_ids(doc)
        units = [self.unit(i, u, unit_ids) for i, u in _items(doc, "units")]
        self.parent_cycles(doc, unit_ids)
        officer_ids: dict[str, tuple[int, str]] = {}
        officers = [self.officer(i, o, unit_ids, officer_ids) for i, o in _items(doc, "officers")]
        if site is None or self.out.errors:
            return None
        return Registry(path, site, tuple(u for u in units if u), tuple(o for o in officers if o))

    # site

    def site(self, f: Fields) -> Site | None:
        self.local_path(f, "logo", "site.logo")
        contact = f.get("contact")
        if not isinstance(contact, Fields) or "name" not in f or "url" not in f:
            return None
        tips = contact.get("tips")
        colors = f.get("colors", {})
        fetch = FetchSettings(**f.get("fetch", {}))
        if fetch.read_timeout > fetch.total_timeout:
            self.error(
                f["fetch"],
                "read_timeout",
                "site.fetch.read_timeout",
                "must not be longer than total_timeout",
            )
        timezone = f.get("timezone", "UTC")
        if not _is_timezone(timezone):
            self.error(
                f,
                "timezone",
                "site.timezone",
                f'unknown time zone "{timezone}": use an '
                "IANA name such as America/Toronto or Europe/Paris",
            )
        theme = f.get("theme", "default")
        if not (self.root / "themes" / theme).is_dir():
            self.error(
                f, "theme", "site.theme", f'no theme folder "themes/{theme}" next to the registry'
            )
        return Site(
            name=_text(f["name"]) or Text.plain(""),
            url=f["url"].rstrip("/"),
            languages=tuple(f.get("languages") or ()),
            contact=Contact(
                emergency=contact.get("emergency", ""),
                non_emergency=contact.get("non_emergency"),
                tips=Tips(_text(tips["name"]) or Text.plain(""), tips.get("phone"), tips.get("url"))
                if isinstance(tips, Fields) and "name" in tips
                else None,
            ),
            theme=theme,
            logo=f.get("logo"),
            colors=Colors(**colors),
            disclaimer=_text(f.get("disclaimer")),
            fetch=fetch,
            publish=PublishSettings(**f.get("publish", {})),
            timezone=timezone,
        )

    # units

    def unit_ids(self, doc: Fields) -> dict[str, int]:
        ids: dict[str, int] = {}
        for i, u in _items(doc, "units"):
            uid = u.get("id")
            if uid is None:
                continue
            if uid in ids:
                self.error(
                    u,
                    "id",
                    f"units[{i}].id",
                    f'the id "{uid}" is already used by units[{ids[uid]}]',
                )
            else:
                ids[uid] = i
        return ids

    def unit(self, i: int, f: Fields, unit_ids: dict[str, int]) -> Unit | None:
        path = f"units[{i}]"
        parent = f.get("parent")
        if parent is not None and parent not in unit_ids:
            self.error(
                f,
                "parent",
                f"{path}.parent",
                f'no unit with id "{parent}"{did_you_mean(parent, unit_ids)}',
            )
        if parent is not None and parent == f.get("id"):
            self.error(f, "parent", f"{path}.parent", "a unit cannot be its own parent")
        self.local_path(f, "photo", f"{path}.photo")
        if "id" not in f or "name" not in f or "kind" not in f:
            return None
        owner = f"unit:{f['id']}"
        return Unit(
            id=f["id"],
            name=_text(f["name"]) or Text.plain(""),
            kind=f["kind"],
            parent=parent,
            official=f.get("official", False),
            description=_text(f.get("description")),
            photo=f.get("photo"),
            monitoring=_text(f.get("monitoring")),
            topics=tuple(t for t in f.get("topics", ()) if t is not INVALID),
            accounts=self.accounts_of(f, path, owner),
        )

    def parent_cycles(self, doc: Fields, unit_ids: dict[str, int]) -> None:
        parents = {u["id"]: u.get("parent") for _, u in _items(doc, "units") if "id" in u}
        reported: set[str] = set()
        for start in parents:
            chain = [start]
            node = parents.get(start)
            while node is not None and node in parents and node not in chain:
                chain.append(node)
                node = parents.get(node)
            # A unit that is its own parent is already reported by unit().
            if node != start or start in reported or len(chain) == 1:
                continue
            reported.update(chain)
            i = unit_ids[start]
            fields = next(u for j, u in _items(doc, "units") if j == i)
            cycle = " -> ".join([*chain, start])
            self.error(
                fields,
                "parent",
                f"units[{i}].parent",
                f"parent cycle: {cycle}; a unit cannot be inside itself",
            )

    # officers

    def officer(
        self, i: int, f: Fields, unit_ids: dict[str, int], ids: dict[str, tuple[int, str]]
    ) -> Officer | None:
        path = f"officers[{i}]"
        name = f.get("name")
        oid = f.get("id")
        if oid is None and name is not None:
            oid = slugify(name)
            if not oid:
                self.error(
                    f,
                    "name",
                    f"{path}.name",
                    "this name gives an empty id: add id: with lowercase letters",
                )
                return None
        if oid is not None:
            if oid in ids:
                j, other = ids[oid]
                why = "" if "id" in f else f' (the slug of "{name}")'
                self.error(
                    f,
                    "id" if "id" in f else "name",
                    f"{path}.id" if "id" in f else f"{path}.name",
                    f'the id "{oid}"{why} is already used by '
                    f"officers[{j}] ({other}): give one of them its own id: key",
                )
            else:
                ids[oid] = (i, name or oid)
        unit = f.get("unit")
        if unit is not None and unit not in unit_ids:
            self.error(
                f, "unit", f"{path}.unit", f'no unit with id "{unit}"{did_you_mean(unit, unit_ids)}'
            )
        since, until = f.get("since"), f.get("until")
        if since and until and until < since:
            self.error(f, "until", f"{path}.until", f"{until} is before since ({since})")
        self.local_path(f, "photo", f"{path}.photo")
        accounts = self.accounts_of(f, path, f"officer:{oid}")
        if not f.get("accounts"):
            self.warn(
                f, None, path, f"{name or oid} has no accounts: the card will only show the name"
            )
        if oid is None or name is None or unit is None:
            return None
        return Officer(
            id=oid,
            name=name,
            unit=unit,
            rank=f.get("rank"),
            title=_text(f.get("title")),
            photo=f.get("photo"),
            bio=_text(f.get("bio")),
            topics=tuple(t for t in f.get("topics", ()) if t is not INVALID),
            languages=tuple(x for x in f.get("languages", ()) if x is not INVALID),
            since=since,
            until=until,
            monitoring=_text(f.get("monitoring")),
            accounts=accounts,
        )

    # accounts

    def accounts_of(self, f: Fields, path: str, owner: str) -> tuple[Account, ...]:
        result = []
        for j, account in _items(f, "accounts"):
            built = self.account(account, f"{path}.accounts[{j}]", owner)
            if built is not None:
                result.append(built)
        return tuple(result)

    def account(self, f: Fields, path: str, owner: str) -> Account | None:
        name = f.get("platform")
        if name is None:
            return None
        platform = platforms.get(name)
        if platform is None:
            return None
        handle = f.get("handle")
        url = f.get("url")
        # A handle or url that is written but invalid was reported already.
        if ("handle" in f.node.value and handle is None) or ("url" in f.node.value and url is None):
            return None
        if platform.takes_url:
            if handle is not None:
                self.error(
                    f,
                    "handle",
                    f"{path}.handle",
                    f"a {platform.key} account takes url:, not handle:",
                )
            if url is None:
                self.error(
                    f,
                    None,
                    path,
                    f'missing required key "url" for a {platform.key} '
                    'account, e.g. url: "https://www.lakeview.example/"',
                )
                return None
        elif handle is not None:
            if not platform.is_valid(handle):
                self.error(
                    f,
                    "handle",
                    f"{path}.handle",
                    f'"{handle}" is not a valid '
                    f"{platform.label} handle: expected {platform.hint}, e.g. "
                    f"{platform.example}",
                )
                return None
            handle = platform.normalize(handle)
        elif url is None:
            self.error(
                f,
                None,
                path,
                f'missing "handle" (or "url") for the {platform.label} '
                f"account: expected {platform.hint}, e.g. handle: {platform.example}",
            )
            return None
        account = Account(
            platform=platform.key,
            handle=handle,
            url=url or platform.profile(handle or ""),
            feed=self.feed(f, path, platform.feed(handle) if handle else None),
            owner=owner,
            label=_text(f.get("label")),
        )
        first = self.accounts.setdefault(account.key, path)
        if first != path:
            self.error(
                f,
                "handle" if handle else "url",
                path,
                f"{platform.label} {handle or url} is listed twice (also at {first}); "
                "list each account once",
            )
        return account

    def feed(self, f: Fields, path: str, default: str | None) -> FeedRef | None:
        value = f.get("feed")
        if value is None:
            return FeedRef(default, url=default) if default else None
        where = f"{path}.feed"
        if "://" in value or value.lower().startswith(("javascript:", "data:", "file:")):
            if not is_web_url(value):
                self.error(
                    f,
                    "feed",
                    where,
                    f'expected an http:// or https:// URL or a relative path, got "{value}"',
                )
                return None
            ref = FeedRef(value, url=value)
        else:
            local = self.local_path(f, "feed", where)
            if local is None:
                return None
            ref = FeedRef(PurePosixPath(value).as_posix(), path=local)
        first = self.feeds.setdefault(ref.source, where)
        if first != where:
            self.warn(
                f,
                "feed",
                where,
                f"the same feed is also used by {first}: its posts "
                "will be shown once, under the first account",
            )
        return ref

    def local_path(self, f: Fields, key: str, where: str) -> Path | None:
        """A path relative to the registry that must stay inside its folder."""
        value = f.get(key)
        if value is None:
            return None
        relative = PurePosixPath(value)
        if relative.is_absolute() or value.startswith("~") or ":" in value:
            self.error(
                f,
                key,
                where,
                f'"{value}" must be a path relative to the registry\'s '
                "folder, e.g. content/feeds/news.xml",
            )
            return None
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.resolved_root):
            self.error(
                f,
                key,
                where,
                f'"{value}" leaves the registry\'s folder: keep files '
                "inside it, e.g. under content/",
            )
            return None
        if not target.is_file():
            self.warn(f, key, where, f'file "{value}" not found next to the registry')
        return target
