"""The site model (hub.site.model): real registries and entries in, the questions templates ask out.

Cross-posts merged, headings and excerpts, the order of posts, and who belongs where.
The registry is validated from YAML text as if it sat at the project's root, next to
themes/, so nothing is written but an empty temporary folder for content/.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hub.model import Account, Entry, Registry, Text, Unit
from hub.registry import load as registry
from hub.site import model as site
from hub.site.content import Content, load_content
from hub.site.model import CROSS_POST_WINDOW, Post, SiteModel

ROOT = Path(__file__).resolve().parents[2]
BUILT_AT = datetime(2026, 3, 2, 17, 42, 31, 123456, tzinfo=UTC)
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

COMMS = "https://social.test.example/@comms.rss"
COMMS_BLOG = "https://blog.test.example/feed.xml"
JACK_X = "https://feeds.test.example/jack-x.xml"
JACK_MASTODON = "https://social.test.example/@jack.rss"
JACK_BLUESKY = "https://feeds.test.example/jack-bsky.xml"
MARIE = "https://social.test.example/@marie.rss"
OLD = "https://feeds.test.example/old.xml"
UNKNOWN = "https://gone.test.example/feed.xml"

REGISTRY = f"""\
site:
  name: {{en: Test Police, fr: Police test}}
  url: https://police.test.example
  languages: [en, fr]
  contact: {{emergency: "911"}}
units:
  - id: comms
    name: {{en: Communications, fr: Communications}}
    kind: office
    official: true
    topics: [news, community]
    accounts:
      - {{platform: mastodon, handle: "@comms@social.test.example", feed: "{COMMS}"}}
      - {{platform: blog, url: "https://blog.test.example/", feed: "{COMMS_BLOG}"}}
  - id: west
    name: {{en: West Division, fr: Division Ouest}}
    kind: division
    parent: comms
    topics: [community]
    accounts:
      - {{platform: facebook, handle: TestPoliceWest}}
  - id: beat
    name: {{en: Beat Patrol, fr: Patrouille à pied}}
    kind: unit
    parent: west
  - id: traffic
    name: {{en: Traffic Unit, fr: Unité de la circulation}}
    kind: unit
    topics: [road-safety]
officers:
  - name: Jack West
    rank: Sgt
    unit: traffic
    topics: [road-safety, cycling]
    accounts:
      - {{platform: x, handle: SgtJackWest, feed: "{JACK_X}"}}
      - {{platform: mastodon, handle: "@jack@social.test.example", feed: "{JACK_MASTODON}"}}
      - {{platform: bluesky, handle: jack.test.example, feed: "{JACK_BLUESKY}"}}
  - name: Marie Tremblay
    rank: Cst
    unit: west
    topics: [youth]
    accounts:
      - {{platform: mastodon, handle: "@marie@social.test.example", feed: "{MARIE}",
         language: fr}}
  - name: Old Timer
    unit: west
    since: 2000-01-01
    until: 2020-06-30
    topics: [history]
    accounts:
      - {{platform: x, handle: OldTimer, feed: "{OLD}"}}
  - name: Last Day
    unit: west
    until: 2026-03-02
    accounts:
      - {{platform: instagram, handle: lastday}}
