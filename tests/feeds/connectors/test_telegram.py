"""Tests for hub.feeds.connectors.telegram: channel preview pages, read as untrusted HTML."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.feeds.connectors import reader, telegram
from hub.feeds.drafts import Draft, FeedError, finish
from hub.feeds.parse import parse_feed
from hub.feeds.sanitize import ALLOWED_TAGS
from hub.model import Entry, Media

DATA = Path(__file__).resolve().parents[2] / "data" / "connectors" / "telegram"
PROFILE = "https://t.me/LakeviewPoliceNews"
PREVIEW = "https://t.me/s/LakeviewPoliceNews"
HISTORY = '<section class="tgme_channel_history js-message_history">'


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


def read(body: bytes | str, profile: str | None = PROFILE) -> list[Draft]:
    return telegram.read(
        body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body, profile
    )


def message(number: int, inner: str, *, when: str = "2026-11-04T10:00:00+00:00") -> str:
    """One message of LakeviewPoliceNews, as the preview writes it."""
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        '<div class="tgme_widget_message js-widget_message" '
        f'data-post="LakeviewPoliceNews/{number}">'
        f'<div class="tgme_widget_message_bubble">{inner}'
        '<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta">'
        f'<a class="tgme_widget_message_date" href="https://t.me/LakeviewPoliceNews/{number}">'
        f'<time datetime="{when}" class="time">10:00</time></a></span></div></div></div></div>'
    )


def text(markup: str) -> str:
    return f'<div class="tgme_widget_message_text js-message_text" dir="auto">{markup}</div>'


def channel(*messages: str) -> str:
    return f"<!DOCTYPE html><html><body>{HISTORY}{''.join(messages)}</section></body></html>"


def draft(number: int, summary: str, published: datetime | None, **fields: Any) -> Draft:
    image = fields.pop("image", None)
    values: dict[str, Any] = {
        "id": f"LakeviewPoliceNews/{number}",
        "title": "",
        "summary": summary,
        "content": "",
        "link": f"https://t.me/LakeviewPoliceNews/{number}",
        "published": published,
        "updated": None,
        "author": "",
        "categories": (),
        "media": (Media(url=image, alt="", type=None),) if image else (),
        "language": None,
        "base": PREVIEW,
    }
    return Draft(**{**values, **fields})


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


CDN = "https://cdn4.telesco.pe/file/"


def test_the_platform_reader_is_this_module() -> None:
    assert reader("telegram") is telegram.read


def test_a_channel_page_gives_one_draft_per_message_newest_first() -> None:
    assert read(page("channel.html")) == [
        # An album: the first photo; a spoiler's words shown; emoji as characters.
        draft(
            43,
            "The parade went ahead safely. Thank you for your patience, <s>everyone</s> "
            "<b><i>everyone</i></b>!<br><br>Yes, the horses got carrots. 🐴",
            at(2026, 11, 2, 14, 5),
            image=CDN + "parade-1.jpg",
        ),
        # Forwarded: its author is the channel it came from.
        draft(
            41,
            "Change your clocks, <u>test your smoke alarms</u>.",
            at(2026, 11, 1, 18, 30),
            author="Lakeview Fire Department",
        ),
        # The link preview is the linked page's, not the message's: no image from it.
        draft(
            39,
            "Constable recruiting is open until 30 November: "
            '<a href="https://www.lakeview.example/police/recruiting/">'
            "https://www.lakeview.example/police/recruiting/</a>",
            at(2026, 11, 1, 12, 0),
        ),
        # A video without a caption: its thumbnail.
        draft(38, "", at(2026, 11, 1, 8, 15), image=CDN + "marine-unit-thumb.jpg"),
        # A photo with a caption and a signature; the time in UTC.
        draft(
            37,
            "Congratulations to PSD Maple and Cst. Ortiz, the newest team of the "
            "<b>Canine Unit</b>!",
            at(2026, 10, 31, 10, 2, 41),
            image=CDN + "k9-graduation.jpg",
            author="Cst. Amara Diallo",
        ),
        # Links kept with their href alone: the "&amp;" the preview doubles in
        # links it asks about is undone, a hashtag resolves against the preview.
        draft(
            36,
            "🚧 <b>Road closures this weekend</b><br><br>Main Street is closed between 1st "
            "and 4th Avenue on <i>Saturday</i> from 06:00 to 18:00 for the Harvest Parade. "
            'Detours: <a href="https://www.lakeview.example/police/news/road-closures?'
            'utm_source=telegram&amp;utm_medium=channel">'
            "lakeview.example/police/news/road-closures</a><br><br>"
            'With <a href="https://t.me/LakeviewFire">@LakeviewFire</a> &amp; transit. '
            f'<a href="{PREVIEW}?q=%23RoadSafety">#RoadSafety</a>',
            at(2026, 10, 30, 16, 20),
        ),
    ]
    # Left out: "Channel created" and a pin (service messages), a sticker, and a
    # message the preview cannot show.


def test_the_parse_stage_reads_a_telegram_account_through_this_reader() -> None:
    feed = parse_feed(page("channel.html"), PREVIEW, platform="telegram", profile=PROFILE)
    assert [entry.id for entry in feed.entries] == [
        f"LakeviewPoliceNews/{n}" for n in (43, 41, 39, 38, 37, 36)
    ]
    assert feed.entries[4].author == "Cst. Amara Diallo"
    assert feed.entries[4].media == (Media(url=CDN + "k9-graduation.jpg", alt="", type=None),)
    links = feed.entries[5].summary
    assert 'href="https://t.me/LakeviewFire"' in links
    assert 'rel="nofollow noopener noreferrer"' in links


@pytest.mark.parametrize("name", ["not_found.html", "group.html"])
def test_a_page_without_a_channel_history_is_an_error(name: str) -> None:
    # t.me/s/<name> redirects here for an unknown name, a private channel, a group or a bot.
    with pytest.raises(FeedError, match="not a Telegram channel preview"):
        read(page(name))


@pytest.mark.parametrize(
    "body",
    [
        b'{"ok": false, "error_code": 404, "description": "Not Found"}',
        b"[]",
        b"<html><head><title>Log in to Telegram</title></head><body>"
        b'<form class="login_form" action="https://oauth.telegram.org/auth/login">'
        b'<input name="phone" type="tel"></form></body></html>',
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
        b"Service Unavailable",
        b"",
        b"\xff\xfe\x00<\x00h\x00t\x00m\x00l\x00>",
        b"<!-- " + HISTORY.encode(),
    ],
    ids=["json", "json-list", "login", "xml", "text", "empty", "utf-16", "commented-out"],
)
def test_anything_else_is_an_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="not a Telegram channel preview"):
        read(body)


def test_an_empty_history_has_no_drafts() -> None:
    empty = '<div class="tgme_widget_message_centered"><div class="tme_no_messages_found">No posts'
    assert read(channel(empty)) == []


def test_hostile_markup_is_read_as_text_and_links_only() -> None:
    drafts = read(page("hostile.html"))
    when = at(2026, 11, 4, 10, 0)
    assert drafts == [
        # A script left open: the rest of the page is its content, and lost.
        draft(114, "Before the open script", None),
        # Declarations, comments, processing instructions and a lone "<" are text or nothing.
        draft(
            111,
            "a &lt;![CDATA[]]&gt; b  c  d  e &lt;&lt;&lt;&gt;&gt;&gt; f 1 &lt; 2 &gt; 0 g h i j",
            when,
        ),
        # A time past the calendar's end once in UTC; a forwarded name holding markup.
        draft(
            110,
            "Forwarded",
            None,
            author="&lt;script&gt;alert(1)&lt;/script&gt; Evil &amp; Co",
        ),
        # A message inside the text is text; a second text is not read.
        draft(109, "Outer inner tail", when),
        # What a reply and a link preview quote is left out: text, photo and time.
        draft(108, "Own words", when),
        # Lone surrogates, NUL and a code point past Unicode, as references.
        draft(107, "High \ufffd low \ufffd decimal \ufffd nul \ufffd end \ufffd", None),
        # A CSS-escaped photo URL is refused; the next, quoted with entities, is read.
        draft(105, "Escaped photo", when, image=CDN + "second.jpg"),
        # data: and http: images refused.
        draft(104, "Data photo", when),
        # A javascript: photo refused.
        draft(103, "Scripted photo", when),
        # Tags left open are closed where the text ends.
        draft(102, '<b>bold <i>both <a href="https://ok.example/">link</a></i></b>', when),
        draft(
            101,
            'Before <b>bold</b> js js2 js3 data vb <a href="https://ok.example/?a=1&amp;b=2">'
            "ok</a>  After",
            when,
        ),
    ]
    # Left out: 106 (its only photo has a user name in its URL), 112 (only line
    # breaks), 113 (a service message), and three whose data-post is no post.


def test_deep_nesting_costs_nothing() -> None:
    drafts = read(page("deep.html"))
    deep = "<b>" * telegram.MAX_NESTING + "deep" + "</b>" * telegram.MAX_NESTING
    assert drafts == [
        draft(52, f"Unclosed below: {deep}", at(2026, 11, 3, 11, 0)),
        draft(51, "Still read after the deep one.", at(2026, 11, 3, 10, 0)),
        draft(50, "Top <b>bottom</b> end", at(2026, 11, 3, 9, 0)),
    ]


def test_finish_leaves_the_drafts_inert() -> None:
    drafts = [d for name in ("hostile.html", "deep.html", "channel.html") for d in read(page(name))]
    entries = finish(drafts, PREVIEW, None)
    assert len(entries) == len(drafts) == 20
    assert_inert(entries)
    forwarded = next(e for e in entries if e.id == "LakeviewPoliceNews/110")
    # Plain text, escaped again where it is shown.
    assert forwarded.author == "<script>alert(1)</script> Evil & Co"
    hostile = next(e for e in entries if e.id == "LakeviewPoliceNews/101")
    assert hostile.summary == (
        'Before <b>bold</b> js js2 js3 data vb <a href="https://ok.example/?a=1&amp;b=2" '
        'rel="nofollow noopener noreferrer">ok</a>  After'
    )


class Markup(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(entries: Iterable[Entry]) -> None:
    for entry in entries:
        for markup in (entry.summary, entry.content):
            markup.encode("utf-8")
            for tag, attrs in Markup(markup).tags:
                assert tag in ALLOWED_TAGS, (entry.id, tag)
                for name, value in attrs:
                    assert name in {"href", "rel"}, (entry.id, name)
                    if name == "href":
                        assert value is not None and value.startswith("https://"), value
        assert entry.link is None or entry.link.startswith("https://t.me/")
        assert all(m.url.startswith("https://") and m.alt == "" for m in entry.media)
        (entry.author or "").encode("utf-8")


def test_a_link_asked_about_is_the_only_one_whose_ampersands_are_undone() -> None:
    asked = '<a href="https://a.example/?x=1&amp;amp;y=2" onclick="return confirm(1)">a</a>'
    plain = '<a href="https://b.example/?x=1&amp;amp;y=2">b</a>'
    [got] = read(channel(message(1, text(asked + " " + plain))))
    assert got.summary == (
        '<a href="https://a.example/?x=1&amp;y=2">a</a> '
        '<a href="https://b.example/?x=1&amp;amp;y=2">b</a>'
    )


def test_times_without_a_zone_are_utc_and_bad_ones_are_none() -> None:
    body = channel(
        message(1, text("naive"), when="2026-11-04T10:00:00"),
        message(2, text("zulu"), when="2026-11-04T10:00:00Z"),
        message(3, text("words"), when="next Tuesday"),
        message(4, text("huge"), when="2026-11-04T10:00:00" + "0" * 100),
    )
    assert [(d.summary, d.published) for d in read(body)] == [
        ("huge", None),
        ("words", None),
        ("zulu", at(2026, 11, 4, 10, 0)),
        ("naive", at(2026, 11, 4, 10, 0)),
    ]


def test_bytes_that_are_not_utf8_and_a_byte_order_mark() -> None:
    body = b"\xef\xbb\xbf" + channel(message(1, text("caf\xe9"))).encode("latin-1")
    assert [d.summary for d in read(body)] == ["caf\ufffd"]


def test_a_body_past_the_limit_is_an_error() -> None:
    body = channel(message(1, text("x" * telegram.MAX_BODY)))
    with pytest.raises(FeedError, match="too large"):
        read(body)


def test_a_page_is_read_up_to_its_message_limit() -> None:
    body = channel(*(message(n, text(f"m{n}")) for n in range(1, telegram.MAX_MESSAGES + 51)))
    drafts = read(body)
    assert [d.id for d in drafts] == [
        f"LakeviewPoliceNews/{n}" for n in range(telegram.MAX_MESSAGES, 0, -1)
    ]


def test_a_page_is_read_up_to_its_tag_limit() -> None:
    body = channel(
        message(1, text("first")), "<i></i>" * telegram.MAX_ELEMENTS, message(2, text("x"))
    )
    assert [d.summary for d in read(body)] == ["first"]


def test_a_long_text_is_cut() -> None:
    [got] = read(channel(message(1, text("<b>" + "word " * 10_000 + "</b>"))))
    assert got.summary.startswith("<b>word word")
    assert got.summary.endswith("</b>")
    assert len(got.summary) <= telegram.MAX_TEXT + len("</b>")


@pytest.mark.parametrize(
    "unit",
    ["<a", "</", "<?", "<!", "<![", "< ", "<!--", "<a b='", "<b>", "</b>", "<br>", "<a/", "&#"],
)
def test_pathological_markup_reaches_the_parser_only_as_closed_tags(unit: str) -> None:
    # html.parser alone rescans the rest of the document from each of these when
    # nothing closes them: minutes for a few hundred kilobytes. Tidied, every "<"
    # left opens a tag that closes before the next "<", so none is rescanned.
    head = channel(message(1, text("first")))[: -len("</section></body></html>")]
    opened = '<div class="tgme_widget_message" data-post="LakeviewPoliceNews/2">' + text("")[:-6]
    body = head + opened + unit * (300_000 // len(unit))
    tidied = telegram.tidy(body)
    assert re.fullmatch(r"[^<]*(?:<[^<>]*>[^<]*)*", tidied)
    with contextlib.suppress(FeedError):
        read(body)


@pytest.mark.parametrize(
    ("markup", "tidied"),
    [
        ("<p class='a'>x</p>", "<p class='a'>x</p>"),
        ("a < b", "a &lt; b"),
        ("<a<b>", "&lt;a<b>"),
        ("x <!-- <b> --> y", "x  y"),
        ("x <!-- open", "x "),
        ("<!DOCTYPE html><?xml x?></3>", ""),
        ("<a b='c>d", "d"),
        ("<a b='c' d=\"e\">", "<a b='c' d=\"e\">"),
        ("<" + "a" * telegram.MAX_TAG + ">", ""),
        ("<>", "&lt;>"),
        ("tail <a", "tail &lt;a"),
    ],
)
def test_tidy(markup: str, tidied: str) -> None:
    assert telegram.tidy(markup) == tidied


def only_drafts_or_feed_error(body: bytes) -> list[Draft]:
    try:
        drafts = telegram.read(body, PROFILE)
    except FeedError as error:
        assert str(error)
        return []
    assert isinstance(drafts, list)
    assert all(isinstance(d, Draft) for d in drafts)
    return drafts


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2_000))
def test_any_text_gives_drafts_or_a_feed_error(body: str) -> None:
    only_drafts_or_feed_error(body.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2_000))
def test_any_bytes_give_drafts_or_a_feed_error(body: bytes) -> None:
    only_drafts_or_feed_error(body)


FRAGMENTS = st.sampled_from(
    [
        '<div class="tgme_widget_message" data-post="LakeviewPoliceNews/7">',
        '<div class="tgme_widget_message service_message" data-post="LakeviewPoliceNews/8">',
        '<div class="tgme_widget_message_text">', '<a class="tgme_widget_message_reply">',
        '<a class="tgme_widget_message_photo_wrap" style="background-image:url(\'',
        "https://cdn4.telesco.pe/file/a.jpg", "javascript:alert(1)", "data:image/png,x", "')\">",
        '<a class="tgme_widget_message_date"><time datetime="', "2026-11-04T10:00:00+00:00",
        '">', "</div>", "</a>", "<b>", "</b>", "<i class=emoji>", "<br/>", "<a href=\"", "\">",
        "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;",
        "<", ">", "'", '"', "\x00", "é", "<svg onload=alert(1)>", "<img src=x onerror=alert(1)>",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=60))
def test_noise_in_a_channel_page_gives_inert_entries(pieces: list[str]) -> None:
    body = f"<html><body>{HISTORY}{''.join(pieces)}".encode("utf-8", "surrogatepass")
    drafts = only_drafts_or_feed_error(body)
    assert_inert(finish(drafts, PREVIEW, None))
