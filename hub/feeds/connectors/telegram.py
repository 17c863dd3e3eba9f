"""Telegram channels, read from their public web preview, ``https://t.me/s/<channel>``.

A public channel's preview is an HTML page of its latest messages (about
twenty, oldest first). Each message,
``<div class="tgme_widget_message" data-post="channel/123">``, becomes one
draft:

- its id, ``channel/123``, and its link, ``https://t.me/channel/123``;
- its time, from the ``<time datetime>`` of ``tgme_widget_message_date``;
- its text, rebuilt from ``tgme_widget_message_text`` with links, bold,
  italic, underline, strike-through, code, quotes and line breaks, and no
  attribute but a link's checked ``href``; any other tag is dropped and its
  text kept, except the text of scripts, styles and the like, dropped with it;
- its image: the first photo (``tgme_widget_message_photo_wrap``), else the
  first video's thumbnail, from the ``background-image`` of its style; https
  only, with no alt text (Telegram gives none).

What a message quotes (the message it replies to, a link's preview) is not
its own and is left out. A forwarded message's author is the channel it came
from; a signed one's, its signature. Service messages (channel created,
message pinned...) are skipped, and so is a message with neither text nor
image (a sticker, a poll, a voice message). A page with no message history
(what Telegram shows for a private channel, a group, a bot or an unknown
name, a login page, JSON) is a ``FeedError``.

The page is read with the standard library's ``html.parser``, one event at a
time, with no tree: memory goes with the depth of the markup, and the stack
is a list of names. ``html.parser`` rescans the rest of the document from
every ``<`` that starts something it cannot finish, which takes time in the
square of the document's length, so the page is first tidied (:func:`tidy`)
until every ``<`` it sees opens a tag that ends at the next ``>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from html.parser import HTMLParser

from hub.feeds.drafts import MAX_AUTHOR, Draft, FeedError, collect_media, iso_moment
from hub.feeds.sanitize import REMOVED_WITH_CONTENT, safe_url

MAX_BODY = 1024 * 1024
"""Bytes of a preview page; a real one is about a hundred kilobytes."""
MAX_MESSAGES = 100
"""Messages read from one page; Telegram shows about twenty."""
MAX_ELEMENTS = 100_000
"""Tags read from one page; a real one has a few thousand."""
MAX_TEXT = 20_000
"""Characters of one message's rebuilt HTML; Telegram allows 4,096 of text."""
MAX_NESTING = 16
"""Tags open at once in a message's rebuilt HTML; any deeper is dropped, its text kept."""
MAX_TAG = 8192
"""Characters of one tag; a longer one is left out with its attributes."""

ORIGIN = "https://t.me/"