"""


def load(text: str) -> Registry:
    return registry.loads(text.encode(), ROOT / "sources.yaml").registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load(REGISTRY)


@pytest.fixture(scope="module")
def content(reg: Registry, tmp_path_factory: pytest.TempPathFactory) -> Content:
    folder = tmp_path_factory.mktemp("site") / "content"
    folder.mkdir()
    return load_content(folder, reg.site.languages)


@pytest.fixture(scope="module")
def empty(reg: Registry, content: Content) -> SiteModel:
    return site.build(reg, [], content, BUILT_AT)


def account(reg: Registry, feed: str) -> Account:
    return next(a for a in reg.accounts() if a.feed is not None and a.feed.source == feed)


def entry(
    feed: str,
    id: str,
    text: str = "",
    *,
    title: str = "",
    content: str = "",
    link: str | None = None,
    published: datetime | None = T0,
    updated: datetime | None = None,
) -> Entry:
    return Entry(
        feed=feed,
        id=id,
        title=title,
        summary=text,
        content=content,
        link=link if link is not None else f"{feed}#{id}",
        published=published,
        updated=updated,
    )


def build(
    reg: Registry, content: Content, entries: list[Entry], built_at: datetime = BUILT_AT
) -> SiteModel:
    return site.build(reg, entries, content, built_at)


def ids(model: SiteModel) -> list[str]:
    return [p.entry.id for p in model.posts]


# Cross-posts


def test_one_officer_posting_the_same_text_on_two_accounts_shows_once(
    reg: Registry, content: Content
) -> None:
    model = build(
        reg,
        content,
        [
            entry(
                JACK_MASTODON, "m1", "Road closed on Main St.", published=T0 - timedelta(hours=3)
            ),
            entry(JACK_X, "x1", "Road closed on Main St.", published=T0),
        ],
    )
    assert ids(model) == ["x1"], "the newest copy is the one shown"
    (post,) = model.posts
    assert post.account == account(reg, JACK_X)
    assert post.also == (account(reg, JACK_MASTODON),)
    assert post.owner == "officer:jack-west"
    assert model.posts_by_owner["officer:jack-west"] == (post,)
    assert model.posts_by_unit["traffic"] == (post,)


def test_an_accounts_language_marks_its_posts_whatever_the_feed_says(
    reg: Registry, content: Content
) -> None:
    """The registry is reviewed; a feed's language claim (or its silence) is not."""
    model = build(
        reg,
        content,
        [
            entry(MARIE, "m1", "Fermeture de la rue Principale.", published=T0),
            replace(entry(MARIE, "m2", "Collecte de jouets.", published=T0), language="en"),
            entry(JACK_X, "x1", "Road closed on Main St.", published=T0),
        ],
    )
    languages = {post.entry.id: post.entry.language for post in model.posts}
    assert languages == {"m1": "fr", "m2": "fr", "x1": None}


def test_the_same_text_by_two_owners_stays_two_posts(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_MASTODON, "j1", "Slow down near schools."),
            entry(MARIE, "m1", "Slow down near schools."),
        ],
    )
    assert sorted(ids(model)) == ["j1", "m1"]
    assert all(p.also == () for p in model.posts)
    assert {p.owner for p in model.posts} == {"officer:jack-west", "officer:marie-tremblay"}


def test_a_unit_and_its_officer_posting_the_same_text_stay_two_posts(
    reg: Registry, content: Content
) -> None:
    model = build(
        reg,
        content,
        [entry(COMMS, "c1", "Station closed today."), entry(MARIE, "m1", "Station closed today.")],
    )
    assert sorted(ids(model)) == ["c1", "m1"]
    assert len(model.posts_by_unit["west"]) == 1
    assert len(model.posts_by_unit["comms"]) == 1


@pytest.mark.parametrize(
    ("gap", "shown"),
    [
        (timedelta(hours=1), 1),
        (CROSS_POST_WINDOW, 1),
        (CROSS_POST_WINDOW + timedelta(seconds=1), 2),
        (timedelta(days=7), 2),
    ],
    ids=["1h", "48h", "48h-and-1s", "7d"],
)
def test_a_cross_post_merges_only_within_48_hours(
    reg: Registry, content: Content, gap: timedelta, shown: int
) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Weekly safety reminder.", published=T0),
            entry(JACK_MASTODON, "m1", "Weekly safety reminder.", published=T0 - gap),
        ],
    )
    assert len(model.posts) == shown
    assert model.posts[0].entry.id == "x1"
    assert model.posts[0].also == ((account(reg, JACK_MASTODON),) if shown == 1 else ())


