"""Tests for hub.feeds.parse: every file in tests/data/feeds is a case, plus limits.

A fixture starts with a comment header (see tests/data/feeds/README.md):
``Description:`` says what the case is, each ``Expect:`` line is a Python
expression that must be true, over ``feed`` (the ParsedFeed) or ``error``
(the FeedError message).
"""

from __future__ import annotations

import codecs
import json
import pickle
import re
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser.api
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.feeds import expatreader, posttext
from hub.feeds.drafts import MAX_HTML, FeedError, ParsedFeed
from hub.feeds.parse import UnexpectedError, _needs_base, _without_comments, parse_feed
from hub.feeds.sanitize import ALLOWED_TAGS
from hub.model import Entry

FEEDS = Path(__file__).parents[1] / "data" / "feeds"
FIXTURES = sorted(p for p in FEEDS.iterdir() if p.is_file() and p.name != "README.md")
HEADER = re.compile(r"<!--(.*?)-->", re.DOTALL)


@dataclass(frozen=True)
class Case:
    description: str
    expects: tuple[str, ...]
    headers: dict[str, str]
    source: str


def read_case(path: Path) -> Case:
    raw = path.read_bytes()
    if path.suffix == ".json":
        fields = json.loads(raw)["_comment"]
        lines = [f"{key}: {value}" for key, value in fields.items() if key != "Expect"]
        lines += [f"Expect: {value}" for value in fields.get("Expect", [])]
    else:
        match = HEADER.search(_header_text(raw))
        assert match, f"{path.name} has no <!-- Description/Expect --> header"
        lines = match.group(1).strip().splitlines()
    fields_seen: dict[str, list[str]] = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields_seen.setdefault(key.strip(), []).append(value.strip())
    return Case(
        description=" ".join(fields_seen.get("Description", [])),
        expects=tuple(fields_seen.get("Expect", [])),
        headers=json.loads(fields_seen.get("Headers", ["{}"])[0]),
        source=fields_seen.get("Source", [f"https://feeds.police.example/{path.name}"])[0],
    )


def _header_text(raw: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def markup(feed: ParsedFeed) -> str:
    """Every HTML field of every entry, for assertions about what is inert."""
    return "\n".join(e.summary + "\n" + e.content for e in feed.entries)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def _read_markup(feed: ParsedFeed) -> _Markup:
    parser = _Markup()
    parser.feed(markup(feed))
    parser.close()
    return parser


def tags(feed: ParsedFeed) -> set[str]:
    """Every tag name in the entries' HTML, as a browser-like parser sees it."""
    return _read_markup(feed).tags


def attributes(feed: ParsedFeed) -> set[str]:
    return {name for name, _ in _read_markup(feed).attributes}


def addresses(feed: ParsedFeed) -> list[str]:
    """Every href, src and cite in the entries' HTML."""
    wanted = {"href", "src", "cite"}
    return [value for name, value in _read_markup(feed).attributes if name in wanted]


def urls(feed: ParsedFeed) -> list[str]:
    found = [feed.link] if feed.link else []
    for entry in feed.entries:
        found += [entry.link] if entry.link else []
        found += [m.url for m in entry.media]
    return found


def texts(feed: ParsedFeed) -> list[str]:
    found = [feed.title]
    for entry in feed.entries:
        found += [entry.title, entry.author or "", *entry.categories]
        found += [m.alt for m in entry.media]
    return found


def by_id(feed: ParsedFeed) -> dict[str, Entry]:
    return {entry.id: entry for entry in feed.entries}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture(path: Path) -> None:
    case = read_case(path)
    assert case.description, f"{path.name}: missing Description"
    assert case.expects, f"{path.name}: missing Expect"
    wants_error = any(re.search(r"\berror\b", expect) for expect in case.expects)
    names: dict[str, Any] = {
        "datetime": datetime,
        "UTC": UTC,
        "timedelta": timedelta,
        "markup": markup,
        "urls": urls,
        "tags": tags,
        "attributes": attributes,
        "addresses": addresses,
        "ALLOWED_TAGS": ALLOWED_TAGS,
        "texts": texts,
        "by_id": by_id,
        "source": case.source,
    }
    body = path.read_bytes()
    if wants_error:
        with pytest.raises(FeedError) as raised:
            parse_feed(body, case.source, headers=case.headers)
        names["error"] = str(raised.value)
    else:
        names["feed"] = parse_feed(body, case.source, headers=case.headers)
    for expect in case.expects:
        assert eval(expect, names), f"{path.name}: {case.description}\n  failed: {expect}"


# Direct tests: limits and hostile input that is easier to generate than to store.


XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
CHANNEL = "<title>Generated</title><link>https://police.example/</link>"


def rss(items: str, channel: str = CHANNEL) -> bytes:
    return f'{XML_DECLARATION}<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def item(number: int, when: datetime | None = None, **fields: str) -> str:
    date = f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>" if when else ""
    extra = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
    guid = f'<guid isPermaLink="false">g{number}</guid>'
    return f"<item><title>Post {number}</title>{guid}{date}{extra}</item>"


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty_body_is_an_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty document"):
        parse_feed(body, "https://feeds.police.example/empty")


def test_large_quadratic_entity_document_is_refused() -> None:
    entity = "a" * 10_000
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]>'
        f'<rss version="2.0"><channel><title>{"&a;" * 8_000}</title></channel></rss>'
    ).encode()
    with pytest.raises(FeedError, match="declares DTD entities"):
        parse_feed(body, "https://feeds.police.example/bomb")


