"""Tests for hub.feeds.sanitize: hostile HTML comes out inert, URLs only http(s)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.feeds.sanitize import ALLOWED_TAGS, LINK_REL, clean_html, plain_text, safe_url, shorten

BASE = "https://police.example/news/post.html"
URL_ATTRIBUTES = {"href", "src", "cite"}
SAFE_ATTRIBUTES = {
    "href", "title", "hreflang", "lang", "dir", "src", "alt", "width", "height",
    "cite", "colspan", "rowspan", "rel",
}  # fmt: skip
VOID = {"br", "hr", "img"}


class Fragment(HTMLParser):
    """What a browser-like tokenizer sees in the sanitizer's output."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.open: list[str] = []
        self.stray_end_tags: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.stray_end_tags.append(tag)


def assert_inert(markup: str) -> Fragment:
    fragment = Fragment(markup)
    assert set(fragment.tags) <= ALLOWED_TAGS, markup
    for tag, name, value in fragment.attributes:
        assert name in SAFE_ATTRIBUTES, markup
        if name in URL_ATTRIBUTES:
            assert value.startswith(("https://", "http://")), markup
        if name == "rel":
            assert tag == "a" and value == LINK_REL, markup
    # A URL's scheme is checked above; the same words later in it are only its path
    # (a relative "</p>javascript:" resolves to https://.../%3C/p%3Ejavascript:).
    for _, name, value in fragment.attributes:
        if name in URL_ATTRIBUTES:
            continue
        for scheme in ("javascript:", "vbscript:", "data:"):
            assert scheme not in value.lower(), markup
    # Text cannot contain a raw "<", so these could only be tags.
    assert "<script" not in markup.lower() and "<style" not in markup.lower(), markup
    # Balanced: the fragment cannot close or leave open anything of the page around it.
    assert fragment.open == [] and fragment.stray_end_tags == [], markup
    return fragment


XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onload="alert(1)" alt=a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="file:///etc/passwd">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="width: expression(alert(1))">x</p>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<link rel="import" href="https://evil.example/x.html">',
    '<a xlink:href="javascript:alert(1)">x</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<div id="x" class="y" data-x="1">x</div>',
    '<a href="https://ok.example/" target="_blank" rel="opener">ok</a>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    "<title></title><script>alert(1)</script>",
    "<textarea></textarea><script>alert(1)</script>",
    "<plaintext><script>alert(1)</script>",
    "</p></div></main></body><script>alert(1)</script>",
    '<a href="https://ok.example/" onmouseover="alert(1)">x</a>',
    "<img src=`javascript:alert(1)`>",
    '<isindex action="javascript:alert(1)" type=image>',
    '<a href="http://police.example@evil.example/">phish</a>',
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
@pytest.mark.parametrize("base", [None, BASE])
def test_xss_vectors_are_inert(vector: str, base: str | None) -> None:
    assert_inert(clean_html(vector, base))


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ("<style>p{}</style>ok", "ok"),
        ("<iframe>inside</iframe>ok", "ok"),
        ("<form><input value=x>inside</form>ok", "ok"),
        ("<svg><text>inside</text></svg>ok", "ok"),
        ("<math><mi>inside</mi></math>ok", "ok"),
        ("<noscript>inside</noscript>ok", "ok"),
        ("<template>inside</template>ok", "ok"),
        ("<object>inside</object>ok", "ok"),
        ("<div><section>kept text</section></div>", "kept text"),
        ("<p>5 &lt; 6 & 7</p>", "<p>5 &lt; 6 &amp; 7</p>"),
    ],
)
def test_dangerous_containers_lose_their_content(markup: str, expected: str) -> None:
    assert clean_html(markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<h1>a</h1>", "<h3>a</h3>"),
        ("<h2>a</h2>", "<h4>a</h4>"),
        ("<h3>a</h3>", "<h5>a</h5>"),
        ("<h4>a</h4>", "<h6>a</h6>"),
        ("<h5>a</h5>", "<h6>a</h6>"),
        ("<h6>a</h6>", "<h6>a</h6>"),
        ('<H1 lang="fr" class="x">a</H1>', '<h3 lang="fr">a</h3>'),
        ("<h1>a<h2>b", "<h3>a</h3><h4>b</h4>"),
        ('<img alt="<h1>" src="https://ok.example/a">', '<img alt="&lt;h1&gt;" src="https://ok.example/a">'),
    ],
)  # fmt: skip
def test_headings_are_demoted_below_the_page_headings(markup: str, expected: str) -> None:
    assert clean_html(markup) == expected