def test_the_same_text_twice_on_one_account_is_two_posts(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Drive safely.", published=T0),
            entry(JACK_X, "x2", "Drive safely.", published=T0 - timedelta(hours=2)),
        ],
    )
    assert ids(model) == ["x1", "x2"]
    assert all(p.also == () for p in model.posts)


def test_the_same_id_twice_on_one_account_within_48_hours_is_one_post(
    reg: Registry, content: Content
) -> None:
    # The link moved (an edited post): the id says it is the same post.
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Drive safely.", link="https://x.com/a/1", published=T0),
            entry(
                JACK_X,
                "x1",
                "Drive safely.",
                link="https://x.com/a/2",
                published=T0 - timedelta(hours=2),
            ),
        ],
    )
    assert ids(model) == ["x1"]
    assert model.posts[0].entry.link == "https://x.com/a/1"
    assert model.posts[0].also == ()


def test_the_same_id_on_one_account_more_than_48_hours_apart_is_two_posts(
    reg: Registry, content: Content
) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Drive safely.", link="https://x.com/a/1", published=T0),
            entry(JACK_X, "x1", "Drive safely.", link="https://x.com/a/2", published=T0 - 3 * DAY),
        ],
    )
    assert [p.entry.link for p in model.posts] == ["https://x.com/a/1", "https://x.com/a/2"]


def test_three_accounts_cross_posting_list_the_other_two_once(
    reg: Registry, content: Content
) -> None:
    text = "Join us at the bike rodeo on Saturday!"
    model = build(
        reg,
        content,
        [
            entry(JACK_BLUESKY, "b1", text, published=T0 - timedelta(hours=2)),
            entry(JACK_X, "x1", text, published=T0),
            entry(JACK_MASTODON, "m1", text, published=T0 - timedelta(hours=1)),
            # The same text again on Mastodon: no second Mastodon in ``also``.
            entry(JACK_MASTODON, "m2", text, published=T0 - timedelta(hours=4)),
        ],
    )
    (post,) = model.posts
    assert post.entry.id == "x1"
    assert post.also == (account(reg, JACK_MASTODON), account(reg, JACK_BLUESKY))
    assert post.account not in post.also


def test_markup_does_not_stop_a_cross_post_merging(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Road closed on Main St.", published=T0),
            entry(JACK_MASTODON, "m1", "<p>Road <b>closed</b> on <a href='/m'>Main St</a>.</p>"),
        ],
    )
    assert ids(model) == ["x1"]
    assert model.posts[0].also == (account(reg, JACK_MASTODON),)


def test_the_same_text_and_link_on_two_accounts_merges(reg: Registry, content: Content) -> None:
    text = "Road closed on Main St. https://news.test.example/closures/42"
    model = build(reg, content, [entry(JACK_X, "x1", text), entry(JACK_MASTODON, "m1", text)])
    assert len(model.posts) == 1
    assert model.posts[0].also == (account(reg, JACK_MASTODON),)


def test_the_fingerprint_is_the_words_without_links(reg: Registry) -> None:
    def fingerprint(text: str) -> str:
        return site._fingerprint(
            Post(entry(JACK_X, "x", text), account(reg, JACK_X), "officer:jack-west", T0, text)
        )

    assert fingerprint("See https://a.example/x") == fingerprint("See http://a.example/x")
    assert fingerprint("See https://a.example/x now") == "see now"
    assert fingerprint("Visit HTTPS://A.example/News or www.b.example/c!") == "visit or"
    assert fingerprint("Road closed, Main St.") == "road closed main st"


def test_http_and_https_versions_of_a_link_merge(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Details: https://news.test.example/42"),
            entry(JACK_MASTODON, "m1", "Details: http://news.test.example/42"),
        ],
    )
    assert len(model.posts) == 1