def test_a_body_that_looks_like_a_path_is_never_opened(tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(rss(item(1)))
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(str(feed_file).encode(), "https://feeds.police.example/path")


def test_ten_thousand_entries_keep_the_newest() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    # Dates are shuffled against document order, so keeping the first 200 would be wrong.
    minutes = [(number * 7919) % 10_000 for number in range(10_000)]
    body = rss("".join(item(n, start + timedelta(minutes=m)) for n, m in enumerate(minutes)))
    feed = parse_feed(body, "https://feeds.police.example/big", max_entries=200)
    newest = sorted(range(10_000), key=lambda n: minutes[n], reverse=True)[:200]
    assert len(feed.entries) == 200
    assert {e.id for e in feed.entries} == {f"g{n}" for n in newest}
    assert [e.id for e in feed.entries] == [f"g{n}" for n in sorted(newest)]


def test_max_entries_ranks_undated_entries_last_in_document_order() -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    body = rss(item(1) + item(2) + item(3, when) + item(4))
    feed = parse_feed(body, "https://feeds.police.example/mixed", max_entries=2)
    assert [e.id for e in feed.entries] == ["g1", "g3"]


def test_max_entries_counts_after_duplicates_are_dropped() -> None:
    body = rss(item(1) + item(1) + item(2) + item(3))
    feed = parse_feed(body, "https://feeds.police.example/dupes", max_entries=2)
    assert [e.id for e in feed.entries] == ["g1", "g2"]


def test_headers_are_matched_without_regard_to_case() -> None:
    body = rss("", channel="<title>Équipe</title>").decode()
    for name in ("Content-Type", "content-type", "CONTENT-TYPE"):
        feed = parse_feed(
            body.encode("utf-16"),
            "https://feeds.police.example/h",
            headers={name: "application/rss+xml; charset=utf-16"},
        )
        assert feed.title == "Équipe"


def test_content_language_header_is_the_fallback_language() -> None:
    feed = parse_feed(
        rss(item(1)), "https://feeds.police.example/l", headers={"Content-Language": "fr-CA"}
    )
    assert feed.entries[0].language == "fr-ca"


def test_huge_fields_are_bounded() -> None:
    long_title = "word " * 1_000
    categories = "".join(f"<category>c{n}</category>" for n in range(50))
    body = rss(f"<item><title>{long_title}</title><guid>{'g' * 5_000}</guid>{categories}</item>")
    (entry,) = parse_feed(body, "https://feeds.police.example/huge").entries
    assert len(entry.title) <= 500 and entry.title.endswith("…")
    assert entry.id.startswith("sha256:") and len(entry.id) == 71
    assert entry.categories == tuple(f"c{n}" for n in range(20))


def test_parsing_is_deterministic() -> None:
    body = (FEEDS / "id_from_hash.xml").read_bytes()
    first = parse_feed(body, "https://feeds.police.example/a")
    again = parse_feed(body, "https://feeds.police.example/a")
    assert first == again


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b"{" + b'"a":[' * 100_000,
        b"{not json}",
    ],
    ids=["truncated", "deeply-nested", "not-json"],
)
def test_malformed_json_is_an_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="not well-formed JSON"):
        parse_feed(body, "https://feeds.police.example/j")


def _only_feed_error(body: bytes) -> None:
    try:
        result = parse_feed(body, "https://feeds.police.example/fuzz", max_entries=50)
    except FeedError as error:
        assert str(error)
    else:
        assert isinstance(result, ParsedFeed)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_only_raise_feed_error(body: bytes) -> None:
    _only_feed_error(body)


FRAGMENTS = st.sampled_from(
    [
        "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>", "<link>",
        "https://x.example/", "javascript:", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;",
        "<!DOCTYPE x>", "<?xml version='1.0'?>", "<media:content url='", "'/>", "\x00",
        "<guid>", "</guid>", "<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate>", "é", "{", "}",
    ]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40))
