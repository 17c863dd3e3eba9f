"""The directory's cards and the posts' authors, rendered in both languages from a small site:
initials that do not collide, the disclaimer once per page, officers who left marked
wherever they are listed, YouTube and Flickr accounts named, partners grouped apart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hub.model import Entry, Registry
from hub.publish.tree import publish
from hub.registry import load as registry
from hub.render import pages as generate
from hub.render import theme
from hub.site import model as site
from hub.site.content import load_content

ROOT = Path(__file__).resolve().parents[2]
BUILT_AT = datetime(2026, 12, 7, 19, 5, tzinfo=UTC)
CHANNEL = "UCPtYgjmUhBel31iEl2hpChY"
DISCLAIMER = "Not monitored 24/7."
HOSTILE_NAME = "<img src=x onerror=alert(1)> Marine photos"
AVISO = "Pas surveillé en tout temps."

REGISTRY = f"""\
site:
  name: {{en: Test Police Service, fr: Service de police de Test}}
  url: https://hub.test.example
  languages: [en, fr]
  contact: {{emergency: "911"}}
  disclaimer: {{en: {DISCLAIMER}, fr: {AVISO}}}
  timezone: America/Toronto
units:
  - id: comms
    name: {{en: Corporate Communications, fr: Communications corporatives}}
    kind: office
    monitoring: {{en: Monitored daily 7 to 23., fr: Surveillé tous les jours de 7 h à 23 h.}}
    accounts:
      - {{platform: x, handle: TestPolice}}
      - {{platform: youtube, handle: {CHANNEL}, feed: feeds/comms-youtube.xml}}
      - platform: flickr
        handle: "148392017@N04"
        feed: feeds/comms-flickr.xml
        label: {{en: Photo albums, fr: Albums photo}}
  - id: marine
    name: {{en: Marine Unit, fr: Unité maritime}}
    kind: unit
    accounts:
      - {{platform: x, handle: TestMarine}}
      - {{platform: flickr, handle: "150927364@N02", feed: feeds/marine-flickr.xml}}
  - id: mounted
    name: {{en: Mounted Unit, fr: Unité à cheval}}
    kind: unit
    accounts:
      - {{platform: x, handle: TestMounted}}
  - id: d11
    name: {{en: 11 Division, fr: 11e Division}}
    kind: division
  - id: d12
    name: {{en: 12 Division, fr: 12e Division}}
    kind: division
  - id: crime-stoppers
    name: {{en: Test Crime Stoppers, fr: Échec au crime de Test}}
    kind: partner
    accounts:
      - {{platform: x, handle: TestStoppers}}
officers:
  - name: Jack West
    rank: Sgt
    unit: marine
    accounts:
      - {{platform: x, handle: SgtJackWest}}
  - name: Old Timer
    rank: Det
    unit: d11
    until: 2025-06-30
    accounts:
      - {{platform: x, handle: DetOldTimer, feed: feeds/old-timer.xml}}