@pytest.mark.parametrize(
    ("on_x", "on_mastodon"),
    [
        # One copy carries a link, the other does not.
        ("Road closed on Main St. https://t.co/AbC123xyz", "Road closed on Main St."),
        # Each platform writes the link its own way (X shortens every link).
        (
            "Road closed on Main St. https://t.co/AbC123xyz",
            "Road closed on Main St. https://news.test.example/closures/42",
        ),
    ],
    ids=["link-appended", "different-links"],
)
def test_a_cross_post_differing_only_in_a_link_merges(
    reg: Registry, content: Content, on_x: str, on_mastodon: str
) -> None:
    # _fingerprint: "What makes two posts the same post: their words, not their markup or
    # links." Only the words "http"/"https" are dropped; the rest of the URL stays in the
    # fingerprint, so these copies do not merge today (reported as a bug).
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", on_x, published=T0),
            entry(JACK_MASTODON, "m1", on_mastodon, published=T0 - timedelta(hours=1)),
        ],
    )
    assert ids(model) == ["x1"]
    assert model.posts[0].also == (account(reg, JACK_MASTODON),)


def test_posts_without_words_never_merge(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [entry(JACK_X, "x1", title="🚓🚓"), entry(JACK_MASTODON, "m1", title="🚓🚓")],
    )
    assert sorted(ids(model)) == ["m1", "x1"]


def test_an_undated_copy_merges_with_a_dated_one(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "x1", "Community barbecue.", published=T0),
            entry(JACK_MASTODON, "m1", "Community barbecue.", published=None),
        ],
    )
    assert ids(model) == ["x1"]
    assert model.posts[0].also == (account(reg, JACK_MASTODON),)


def test_the_same_guid_and_link_from_two_feeds_shows_once(reg: Registry, content: Content) -> None:
    link = "https://blog.test.example/2026/03/appeal"
    model = build(
        reg,
        content,
        [
            entry(COMMS, link, "Appeal for witnesses.", link=link),
            entry(COMMS_BLOG, link, "Appeal for witnesses.", link=link),
        ],
    )
    assert ids(model) == [link]
    assert model.posts[0].account == account(reg, COMMS)
    assert model.posts_by_owner["unit:comms"] == model.posts


def test_the_same_guid_and_link_under_two_owners_shows_once(
    reg: Registry, content: Content
) -> None:
    # Owners differ, so only the guid-and-link identity can make these one post.
    link = "https://blog.test.example/2026/03/appeal"
    model = build(
        reg,
        content,
        [
            entry(MARIE, "guid-1", "Appeal for witnesses.", link=link),
            entry(COMMS, "guid-1", "An appeal for witnesses", link=link),
        ],
    )
    assert len(model.posts) == 1
    assert model.posts[0].owner == "officer:marie-tremblay"


def test_the_same_guid_without_a_link_in_two_owners_feeds_stays_two_posts(
    reg: Registry, content: Content
) -> None:
    # Entry.id is only "stable within its feed": two feeds may both number posts "1".
    # These share no text, no owner and no link, yet one of them is dropped today
    # (reported as a bug: the identity (id, link) ignores the feed when link is None).
    jack = Entry(feed=JACK_X, id="1", title="Speed trap on Highway 7", published=T0)
    marie = Entry(feed=MARIE, id="1", title="Youth soccer this weekend", published=T0)
    model = build(reg, content, [jack, marie])
    assert sorted(p.entry.title for p in model.posts) == [
        "Speed trap on Highway 7",
        "Youth soccer this weekend",
    ]


# Heading


def post_with(reg: Registry, title: str, excerpt: str) -> Post:
    return Post(
        entry(JACK_X, "x", title=title), account(reg, JACK_X), "officer:jack-west", T0, excerpt
    )