def test_links_get_rel_and_lose_target() -> None:
    output = clean_html('<a href="https://ok.example/" target="_blank" rel="opener">ok</a>')
    assert output == f'<a href="https://ok.example/" rel="{LINK_REL}">ok</a>'


def test_relative_urls_resolve_against_the_base() -> None:
    output = clean_html(
        '<a href="other.html">o</a><a href="/root">r</a><a href="#top">t</a>'
        '<img src="../img/a.png" alt="a"><blockquote cite="?q=1">q</blockquote>',
        BASE,
    )
    assert output == (
        f'<a href="https://police.example/news/other.html" rel="{LINK_REL}">o</a>'
        f'<a href="https://police.example/root" rel="{LINK_REL}">r</a>'
        f'<a href="https://police.example/news/post.html#top" rel="{LINK_REL}">t</a>'
        '<img src="https://police.example/img/a.png" alt="a">'
        '<blockquote cite="https://police.example/news/post.html?q=1">q</blockquote>'
    )


@pytest.mark.parametrize("base", [None, "javascript:alert(1)//", "content/feeds/x.xml"])
def test_relative_urls_without_a_web_base_are_dropped(base: str | None) -> None:
    output = clean_html('<a href="other.html">o</a><img src="a.png" alt="a">', base)
    assert output == f'<a rel="{LINK_REL}">o</a>'


def test_an_image_left_without_a_source_vanishes() -> None:
    markup = (
        '<p>x<img src="javascript:alert(1)" alt="bad"><img alt="none">'
        '<img src="https://ok.example/a.png"></p>'
    )
    assert clean_html(markup) == '<p>x<img src="https://ok.example/a.png"></p>'


IMG = '<img src="https://ok.example/a"'
QUOTED_ALT = 'alt="say &quot;hi&quot;">'
ABBR = '<abbr title="Royal Canadian Mounted Police">RCMP</abbr>'


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (f'{IMG} width="640" height="100%">', f'{IMG} width="640">'),
        ('<td colspan="2" rowspan="x">c</td>', "c"),
        (
            '<table><tr><td colspan="2" rowspan="x">c</td></tr></table>',
            '<table><tbody><tr><td colspan="2">c</td></tr></tbody></table>',
        ),
        ('<p dir="rtl" lang="ar">x</p>', '<p dir="rtl" lang="ar">x</p>'),
        ('<p dir="sideways" lang="not a tag!">x</p>', "<p>x</p>"),
        (ABBR, ABBR),
        (f"{IMG} {QUOTED_ALT}", f"{IMG} {QUOTED_ALT}"),
    ],
)
def test_attribute_values_are_checked(markup: str, expected: str) -> None:
    assert clean_html(markup) == expected


@pytest.mark.parametrize(
    "markup",
    ["<p><b>bold", "<ul><li>one<li>two", "<table><tr><td>x", "</div></p>text<em>", "<a href='https://ok.example/'>open"],
)  # fmt: skip
def test_output_is_balanced(markup: str) -> None:
    assert_inert(clean_html(markup))


def test_lone_surrogates_do_not_crash() -> None:
    assert clean_html("<p>a\ud800b</p>") == "<p>a?b</p>"
    assert plain_text("<b>a\ud800b</b>") == "a?b"


FRAGMENTS = st.sampled_from(
    [
        "<a href='", "javascript:", "java\tscript:", "data:", "'>", "<img src=", "x", " onerror=",
        "alert(1)", "<script>", "</script>", "<svg>", "<style>", "<!--", "-->", "<h1>", "&#106;",
        "\"", "'", "<", ">", "/", "=", "<iframe>", "<p>", "</p>", "<noscript>", "<math>",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=30))