def test_feedlike_noise_only_raises_feed_error(pieces: list[str]) -> None:
    head = '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
    _only_feed_error((head + "".join(pieces)).encode("utf-8", "surrogatepass"))


def test_media_alt_text_survives_a_non_utf8_document() -> None:
    text = (FEEDS / "mastodon_rss.xml").read_text("utf-8")
    text = text.replace("A red bicycle", "Un vélo rouge").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    feed = parse_feed(text.encode("utf-16"), "https://social.example/@police.rss")
    assert feed.entries[0].media[0].alt == "Un vélo rouge leaning on a fence"
    assert feed.entries[0].content == ""


def test_each_entry_comes_with_its_texts_for_the_store() -> None:
    body = rss(item(1, description="&lt;p&gt;Road &lt;b&gt;closed&lt;/b&gt; today&lt;/p&gt;"))
    [entry] = parse_feed(body, "https://feeds.police.example/texts").entries
    assert entry.texts == posttext.texts(entry) == ("Road closed today", "post 1 road closed today")


# -- what no feed should cause ------------------------------------------------------------


def test_an_unexpected_exception_is_a_feed_error_saying_what_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("bad \x1b[31mtitle")

    monkeypatch.setattr(feedparser, "parse", broken)
    with pytest.raises(UnexpectedError) as raised:
        parse_feed(rss(item(1)), "https://feeds.police.example/a")
    assert isinstance(raised.value, FeedError) and raised.value.kind == "ValueError"
    # What the exception says may come from the feed: printable characters only.
    assert str(raised.value) == "could not read the feed (ValueError: bad ?[31mtitle)"
    copy = pickle.loads(pickle.dumps(raised.value))
    assert (copy.kind, str(copy)) == ("ValueError", str(raised.value))


def test_documents_that_never_close_a_tag_are_read_in_one_pass() -> None:
    # Searched again from every "<" to the end, each would take hours; once, milliseconds.
    with pytest.raises(FeedError, match="no RSS, Atom or JSON Feed"):
        parse_feed(b"<!--" * 100_000, "https://feeds.police.example/a")
    assert _without_comments("x<!--" * 200_000) == "x<!--" * 200_000
    assert _needs_base(b"<rss>" + b"<guid " * 400_000) is False
    assert _needs_base(b"<feed>" + b"<id " * 400_000 + b"<id>x</id>") is True


def test_the_base_is_still_needed_where_an_id_is_relative() -> None:
    assert _needs_base(b"<rss><item><guid>1</guid></item></rss>")
    assert not _needs_base(b'<rss><item><guid isPermaLink="false">1</guid></item></rss>')
    assert not _needs_base(b"<feed><entry><id>tag:x,2026:1</id></entry></feed>")
    assert _needs_base(b'<feed xml:base="/x/"><entry><id>tag:x</id></entry></feed>')


@pytest.mark.parametrize(
    "text",
    ["a<!--x-->b<!--y", "<!---->", "<!-- a --> <!-- b -->c", "<!--<!-- -->x", "x<!--", ""],
)
def test_comments_are_left_out_as_a_pattern_would_leave_them(text: str) -> None:
    assert _without_comments(text) == re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


# -- the buffered XML reader ---------------------------------------------------------------


@pytest.fixture
def reader_checked_afresh() -> Iterator[None]:
    """expatreader.check() as in a new process; as it was, afterwards."""
    expatreader.check.cache_clear()
    yield
    expatreader.use()
    expatreader.check.cache_clear()


def preferred() -> list[str]:
    return list(feedparser.api.PREFERRED_XML_PARSERS)


def test_feedparser_reads_with_the_buffered_reader_on_the_installed_versions(
    reader_checked_afresh: None,
) -> None:
    assert expatreader.check() is None
    assert preferred()[0] == "hub.feeds.expatreader"
    before = expatreader.BufferedExpatParser.buffered
    parse_feed(rss(item(1)), "https://feeds.police.example/a")
    assert expatreader.BufferedExpatParser.buffered > before


def test_a_feedparser_that_ignores_the_reader_is_left_its_own_and_told_once(
    monkeypatch: pytest.MonkeyPatch, reader_checked_afresh: None
) -> None:
    # As if feedparser no longer took its readers from PREFERRED_XML_PARSERS.
    make_parser = xml.sax.make_parser
    monkeypatch.setattr(xml.sax, "make_parser", lambda parser_list=(): make_parser([]))
    expected = parse_feed(rss(item(1), item(2)), "https://feeds.police.example/a")
    with pytest.warns(RuntimeWarning) as told:
        problem = expatreader.check()
        assert expatreader.check() == problem
    assert [str(w.message) for w in told] == [problem]
    assert problem == (
        "the buffered XML reader failed its start-up check (feedparser did not read with it): "
        "feeds are parsed with feedparser's own choice of reader, at normal speed"
    )
    assert "hub.feeds.expatreader" not in preferred()
    assert parse_feed(rss(item(1), item(2)), "https://feeds.police.example/a") == expected