@pytest.mark.parametrize(
    ("title", "excerpt", "heading"),
    [
        ("", "Anything at all", ""),
        ("   ", "Anything at all", ""),
        ("Road closed", "Road closed", ""),
        ("  Road closed  ", "Road closed", ""),
        ("Road closed", "Road closed on Main St until 5 pm", ""),
        ("Road closed on Main St.", "Road closed on Main St until 5 pm", ""),
        ("Road closed on Main…", "Road closed on Main St until 5 pm", ""),
        ("Road closed on Main...", "Road closed on Main St until 5 pm", ""),
        ("  Missing person  ", "Have you seen her? Call 911.", "Missing person"),
        ("Update", "Road closed on Main St", "Update"),
        ("Road closed on Elm St.", "Road closed on Main St", "Road closed on Elm St."),
    ],
)
def test_a_heading_shows_only_when_the_title_says_more(
    reg: Registry, title: str, excerpt: str, heading: str
) -> None:
    assert post_with(reg, title, excerpt).heading == heading


def test_a_post_with_only_a_title_has_no_heading(reg: Registry, content: Content) -> None:
    model = build(reg, content, [entry(JACK_X, "x1", title="Road closed on Main St")])
    (post,) = model.posts
    assert post.excerpt == "Road closed on Main St"
    assert post.heading == ""


def test_a_title_and_a_different_summary_give_a_heading(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [entry(JACK_X, "x1", "<p>Have you seen her?</p>", title=" Missing person ")],
    )
    assert model.posts[0].heading == "Missing person"
    assert model.posts[0].excerpt == "Have you seen her?"


def test_a_built_post_carries_its_excerpt(reg: Registry, content: Content) -> None:
    model = build(reg, content, [entry(JACK_X, "x1", "<p>Hello <i>there</i></p>", title="Hi")])
    assert model.posts[0].excerpt == "Hello there"


def test_a_post_takes_the_texts_its_entry_was_stored_with(reg: Registry, content: Content) -> None:
    # The store saves them with the entry; the build does not work them out again.
    stored = replace(entry(JACK_X, "x1", "<p>Hello</p>"), texts=("Saved excerpt", "saved words"))
    fresh = entry(JACK_MASTODON, "m1", "<p>Saved excerpt</p>", published=T0 - DAY)
    model = build(reg, content, [stored, fresh])
    assert [(p.excerpt, p.fingerprint) for p in model.posts] == [
        ("Saved excerpt", "saved words"),
        ("Saved excerpt", "saved excerpt"),
    ]


def test_many_entries_without_texts_get_them_on_every_core(reg: Registry, content: Content) -> None:
    entries = [
        entry(JACK_X, f"x{n}", f"<p>Post <b>{n}</b></p>", published=T0 - n * DAY)
        for n in range(2500)
    ]
    model = site.build(reg, entries, content, BUILT_AT, workers=2)
    assert [p.excerpt for p in model.posts] == [f"Post {n}" for n in range(2500)]


# Order


def test_posts_are_newest_first_and_undated_posts_last(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(MARIE, "undated", "No date at all.", published=None),
            entry(COMMS, "old", "Old news.", published=T0 - 2 * DAY),
            entry(JACK_X, "new", "Fresh news.", published=T0),
            entry(OLD, "mid", "Middling news.", published=T0 - DAY),
            entry(
                JACK_MASTODON, "updated", "Only updated.", published=None, updated=T0 - 0.5 * DAY
            ),
        ],
    )
    assert ids(model) == ["new", "updated", "mid", "old", "undated"]
    assert model.posts[-1].when is None
    assert model.posts[1].when == T0 - 0.5 * DAY


def test_published_counts_before_updated(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(JACK_X, "edited", "Edited today.", published=T0 - 3 * DAY, updated=T0),
            entry(MARIE, "recent", "Posted yesterday.", published=T0 - DAY),
        ],
    )
    assert ids(model) == ["recent", "edited"]
    assert model.posts[1].when == T0 - 3 * DAY


def test_entries_of_feeds_not_in_the_registry_are_dropped(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [entry(UNKNOWN, "u1", "From a removed feed."), entry(JACK_X, "x1", "Still listed.")],
    )
    assert ids(model) == ["x1"]
    assert not any(p.entry.feed == UNKNOWN for p in model.posts)


