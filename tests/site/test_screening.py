"""What curation keeps off the site, post by post, against what the last build recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.model import Entry, Registry
from hub.problems import Problem
from hub.registry import load as registry
from hub.site.curation import Curation, read_curation
from hub.site.screening import changes
from hub.store.history import Screening

NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
NEWS = "https://feeds.harbourbay.example/news.xml"
ADA = "https://feeds.harbourbay.example/ada.xml"

ROAD = Entry(NEWS, "road", "Road closed", "<p>Main Street.</p>", link="https://news.example/road")
ZEBRA = Entry(NEWS, "zebra", "Zebrafinch", "<p>Found.</p>", link="https://news.example/zebra")
SHOTS = Entry(ADA, "a1", "", "<p>Shots fired near the quay.</p>", link="https://ada.example/1")
DRILL = Entry(ADA, "a2", "", "<p>A drill at the hall.</p>", link="https://ada.example/2")
STRAY = Entry("https://gone.example/feed.xml", "s", "Stray", "<p>Lockdown</p>")
"""A post of a feed the registry no longer lists: never on the site, never recorded."""
ENTRIES = (ROAD, ZEBRA, SHOTS, DRILL, STRAY)


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    root = tmp_path_factory.mktemp("site")
    (root / "themes" / "default").mkdir(parents=True)
    text = f"""
site:
  name: Harbour Bay Police
  url: https://connect.harbourbay.example
  languages: [en]
  timezone: America/Toronto
  contact: {{emergency: "911"}}
units:
  - id: comms
    name: Communications
    kind: office
    accounts:
      - {{platform: website, url: "https://news.example/", feed: "{NEWS}"}}
officers:
  - name: Ada Fenwick
    unit: comms
    accounts:
      - {{platform: mastodon, handle: "@ada@police.example", feed: "{ADA}"}}
"""
    (root / "sources.yaml").write_text(text, encoding="utf-8")
    return registry.load(root / "sources.yaml").registry


def curation(reg: Registry, text: str) -> Curation:
    path = reg.root / "content" / "curation.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    found = read_curation(path, "content/curation.yaml", tuple(reg.accounts()), problems)
    assert problems == []
    return found


CURATED = """\
hide:
  - {url: "https://www.news.example/zebra/", reason: The family asked (CC-1)., date: 2026-11-21}
hold: [shots fired]
mute:
  - {account: "mastodon:ada@police.example", reason: Suspicious login (CC-2)., until: 2026-11-22}
"""


def test_nothing_curated_and_nothing_recorded_is_nothing_to_say(reg: Registry) -> None:
    assert changes(reg, ENTRIES, curation(reg, "hold: []\n"), NOW, {}) == []


def test_each_post_off_the_site_is_recorded_with_its_reason(reg: Registry) -> None:
    found = changes(reg, ENTRIES, curation(reg, CURATED), NOW, {})
    assert found == [
        Screening(NEWS, "zebra", "hidden", "The family asked (CC-1)."),
        # The mute comes first, as on the site: the post says a held phrase too.
        Screening(ADA, "a1", "muted", "Suspicious login (CC-2)."),
        Screening(ADA, "a2", "muted", "Suspicious login (CC-2)."),
    ]


def test_what_is_recorded_already_is_not_recorded_again(reg: Registry) -> None:
    before = {(NEWS, "zebra"): "hidden", (ADA, "a1"): "muted", (ADA, "a2"): "muted"}
    assert changes(reg, ENTRIES, curation(reg, CURATED), NOW, before) == []


def test_the_end_of_a_mute_shows_its_posts_or_holds_them(reg: Registry) -> None:
    before = {(NEWS, "zebra"): "hidden", (ADA, "a1"): "muted", (ADA, "a2"): "muted"}
    # The mute's last day (in Toronto) is over.
    found = changes(
        reg, ENTRIES, curation(reg, CURATED), datetime(2026, 11, 23, 6, tzinfo=UTC), before
    )
    assert found == [
        Screening(ADA, "a1", "held", 'says "shots fired" (hold:)'),
        Screening(ADA, "a2", "shown", "its account's mute is over"),
    ]


def test_an_approved_post_and_a_lifted_hide_are_back(reg: Registry) -> None:
    before = {(NEWS, "zebra"): "hidden", (ADA, "a1"): "held"}
    text = "hold: [shots fired]\napprove: [https://ada.example/1]\n"
    assert changes(reg, ENTRIES, curation(reg, text), NOW, before) == [
        Screening(NEWS, "zebra", "shown", "no longer in hide:"),
        Screening(ADA, "a1", "approved", 'says "shots fired" (hold:), and approve: lists it'),
    ]


def test_a_phrase_taken_out_of_hold_shows_the_post(reg: Registry) -> None:
    before = {(ADA, "a1"): "held"}
    assert changes(reg, ENTRIES, curation(reg, "hold: [lockdown]\n"), NOW, before) == [
        Screening(ADA, "a1", "shown", "no hold: phrase holds it now")
    ]


def test_a_held_post_taken_down_is_hidden(reg: Registry) -> None:
    before = {(ADA, "a1"): "held"}
    text = (
        "hold: [shots fired]\n"
        'hide: [{url: "https://ada.example/1", reason: CC-3, date: 2026-11-22}]\n'
    )
    assert changes(reg, ENTRIES, curation(reg, text), NOW, before) == [
        Screening(ADA, "a1", "hidden", "CC-3")
    ]


def test_posts_no_longer_stored_or_listed_are_left_as_recorded(reg: Registry) -> None:
    """A withdrawn post, or one of a feed gone from the registry, is not back on the site."""
    before = {(NEWS, "gone"): "hidden", (STRAY.feed, "s"): "held"}
    assert changes(reg, ENTRIES, curation(reg, "hold: []\n"), NOW, before) == []


def test_a_post_approved_before_it_was_ever_held_is_not_recorded(reg: Registry) -> None:
    text = "hold: [shots fired]\napprove: [https://ada.example/1]\n"
    assert changes(reg, ENTRIES, curation(reg, text), NOW, {}) == []


def test_the_day_is_the_sites(reg: Registry) -> None:
    """At 01:00 UTC on the 23rd it is still the 22nd in Toronto: the mute holds."""
    late = datetime(2026, 11, 23, 1, tzinfo=UTC)
    found = changes(reg, ENTRIES, curation(reg, CURATED), late, {})
    assert [change.event for change in found] == ["hidden", "muted", "muted"]