def test_a_reader_that_no_longer_works_is_not_used(
    monkeypatch: pytest.MonkeyPatch, reader_checked_afresh: None
) -> None:
    # As if the standard library's reader no longer kept its expat parser where it did.
    def reset(self: expatreader.BufferedExpatParser) -> None:
        raise AttributeError("'BufferedExpatParser' object has no attribute '_parser'")

    expected = parse_feed(rss(item(1)), "https://feeds.police.example/a")
    monkeypatch.setattr(expatreader.BufferedExpatParser, "reset", reset)
    with pytest.warns(RuntimeWarning, match=r"\(feedparser raised AttributeError: "):
        assert expatreader.check() is not None
    assert "hub.feeds.expatreader" not in preferred()
    assert parse_feed(rss(item(1)), "https://feeds.police.example/a") == expected


def test_a_reader_that_reads_otherwise_is_not_used(
    monkeypatch: pytest.MonkeyPatch, reader_checked_afresh: None
) -> None:
    class Garbling(expatreader.BufferedExpatParser):
        def reset(self) -> None:
            super().reset()
            handler = self._parser.CharacterDataHandler
            self._parser.CharacterDataHandler = lambda text: handler(text.upper())

    monkeypatch.setattr(expatreader, "create_parser", lambda *a, **k: Garbling(*a, **k))
    with pytest.warns(RuntimeWarning, match="read the test feed otherwise with it than without"):
        assert expatreader.check() is not None
    assert "hub.feeds.expatreader" not in preferred()


def test_a_feedparser_without_the_list_of_readers_still_imports_and_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(feedparser.api, "PREFERRED_XML_PARSERS")
    expatreader.use()
    expatreader.stop_using()


# -- a platform's own answer ---------------------------------------------------------------

CONNECTORS = Path(__file__).resolve().parents[1] / "data" / "connectors"


@pytest.mark.parametrize(
    ("platform", "answer", "profile"),
    [
        ("facebook", "page_posts.json", "https://www.facebook.com/LakeviewPolice"),
        ("instagram", "media.json", "https://www.instagram.com/lakeviewpolice/"),
        ("x", "timeline.json", "https://x.com/LakeviewPolice"),
        ("tiktok", "video_list.json", "https://www.tiktok.com/@lakeviewpolice"),
    ],
)
def test_an_account_answer_is_read_by_its_platforms_reader(
    platform: str, answer: str, profile: str
) -> None:
    body = (CONNECTORS / platform / answer).read_bytes()
    parsed = parse_feed(body, "content/api/answer.json", platform=platform, profile=profile)
    assert parsed.entries
    assert {entry.feed for entry in parsed.entries} == {"content/api/answer.json"}
    assert parsed.link == profile
    # Without the platform it is not a feed: JSON without a JSON Feed version.
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(body, "content/api/answer.json")


def test_a_feed_from_an_account_on_a_platform_with_a_reader_is_read_as_a_feed() -> None:
    # A service may give its Facebook account an RSS feed of its own making.
    parsed = parse_feed(rss(item(1)), "https://lakeview.example/fb.xml", platform="facebook")
    assert [entry.id for entry in parsed.entries] == ["g1"]


def test_a_platform_error_answer_is_that_feeds_error() -> None:
    body = (CONNECTORS / "facebook" / "error_190.json").read_bytes()
    with pytest.raises(FeedError, match="190") as raised:
        parse_feed(body, "api:facebook:LakeviewPolice", platform="facebook")
    assert not isinstance(raised.value, UnexpectedError)


def test_an_answer_pickles_whole_from_a_worker() -> None:
    body = (CONNECTORS / "x" / "timeline.json").read_bytes()
    parsed = parse_feed(body, "x.json", platform="x", profile="https://x.com/LakeviewPolice")
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_a_huge_post_is_cut_and_its_html_closed() -> None:
    huge = "<p><b>" + "word " * 200_000
    item = f"<guid>1</guid><title>Huge</title><description>{escape(huge)}</description>"
    feed = rss(f"<item>{item}</item>")
    (entry,) = parse_feed(feed, "https://feeds.police.example/huge").entries
    assert len(entry.summary) <= MAX_HTML + 100
    assert entry.summary.startswith("<p><b>word word")
    assert entry.summary.endswith("</b></p>")