def test_any_mix_of_hostile_fragments_is_inert(pieces: list[str]) -> None:
    assert_inert(clean_html("".join(pieces), BASE))


# safe_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://police.example/a?b=c#d", "https://police.example/a?b=c#d"),
        ("http://police.example", "http://police.example"),
        ("  https://police.example/  ", "https://police.example/"),
        ("HTTPS://police.example/", "https://police.example/"),
        ("ht\ttps://police.example/", "https://police.example/"),
        ("https://police.example/a b", "https://police.example/a%20b"),
        ("https://police.example:8443/", "https://police.example:8443/"),
    ],
)
def test_safe_url_keeps_web_urls(url: str, expected: str) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        None, "", "   ", "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
        "java\tscript:alert(1)", "java\nscript:alert(1)", "java\x00script:alert(1)",
        "\x00javascript:alert(1)", "java script:alert(1)", "\u00a0javascript:alert(1)",
        "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
        "ftp://police.example/", "mailto:tips@police.example", "feed:https://police.example/",
        "https://", "https:///path", "https:police.example", "https:\\\\evil.example",
        "https://user:pass@police.example/", "https://police.example@evil.example/",
        "https://police.example:notaport/", "http://[::1", "https://exa mple.example/\x07",
        "https://evil.example\\@police.example/", "//evil.example/", "relative/path",
    ],
)  # fmt: skip
def test_safe_url_refuses_everything_else(url: str | None) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("other.html", "https://police.example/news/other.html"),
        ("/root", "https://police.example/root"),
        ("//cdn.example/x.png", "https://cdn.example/x.png"),
        ("?page=2", "https://police.example/news/post.html?page=2"),
        ("../up", "https://police.example/up"),
        ("javascript:alert(1)", None),
        ("data:,x", None),
    ],
)
def test_safe_url_resolves_against_a_web_base(url: str, expected: str | None) -> None:
    assert safe_url(url, BASE) == expected


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "file:///var/www/", "feeds/x.xml"])
def test_safe_url_ignores_a_base_that_is_not_a_web_url(base: str) -> None:
    assert safe_url("other.html", base) is None


# plain_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("Plain  text\n here", "Plain text here"),
        ("<b>Bold</b> &amp; <i>italic</i>", "Bold & italic"),
        ("<p>one</p><p>two</p><br>three<li>four", "one two three four"),
        ("<script>alert(1)</script>Safe<style>p{}</style>", "Safe"),
        ("Caf&eacute; &#8212; &lt;b&gt;", "Café — <b>"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("a\u00a0b\tc", "a b c"),
        ('<img src=x onerror="alert(1)">', ""),
    ],
)
def test_plain_text(value: str, expected: str) -> None:
    assert plain_text(value) == expected


def test_plain_text_cuts_at_a_word_boundary() -> None:
    text = "Police are asking for the public's help locating a missing person"
    short = plain_text(f"<p>{text}</p>", limit=30)
    assert short == "Police are asking for the…"
    assert len(short) <= 30


@pytest.mark.parametrize("limit", [1, 2, 5, 10, 50])
def test_plain_text_never_exceeds_the_limit(limit: int) -> None:
    result = plain_text("x" * 40 + " word " * 10, limit=limit)
    assert len(result) <= limit
    assert result.endswith("…")


def test_plain_text_leaves_short_text_alone() -> None:
    assert plain_text("Short title", limit=50) == "Short title"
    assert shorten("exactly ten", 11) == "exactly ten"


def test_shorten_drops_trailing_punctuation_before_the_ellipsis() -> None:
    assert shorten("Collision, roads closed, detours in place", 25) == "Collision, roads closed…"


def test_control_and_bidirectional_override_characters_are_taken_out() -> None:
    hostile = "Evil\u202eAuthor \u2066isolated\u2069 bell\x07 \x01x\ufffe"
    assert plain_text(hostile) == "EvilAuthor isolated bell x"
    assert clean_html(f"<p>{hostile}</p>") == "<p>EvilAuthor isolated bell x</p>"
    # The marks a right-to-left language needs stay.
    assert plain_text("\u05e9\u05dc\u05d5\u05dd \u200f!") == "\u05e9\u05dc\u05d5\u05dd \u200f!"
