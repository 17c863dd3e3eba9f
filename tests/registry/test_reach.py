"""The keys about reaching the service, loaded into the model: a unit's station, the
tip line's text and online channels, the service links, and officers' ranks.

Their mistakes are cases in tests/data/registries/ (``station-*``, ``links-*``,
``tips-*``), checked with their positions by ``test_load.test_broken_registry``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from hub.contact import ServiceLink, Station, TextTip
from hub.model import NEUTRAL, Registry, Text
from hub.registry.load import loads
from tests.registry.test_load import make_root

REGISTRY = """\
site:
  name: {en: Lakeview Police Service, fr: Service de police de Lakeview}
  url: https://connect.lakeview.example
  languages: [en, fr]
  contact:
    emergency: "911"
    tips:
      name: {en: Lakeview Crime Stoppers, fr: Échec au crime de Lakeview}
      phone: "1-800-555-8477"
      url: https://tips.lakeview.example
      text: {number: "555-808-8477", keyword: LAKEVIEW}
      online: https://tips.lakeview.example/report/
  links:
    - {kind: complaints, url: https://www.lakeview.example/complaints/}
    - kind: oversight
      url: https://oversight.lakeview.example/
      label: {en: Oversight Office, fr: Bureau de surveillance}
    - {kind: other, url: "https://victims.lakeview.example/", label: Victim Services}
units:
  - id: division-11
    name: {en: 11 Division, fr: 11e Division}
    kind: division
    station:
      address:
        en: |-
          40 Front Street West
          Lakeview, ON  L0L 1A0
        fr: |-
          40, rue Front Ouest
          Lakeview (Ontario)  L0L 1A0
      phone: "555-808-2211"
      hours: {en: Open 24 hours, fr: Ouvert jour et nuit}
  - id: marine
    name: Marine Unit
    kind: unit
    station: {address: 1 Harbour Road}
officers:
  - {name: Anneke Visser, rank: S/Sgt, unit: marine, accounts: [{platform: x, handle: AVisser}]}
  - name: Hélène Gauthier
    rank: {en: Cst, fr: Agente}
    unit: marine
    accounts: [{platform: x, handle: AgenteGauthier}]
  - {name: Nadia Haddad, unit: marine, accounts: [{platform: x, handle: NHaddad}]}
"""


def load(tmp_path: Path, text: str = REGISTRY) -> Registry:
    path = make_root(tmp_path) / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return loads(path.read_bytes(), path).registry


def test_a_station_with_its_address_lines_phone_and_hours(tmp_path: Path) -> None:
    division = load(tmp_path).units[0]
    assert division.station == Station(
        Text(
            {
                "en": "40 Front Street West\nLakeview, ON  L0L 1A0",
                "fr": "40, rue Front Ouest\nLakeview (Ontario)  L0L 1A0",
            }
        ),
        "555-808-2211",
        Text({"en": "Open 24 hours", "fr": "Ouvert jour et nuit"}),
    )


def test_a_station_needs_only_an_address_and_a_unit_needs_none(tmp_path: Path) -> None:
    registry = load(tmp_path)
    assert registry.units[1].station == Station(Text.plain("1 Harbour Road"))
    plain = textwrap.dedent("""\
        site:
          name: Lakeview Police Service
          url: https://connect.lakeview.example
          languages: [en]
          contact: {emergency: "911"}
        units:
          - {id: traffic, name: Traffic Services, kind: unit}
        """)
    bare = load(tmp_path / "bare", plain)
    assert bare.units[0].station is None
    assert bare.site.links == ()
    assert bare.site.contact.tips is None


def test_the_tip_line_by_text_and_online(tmp_path: Path) -> None:
    tips = load(tmp_path).site.contact.tips
    assert tips is not None
    assert tips.text == TextTip("555-808-8477", "LAKEVIEW")
    assert tips.online == "https://tips.lakeview.example/report/"
    assert tips.url == "https://tips.lakeview.example"


def test_service_links_in_the_registrys_order(tmp_path: Path) -> None:
    assert load(tmp_path).site.links == (
        ServiceLink("complaints", "https://www.lakeview.example/complaints/"),
        ServiceLink(
            "oversight",
            "https://oversight.lakeview.example/",
            Text({"en": "Oversight Office", "fr": "Bureau de surveillance"}),
        ),
        ServiceLink("other", "https://victims.lakeview.example/", Text.plain("Victim Services")),
    )


def test_ranks_in_each_language(tmp_path: Path) -> None:
    visser, gauthier, haddad = load(tmp_path).officers
    assert visser.rank == Text({NEUTRAL: "S/Sgt", "fr": "S.é.-m."})
    assert (visser.name_in("en", "en"), visser.name_in("fr", "en")) == (
        "S/Sgt Anneke Visser",
        "S.é.-m. Anneke Visser",
    )
    assert visser.display_name == "S/Sgt Anneke Visser"
    assert gauthier.name_in("fr", "en") == "Agente Hélène Gauthier"
    assert gauthier.name_in("en", "en") == gauthier.display_name == "Cst Hélène Gauthier"
    assert haddad.rank is None and haddad.name_in("fr", "en") == "Nadia Haddad"