"""


def entries() -> list[Entry]:
    def one(feed: str, number: int, author: str | None = None) -> Entry:
        return Entry(
            feed=feed,
            id=f"{feed}-{number}",
            title="",
            summary=f"Post {number} of {feed}.",
            link=f"https://posts.test.example/{number}",
            published=BUILT_AT - timedelta(hours=number),
            author=author,
        )

    return [
        one("feeds/comms-youtube.xml", 1, "Test Police Channel"),
        one("feeds/comms-youtube.xml", 5, "An older name"),
        one("feeds/comms-flickr.xml", 2, "Test Police on Flickr"),
        one("feeds/old-timer.xml", 3, "Old Timer"),
        one("feeds/marine-flickr.xml", 4, HOSTILE_NAME),
    ]


def newest(found: Sequence[Entry], source: str) -> list[Entry]:
    """What ``Store.entries([source], limit=1)`` gives: the feed's newest entry."""
    mine = [e for e in found if e.feed == source]
    return sorted(mine, key=lambda e: e.published or BUILT_AT, reverse=True)[:1]


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    root = tmp_path_factory.mktemp("cards")
    (root / "themes").symlink_to(ROOT / "themes", target_is_directory=True)
    (root / "feeds").mkdir()
    for name in ("comms-youtube.xml", "comms-flickr.xml", "old-timer.xml", "marine-flickr.xml"):
        (root / "feeds" / name).write_text("<rss version='2.0'><channel/></rss>")
    (root / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    return registry.load(root / "sources.yaml").registry


@pytest.fixture(scope="module")
def built(reg: Registry, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    content = load_content(reg.root / "content", reg.site.languages)
    found = entries()
    names = site.channel_names(reg, lambda source: newest(found, source))
    model = site.build(reg, found, content, BUILT_AT, names=names)
    chain = theme.load(reg.root, reg.site.theme)
    # The pages listing accounts are rendered ahead of the posts in a build:
    # the same names must reach them.
    ahead = generate.ahead_of_posts(site.directory(reg, content, BUILT_AT, names), chain)
    output = generate.collect(model, chain, ahead=ahead)
    assert dict(output.items()) == dict(generate.collect(model, chain).items())
    out = tmp_path_factory.mktemp("public")
    publish(output, out)
    return {
        path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*.html"))
    }


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# Avatars


def test_initials_do_not_collide_in_the_directory(built: dict[str, str]) -> None:
    for path in ("en/connect/index.html", "fr/joindre/index.html"):
        drawn = re.findall(
            r'avatar--initials avatar--tone-\d[^"]*" aria-hidden="true">([^<]+)<', built[path]
        )
        assert len(drawn) == len(set(drawn)) == 7, (path, drawn)
    en = built["en/connect/index.html"]
    assert {"MAU", "MOU", "11D", "12D"} <= set(re.findall(r">(\w+)</span>", en))


def test_long_initials_get_a_smaller_size(built: dict[str, str]) -> None:
    assert re.search(
        r'avatar--tone-\d avatar--long" aria-hidden="true">MAU<', built["en/connect/index.html"]
    )
    assert re.search(r'avatar--tone-\d" aria-hidden="true">JW<', built["en/connect/index.html"])


# The disclaimer


def test_the_sites_disclaimer_shows_once_on_every_page(built: dict[str, str]) -> None:
    for path, html in built.items():
        if path == "index.html":
            continue  # the language chooser shows no account
        words = AVISO if path.startswith("fr/") else DISCLAIMER
        assert text_of(html).count(words) == 1, path


def test_a_cards_own_monitoring_still_shows_on_it(built: dict[str, str]) -> None:
    directory = built["en/connect/index.html"]
    assert text_of(directory).count("Monitored daily 7 to 23.") == 1
    assert "Surveillé tous les jours de 7 h à 23 h." in text_of(built["fr/joindre/index.html"])
    assert "Monitored daily 7 to 23." in text_of(built["en/units/comms/index.html"])


# Officers who have left


FORMER_EN = "No longer an official account"
FORMER_FR = "N\u2019est plus un compte officiel"


@pytest.mark.parametrize(
    "path",
    [
        "en/connect/former/index.html",
        "en/connect/platform/x/index.html",  # every X account, his too
        "en/officers/old-timer/index.html",
        "en/index.html",  # his post
        "fr/joindre/anciens/index.html",
        "fr/joindre/plateforme/x/index.html",
        "fr/agents/old-timer/index.html",
        "fr/index.html",
    ],
)
def test_an_officer_who_left_is_marked_wherever_he_is_listed(
    built: dict[str, str], path: str
) -> None:
    html = built[path]
    # His rank as each language writes it (hub/registry/ranks.py).
    assert ("Dét. Old Timer" if path.startswith("fr/") else "Det Old Timer") in text_of(html)
    assert (FORMER_FR if path.startswith("fr/") else FORMER_EN) in text_of(html), path
    if "x.com/DetOldTimer" in html:
        (link,) = re.findall(
            r'<a class="account account--inactive"[^>]*x\.com/DetOldTimer[^>]*>.*?</a>', html
        )
        label = FORMER_FR if path.startswith("fr/") else FORMER_EN
        # Said to a screen reader too, in the hidden text that names the link.
        spoken = re.search(r'<span class="visually-hidden">(.*?)</span><span', link).group(1)
        assert label.lower() in spoken.lower(), link
        assert 'rel="nofollow noopener"' in link


def test_current_officers_are_not_marked(built: dict[str, str]) -> None:
    platform = built["en/connect/platform/x/index.html"]
    card = platform[platform.index("Sgt Jack West") :]
    card = card[: card.index("</article>")]
    assert FORMER_EN not in card and "account--inactive" not in card
    assert FORMER_EN not in built["en/officers/jack-west/index.html"]


# YouTube and Flickr names


def test_a_youtube_channel_id_shows_the_channels_name_never_the_id(
    built: dict[str, str],
) -> None:
    for path in ("en/connect/index.html", "en/units/comms/index.html", "fr/joindre/index.html"):
        html = built[path]
        assert CHANNEL not in text_of(html), path
        (link,) = re.findall(rf'<a class="account"[^>]*youtube\.com/channel/{CHANNEL}.*?</a>', html)
        # The newest post's author: the name the channel goes by now.
        assert "Test Police Channel" in text_of(link) and "An older name" not in link, path
        assert "YouTube" in text_of(link)
        spoken = re.search(r'<span class="visually-hidden">(.*?)</span><span', link).group(1)
        assert "Test Police Channel" in spoken
    assert CHANNEL in built["en/connect/index.html"]  # in the link's address only


def test_an_accounts_label_wins_over_the_name_its_feed_gives(built: dict[str, str]) -> None:
    html = built["en/connect/index.html"]
    (link,) = re.findall(r'<a class="account"[^>]*flickr\.com/photos/148392017@N04/.*?</a>', html)
    assert "Photo albums" in text_of(link)
    assert "Test Police on Flickr" not in link and "148392017@N04" not in text_of(link)


def test_channel_names_come_only_for_accounts_without_a_name_of_their_own(reg: Registry) -> None:
    found = entries()
    names = site.channel_names(reg, lambda source: newest(found, source))
    # Not the labelled Flickr account, not the officer's X account with a handle.
    assert names == {
        f"youtube:{CHANNEL.lower()}": "Test Police Channel",
        "flickr:150927364@n02": HOSTILE_NAME,
    }
    assert site.channel_names(reg, lambda source: []) == {}


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_a_name_from_a_feed_is_text(built: dict[str, str]) -> None:
    for path in ("en/connect/index.html", "fr/unites/marine/index.html"):
        html = built[path]
        assert "&lt;img src=x onerror=alert(1)&gt; Marine photos" in html, path
        parsed = Elements()
        parsed.feed(html)
        assert not [a for tag, a in parsed.found if tag == "img" and a.get("src") == "x"], path
        assert not [a for _, a in parsed.found if "onerror" in a], path


# Partner organizations


def test_partners_are_grouped_apart_in_the_directory(built: dict[str, str]) -> None:
    en = built["en/connect/index.html"]
    assert re.findall(r'<h2 id="kind-(\w+)">', en) == ["office", "division", "unit", "partner"]
    partners = en[en.index('id="kind-partner"') :]
    assert "Partner organizations" in text_of(partners[:200])
    assert "Test Crime Stoppers" in text_of(partners) and "Partner organization" in text_of(
        partners
    )
    fr = built["fr/joindre/index.html"]
    assert "Organismes partenaires" in text_of(fr) and "Organisme partenaire" in text_of(fr)
