"""The site's URL tree: one tree per language, with words in that language.

Every link the site writes goes through :class:`Urls`, so the language switch
can land on the same page in the other language and two pages never claim one
path. Paths are root-relative and end in ``/`` (served as ``index.html``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hub.model import Registry

RouteName = Literal[
    "home",
    "day",
    "connect",
    "officer",
    "unit",
    "page",
    "platform",
    "topic",
    "former",
    "appeals",
    "events",
    "verify",
    "search",
]

SEGMENTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "connect": "connect",
        "day": "days",
        "officer": "officers",
        "unit": "units",
        "page": "pages",
        "platform": "connect/platform",
        "topic": "connect/topic",
        "former": "connect/former",
        "appeals": "appeals",
        "events": "events",
        "verify": "verify",
        "search": "search",
    },
    "fr": {
        "connect": "joindre",
        "day": "jours",
        "officer": "agents",
        "unit": "unites",
        "page": "pages",
        "platform": "joindre/plateforme",
        "topic": "joindre/sujet",
        "former": "joindre/anciens",
        "appeals": "appels",
        "events": "evenements",
        "verify": "verifier",
        "search": "recherche",
    },
}
"""Path words per language; a language not listed uses the English words."""


@dataclass(frozen=True)
class Route:
    """A page of the site, independent of language."""

    name: RouteName
    key: str = ""
    """The officer or unit id, page name, platform, topic or day (``2026-12-07``)."""
    number: int = 1
    """The home page's former numbered pages (``/en/2/``), which now send readers on."""


class Urls:
    def __init__(
        self,
        slugs: Mapping[tuple[str, str], str] | None = None,
        addresses: Mapping[tuple[str, str, str], str] | None = None,
    ) -> None:
        self.slugs = dict(slugs or {})
        """(page name, language) -> that page's slug in that language."""
        self.addresses = dict(addresses or {})
        """(``unit`` or ``officer``, id, language) -> its address word there (:func:`addresses`)."""

    def path(self, route: Route, lang: str) -> str:
        words = SEGMENTS.get(lang, SEGMENTS["en"])
        if route.name == "home":
            base = f"/{lang}/"
        elif route.name in ("appeals", "events", "connect", "former", "verify", "search"):
            base = f"/{lang}/{words[route.name]}/"
        elif route.name == "day":
            base = f"/{lang}/{words['day']}/{route.key}/"
        elif route.name == "page":
            slug = self.slugs.get((route.key, lang), route.key)
            base = f"/{lang}/{words['page']}/{slug}/"
        else:
            key = self.addresses.get((route.name, route.key, lang), route.key)
            base = f"/{lang}/{words[route.name]}/{key}/"
        return base if route.number == 1 else f"{base}{route.number}/"

    def has(self, route: Route, lang: str) -> bool:
        """Whether the page exists in that language (content pages may not)."""
        return route.name != "page" or (route.key, lang) in self.slugs


def addresses(registry: Registry) -> dict[tuple[str, str, str], str]:
    """Each unit's and officer's ``slug:`` words: ``("unit", "traffic", "fr") -> "circulation"``.

    A page without one in a language is at its id there. Changing a slug
    moves the page: the old address is not kept.
    """
    found = {("unit", u.id, lang): word for u in registry.units for lang, word in u.slug.items()}
    found.update(
        (("officer", o.id, lang), word) for o in registry.officers for lang, word in o.slug.items()
    )
    return found


def file_for(path: str) -> str:
    """The file that serves a path: ``/en/connect/`` -> ``en/connect/index.html``."""
    relative = path.lstrip("/")
    return f"{relative}index.html" if relative.endswith("/") or not relative else relative
