"""The keys of sources.yaml that tell the public how to reach the service, beside
its accounts: a unit's ``station``, the tip line's ``text`` and ``online``
channels, and ``site.links`` (complaints, commendations, records requests, the
oversight body). Declared here for :mod:`hub.registry.format`, built here for
:mod:`hub.registry.rules` into the values of :mod:`hub.contact`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hub.contact import LINK_KINDS, ServiceLink, Station, TextTip
from hub.model import Text
from hub.registry.spec import INVALID, Checker, Fields, Items, Key, ListOf, Obj
from hub.registry.values import Enum, Str, Url
from hub.registry.values import Text as TextSpec
from hub.registry.yamlnodes import Node

PHONE = Str(r"[0-9+() .*#-]{2,30}", "a phone number such as 555-808-2222", max_length=30)
SHORT_CODE = Str(
    r"[0-9+() .*#-]{2,30}", "a short code or phone number such as 274637", max_length=30
)
KEYWORD = Str(
    r"[A-Za-z0-9][A-Za-z0-9_-]{0,29}",
    "one word of letters and digits, such as LAKEVIEW",
    max_length=30,
    description="The word a text starts with, so the tip line knows whose tip it is.",
)


@dataclass
class HttpsUrl(Url):
    """An https URL: a page the public is sent to in order to give something."""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = super().check(node, path, out)
        if value is INVALID:
            return INVALID
        if not value.lower().startswith("https://"):
            out.report(node.mark, path, f'expected an https:// URL, got "{value}"')
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return self.documented(
            {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]://[^\s/?#]+([/?#]\S*)?$"}
        )


STATION = Obj(
    {
        "address": Key(
            TextSpec(
                max_length=300,
                description="The postal address, one line per line (a YAML block with |).",
            ),
            required=True,
        ),
        "phone": Key(PHONE),
        "hours": Key(
            TextSpec(max_length=300, description='When the front desk is open, e.g. "24/7".')
        ),
    },
    "Where the unit meets the public: its front desk. The page links to a map search"
    " of the address (OpenStreetMap), never an embedded map.",
    example='{address: "52 Elm Street\\nLakeview ON", phone: "555-808-2252"}',
)

TIPS_TEXT = Obj(
    {
        "number": Key(SHORT_CODE, required=True),
        "keyword": Key(KEYWORD),
    },
    "Texting a tip: the short code (or number) and the word the text starts with.",
    example='{number: "274637", keyword: LAKEVIEW}',
)

TIPS_ONLINE = HttpsUrl("The tip line's online form, an https:// URL.")

LINK = Obj(
    {
        "kind": Key(
            Enum(
                LINK_KINDS,
                "complaints, commendations, records (requests for records), oversight (the"
                " body that oversees the police) or other",
            ),
            required=True,
        ),
        "url": Key(HttpsUrl("The page, an https:// URL."), required=True),
        "label": Key(
            TextSpec(
                max_length=120,
                description="What the link says; required for other, else the site words it.",
            )
        ),
    },
    "One of the service's pages the public may need, shown at the foot of every page.",
    example="{kind: complaints, url: https://www.lakeview.example/police/complaints}",
)

LINKS = ListOf(LINK, max_items=20, description="Standard service links, in the order shown.")

OTHER_NEEDS_LABEL = (
    'a link of kind "other" needs a label, e.g. label: {en: Victim services, fr: Aide aux victimes}'
)
Report = Callable[[Fields, str | None, str, str], None]
"""Reports an error: the fields, the key at fault (None: the fields), the path, the message."""


def station_of(value: Any) -> Station | None:
    if not isinstance(value, Fields) or "address" not in value:
        return None
    address = text_of(value["address"]) or Text.plain("")
    return Station(address, value.get("phone"), text_of(value.get("hours")))


def tips_text_of(value: Any) -> TextTip | None:
    if not isinstance(value, Fields) or "number" not in value:
        return None
    return TextTip(value["number"], value.get("keyword"))


def links_of(value: Any, path: str, error: Report) -> tuple[ServiceLink, ...]:
    """``site.links`` as the model's :class:`ServiceLink`; an ``other`` link needs a label."""
    if not isinstance(value, Items):
        return ()
    links = []
    for i, item in enumerate(value):
        if not isinstance(item, Fields) or "kind" not in item or "url" not in item:
            continue
        label = text_of(item.get("label"))
        if item["kind"] == "other" and label is None:
            error(item, None, f"{path}[{i}]", OTHER_NEEDS_LABEL)
            continue
        links.append(ServiceLink(item["kind"], item["url"], label))
    return tuple(links)


def text_of(value: Any) -> Text | None:
    """A checked text (:class:`hub.registry.values.Text`) as the model's; None when absent."""
    if value is None or value is INVALID:
        return None
    return Text.plain(value) if isinstance(value, str) else Text(dict(value))
