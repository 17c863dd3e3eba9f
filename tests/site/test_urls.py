"""The URL tree: a unit's or officer's ``slug:`` word in the language it is given for."""

from __future__ import annotations

from pathlib import Path

from hub.model import Contact, Officer, Registry, Site, Text, Unit
from hub.site.urls import Route, Urls, addresses

REGISTRY = Registry(
    Path("sources.yaml"),
    Site(
        Text.plain("Lakeview Police"),
        "https://connect.lakeview.example",
        ("en", "fr"),
        Contact("911"),
    ),
    units=(
        Unit("traffic", Text.plain("Traffic"), "unit", slug={"fr": "circulation"}),
        Unit("marine", Text.plain("Marine"), "unit"),
    ),
    officers=(Officer("john-smith", "John Smith", "traffic", slug={"fr": "jean-smith"}),),
)


def test_addresses_are_the_slugs_the_registry_gives() -> None:
    assert addresses(REGISTRY) == {
        ("unit", "traffic", "fr"): "circulation",
        ("officer", "john-smith", "fr"): "jean-smith",
    }


def test_a_slug_changes_the_path_in_its_language_only() -> None:
    urls = Urls({}, addresses(REGISTRY))
    assert urls.path(Route("unit", "traffic"), "fr") == "/fr/unites/circulation/"
    assert urls.path(Route("unit", "traffic"), "en") == "/en/units/traffic/"
    assert urls.path(Route("officer", "john-smith"), "fr") == "/fr/agents/jean-smith/"
    assert urls.path(Route("officer", "john-smith"), "en") == "/en/officers/john-smith/"
    assert urls.path(Route("unit", "marine"), "fr") == "/fr/unites/marine/"


def test_a_slug_is_for_its_kind_of_page_only() -> None:
    """A topic or a platform that happens to share a unit's id keeps its own address."""
    urls = Urls({}, addresses(REGISTRY))
    assert urls.path(Route("topic", "traffic"), "fr") == "/fr/joindre/sujet/traffic/"
    assert urls.path(Route("officer", "traffic"), "fr") == "/fr/agents/traffic/"
