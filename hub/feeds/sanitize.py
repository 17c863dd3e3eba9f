"""The HTML allow-list and URL checks every piece of feed text passes through.

Feeds are written by strangers. This module owns the three ways their text
reaches a page:

- ``safe_url``: a link or image address, kept only when it is absolute http(s).
- ``clean_html``: an HTML fragment, reduced to an allow-list of tags and
  attributes (nh3), with headings demoted below the page's own and every link
  marked ``rel="nofollow noopener noreferrer"``.
- ``plain_text``: text with all markup removed, for titles, authors,
  categories and excerpts (escaped again when rendered).

It runs on every entry of every feed, so the cleaners are built once and
reused.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from urllib.parse import SplitResult, urljoin, urlsplit

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
        "mark", "abbr", "q", "cite", "blockquote", "pre", "code", "kbd", "a", "ul",
        "ol", "li", "dl", "dt", "dd", "img", "figure", "figcaption", "table", "thead",
        "tbody", "tr", "th", "td", "caption", "h3", "h4", "h5", "h6", "span",
    }
)  # fmt: skip
"""Tags that survive ``clean_html`` (h1 and h2 arrive demoted to h3 and h4)."""

REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "form", "svg", "math",
        "template", "noscript", "base", "meta", "link", "title",
    }
)  # fmt: skip
"""Tags dropped together with everything inside them."""

LINK_REL = "nofollow noopener noreferrer"

# The page's own h1/h2 come first; a post's headings sit below them.
_DEMOTED = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
_NUMBER_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan"})
_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")

_WEB_SCHEMES = frozenset({"http", "https"})
# WHATWG URL parsing deletes tabs and newlines anywhere and trims C0 controls
# and spaces at both ends, so ``java\tscript:`` is still javascript.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_IN_URL = re.compile(r'[ "<>`{}|\\^]')
_BAD_HOST = re.compile(r"[\s<>\"'`{}|\\^]")

# Serialized nh3 output: every attribute value is double-quoted with quotes
# escaped, so this matches whole tags and never stops inside a value.
_SERIALIZED_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s="/>]+(?:="[^"]*")?)*)\s*/?>')
_HAS_SRC = re.compile(r'\ssrc="')

_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
"""Characters no post needs and a stranger can misuse: control characters (a page may
not hold them), and the bidirectional embeddings, overrides and isolates, which,
left open, turn round the text after them in a feed reader's list. The marks a
right-to-left language uses (U+200E, U+200F, U+061C) stay."""
# Block-level boundaries become spaces in plain text ("<p>a</p><p>b</p>" is "a b").
_BLOCK_BOUNDARY = re.compile(
    r"<(?=/?(?:p|div|br|hr|li|dt|dd|h[1-6]|tr|td|th|blockquote|pre|figure|figcaption"
    r"|table|caption|section|article|header|footer|ul|ol|dl)\b)",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = " ,;:.-\u2013\u2014"
ELLIPSIS = "\u2026"


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` as an absolute http(s) URL, or None when it is anything else.

    Relative references resolve against ``base`` when ``base`` is itself a
    safe http(s) URL. Every other scheme is refused, however it is disguised
    (mixed case, leading spaces, tabs, newlines or NULs inside the scheme), as
    are URLs with a user name (``https://police.example@elsewhere.example``
    hides the real host) and URLs without a host.
    """
    if not url:
        return None
    value = _TAB_OR_NEWLINE.sub("", url).strip(_C0_AND_SPACE)
    colon = value.find(":")
    head = value[:colon] if colon > 0 else ""
    # A "/", "?" or "#" before the first colon makes it a relative reference
    # ("/a:b"); otherwise everything before the colon is the scheme.
    if head and not any(mark in head for mark in "/?#"):
        scheme = _CONTROL_OR_SPACE.sub("", head).lower()
        if scheme not in _WEB_SCHEMES:
            return None
        return _checked(scheme + value[colon:])
    if base is None:
        return None
    root = _safe_base(base)
    if root is None:
        return None
    return _checked(urljoin(root, value))