_POST = re.compile(r"([A-Za-z0-9_]{1,64})/([0-9]{1,18})")
_BACKGROUND = re.compile(
    r"background-image\s*:\s*url\(\s*(['\"]?)([^'\"()\\\s]*)\1\s*\)", re.IGNORECASE
)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_OPEN_QUOTE = re.compile("[\"']")
_TAG_START = re.compile(r"/?[A-Za-z]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKUP = re.compile(r"<([^<>]*)(>?)")
"""A ``<``, what follows it up to the next ``<`` or ``>``, and that ``>``."""
_KEPT = frozenset({"b", "strong", "i", "em", "u", "s", "del", "code", "pre", "blockquote"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_QUOTES = frozenset({"tgme_widget_message_reply", "tgme_widget_message_link_preview"})
"""What a message shows of another message or a page: not its own words."""

# What an open element of a message is to the reader, kept beside its place in the stack.
_MESSAGE, _TEXT, _QUOTE, _DROP, _EMOJI, _DATE, _FORWARDED, _SIGNATURE = (1 << n for n in range(8))


class _Enough(Exception):
    """Raised from the parser's handlers to stop reading a page."""


@dataclass
class _Message:
    channel: str
    number: int
    service: bool
    html: list[str] = field(default_factory=list)
    size: int = 0
    nesting: int = 0
    words: bool = False
    text_read: bool = False
    time: datetime | None = None
    photo: str | None = None
    thumb: str | None = None
    forwarded: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"{ORIGIN}s/{self.channel}"


def read(body: bytes, profile: str | None) -> list[Draft]:
    """The messages of a channel's preview page, newest first; raises FeedError.

    ``profile`` is not needed: each message's link is made from its own
    ``data-post``, and the links in its text resolve against its channel's
    preview page.
    """
    if len(body) > MAX_BODY:
        raise FeedError(f"too large for a Telegram channel preview ({len(body)} bytes)")
    page = _Page()
    try:
        page.feed(tidy(body.decode("utf-8", "replace").removeprefix("\ufeff")))
        page.close()
    except _Enough:
        pass
    except AssertionError:
        # html.parser's way of refusing a declaration; tidy leaves none.
        raise FeedError("not a Telegram channel preview: unreadable HTML") from None
    page.unwind()
    if not page.history and not page.seen:
        raise FeedError(
            "not a Telegram channel preview (a private channel, a group or a bot has none)"
        )
    drafts = (_draft(message) for message in reversed(page.messages))
    return [draft for draft in drafts if draft is not None]


def tidy(text: str) -> str:
    """``text`` with every ``<`` that opens no plain tag written ``&lt;``.

    Comments, declarations (``<!DOCTYPE>``, ``<![CDATA[``), processing
    instructions, bogus end tags and tags longer than MAX_TAG or with a quote
    left open are left out; an unclosed comment hides the rest of the
    document, as in a browser. Each pattern looks at every character a bounded
    number of times: every comment left for ``_COMMENT`` has an end after it.
    """
    last = text.rfind("-->")
    unclosed = text.find("<!--", last + 3 if last >= 0 else 0)
    if unclosed >= 0:
        text = text[:unclosed]
    return _MARKUP.sub(_tidied, _COMMENT.sub("", text))


def _tidied(match: re.Match[str]) -> str:
    inside = match.group(1)
    if not match.group(2):
        return "&lt;" + inside
    if _TAG_START.match(inside):
        plain = len(inside) < MAX_TAG and not _OPEN_QUOTE.search(_QUOTED.sub("", inside))
        return match.group() if plain else ""
    return "" if inside[:1] in ("!", "?", "/") else f"&lt;{inside}>"


class _Page(HTMLParser):
    """The events of one preview page, gathered into messages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.history = False
        """Whether the page has a channel's message history."""
        self.seen = 0
        self._elements = 0
        self.messages: list[_Message] = []
        self._message: _Message | None = None
        self._names: list[str] = []
        self._open: dict[str, int] = {}
        self._roles: dict[int, tuple[int, str]] = {}
        """Stack position -> (what the element is, the tag written for it in the text)."""
        self._inside = dict.fromkeys((_TEXT, _QUOTE, _DROP, _EMOJI, _DATE), 0)
        self._author: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._elements += 1
        if self._elements > MAX_ELEMENTS:
            raise _Enough
        if tag in _VOID:
            if tag == "br" and self._writing():
                self._write("<br>")
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            if value is not None:
                values.setdefault(name, value)
        classes = frozenset(values.get("class", "")[:1000].split())
        if "tgme_channel_history" in classes:
            self.history = True
        role, written = 0, ""
        if self._message is None:
            if "tgme_widget_message" in classes and "data-post" in values:
                role = self._start(values["data-post"], classes)
        elif classes & _QUOTES:
            role = _QUOTE
        elif not self._inside[_QUOTE] and not self._inside[_DROP]:
            role, written = self._within(self._message, tag, values, classes)
        index = len(self._names)
        self._names.append(tag)
        self._open[tag] = self._open.get(tag, 0) + 1
        if role or written:
            self._roles[index] = (role, written)
            for flag in self._inside:
                if role & flag:
                    self._inside[flag] += 1

    def _start(self, post: str, classes: frozenset[str]) -> int:
        self.seen += 1
        if self.seen > MAX_MESSAGES:
            raise _Enough
        match = _POST.fullmatch(post.strip())
        if match is None:
            return 0
        self._message = _Message(match.group(1), int(match.group(2)), "service_message" in classes)
        return _MESSAGE

    def _within(
        self, message: _Message, tag: str, values: dict[str, str], classes: frozenset[str]
    ) -> tuple[int, str]:
        """What an element inside a message is, and the tag written for it in the text."""
        if self._inside[_TEXT]:
            if tag in REMOVED_WITH_CONTENT:
                return _DROP, ""
            if tag == "i" and "emoji" in classes:
                return _EMOJI, ""
            return 0, self._open_tag(message, tag, values) if self._writing() else ""
        if tag in REMOVED_WITH_CONTENT:
            return _DROP, ""
        if "tgme_widget_message_text" in classes and not message.text_read:
            message.text_read = True
            return _TEXT, ""
        if "tgme_widget_message_date" in classes:
            return _DATE, ""
        if tag == "time" and self._inside[_DATE] and message.time is None:
            message.time = iso_moment(values.get("datetime"))
        if "tgme_widget_message_photo_wrap" in classes and message.photo is None:
            message.photo = _background(values.get("style"))
        if "tgme_widget_message_video_thumb" in classes and message.thumb is None:
            message.thumb = _background(values.get("style"))
        if self._author is None:
            if "tgme_widget_message_forwarded_from_name" in classes:
                self._author = message.forwarded
                return _FORWARDED, ""
            if "tgme_widget_message_from_author" in classes:
                self._author = message.signature
                return _SIGNATURE, ""
        return 0, ""

    def _open_tag(self, message: _Message, tag: str, values: dict[str, str]) -> str:
        if message.nesting >= MAX_NESTING:
            return ""
        if tag in _KEPT:
            self._write(f"<{tag}>")
            message.nesting += 1
            return tag
        if tag != "a":
            return ""
        href = values.get("href", "")
        if "onclick" in values:
            # The preview writes "&" as "&amp;" in the links it asks before opening.
            href = href.replace("&amp;", "&")
        url = safe_url(href, message.base)
        if url is None:
            return ""
        self._write(f'<a href="{escape(url)}">')
        message.nesting += 1
        return "a"

    def handle_endtag(self, tag: str) -> None:
        if not self._open.get(tag):
            return
        while self._names:
            name = self._pop()
            if name == tag:
                return

    def _pop(self) -> str:
        name = self._names.pop()
        self._open[name] -= 1
        role, written = self._roles.pop(len(self._names), (0, ""))
        if written and self._message is not None:
            self._message.html.append(f"</{written}>")
            self._message.nesting -= 1
        for flag in self._inside:
            if role & flag:
                self._inside[flag] -= 1
        if role & (_FORWARDED | _SIGNATURE):
            self._author = None
        if role & _MESSAGE and self._message is not None:
            self.messages.append(self._message)
            self._message = None
        return name

    def unwind(self) -> None:
        """Close what the page left open, the last message with it."""
        while self._names:
            self._pop()

    def handle_data(self, data: str) -> None:
        if self._message is None or self._inside[_QUOTE] or self._inside[_DROP]:
            return
        if self._inside[_TEXT]:
            room = MAX_TEXT - self._message.size
            if room > 0:
                self._write(escape(data[:room], quote=False))
                self._message.words = self._message.words or bool(data[:room].strip())
        elif self._author is not None and sum(map(len, self._author)) < MAX_AUTHOR:
            self._author.append(data[:MAX_AUTHOR])

    def _writing(self) -> bool:
        message = self._message
        return (
            message is not None
            and bool(self._inside[_TEXT])
            and not self._inside[_QUOTE]
            and not self._inside[_DROP]
            and not self._inside[_EMOJI]
            and message.size < MAX_TEXT
        )

    def _write(self, markup: str) -> None:
        if self._message is not None:
            self._message.html.append(markup)
            self._message.size += len(markup)


def _draft(message: _Message) -> Draft | None:
    if message.service:
        return None
    text = "".join(message.html).strip() if message.words else ""
    image = message.photo or message.thumb
    if not text and image is None:
        return None
    author = " ".join("".join(message.forwarded or message.signature).split())
    return Draft(
        id=f"{message.channel}/{message.number}",
        title="",
        summary=text,
        content="",
        link=f"{ORIGIN}{message.channel}/{message.number}",
        published=message.time,
        updated=None,
        author=escape(author[:MAX_AUTHOR]),
        categories=(),
        media=collect_media([(image, "", None)], None) if image else (),
        language=None,
        base=message.base,
    )


def _background(style: str | None) -> str | None:
    """The https URL of a style's ``background-image``, None for any other."""
    match = _BACKGROUND.search(style[:4096]) if style else None
    url = safe_url(match.group(2), ORIGIN) if match else None
    return url if url is not None and url.startswith("https://") else None