def test_the_first_account_listing_a_feed_owns_its_posts(content: Content) -> None:
    shared = REGISTRY.replace(
        f'"@marie@social.test.example", feed: "{MARIE}"',
        f'"@marie@social.test.example", feed: "{JACK_X}"',
    )
    assert shared != REGISTRY
    reg = load(shared)
    model = build(reg, content, [entry(JACK_X, "x1", "Shared feed.")])
    (post,) = model.posts
    assert post.owner == "officer:jack-west"
    assert post.account.platform == "x"
    assert "officer:marie-tremblay" not in model.posts_by_owner


# Profiles


def test_posts_by_owner_and_by_unit(reg: Registry, content: Content) -> None:
    model = build(
        reg,
        content,
        [
            entry(COMMS, "c1", "From comms.", published=T0 - DAY),
            entry(JACK_X, "j1", "From Jack.", published=T0),
            entry(MARIE, "m1", "From Marie.", published=T0 - timedelta(hours=1)),
            entry(OLD, "o1", "From Old Timer, long ago.", published=T0 - 2000 * DAY),
            entry(MARIE, "m2", "Marie again.", published=T0 - 2 * DAY),
        ],
    )
    by_owner = {k: [p.entry.id for p in v] for k, v in model.posts_by_owner.items()}
    assert by_owner == {
        "unit:comms": ["c1"],
        "officer:jack-west": ["j1"],
        "officer:marie-tremblay": ["m1", "m2"],
        "officer:old-timer": ["o1"],
    }
    by_unit = {k: [p.entry.id for p in v] for k, v in model.posts_by_unit.items()}
    # A unit's posts are its own and its officers' (former ones too), newest first;
    # not those of its child units' officers.
    assert by_unit == {"comms": ["c1"], "traffic": ["j1"], "west": ["m1", "m2", "o1"]}
    assert "beat" not in model.posts_by_unit


def test_members_are_the_current_officers_of_each_unit(empty: SiteModel) -> None:
    members = {k: [o.id for o in v] for k, v in empty.members.items()}
    # Last Day leaves on the day of the build: still a member that day.
    assert members == {"traffic": ["jack-west"], "west": ["marie-tremblay", "last-day"]}


def test_former_officers_are_those_whose_until_has_passed(empty: SiteModel) -> None:
    assert [o.id for o in empty.former] == ["old-timer"]
    assert [o.id for o in empty.current_officers()] == ["jack-west", "marie-tremblay", "last-day"]


def test_the_day_after_until_an_officer_is_former(reg: Registry, content: Content) -> None:
    model = build(reg, content, [], built_at=datetime(2026, 3, 3, 0, 0, 1, tzinfo=UTC))
    assert [o.id for o in model.former] == ["old-timer", "last-day"]
    assert [o.id for o in model.members["west"]] == ["marie-tremblay"]


def test_an_officer_with_a_date_in_the_future_is_current(reg: Registry, content: Content) -> None:
    model = build(reg, content, [], built_at=datetime(2020, 6, 30, 23, 0, tzinfo=UTC))
    assert model.former == ()
    assert [o.id for o in model.members["west"]] == ["marie-tremblay", "old-timer", "last-day"]


def test_children_list_each_units_direct_children(empty: SiteModel) -> None:
    children = {k: [u.id for u in v] for k, v in empty.children.items()}
    assert children == {"comms": ["west"], "west": ["beat"]}


def test_ancestors_run_from_the_top_down(empty: SiteModel) -> None:
    assert [u.id for u in empty.ancestors(empty.units["beat"])] == ["comms", "west"]
    assert [u.id for u in empty.ancestors(empty.units["west"])] == ["comms"]
    assert empty.ancestors(empty.units["comms"]) == ()
    assert empty.ancestors(empty.units["traffic"]) == ()


