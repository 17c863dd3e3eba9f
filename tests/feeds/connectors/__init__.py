"""Tests for the readers of the platforms' own answers (hub.feeds.connectors).

What the tests of Meta's three readers share: their recorded answers under
``tests/data/connectors/<platform>/``, the check that sanitized entries are
inert, and the JSON values the property tests throw at a reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from hub.feeds.drafts import Draft, FeedError, finish
from hub.feeds.sanitize import ALLOWED_TAGS
from hub.model import Entry

ANSWERS = Path(__file__).parents[2] / "data" / "connectors"

Reader = Callable[[bytes, str | None], list[Draft]]


def answer(platform: str, name: str) -> bytes:
    """The bytes of a recorded answer."""
    return (ANSWERS / platform / name).read_bytes()


def utc(text: str) -> datetime:
    """An ISO time, as the aware UTC datetime a reader gives."""
    return datetime.fromisoformat(text).astimezone(UTC)


def assert_utc(drafts: Iterable[Draft]) -> None:
    for draft in drafts:
        for moment in (draft.published, draft.updated):
            assert moment is None or moment.tzinfo is UTC


class _Markup(HTMLParser):
    """Every tag and attribute of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def _web(url: str | None) -> bool:
    return url is not None and url.startswith(("http://", "https://"))


def assert_inert(entries: Iterable[Entry]) -> None:
    """No script, no handler, no tag off the allow-list, only http(s) addresses."""
    for entry in entries:
        markup = _Markup()
        markup.feed(entry.summary + entry.content)
        markup.close()
        assert set(markup.tags) <= ALLOWED_TAGS, entry
        for tag, name, value in markup.attributes:
            assert not name.startswith("on"), entry
            assert name != "style", entry
            if name in ("href", "src", "cite"):
                assert _web(value), (tag, name, value)
        assert entry.link is None or _web(entry.link), entry.link
        assert all(_web(media.url) for media in entry.media), entry.media
        for text in (entry.title, entry.author or "", *entry.categories):
            text.encode("utf-8")  # no lone surrogate reaches a page


def read_and_finish(read: Reader, body: bytes, profile: str | None) -> list[Draft] | None:
    """The drafts of ``body``, their entries checked inert; None for a FeedError.

    Any other exception fails the test.
    """
    try:
        drafts = read(body, profile)
    except FeedError as error:
        assert str(error)
        return None
    assert isinstance(drafts, list)
    assert all(isinstance(draft, Draft) for draft in drafts)
    assert_utc(drafts)
    assert_inert(finish(drafts, "https://feeds.example/answer", None))
    return drafts


# --- What the property tests throw at a reader -------------------------------

_TRICKY_TEXT = st.sampled_from(
    [
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x.jpg",
        "/relative/path",
        "https://user@evil.example/",
        "https://www.facebook.com/page/posts/1",
        "https://www.instagram.com/p/x/",
        "https://www.threads.net/@x/post/y",
        "https://l.facebook.com/l.php?u=javascript%3Aalert(1)",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fpolice.example%2F",
        "https://l.threads.net/?u=https%3A%2F%2Fpolice.example%2F",
        "https://scontent.example/a.jpg",
        "2026-11-02T14:05:00+0000",
        "9999-12-31T23:59:59-2359",
        "0001-01-01T00:00:00+0100",
        "IMAGE",
        "VIDEO",
        "CAROUSEL_ALBUM",
        "REPOST_FACADE",
        "share",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "#tag #Tag #1 a#b",
        "\ud800",
        "line one\n\nline two\r\nthree",
    ]
)

TEXT = st.one_of(_TRICKY_TEXT, st.text(st.characters(codec=None, exclude_categories=())))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
"""Any JSON value."""


def fields(**values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """An object with any of these keys, each holding its value or any JSON value."""
    return st.fixed_dictionaries({}, optional={key: value | JSON for key, value in values.items()})


def edge(objects: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An edge as the APIs write it (``{"data": [...]}``), or something else."""
    return st.fixed_dictionaries({"data": st.lists(objects | JSON, max_size=3)}) | JSON


def answers(posts: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Answers shaped like ours: a ``data`` list of such posts, or an error object."""
    return st.fixed_dictionaries(
        {"data": st.lists(posts | JSON, max_size=4)}, optional={"paging": JSON}
    ) | st.fixed_dictionaries({"error": JSON})


def dumps(value: Any) -> bytes:
    """JSON bytes; lone surrogates written as escapes, as a server would."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")
