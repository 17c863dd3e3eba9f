"""How the public reaches the service, beside the accounts: a unit's station, the
tip line's text and online channels, and the standard service links.

Part of the shared model (:mod:`hub.model` holds the rest): frozen values the
registry builds from ``sources.yaml`` and the theme shows. A station's map is
a link to a map search of its address, never an embedded map: a page loads
nothing from another host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote_plus

if TYPE_CHECKING:
    from hub.model import Text

MAP_SEARCH = "https://www.openstreetmap.org/search?query="
"""Where a station's map link leads: OpenStreetMap's search, given the address."""

LinkKind = Literal["complaints", "commendations", "records", "oversight", "other"]
LINK_KINDS: tuple[LinkKind, ...] = ("complaints", "commendations", "records", "oversight", "other")
"""The kinds of service link a theme knows, to order them or give each an icon;
``other`` is any page the registry names with its own label."""


@dataclass(frozen=True)
class Station:
    """Where a unit meets the public: its front desk (``units[].station``)."""

    address: Text
    """Lines of a postal address, one per line, in each language the registry gives."""
    phone: str | None = None
    hours: Text | None = None

    def map_url(self, lang: str, default: str) -> str:
        """An https link to a map search of the address in ``lang``, for a link only."""
        lines = self.address.get(lang, default).splitlines()
        return MAP_SEARCH + quote_plus(", ".join(line.strip() for line in lines if line.strip()))


@dataclass(frozen=True)
class TextTip:
    """Texting the tip line: send ``keyword`` (and the tip) to ``number``, a short code."""

    number: str
    keyword: str | None = None


@dataclass(frozen=True)
class ServiceLink:
    """One of the service's standard pages: complaints, commendations, records requests..."""

    kind: LinkKind
    url: str
    """An https URL."""
    label: Text | None = None
    """None for a well-known kind: the theme words it ("Make a complaint")."""
