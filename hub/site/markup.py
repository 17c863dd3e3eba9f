"""Markdown to safe HTML for content pages and alerts: the allow-list and URL checks.

Staff write this content and it is reviewed, but it still passes an
allow-list: the site's Content-Security-Policy forbids inline script and
style, and no page may load anything from another host. Links may be
http(s), mailto:, tel: or paths; images must be on this site. A path from
the site's root (``/en/connect/``) gets the path the site is served under in
front (``/hub/en/connect/`` for ``https://org.github.io/hub/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "ul", "ol", "li",
        "dl", "dt", "dd", "blockquote", "strong", "em", "b", "i", "code", "pre", "kbd",
        "sub", "sup", "small", "mark", "abbr", "q", "cite", "span", "img", "figure",
        "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
"""Tags kept in pages and alerts (an h1 arrives as h2: the page template owns the h1)."""

REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "form", "svg", "math",
        "template", "noscript", "base", "meta", "link", "title", "textarea", "select",
    }
)  # fmt: skip
"""Tags dropped together with everything inside them."""

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    # Anchors for "## Heading {#id}" and for footnotes.
    **{h: {"id"} for h in _HEADINGS},
    "li": {"id"},
    "sup": {"id"},
}
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_NUMBER_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start"})
_HEADING_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?-\d{1,4}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# URL parsers delete tabs and newlines and trim C0 controls and spaces, so
# " java\tscript:" is still javascript: compare what the browser will see.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
# nh3 output double-quotes every attribute value, so this matches whole tags only.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s="/>]+(?:="[^"]*")?)*)\s*/?>')
_HAS_SRC = re.compile(r'\ssrc="')

# Typography per language: French quotes are « guillemets » with no-break spaces.
_QUOTES: dict[str, dict[str, str]] = {
    "fr": {"left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;"},
}
_BACKLINK_TITLES = {
    "en": "Back to footnote %d in the text",
    "fr": "Retour \u00e0 l\u2019appel de note %d",
}


@dataclass(frozen=True)
class Dropped:
    """A link or image address the allow-list removed, and what to tell the author."""

    url: str
    message: str


def _dropped(attribute: str, url: str) -> Dropped:
    if attribute == "src":
        message = (
            f'the image "{url}" is not on this site and was left out: pages load '
            "nothing from other hosts; put the file under content/ and use its path"
        )
    else:
        message = (
            f'the link "{url}" was removed: links may be http(s), mailto:, tel: '
            "or a path on this site"
        )
    return Dropped(url, message)


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it, lowercased; None for a relative URL."""
    value = _IGNORED_IN_URL.sub("", url).strip(_C0_AND_SPACE)
    colon = value.find(":")
    head = value[:colon] if colon > 0 else ""
    if not head or any(mark in head for mark in "/?#"):
        return None
    return head.lower()


def _link_url(url: str) -> str | None:
    scheme = _scheme(url)
    return url if scheme is None or scheme in _LINK_SCHEMES else None


def _under(base: str, url: str) -> str:
    """``url`` under ``base`` if it is a path from the site's root (``/en/``), not
    another host's (``//host``); else ``url`` as it is."""
    value = _IGNORED_IN_URL.sub("", url).strip(_C0_AND_SPACE)
    if base and value.startswith("/") and not value.startswith(("//", "/\\")):
        return base + value
    return url


def _local_src(url: str) -> str | None:
    """An image address on this site, or None: another host would be a third-party request."""
    value = _IGNORED_IN_URL.sub("", url).strip(_C0_AND_SPACE)
    # Browsers read "\" as "/" in http(s) URLs, so "/\host" is "//host".
    if not value or _scheme(value) is not None or value.startswith("//") or "\\" in value:
        return None
    return url


class MarkdownRenderer:
    """Markdown to sanitized HTML, reporting the addresses it had to drop.

    One serves a whole load: its Markdown converters, one per language, are
    costly to build, so they are kept and reset between texts.
    """

    def __init__(self, base: str = "") -> None:
        """``base``: the path the site is served under (``Site.base_path``), or ``""``."""
        self._base = base
        self._converters: dict[str, markdown.Markdown] = {}
        self._dropped: list[tuple[str, str]] = []
        self._cleaner = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(REMOVED_WITH_CONTENT),
            attributes=_ATTRIBUTES,
            attribute_filter=self._filter,
            url_schemes=set(_LINK_SCHEMES),
            strip_comments=True,
        )

    def render(self, text: str, lang: str) -> tuple[str, list[Dropped]]:
        """``text`` as HTML, and each link or image that had to be left out."""
        if not text.strip():
            return "", []
        converter = self._converter(lang)
        converter.reset()
        self._dropped = []
        html = _TAG.sub(_rewrite_tag, self._cleaner.clean(converter.convert(text)))
        return html.strip(), [_dropped(attribute, url) for attribute, url in self._dropped]

    def _converter(self, lang: str) -> markdown.Markdown:
        converter = self._converters.get(lang)
        if converter is None:
            footnotes: dict[str, str] = {"SEPARATOR": "-"}
            if lang in _BACKLINK_TITLES:
                footnotes["BACKLINK_TITLE"] = _BACKLINK_TITLES[lang]
            converter = markdown.Markdown(
                extensions=["extra", "sane_lists", "smarty"],
                extension_configs={
                    "extra": {"footnotes": footnotes},
                    "smarty": {"substitutions": _QUOTES.get(lang, {})},
                },
            )
            self._converters[lang] = converter
        return converter

    def _filter(self, element: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            kept = _link_url(value) if attribute == "href" else _local_src(value)
            # nh3 also asks about tags it is about to remove whole (an iframe's src).
            if kept is None and element in ("a", "img"):
                self._dropped.append((attribute, value))
            return _under(self._base, kept) if kept is not None else kept
        if attribute == "id":
            pattern = _HEADING_ID if element in _HEADINGS else _FOOTNOTE_ID
            return value if pattern.fullmatch(value) else None
        if attribute in _NUMBER_ATTRIBUTES:
            return value if value.strip().isdigit() and len(value) <= 5 else None
        if attribute in ("lang", "hreflang"):
            return value if _LANGUAGE_TAG.fullmatch(value.strip()) else None
        return value


def _rewrite_tag(match: re.Match[str]) -> str:
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    if name == "h1":
        return f"<{closing}h2{attributes}>"
    if name == "img" and not _HAS_SRC.search(attributes):
        return ""
    return match.group(0)
