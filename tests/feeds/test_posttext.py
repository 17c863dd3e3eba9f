"""A post's excerpt and fingerprint (hub.feeds.posttext): pure functions of the entry."""

from __future__ import annotations

import pytest

from hub.feeds.posttext import excerpt, fingerprint, texts
from hub.model import Entry


def entry(summary: str = "", *, content: str = "", title: str = "T") -> Entry:
    return Entry(
        feed="https://feeds.test.example/x.xml",
        id="x",
        title=title,
        summary=summary,
        content=content,
    )


# Excerpt


def test_an_excerpt_is_the_plain_text_of_the_summary() -> None:
    found = excerpt(entry("<p>Road &amp; rail</p>\n<p>closed   <b>today</b></p>"))
    assert found == "Road & rail closed today"
    assert "<" not in found


def test_an_excerpt_prefers_the_summary_then_the_content() -> None:
    both = entry("<p>Short summary</p>", content="<p>Long content</p>")
    assert excerpt(both) == "Short summary"
    only_content = entry(content="<div>Long <em>content</em></div>")
    assert excerpt(only_content) == "Long content"


@pytest.mark.parametrize(("summary", "content"), [("", ""), ("<p> </p>", ""), ("", "<br>")])
def test_an_excerpt_falls_back_to_the_title(summary: str, content: str) -> None:
    assert excerpt(entry(summary, content=content, title="Road closed")) == "Road closed"


def test_an_excerpt_is_at_most_280_characters() -> None:
    long = "<p>" + " ".join(f"word{n}" for n in range(200)) + "</p>"
    found = excerpt(entry(long))
    assert len(found) <= 280
    assert len(found) > 250
    assert found.endswith("…")
    assert found.startswith("word0 word1 ")
    assert excerpt(entry("a" * 280)) == "a" * 280


def test_an_excerpt_takes_a_limit() -> None:
    found = excerpt(entry("one two three four five six seven"), limit=12)
    assert len(found) <= 12
    assert found.endswith("…")


# Fingerprint


def test_ascii_and_other_text_make_the_same_fingerprint() -> None:
    # ASCII text takes a faster path than the rest: both must keep the same words.
    ascii_only = fingerprint("Road_closed", "- Main St. #42 (see www.x.example)")
    other = fingerprint("Road_closed", "— Main St. #42 (see www.x.example)")
    assert ascii_only == other == "road_closed main st 42 see"
    assert fingerprint("Café", "ouvert") == "café ouvert"
    # A shortened excerpt's ellipsis is not a word, on either path.
    assert fingerprint("Road", "closed to…") == fingerprint("Road", "closed to… é")[:-2]
    assert fingerprint("Road", "closed to…") == "road closed to"


def test_a_fingerprint_is_at_most_200_characters() -> None:
    assert len(fingerprint("", "word " * 100)) == 200


def test_texts_are_the_excerpt_and_the_fingerprint_of_title_and_excerpt() -> None:
    # Stores keep these texts: a change here needs posttext.VERSION raised.
    found = entry("<p>Road <b>closed</b> on Main St.</p>", title="Traffic")
    assert texts(found) == ("Road closed on Main St.", "traffic road closed on main st")
