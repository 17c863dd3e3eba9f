"""``slug:``: a unit's or officer's address word per language, unique in each language.

The mistakes (a clash, a word that is no id, a language the site lacks) are
cases in tests/data/registries/ (``slug-*``), checked with their positions by
``test_load.test_broken_registry``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.model import Registry
from hub.problems import RegistryError
from hub.registry.load import loads
from tests.registry.test_load import make_root

SITE = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en, fr]
  contact: {emergency: "911"}
"""


def load(tmp_path: Path, rest: str) -> Registry:
    path = make_root(tmp_path) / "sources.yaml"
    path.write_text(SITE + rest, encoding="utf-8")
    return loads(path.read_bytes(), path, display_name="sources.yaml").registry


def test_slugs_per_language_on_units_and_officers(tmp_path: Path) -> None:
    registry = load(
        tmp_path,
        """\
units:
  - {id: traffic, name: Traffic Services, kind: unit, slug: {fr: circulation}}
  - {id: marine, name: Marine Unit, kind: unit}
officers:
  - name: John Smith
    slug: {fr: jean-smith, en: john-smith-traffic}
    unit: traffic
    accounts: [{platform: x, handle: CstJohnSmith}]
""",
    )
    assert registry.units[0].slug == {"fr": "circulation"}
    assert registry.units[1].slug == {}
    assert registry.officers[0].slug == {"fr": "jean-smith", "en": "john-smith-traffic"}


def test_a_slug_may_take_an_address_its_owner_gives_up(tmp_path: Path) -> None:
    # In French, traffic is at circulation: its id is free for another unit there.
    registry = load(
        tmp_path,
        """\
units:
  - {id: traffic, name: Traffic Services, kind: unit, slug: {fr: circulation}}
  - {id: traffic-control, name: Traffic Control, kind: unit, slug: {fr: traffic}}
  - {id: marine, name: Marine Unit, kind: unit, slug: {fr: marine}}
""",
    )
    assert [u.slug for u in registry.units] == [
        {"fr": "circulation"},
        {"fr": "traffic"},
        {"fr": "marine"},
    ]


def test_a_unit_and_an_officer_may_share_a_word(tmp_path: Path) -> None:
    """Their pages are in different folders (/fr/unites/, /fr/agents/)."""
    registry = load(
        tmp_path,
        """\
units:
  - {id: marine, name: Marine Unit, kind: unit, slug: {fr: visser}}
officers:
  - {name: Anneke Visser, id: visser, unit: marine, accounts: [{platform: x, handle: AV}]}
""",
    )
    assert registry.units[0].slug == {"fr": "visser"}


def test_two_slugs_taking_one_address_are_reported_at_the_second(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as error:
        load(
            tmp_path,
            """\
units:
  - {id: traffic, name: Traffic Services, kind: unit, slug: {fr: circulation}}
  - {id: traffic-control, name: Traffic Control, kind: unit, slug: {fr: circulation}}
""",
        )
    assert [p.format() for p in error.value.problems] == [
        'sources.yaml:8:73: error: units[1].slug.fr: the address "circulation" in fr is already'
        " used by units[0] (traffic): choose another word"
    ]
