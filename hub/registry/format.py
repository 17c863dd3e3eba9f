"""The sources.yaml format: every key, its type and what it means.

``python -m hub.registry.format`` writes the JSON Schema published for editors
(hub/registry/sources.schema.json); a test fails when the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hub.model import UNIT_KINDS
from hub.registry import platforms
from hub.registry.reach import LINKS, PHONE, STATION, TIPS_ONLINE, TIPS_TEXT
from hub.registry.slugs import SLUG
from hub.registry.spec import ID_PATTERN, LANG_PATTERN, Key, Keyed, ListOf, Nullable, Obj
from hub.registry.tokens import API_PLATFORMS, EnvName, Minutes
from hub.registry.values import Bool, Day, Enum, Number, SiteUrl, Str, Text, Url

SCHEMA_PATH = Path(__file__).with_name("sources.schema.json")

ID = Str(
    ID_PATTERN, "lowercase letters, digits and single hyphens, e.g. traffic-services", max_length=80
)
LANG = Str(LANG_PATTERN, "a language code such as en or fr", max_length=20)
PATH = Str(
    r"[^\\:*?\"<>|]+",
    "a relative path with forward slashes, e.g. content/photos/a.jpg",
    max_length=300,
)
COLOR = Str(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}", "a colour such as #0b3d91", max_length=7)
TOPIC = Str(ID_PATTERN, "lowercase words joined by hyphens, e.g. road-safety", max_length=60)
PLATFORM_NAMES = tuple(platforms.BY_NAME)


def _account_rules() -> dict[str, Any]:
    """Per-platform handle rules, for editors."""
    rules: list[dict[str, Any]] = [{"anyOf": [{"required": ["handle"]}, {"required": ["url"]}]}]
    for platform in platforms.PLATFORMS:
        names = [platform.key, *platform.aliases]
        if platform.takes_url:
            then: dict[str, Any] = {"required": ["url"], "not": {"required": ["handle"]}}
        else:
            then = {"properties": {"handle": {"pattern": f"^(?:{platform.pattern})$"}}}
        rules.append(
            {
                "if": {"properties": {"platform": {"enum": names}}, "required": ["platform"]},
                "then": then,
            }
        )
    api_names = [
        name
        for platform in platforms.PLATFORMS
        if platform.key in API_PLATFORMS
        for name in (platform.key, *platform.aliases)
    ]
    rules.append(
        {
            "if": {"required": ["token"]},
            "then": {"properties": {"platform": {"enum": api_names}}},
        }
    )
    return {"allOf": rules}


WHO = Str(max_length=200, description="A person or an office, e.g. S/Sgt Dana Ruiz, 52 Division.")
ADMIN = Obj(
    {
        "owner": Key(WHO),
        "contact": Key(Str(max_length=200, description="How to reach the owner: e-mail, phone.")),
        "trained": Key(Day("When the person running it completed the social-media training.")),
        "approved_by": Key(WHO),
        "approved": Key(Day("When the account was approved.")),
        "review_by": Key(Day("When it must next be reviewed: hub check warns once it passes.")),
        "notes": Key(Str(max_length=2000)),
    },
    (
        "Who answers for it. Never shown on the site, but readable by anyone who can read "
        "this file: keep it in sources.admin.yaml if the repository is public."
    ),
    example='{owner: "S/Sgt Dana Ruiz, 52 Division", review_by: 2027-03-20}',
)

ADMIN_FILE = Obj(
    {
        "units": Key(Keyed(ADMIN, "Blocks by unit id.")),
        "officers": Key(Keyed(ADMIN, "Blocks by officer id.")),
        "accounts": Key(Keyed(ADMIN, 'Blocks by account, "platform:handle".')),
    },
    "Who answers for each unit, officer and account, kept apart from sources.yaml.",
    example="units: {traffic: {owner: ...}}",
)

ACCOUNT = Obj(
    {
        "platform": Key(
            Enum(
                PLATFORM_NAMES,
                "Where the account is: x, facebook, mastodon, ...",
                shown=tuple(platforms.BY_KEY),
            ),
            required=True,
        ),
        "handle": Key(
            Str(
                max_length=200,
                description=("The account's name on the platform, in the form the platform uses."),
            )
        ),
        "url": Key(Url("The profile or website address; required for website and blog.")),
        "feed": Key(
            Str(
                max_length=2000,
                description=("A public feed: an http(s) URL, or a path relative to sources.yaml."),
            )
        ),
        "label": Key(Text(max_length=80, description="Shown instead of the platform's name.")),
        "language": Key(
            Str(
                LANG_PATTERN,
                "a language code such as en or fr",
                max_length=20,
                description="The language its posts are written in; wins over the feed's.",
            )
        ),
        "token": Key(
            EnvName(
                description=(
                    "The NAME of the environment variable (a CI secret) holding the token "
                    "the account's posts are read with through its platform's API, e.g. "
                    "HUB_TOKEN_FB_MAIN; never the token itself."
                )
            )
        ),
        "admin": Key(ADMIN),
    },
    "One official account.",
    example="{platform: x, handle: LakeviewPolice}",
    extra_schema=_account_rules,
)

ACCOUNTS = ListOf(ACCOUNT, max_items=100, description="The official accounts.")

FETCH = Obj(
    {
        "concurrency": Key(Number(1, 256, integer=True, description="Requests at once (32).")),
        "per_host": Key(Number(1, 16, integer=True, description="Requests at once per host (2).")),
        "connect_timeout": Key(Number(0.1, 120, description="Seconds to connect (5).")),
        "read_timeout": Key(Number(0.1, 300, description="Seconds between bytes (15).")),
        "total_timeout": Key(Number(0.1, 600, description="Seconds for a whole request (30).")),
        "max_bytes": Key(
            Number(
                1024,
                100 * 1024 * 1024,
                integer=True,
                description="Largest feed body in bytes (5 MiB).",
            )
        ),
        "max_redirects": Key(Number(0, 20, integer=True, description="Redirects followed (5).")),
        "allow_private_addresses": Key(
            Bool("Allow feeds on private and loopback addresses, for intranet feeds (false).")
        ),
        "max_entries": Key(
            Number(1, 10_000, integer=True, description="Entries kept per feed (200).")
        ),
        "api_interval": Key(
            Minutes(
                "Least minutes between two API reads of one account: one number, or one "
                "per platform such as {x: 60} (x: 60, the others 15)."
            )
        ),
    },
    "Limits for fetching feeds.",
)

API = Obj(
    {
        "x_bearer_token": Key(
            EnvName(
                description=(
                    "The NAME of the environment variable holding an X app-only bearer "
                    "token: X accounts without token: or feed: are read with it."
                ),
                example="HUB_X_BEARER_TOKEN",
            )
        ),
        "youtube_key": Key(
            EnvName(
                description=(
                    "The NAME of the environment variable holding a YouTube Data API v3 "
                    "key: the channel of each YouTube account listed by @handle is looked "
                    "up with it once, then read from its public feed."
                ),
                example="HUB_YOUTUBE_KEY",
            )
        ),
    },
    "Shared API keys, each the NAME of the environment variable that holds it.",
    example="{x_bearer_token: HUB_X_BEARER_TOKEN, youtube_key: HUB_YOUTUBE_KEY}",
)


def _ratio(what: str, default: float) -> Key:
    return Key(
        Number(
            0,
            1,
            description=(
                f"Refuse to publish when the new site has fewer {what} than this share of the "
                f"published site's ({default:g}); 0 turns the check off."
            ),
        )
    )


AUDIT = Obj(
    {
        "keep_days": Key(
            Number(
                0,
                36_500,
                integer=True,
                description=(
                    "Days the store keeps a post's earlier versions, its withdrawal and what "
                    "curation did to it, for records requests (730); 0 keeps none."
                ),
            )
        ),
    },
    "The audit trail (hub audit): never published.",
    example="{keep_days: 730}",
)

SEARCH = Obj(
    {
        "refresh_minutes": Key(
            Number(
                0,
                1440,
                integer=True,
                description=(
                    "Minutes the search index may stay behind new posts, so that a "
                    "scheduled run with new posts only need not index every page again "
                    "(0: current at every build). A post deleted, hidden or edited, and "
                    "any change to the registry or content/, refresh it at once."
                ),
            )
        ),
    },
    "The site's search (Pagefind).",
    example="{refresh_minutes: 60}",
)

PUBLISH = Obj(
    {
        "min_entries_ratio": _ratio("posts", 0.5),
        "min_profiles_ratio": _ratio("units and officers", 0.8),
        "min_feeds_ratio": _ratio("feeds with posts", 0.5),
    },
    "The publish gate: how much smaller than the published site a new build may be.",
    example="{min_entries_ratio: 0.5}",
)

SITE = Obj(
    {
        "name": Key(Text(max_length=200, description="The service's name."), required=True),
        "url": Key(
            SiteUrl(
                "Where the site is deployed, e.g. https://connect.lakeview.example, or "
                "https://org.github.io/hub/ under a path"
            ),
            required=True,
        ),
        "languages": Key(
            ListOf(
                LANG,
                min_items=1,
                max_items=10,
                unique=True,
                description="The site's languages; the first is the default.",
            ),
            required=True,
        ),
        "theme": Key(
            Str(
                ID_PATTERN,
                "a theme folder name such as default",
                max_length=80,
                description="A folder under themes/ that overrides themes/default.",
            )
        ),
        "logo": Key(PATH),
        "colors": Key(Obj({"primary": Key(COLOR), "accent": Key(COLOR)}, "Brand colours.")),
        "contact": Key(
            Obj(
                {
                    "emergency": Key(PHONE, required=True),
                    "non_emergency": Key(PHONE),
                    "tips": Key(
                        Obj(
                            {
                                "name": Key(Text(max_length=120), required=True),
                                "phone": Key(PHONE),
                                "url": Key(Url()),
                                "text": Key(TIPS_TEXT),
                                "online": Key(TIPS_ONLINE),
                            },
                            "An anonymous tip line such as Crime Stoppers.",
                        )
                    ),
                },
                "Numbers shown before anything else on the home page.",
            ),
            required=True,
        ),
        "links": Key(LINKS),
        "topics": Key(
            Keyed(
                Text(max_length=60),
                "Each topic's name in each language, by the topic as units and officers "
                "write it: {bike-theft: {en: Bike theft, fr: Vols de vélos}}. A topic the "
                "hub does not know is otherwise shown as written, in every language.",
            )
        ),
        "disclaimer": Key(
            Text(
                max_length=500,
                description=('Shown on every account card, e.g. "Not monitored 24/7."'),
            )
        ),
        "fetch": Key(FETCH),
        "api": Key(API),
        "publish": Key(PUBLISH),
        "audit": Key(AUDIT),
        "search": Key(SEARCH),
        "timezone": Key(
            Str(
                r"[A-Za-z_]+(/[A-Za-z0-9_+-]+)*",
                "an IANA time zone such as America/Toronto",
                max_length=64,
                description="The time zone dates are shown in (UTC).",
            )
        ),
    },
    "The service and its site.",
)

UNIT = Obj(
    {
        "id": Key(ID, required=True),
        "name": Key(Text(max_length=200), required=True),
        "kind": Key(
            Enum(
                UNIT_KINDS,
                "office, division, unit, committee or partner (an organization outside the"
                " service, such as Crime Stoppers); the directory groups units by kind",
            ),
            required=True,
        ),
        "parent": Key(Nullable(ID)),
        "official": Key(Bool("The service's main accounts, shown first on the home page.")),
        "description": Key(Text(max_length=2000)),
        "photo": Key(PATH),
        "monitoring": Key(Text(max_length=500, description="Overrides site.disclaimer.")),
        "topics": Key(ListOf(TOPIC, max_items=30, unique=True)),
        "accounts": Key(ACCOUNTS),
        "station": Key(STATION),
        "slug": Key(SLUG),
        "admin": Key(ADMIN),
    },
    "A unit: an office, a division, a specialized unit, a community committee or a partner.",
    example="{id: traffic, name: ..., kind: unit}",
)

OFFICER = Obj(
    {
        "id": Key(ID),
        "name": Key(Str(max_length=120), required=True),
        "rank": Key(Text(max_length=40, description="Before the name; common ranks translated.")),
        "title": Key(Text(max_length=200)),
        "unit": Key(ID, required=True),
        "photo": Key(PATH),
        "bio": Key(Text(max_length=2000)),
        "topics": Key(ListOf(TOPIC, max_items=30, unique=True)),
        "languages": Key(ListOf(LANG, max_items=10, unique=True)),
        "since": Key(Day()),
        "until": Key(Day("Set when the officer leaves: the accounts are archived, not deleted.")),
        "monitoring": Key(Text(max_length=500, description="Overrides site.disclaimer.")),
        "accounts": Key(ACCOUNTS),
        "slug": Key(SLUG),
        "admin": Key(ADMIN),
    },
    "An officer with official accounts.",
    example="{name: Jack West, unit: traffic}",
)

REGISTRY = Obj(
    {
        "site": Key(SITE, required=True),
        "units": Key(ListOf(UNIT, min_items=1), required=True),
        "officers": Key(ListOf(OFFICER)),
    },
    "The registry of a police service's official social-media accounts.",
    example="site: ..., units: [...], officers: [...]",
)


def json_schema() -> dict[str, Any]:
    schema = REGISTRY.schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://police-social-hub.example/sources.schema.json",
        "title": "sources.yaml",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")


if __name__ == "__main__":
    main()
