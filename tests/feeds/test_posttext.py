"""A post's excerpt and fingerprint (hub.feeds.posttext): pure functions of the entry."""

from __future__ import annotations

import pytest

from hub.feeds.posttext import excerpt, fingerprint, texts, title_of
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


# What platforms write around a post


FLICKR = (
    '<p><a href="https://www.flickr.com/people/148392017@N04/">Lakeview Police Service</a>'
    " posted a photo:</p>\n\n"
    '<p><a href="https://www.flickr.com/photos/148392017@N04/55561830417/" title="Graduation">'
    '<img src="https://live.staticflickr.example/65535/55561830417_m.jpg" width="240"'
    ' height="160" alt="Graduation" /></a></p>\n\n'
    "<p>Twenty-four new constables crossed the stage today. Congratulations!</p>"
)
REDDIT_POST = (
    '<!-- SC_OFF --><div class="md"><p>Supt Amrit Sekhon will answer your questions about'
    " traffic and break-ins. 7 p.m. to 9 p.m.</p></div><!-- SC_ON --> &#32; submitted by &#32;"
    ' <a href="https://www.reddit.com/user/LakeviewPoliceCPE"> /u/LakeviewPoliceCPE </a> <br/>'
    ' <span><a href="https://www.reddit.com/r/LakeviewCity/comments/1p0z2mc/x/">[link]</a></span>'
    ' &#32; <span><a href="https://www.reddit.com/r/LakeviewCity/comments/1p0z2mc/x/">'
    "[comments]</a></span>"
)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (FLICKR, "Twenty-four new constables crossed the stage today. Congratulations!"),
        (
            # A Facebook page through an RSS bridge.
            "<p>Lakeview Police Service shared a link.</p><p>Main St. closes tonight at 8.</p>",
            "Main St. closes tonight at 8.",
        ),
        (
            "Lakeview Police Service added 3 new photos to the album Open House 2026: "
            "Thanks to everyone who came!",
            "Thanks to everyone who came!",
        ),
        (
            "Lakeview Police Service updated their cover photo. Winter is here.",
            "Winter is here.",
        ),
        (
            REDDIT_POST,
            "Supt Amrit Sekhon will answer your questions about traffic and "
            "break-ins. 7 p.m. to 9 p.m.",
        ),
        (
            # An Instagram bridge quotes the caption after the account's names.
            "Lakeview Police (@lakeviewpolice) on Instagram: \u201cJoin us at the open house"
            " on Saturday! #LakeviewPolice\u201d",
            "Join us at the open house on Saturday! #LakeviewPolice",
        ),
        (
            "lakeviewpolice on Instagram: Safety tips for the long weekend",
            "Safety tips for the long weekend",
        ),
    ],
    ids=[
        "flickr",
        "facebook-link",
        "facebook-album",
        "facebook-cover",
        "reddit",
        "instagram",
        "instagram-unquoted",
    ],
)
def test_what_the_platform_wrote_around_the_post_is_trimmed(summary: str, expected: str) -> None:
    assert excerpt(entry(summary)) == expected


def test_a_post_that_is_only_the_platforms_words_shows_its_title() -> None:
    only = '<p><a href="https://www.flickr.com/people/x/">Lakeview Police</a> posted a photo:</p>'
    assert excerpt(entry(only + '<p><img src="x.jpg" alt=""></p>', title="Graduation")) == (
        "Graduation"
    )


@pytest.mark.parametrize(
    "text",
    [
        "We posted a photo of the suspect: call 911 if you see him.",  # words after "photo"
        "Note: the station posted a photo: yes",  # a colon before: not a lead
        "Sgt West on traffic: slow down in school zones.",
        "Submitted by residents: a list of the worst intersections.",
        "\u201cSlow down,\u201d says Sgt West. \u201cPlease.\u201d",
    ],
)
def test_text_that_only_looks_like_the_platforms_words_is_kept(text: str) -> None:
    assert excerpt(entry(text)) == text


def test_a_reddit_comment_title_loses_its_user() -> None:
    title = "/u/LakeviewPoliceCPE on Lots of police around Harbourview this week?"
    assert title_of(title) == "Lots of police around Harbourview this week?"
    assert excerpt(entry("", title=title)) == "Lots of police around Harbourview this week?"
    assert title_of("u/someone on ") == "u/someone on"  # nothing after it: kept as it is


def test_the_trimmed_text_is_cut_to_length_after_trimming() -> None:
    body = "Lakeview Police Service posted a photo: " + " ".join(f"w{n}" for n in range(200))
    found = excerpt(entry(body))
    assert found.startswith("w0 w1 ") and len(found) <= 280 and found.endswith("…")
