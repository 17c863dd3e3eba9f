"""The rules of sources.yaml that span the document, and the model built once they pass.

The declaration (:mod:`hub.registry.format`) checks each value where it
stands; these rules need the whole document: ids that must exist and be
unique, parent cycles, handle rules per platform, duplicate accounts and
feeds, paths that must stay inside the registry's folder.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from hub.model import (
    NEUTRAL,
    Colors,
    Contact,
    FetchSettings,
    Officer,
    PublishSettings,
    Registry,
    Site,
    Text,
    Tips,
    Unit,
)
from hub.problems import did_you_mean
from hub.registry import reach
from hub.registry.accounts import AccountRules, items_of, text_of
from hub.registry.ranks import rank_text
from hub.registry.slugs import slugs_of, unique_addresses
from hub.registry.spec import INVALID, Fields
from hub.registry.tokens import SHARED_KEYS


class Rules(AccountRules):
    """The document-wide rules, and building the model once they pass."""

    def build(self, path: Path, doc: Fields) -> Registry | None:
        site = self.site(doc["site"]) if isinstance(doc.get("site"), Fields) else None
        unit_ids = self.unit_ids(doc)
        units = [self.unit(i, u, unit_ids) for i, u in items_of(doc, "units")]
        self.parent_cycles(doc, unit_ids)
        officer_ids: dict[str, tuple[int, str]] = {}
        officers = [self.officer(i, o, unit_ids, officer_ids) for i, o in items_of(doc, "officers")]
        languages = self.out.languages
        for kind, built in (("units", units), ("officers", officers)):
            ids = [(i, f, p.id) for (i, f), p in zip(items_of(doc, kind), built, strict=True) if p]
            unique_addresses(kind, ids, languages, self.error)
        built_units = tuple(u for u in units if u)
        built_officers = tuple(o for o in officers if o)
        admin = self.admin.collect(path, self.out.file, built_units, built_officers)
        if site is None or self.out.errors:
            return None
        return Registry(path, site, built_units, built_officers, admin)

    # site

    def site(self, f: Fields) -> Site | None:
        self.image_path(f, "logo", "site.logo")
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
        self.api_keys = dict(f.get("api", {}))
        for key, name in self.api_keys.items():
            if not self.is_set(name):
                self.warn(
                    f["api"], key, f"site.api.{key}", f"{name} is not set: {SHARED_KEYS[key]}"
                )
        theme = f.get("theme", "default")
        # The default theme ships with the package; any other is a folder of the site's.
        if theme != "default" and not (self.root / "themes" / theme).is_dir():
            self.error(
                f, "theme", "site.theme", f'no theme folder "themes/{theme}" next to the registry'
            )
        return Site(
            name=text_of(f["name"]) or Text.plain(""),
            url=f["url"].rstrip("/"),
            languages=tuple(f.get("languages") or ()),
            contact=Contact(
                emergency=contact.get("emergency", ""),
                non_emergency=contact.get("non_emergency"),
                tips=Tips(
                    text_of(tips["name"]) or Text.plain(""),
                    tips.get("phone"),
                    tips.get("url"),
                    reach.tips_text_of(tips.get("text")),
                    tips.get("online"),
                )
                if isinstance(tips, Fields) and "name" in tips
                else None,
            ),
            theme=theme,
            logo=f.get("logo"),
            colors=Colors(**colors),
            disclaimer=text_of(f.get("disclaimer")),
            fetch=fetch,
            publish=PublishSettings(**f.get("publish", {})),
            timezone=timezone,
            api=self.api_keys,
            audit_days=f.get("audit", {}).get("keep_days", 730),
            search_refresh=f.get("search", {}).get("refresh_minutes", 0),
            links=reach.links_of(f.get("links"), "site.links", self.error),
            topics={
                key: text
                for key, value in f.get("topics", {}).items()
                if (text := text_of(value)) is not None
            },
        )

    # units

    def unit_ids(self, doc: Fields) -> dict[str, int]:
        ids: dict[str, int] = {}
        for i, u in items_of(doc, "units"):
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
        self.image_path(f, "photo", f"{path}.photo")
        if "id" not in f or "name" not in f or "kind" not in f:
            return None
        owner = f"unit:{f['id']}"
        self.admin.admin_of(f, path, owner)
        return Unit(
            id=f["id"],
            name=text_of(f["name"]) or Text.plain(""),
            kind=f["kind"],
            parent=parent,
            official=f.get("official", False),
            description=text_of(f.get("description")),
            photo=f.get("photo"),
            monitoring=text_of(f.get("monitoring")),
            topics=tuple(t for t in f.get("topics", ()) if t is not INVALID),
            accounts=self.accounts_of(f, path, owner),
            station=reach.station_of(f.get("station")),
            slug=slugs_of(f),
        )

    def parent_cycles(self, doc: Fields, unit_ids: dict[str, int]) -> None:
        parents = {u["id"]: u.get("parent") for _, u in items_of(doc, "units") if "id" in u}
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
            fields = next(u for j, u in items_of(doc, "units") if j == i)
            cycle = " -> ".join([*chain, start])
            self.error(
                fields,
                "parent",
                f"units[{i}].parent",
                f"parent cycle: {cycle}; a unit cannot be inside itself",
            )

    # officers

    def rank_untranslated(self, f: Fields, path: str, rank: Text) -> None:
        """A warning for a rank written once that the table does not know in every one of
        the site's languages: it would show as written on every page, in one language."""
        written = rank.values.get(NEUTRAL)
        if written is None or len(self.out.languages) < 2:
            return
        # Written once, a rank is read as English (hub/registry/ranks.py).
        if all(lang in rank.values or lang == "en" for lang in self.out.languages):
            return
        example = ", ".join(f"{lang}: ..." for lang in self.out.languages)
        self.warn(
            f,
            "rank",
            path,
            f'"{written}" is shown as written in every language (the table of ranks does '
            f"not know it): give it in each, such as rank: {{{example}}} "
            "(docs/sources.md#ranks-in-french)",
        )

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
        self.image_path(f, "photo", f"{path}.photo")
        accounts = self.accounts_of(f, path, f"officer:{oid}")
        self.admin.admin_of(f, path, f"officer:{oid}")
        if not f.get("accounts"):
            self.warn(
                f, None, path, f"{name or oid} has no accounts: the card will only show the name"
            )
        rank = text_of(f.get("rank"))
        if rank is not None:
            rank = rank_text(rank, self.out.languages)
            self.rank_untranslated(f, f"{path}.rank", rank)
        if oid is None or name is None or unit is None:
            return None
        return Officer(
            id=oid,
            name=name,
            unit=unit,
            rank=rank,
            title=text_of(f.get("title")),
            photo=f.get("photo"),
            bio=text_of(f.get("bio")),
            topics=tuple(t for t in f.get("topics", ()) if t is not INVALID),
            languages=tuple(x for x in f.get("languages", ()) if x is not INVALID),
            since=since,
            until=until,
            monitoring=text_of(f.get("monitoring")),
            accounts=accounts,
            slug=slugs_of(f),
        )

    # accounts


def _is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
