"""How the public reaches the service: a station's map link, the service link kinds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hub.contact import LINK_KINDS, MAP_SEARCH, Station
from hub.model import Text

STATION = Station(
    Text(
        {
            "en": "40 Front Street West\nLakeview, ON  L0L 1A0",
            "fr": "40, rue Front Ouest\n  Lakeview (Ontario)  L0L 1A0\n",
        }
    ),
    phone="555-808-2211",
)


def query(url: str) -> str:
    return parse_qs(urlsplit(url).query)["query"][0]


def test_the_map_link_searches_the_address_on_openstreetmap_over_https() -> None:
    url = STATION.map_url("en", "en")
    assert url.startswith(MAP_SEARCH)
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.path) == (
        "https",
        "www.openstreetmap.org",
        "/search",
    )
    assert query(url) == "40 Front Street West, Lakeview, ON  L0L 1A0"


def test_the_map_link_searches_the_address_in_the_pages_language() -> None:
    assert query(STATION.map_url("fr", "en")) == "40, rue Front Ouest, Lakeview (Ontario)  L0L 1A0"


def test_a_language_without_an_address_searches_the_default_languages() -> None:
    assert query(STATION.map_url("es", "en")) == "40 Front Street West, Lakeview, ON  L0L 1A0"


def test_the_address_is_escaped_in_the_link() -> None:
    station = Station(Text.plain("1 Rue & Co #2\n<Lakeview>"))
    url = station.map_url("en", "en")
    assert " " not in url and "&" not in url.removeprefix(MAP_SEARCH) and "<" not in url
    assert query(url) == "1 Rue & Co #2, <Lakeview>"


def test_link_kinds_put_the_four_standard_services_first() -> None:
    assert LINK_KINDS == ("complaints", "commendations", "records", "oversight", "other")