def test_ancestors_stop_at_a_parent_not_in_the_registry(empty: SiteModel) -> None:
    orphan = Unit(id="orphan", name=Text.plain("Orphan"), kind="unit", parent="gone")
    assert empty.ancestors(orphan) == ()
    under_west = Unit(id="new", name=Text.plain("New"), kind="unit", parent="west")
    assert [u.id for u in empty.ancestors(under_west)] == ["comms", "west"]


def test_platforms_are_those_with_accounts_in_table_order(empty: SiteModel) -> None:
    assert empty.platforms == ("x", "facebook", "instagram", "mastodon", "bluesky", "blog")


def test_platforms_do_not_depend_on_posts_or_registry_order(content: Content) -> None:
    # Only Marie's Mastodon and the comms blog: table order, not registry order.
    small = load(
        """\
site:
  name: Test Police
  url: https://police.test.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: comms
    name: Communications
    kind: office
    accounts:
      - {platform: blog, url: "https://blog.test.example/"}
      - {platform: mastodon, handle: "@comms@social.test.example"}
officers: []
"""
    )
    model = build(small, content, [])
    assert model.platforms == ("mastodon", "blog")
    assert model.posts == ()
    assert model.former == ()


def test_topics_are_sorted_and_distinct(empty: SiteModel) -> None:
    # From units and every officer's topics, the former officer's too (his page links them).
    assert empty.topics == ("community", "cycling", "history", "news", "road-safety", "youth")
    assert [p.id for p in empty.with_topic("road-safety")] == ["traffic", "jack-west"]
    assert empty.with_topic("history") == ()


def test_units_and_officers_are_keyed_by_id(empty: SiteModel) -> None:
    assert list(empty.units) == ["comms", "west", "beat", "traffic"]
    assert list(empty.officers) == ["jack-west", "marie-tremblay", "old-timer", "last-day"]
    assert [u.id for u in empty.official] == ["comms"]
    assert empty.profile("unit:west") is empty.units["west"]
    assert empty.profile("officer:jack-west") is empty.officers["jack-west"]
    assert empty.unit_of(empty.officers["jack-west"]).id == "traffic"
    assert [u.id for u in empty.units_of_kind("unit")] == ["beat", "traffic"]


def test_accounts_on_a_platform_name_their_profile(empty: SiteModel) -> None:
    found = [(p.id, a.handle) for p, a in empty.accounts_on("mastodon")]
    assert found == [
        ("comms", "comms@social.test.example"),
        ("jack-west", "jack@social.test.example"),
        ("marie-tremblay", "marie@social.test.example"),
    ]


def test_an_empty_build_has_no_posts(empty: SiteModel) -> None:
    assert empty.posts == ()
    assert dict(empty.posts_by_owner) == {}
    assert dict(empty.posts_by_unit) == {}


# Time


def test_today_is_the_day_of_the_build_in_the_sites_time_zone(
    empty: SiteModel, content: Content
) -> None:
    assert empty.built_at == BUILT_AT
    assert empty.today == date(2026, 3, 2)  # the registry names no zone: UTC
    toronto = load(
        REGISTRY.replace(
            "  languages: [en, fr]\n", "  languages: [en, fr]\n  timezone: America/Toronto\n"
        )
    )
    # 02:00 UTC on the 3rd is still the 2nd in Toronto: Last Day (until 2026-03-02)
    # is still serving there. Five hours later it is the 3rd there too: she has left.
    late = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    there = site.build(toronto, [], content, late)
    assert there.today == date(2026, 3, 2)
    assert [o.id for o in there.former] == ["old-timer"]
    assert [o.id for o in site.build(there.registry, [], content, late + 5 * HOUR).former] == [
        "old-timer",
        "last-day",
    ]


def test_has_left_is_true_of_former_officers_only(empty: SiteModel) -> None:
    assert empty.has_left(empty.officers["old-timer"])
    assert not empty.has_left(empty.officers["last-day"])  # leaves today: still serving
    assert not empty.has_left(empty.officers["jack-west"])
    assert not empty.has_left(empty.units["west"])
