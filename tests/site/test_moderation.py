"""Tests for hub.site.moderation: which entries the site shows once curation.yaml applies.

Entries and accounts are made here; the site model's use of the screen (pins
first on the home page, a muted account's card) is checked on a real registry
at the end, and on a whole build in tests/test_curation_build.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hub.model import Account, Entry, FeedRef
from hub.registry import load as registry
from hub.registry.yamlnodes import Mark
from hub.site import model as site
from hub.site.content import Content
from hub.site.curation import Curation, Hide, Mute, Pin
from hub.site.moderation import Screen, fold, in_force, local_day, post_urls

FIXTURE = Path(__file__).parents[1] / "data" / "curation"
DAY = date(2026, 11, 22)
AT = Mark(1, 1)
NEWS = Account("website", None, "https://news.example/", FeedRef("news.xml"), "unit:comms")
TRAFFIC = Account("x", "Traffic", "https://x.com/Traffic", FeedRef("traffic.json"), "unit:traffic")
OWNERS = {"news.xml": NEWS, "traffic.json": TRAFFIC}


def entry(feed: str, number: int, text: str = "", *, title: str = "") -> Entry:
    link = f"https://news.example/{number}" if feed == "news.xml" else f"https://x.com/s/{number}"
    when = datetime(2026, 11, 20, number, 0, tzinfo=UTC)
    return Entry(feed, link, title, summary=text, link=link, published=when)


def shown(curation: Curation, entries: list[Entry], day: date = DAY) -> list[str]:
    kept, _ = Screen(curation, day).screen(entries, OWNERS)
    return [e.link or "" for e in kept]


def test_nothing_to_curate_shows_every_entry_in_order() -> None:
    entries = [entry("news.xml", 3), entry("traffic.json", 2), entry("news.xml", 1)]
    assert shown(Curation(), entries) == [e.link for e in entries]


def test_an_entry_of_a_feed_no_account_lists_is_not_shown() -> None:
    curation = Curation(hold=("lockdown",))
    assert shown(curation, [entry("gone.xml", 1), entry("news.xml", 2)]) == [
        "https://news.example/2"
    ]


def test_a_hide_matches_the_link_however_it_is_written() -> None:
    curation = Curation(hide=(Hide("HTTP://WWW.News.example/2/", "R", DAY, AT),))
    assert shown(curation, [entry("news.xml", 1), entry("news.xml", 2)]) == [
        "https://news.example/1"
    ]


def test_a_hide_matches_an_id_that_is_the_post_address() -> None:
    moved = Entry("news.xml", "https://news.example/old/7", "", link="https://news.example/7")
    curation = Curation(hide=(Hide("https://news.example/old/7", "R", DAY, AT),))
    assert shown(curation, [moved]) == []
    assert post_urls(moved) == ("news.example/7", "news.example/old/7")


def test_twitter_and_x_addresses_are_one_post() -> None:
    curation = Curation(hide=(Hide("https://mobile.twitter.com/s/5", "R", DAY, AT),))
    assert shown(curation, [entry("traffic.json", 5)]) == []


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Reports of SHOTS fired downtown", "shots fired"),
        ("Reports of shots\n   fired downtown", "shots fired"),
        ("<p>Reports of shots <b>fired</b></p>", "shots fired"),
        ("Exercice d'ÉVACUATION à l'école", "évacuation"),
        ("Evacuation drill at noon", "évacuation"),
        ("Our evacuations page", None),
        ("No shots were fired", None),
        ("Hotshots fired up for the game", None),
        ("Lockdown lifted", "Lockdown"),
        ("lockdown-free zone", "Lockdown"),
    ],
)
def test_a_hold_phrase_matches_whole_words_whatever_the_case_and_accents(
    text: str, held: str | None
) -> None:
    screen = Screen(Curation(hold=("shots fired", "évacuation", "Lockdown")), DAY)
    assert screen.phrase_in(entry("news.xml", 1, text)) == held


def test_a_held_entry_is_listed_until_approved() -> None:
    entries = [entry("news.xml", 2, "Lockdown at the mall"), entry("news.xml", 1, "Road closed")]
    held_curation = Curation(hold=("lockdown",))
    kept, held = Screen(held_curation, DAY).screen(entries, OWNERS)
    assert [e.link for e in kept] == ["https://news.example/1"]
    assert [(h.account, h.url, h.phrase, h.seen) for h in held] == [
        (NEWS, "https://news.example/2", "lockdown", entries[0].published)
    ]
    assert held[0].account_name == "website:https://news.example/"
    approved = Curation(hold=("lockdown",), approve=("https://news.example/2/",))
    assert shown(approved, entries) == ["https://news.example/2", "https://news.example/1"]


def test_the_title_and_the_categories_are_read_for_hold_phrases() -> None:
    screen = Screen(Curation(hold=("Kestrel Street",)), DAY)
    assert screen.phrase_in(entry("news.xml", 1, "Closed.", title="kestrel street")) is not None
    tagged = Entry("news.xml", "t", "Closed", categories=("Kestrel Street",))
    assert screen.phrase_in(tagged) == "Kestrel Street"


def test_a_mute_lasts_through_its_last_day() -> None:
    mute = Mute("x:traffic", "x:Traffic", "R", date(2026, 11, 22), AT)
    entries = [entry("traffic.json", 2), entry("news.xml", 1)]
    assert shown(Curation(mute=(mute,)), entries, date(2026, 11, 22)) == ["https://news.example/1"]
    assert len(shown(Curation(mute=(mute,)), entries, date(2026, 11, 23))) == 2
    forever = Mute("x:traffic", "x:Traffic", "R", None, AT)
    assert shown(Curation(mute=(forever,)), entries, date(2099, 1, 1)) == ["https://news.example/1"]


def test_pins_rank_in_the_order_written_while_in_force() -> None:
    curation = Curation(
        pin=(
            Pin("https://news.example/2", date(2026, 11, 30), AT),
            Pin("https://news.example/1", date(2026, 11, 22), AT),
            Pin("https://news.example/1", date(2026, 11, 25), AT),
        )
    )
    today = Screen(curation, DAY)
    assert [today.pin_rank(entry("news.xml", n)) for n in (1, 2, 3)] == [1, 0, None]
    later = Screen(curation, date(2026, 11, 26))
    assert [later.pin_rank(entry("news.xml", n)) for n in (1, 2)] == [None, 0]
    assert in_force(curation, DAY) != in_force(curation, date(2026, 11, 26))


def test_days_are_the_site_time_zone() -> None:
    late = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    assert local_day(late, "America/Toronto") == date(2026, 11, 22)
    assert local_day(late, "UTC") == date(2026, 11, 23)
    assert local_day(late, "Asia/Kolkata") == date(2026, 11, 23)


def test_folding_drops_case_and_accents() -> None:
    assert fold("École ÉVACUATION Straße") == "ecole evacuation strasse"


def test_the_site_model_pins_mutes_and_lists_the_held() -> None:
    reg = registry.load(FIXTURE / "sources.yaml").registry
    news, ada, traffic = (f"content/feeds/{name}.xml" for name in ("news", "ada", "traffic"))

    def post(feed: str, link: str, day: int, text: str) -> Entry:
        when = datetime(2026, 11, day, 12, tzinfo=UTC)
        return Entry(feed, link, "", summary=text, link=link, published=when)

    entries = [
        post(traffic, "https://bsky.app/profile/t/post/1", 21, "Plough convoy"),
        post(ada, "https://police.example/@ada/1", 20, "Lockdown lifted"),
        post(news, "https://news.example/1", 19, "Barbecue"),
        post(news, "https://news.example/2", 2, "Winter tires"),
    ]
    [traffic_account] = [a for a in reg.accounts() if a.platform == "bluesky"]
    curation = Curation(
        pin=(Pin("https://news.example/2", date(2026, 11, 30), AT),),
        hold=("lockdown",),
        mute=(Mute(traffic_account.key, "bluesky:t", "R", None, AT),),
    )
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    model = site.build(reg, entries, Content(curation=curation), now)
    assert [p.entry.link for p in model.river] == [
        "https://news.example/2",
        "https://news.example/1",
    ]
    assert [p.entry.link for p in model.posts] == [
        "https://news.example/1",
        "https://news.example/2",
    ]
    assert [p.entry.link for p in model.pinned] == ["https://news.example/2"]
    assert [h.url for h in model.held] == ["https://police.example/@ada/1"]
    assert model.suspended(traffic_account)
    # The unit's muted account and its officer's held post: nothing of theirs is shown.
    assert model.posts_by_owner.get("unit:traffic", ()) == ()
    assert model.posts_by_unit.get("traffic", ()) == ()
    assert model.notes == ()
    directory = site.directory(reg, Content(curation=curation), now)
    assert directory.suspended(traffic_account)
    with pytest.raises(site.PostsNotLoaded):
        len(directory.river)