@lru_cache(maxsize=256)
def _safe_base(base: str) -> str | None:
    """``safe_url(base)``: every entry of a feed, and every link in it, has the same base."""
    return safe_url(base)


def _checked(url: str) -> str | None:
    if _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if not _has_public_shape(parts):
        return None
    # Percent-encode what a browser would (space, quotes, angle brackets,
    # backticks, braces): the href is then valid HTML as well as harmless.
    return _UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", url)


def _has_public_shape(parts: SplitResult) -> bool:
    # Any "@" means a user name, even an empty one; checking for it is cheaper
    # than asking urlsplit for the user name and password, each a fresh parse.
    return (
        parts.scheme in _WEB_SCHEMES
        and "@" not in parts.netloc
        and bool(parts.hostname)
        and not _BAD_HOST.search(parts.netloc)
    )


def clean_html(html: str, base: str | None = None) -> str:
    """An HTML fragment reduced to the allow-list; safe to insert into a page.

    Relative ``href``/``src``/``cite`` URLs resolve against ``base``; unsafe
    ones are dropped, and an image left without a source is dropped whole.
    """
    if not html:
        return ""
    cleaned = _clean_with(_html_cleaner(_safe_base(base) if base else None), html)
    if "<h" in cleaned or "<img" in cleaned:
        cleaned = _SERIALIZED_TAG.sub(_rewrite_tag, cleaned)
    return _without_controls(cleaned)


def plain_text(value: str, limit: int | None = None) -> str:
    """``value`` with all markup removed, entities decoded, whitespace collapsed.

    With ``limit``, text longer than ``limit`` characters is cut at a word
    boundary and ends with an ellipsis; the result is never longer than
    ``limit``.
    """
    if not value:
        return ""
    text = value
    if "<" in text or "&" in text:
        text = unescape(_clean_with(_text_cleaner(), _BLOCK_BOUNDARY.sub(" <", text)))
    text = " ".join(_without_controls(text).split())
    if limit is not None and len(text) > limit:
        text = shorten(text, limit)
    return text


def _without_controls(text: str) -> str:
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters with "…"."""
    if len(text) <= limit:
        return text
    size = max(limit - 1, 0)
    cut = text[:size]
    if not text[size].isspace():
        space = cut.rfind(" ")
        # A single very long word is cut mid-word rather than dropped entirely.
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(_TRAILING_PUNCTUATION) + ELLIPSIS


def _clean_with(cleaner: nh3.Cleaner, markup: str) -> str:
    try:
        return cleaner.clean(markup)
    except UnicodeEncodeError:
        # Lone surrogates (from JSON escapes such as "\ud800") cannot cross
        # into the Rust sanitizer; replace them and try again.
        repaired = markup.encode("utf-8", "replace").decode("utf-8")
        return cleaner.clean(repaired)


@lru_cache(maxsize=128)
def _html_cleaner(base: str | None) -> nh3.Cleaner:
    """One cleaner per base URL: a feed's entries share it."""

    def filter_attribute(element: str, attribute: str, value: str) -> str | None:
        return _filter_attribute(attribute, value, base)

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS | {"h1", "h2"}),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        attribute_filter=filter_attribute,
        link_rel=LINK_REL,
        url_schemes=set(_WEB_SCHEMES),
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _text_cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={},
        link_rel=None,
    )


def _filter_attribute(attribute: str, value: str, base: str | None) -> str | None:
    if attribute in _URL_ATTRIBUTES:
        return safe_url(value, base)
    if attribute in _NUMBER_ATTRIBUTES:
        value = value.strip()
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "dir":
        value = value.strip().lower()
        return value if value in _DIRECTIONS else None
    if attribute in ("lang", "hreflang"):
        value = value.strip()
        return value if _LANGUAGE_TAG.fullmatch(value) else None
    return value


def _rewrite_tag(match: re.Match[str]) -> str:
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    if name in _DEMOTED:
        return f"<{closing}{_DEMOTED[name]}{attributes}>"
    if name == "img" and not _HAS_SRC.search(attributes):
        return ""
    return match.group(0)
