"""Write the demo's recorded API answers: what each platform's API says an account posted.

    python scripts/demo_answers.py [--registry sources.yaml] [--out content/api] [--check]

Facebook, Instagram, Threads, X and TikTok publish no feed, and Telegram only a
web preview: a service reads its own accounts through each platform's API. So
that the demo registry builds offline, each such account of the demo has a
recorded answer under ``content/api/<platform>/``, and its ``feed:`` in
``sources.yaml`` names that file; the platform's reader
(``hub/feeds/connectors/``) reads it as it would read the API's answer.

The answers are made from the posts written below, per unit and officer, in
each API's documented shape: the Graph API's ``/{page-id}/posts``, Instagram's
``/{ig-user-id}/media``, Threads' ``/{user-id}/threads``, X API v2's
``/2/users/:id/tweets``, TikTok's ``/v2/video/list/`` and Telegram's public
preview page (``https://t.me/s/<channel>``). Everything is fixed: the seed,
and the day the posts are counted back from (:data:`ANCHOR`), so a run writes
the same bytes every time. Images point at ``.example`` copies of each
platform's media hosts, names that never resolve: the build's copy of each
fails at once, and those posts show without a picture, as the sample feeds' do.

With ``--check``, nothing is written: the exit code is 1 when a file would change.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import yaml
from slugify import slugify

ROOT = Path(__file__).resolve().parent.parent

SEED = "lakeview-demo-answers-1"
"""Every id, cursor and jitter below comes from random generators seeded with this."""

ANCHOR = date(2026, 11, 22)
"""The day the posts are counted back from: a Sunday, the day after the demo's newest feed posts."""

ZONE = ZoneInfo("America/Toronto")
"""The demo's clock: each post's time of day is written in it."""

RECORDED = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
"""When the answers were asked for (TikTok's log id, signed URLs' expiry)."""

PLATFORMS = ("facebook", "instagram", "threads", "x", "tiktok", "telegram")
"""The platforms that have a reader of their own answers, in the order reported."""

EXTENSION = {"telegram": "html"}

SHORT_OWNER = {"corporate-communications": "comms"}
"""File names use these shorter ids, as content/feeds/ does."""

MIN_POSTS, MAX_POSTS = 3, 8
"""Posts per answer."""

X_LIMIT = 280
X_LINK = 23
"""X counts every link as 23 characters."""


# --- What is written --------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A page on lakeview.example that posts link to, with its preview's title and text."""

    url: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Story:
    """Something a unit or officer posted, on one or more of their accounts.

    ``ago`` days before :data:`ANCHOR`, at ``at`` (local time). ``text`` fits an
    X post; ``more`` is a second paragraph for platforms with room for it
    (Facebook, Instagram, Threads, Telegram). ``lang`` is ``en``, ``fr`` or
    ``bi`` (both, English first). ``link`` names a :data:`LINKS` page.
    ``photo`` is what the picture shows (its alt text); ``album`` makes it the
    first of several. ``video`` is a video's length in seconds: videos go to
    TikTok and Instagram only, under ``title``. ``tags`` are hashtags,
    space-separated, without ``#``. ``on`` limits the story to these platforms
    (space-separated); a story limited to a platform is on every one of the
    owner's accounts there.
    """

    ago: int
    at: str
    text: str
    lang: str = "en"
    more: str = ""
    link: str = ""
    photo: str = ""
    album: bool = False
    video: int = 0
    title: str = ""
    tags: str = ""
    on: str = ""

    def when(self) -> datetime:
        hour, minute = (int(part) for part in self.at.split(":"))
        day = ANCHOR - timedelta(days=self.ago)
        return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)

    def platforms(self) -> set[str]:
        if self.on:
            return set(self.on.split())
        if self.video:
            return {"tiktok", "instagram"}
        return set(PLATFORMS) - {"tiktok"}

    def hashtags(self) -> list[str]:
        return self.tags.split()


@dataclass(frozen=True)
class Owner:
    """A unit or officer, as sources.yaml describes them."""

    id: str
    name: str
    until: date | None = None
    """The day an officer left; their accounts get no answer."""


@dataclass(frozen=True)
class Account:
    """One account of sources.yaml on a platform with a reader."""

    owner: Owner
    platform: str
    handle: str
    feed: str | None
    """The account's ``feed:`` in sources.yaml, if any."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.handle.lower())


# --- Ids and addresses ------------------------------------------------------

_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_SHORTCODE = _ALPHANUMERIC + "_-"
_TWITTER_EPOCH_MS = 1288834974657


def chars(rng: random.Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def digits(rng: random.Random, count: int, first: str = "") -> str:
    head = first or str(rng.randint(1, 9))
    return head + "".join(str(rng.randint(0, 9)) for _ in range(count - len(head)))


def cursor(rng: random.Random, size: int = 48) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(size)).decode().rstrip("=")


def snowflake(moment: datetime, rng: random.Random) -> int:
    """An X id: the milliseconds since X's epoch, then 22 bits of machine and sequence."""
    ms = int(moment.timestamp() * 1000) - _TWITTER_EPOCH_MS
    return (ms << 22) | rng.getrandbits(22)


def meta_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def x_weight(text: str) -> int:
    """X's weighted length: most Latin text counts 1 a character, the rest 2 (emoji, CJK)."""
    light = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
    return sum(1 if any(a <= ord(c) <= b for a, b in light) else 2 for c in text)


def tag_line(tags: Iterable[str]) -> str:
    return " ".join(f"#{tag}" for tag in tags)


def first_sentence(text: str, limit: int = 90) -> str:
    found = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = found.group(1) if found else text
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def display_url(url: str) -> str:
    """How X shows a link: without the scheme and www., cut after 24 characters."""
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= 25 else shown[:24] + "…"


# --- The answers, one builder per platform ----------------------------------


def story_lines(story: Story) -> str:
    """The text and, where there is one, the second paragraph."""
    return story.text + (f"\n\n{story.more}" if story.more else "")


def link_of(story: Story) -> Link | None:
    if not story.link:
        return None
    return LINKS[story.link]


def bio_line(lang: str) -> str:
    return {"en": "🔗 Link in bio", "fr": "🔗 Lien dans la bio"}.get(
        lang, "🔗 Link in bio / Lien dans la bio"
    )


def facebook(account: Account, posts: Sequence[Story], rng: random.Random) -> dict[str, Any]:
    page_id = digits(rng, 15, "100")
    data: list[dict[str, Any]] = []
    for story, moment in timed(posts, rng):
        post_id = digits(rng, 16, "1")
        link = link_of(story)
        message = story_lines(story)
        if link and story.photo:
            message += f"\n\n{'Plus' if story.lang == 'fr' else 'More'}: {link.url}"
        if story.tags:
            message += "\n\n" + tag_line(story.hashtags()[:3])
        item: dict[str, Any] = {
            "id": f"{page_id}_{post_id}",
            "message": message,
            "created_time": meta_time(moment),
            "updated_time": meta_time(moment + timedelta(minutes=rng.choice((0, 0, 4, 11)))),
        }
        if story.photo:
            fbid = digits(rng, 16, "1")
            url = f"https://www.facebook.com/photo.php?fbid={fbid}&set=a.{page_id}&type=3"
            picture = (
                f"https://scontent.xx.fbcdn.example/v/t39.30808-6/"
                f"{digits(rng, 9)}_{fbid}_{digits(rng, 19)}_n.jpg"
                f"?_nc_cat={rng.randint(100, 111)}&_nc_sid={chars(rng, _ALPHANUMERIC, 6)}"
                f"&oh=00_{chars(rng, _SHORTCODE, 44)}&oe={int(RECORDED.timestamp()) + 604800:X}"
            )
            item["permalink_url"] = url
            item["full_picture"] = picture
            item["status_type"] = "added_photos"
            item["attachments"] = {
                "data": [
                    {
                        "media_type": "photo",
                        "type": "photo",
                        "url": url,
                        "unshimmed_url": url,
                        "description": story.photo,
                        "media": {"image": {"src": picture, "width": 720, "height": 540}},
                        "target": {"id": fbid, "url": url},
                    }
                ]
            }
        else:
            item["permalink_url"] = f"https://www.facebook.com/{account.handle}/posts/{post_id}"
            item["status_type"] = "shared_story" if link else "mobile_status_update"
            if link:
                shim = (
                    f"https://l.facebook.com/l.php?u={quote(link.url, safe='')}"
                    f"&h=AT{chars(rng, _SHORTCODE, 30)}&s=1"
                )
                item["attachments"] = {
                    "data": [
                        {
                            "media_type": "link",
                            "type": "share",
                            "url": shim,
                            "unshimmed_url": link.url,
                            "title": link.title,
                            "description": link.description,
                            "target": {"url": shim},
                        }
                    ]
                }
        data.append(item)
    return {"data": data, "paging": {"cursors": {"before": cursor(rng), "after": cursor(rng)}}}


def instagram(account: Account, posts: Sequence[Story], rng: random.Random) -> dict[str, Any]:
    data: list[dict[str, Any]] = []
    for story, moment in timed(posts, rng):
        caption = story_lines(story)
        if story.link:
            caption += "\n\n" + bio_line(story.lang)
        tags = dict.fromkeys(
            [*story.hashtags(), *IG_TAGS.get(account.owner.id, ("LakeviewPolice",))]
        )
        caption += "\n\n" + tag_line(tags)
        shortcode = "D" + chars(rng, _SHORTCODE, 10)
        media_id = digits(rng, 17, "18")
        image = (
            f"https://scontent.cdninstagram.example/v/t51.29350-15/"
            f"{digits(rng, 9)}_{digits(rng, 16)}_{digits(rng, 19)}_n.jpg"
            "?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.example"
            f"&oh=00_{chars(rng, _SHORTCODE, 40)}"
        )
        item: dict[str, Any] = {"id": media_id, "caption": caption}
        if story.video:
            item["media_type"] = "VIDEO"
            clip = chars(rng, "0123456789ABCDEF", 32)
            item["media_url"] = f"https://scontent.cdninstagram.example/o1/v/t16/f2/m86/{clip}.mp4"
            item["thumbnail_url"] = image
            item["permalink"] = f"https://www.instagram.com/reel/{shortcode}/"
        elif story.album:
            item["media_type"] = "CAROUSEL_ALBUM"
            item["media_url"] = image
            item["permalink"] = f"https://www.instagram.com/p/{shortcode}/"
            children = [{"media_type": "IMAGE", "media_url": image, "id": digits(rng, 17, "18")}]
            for _ in range(rng.randint(1, 4)):
                children.append(
                    {
                        "media_type": "IMAGE",
                        "media_url": image.replace("_n.jpg", f"_{rng.randint(2, 9)}_n.jpg"),
                        "id": digits(rng, 17, "18"),
                    }
                )
            item["children"] = {"data": children}
        else:
            item["media_type"] = "IMAGE"
            item["media_url"] = image
            item["permalink"] = f"https://www.instagram.com/p/{shortcode}/"
        item["timestamp"] = meta_time(moment)
        item["username"] = account.handle
        data.append(item)
    return {"data": data, "paging": {"cursors": {"before": cursor(rng), "after": cursor(rng)}}}


def threads(account: Account, posts: Sequence[Story], rng: random.Random) -> dict[str, Any]:
    owner_id = digits(rng, 17, "178414")
    data: list[dict[str, Any]] = []
    for story, moment in timed(posts, rng):
        text = story_lines(story)
        if len(text) > 420:
            text = story.text
        if story.tags:
            text += f" #{story.hashtags()[0]}"
        link = link_of(story)
        if link:
            text += f"\n\n{link.url}"
        shortcode = "D" + chars(rng, _SHORTCODE, 10)
        item: dict[str, Any] = {
            "id": digits(rng, 17, "180"),
            "media_product_type": "THREADS",
            "media_type": "IMAGE" if story.photo else "TEXT_POST",
        }
        if story.photo:
            item["media_url"] = (
                f"https://scontent.cdninstagram.example/v/t51.2885-15/"
                f"{digits(rng, 9)}_{digits(rng, 17)}_{digits(rng, 19)}_n.jpg"
                f"?stp=dst-jpg_e35&oh=00_{chars(rng, _SHORTCODE, 40)}"
            )
        item.update(
            {
                "permalink": f"https://www.threads.net/@{account.handle}/post/{shortcode}",
                "owner": {"id": owner_id},
                "username": account.handle,
                "text": text,
                "timestamp": meta_time(moment),
                "shortcode": shortcode,
                "is_quote_post": False,
            }
        )
        if story.photo:
            item["alt_text"] = story.photo
        if link:
            item["link_attachment_url"] = link.url
        data.append(item)
    return {"data": data, "paging": {"cursors": {"before": cursor(rng), "after": cursor(rng)}}}


_X_ENTITY = re.compile(r"(?<![\w#@&])([#@])(\w+)")


def x(account: Account, posts: Sequence[Story], rng: random.Random) -> dict[str, Any]:
    user_id = x_user_id(account.handle)
    data: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    for story, moment in timed(posts, rng):
        post_id = snowflake(moment, rng)
        text = story.text
        if story.tags and "#" not in text:
            text += " " + tag_line(story.hashtags()[:2])
        # X escapes these three in the text it returns; offsets count in the escaped text.
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        urls: list[dict[str, Any]] = []
        link = link_of(story)
        if link:
            short = "https://t.co/" + chars(rng, _ALPHANUMERIC, 10)
            text += " " + short
            urls.append(
                {
                    "start": len(text) - len(short),
                    "end": len(text),
                    "url": short,
                    "expanded_url": link.url,
                    "display_url": display_url(link.url),
                }
            )
        item: dict[str, Any] = {}
        if story.photo:
            media_key = f"3_{post_id - rng.randint(1 << 22, 1 << 30)}"
            short = "https://t.co/" + chars(rng, _ALPHANUMERIC, 10)
            text += " " + short
            urls.append(
                {
                    "start": len(text) - len(short),
                    "end": len(text),
                    "url": short,
                    "expanded_url": f"https://x.com/{account.handle}/status/{post_id}/photo/1",
                    "display_url": "pic.x.com/" + chars(rng, _ALPHANUMERIC, 10),
                    "media_key": media_key,
                }
            )
            media.append(
                {
                    "media_key": media_key,
                    "type": "photo",
                    "url": f"https://pbs.twimg.example/media/{chars(rng, _SHORTCODE, 15)}.jpg",
                    "width": 1600,
                    "height": 1200,
                    "alt_text": story.photo,
                }
            )
            item["attachments"] = {"media_keys": [media_key]}
        weight = x_weight(html.unescape(re.sub(r"https://t\.co/\w+", "", text))) + X_LINK * (
            text.count("https://t.co/") - bool(story.photo)
        )
        if weight > X_LIMIT:
            raise ValueError(f"X @{account.handle}: {weight} > {X_LIMIT}: {story.text[:60]}")
        entities: dict[str, Any] = {}
        hashtags, mentions = [], []
        for found in _X_ENTITY.finditer(text):
            start, end = found.start(), found.end()
            if found.group(1) == "#":
                hashtags.append({"start": start, "end": end, "tag": found.group(2)})
            elif found.group(2).lower() in X_HANDLES:
                name = found.group(2)
                mentions.append(
                    {"start": start, "end": end, "username": name, "id": x_user_id(name)}
                )
        if urls:
            entities["urls"] = urls
        if hashtags:
            entities["hashtags"] = hashtags
        if mentions:
            entities["mentions"] = mentions
        for entity in urls:
            assert text[entity["start"] : entity["end"]] == entity["url"]
        out: dict[str, Any] = {
            "id": str(post_id),
            "text": text,
            "created_at": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "author_id": user_id,
            "lang": "fr" if story.lang == "fr" else "en",
            "edit_history_tweet_ids": [str(post_id)],
        }
        if entities:
            out["entities"] = entities
        out.update(item)
        data.append(out)
    includes: dict[str, Any] = {}
    if media:
        includes["media"] = media
    includes["users"] = [{"id": user_id, "name": x_name(account), "username": account.handle}]
    return {
        "data": data,
        "includes": includes,
        "meta": {
            "result_count": len(data),
            "newest_id": data[0]["id"],
            "oldest_id": data[-1]["id"],
            "next_token": chars(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 22),
        },
    }


def x_name(account: Account) -> str:
    if account.key == ("x", "splakeview"):
        return "Police de Lakeview"
    if account.owner.id == "corporate-communications":
        return "Lakeview Police"
    return account.owner.name[:50]


def tiktok(account: Account, posts: Sequence[Story], rng: random.Random) -> dict[str, Any]:
    videos: list[dict[str, Any]] = []
    client = "aw" + chars(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 16)
    expires = int(RECORDED.timestamp()) + 6 * 3600
    for story, moment in timed(posts, rng):
        seconds = int(moment.timestamp())
        video_id = str((seconds << 32) | rng.getrandbits(32))
        tags = dict.fromkeys(
            [*story.hashtags(), *IG_TAGS.get(account.owner.id, ("LakeviewPolice",))]
        )
        description = story_lines(story) + " " + tag_line(tags)
        videos.append(
            {
                "id": video_id,
                "title": story.title or first_sentence(story.text),
                "video_description": description,
                "create_time": seconds,
                "cover_image_url": (
                    f"https://p16-sign-va.tiktokcdn.example/tos-maliva-p-0068/"
                    f"{chars(rng, '0123456789abcdef', 32)}~tplv-tiktokx-cropcenter:1080:1920.jpeg"
                    f"?x-expires={expires}&x-signature={quote(cursor(rng, 21), safe='')}"
                ),
                "share_url": (
                    f"https://www.tiktok.com/@{account.handle}/video/{video_id}"
                    f"?utm_campaign=tt4d_open_api&utm_source={client}"
                ),
                "embed_link": f"https://www.tiktok.com/player/v1/{video_id}",
                "duration": story.video,
                "width": 1080,
                "height": 1920,
            }
        )
    return {
        "data": {
            "videos": videos,
            "cursor": videos[-1]["create_time"] * 1000,
            "has_more": False,
        },
        "error": {
            "code": "ok",
            "message": "",
            "log_id": RECORDED.strftime("%Y%m%d%H%M%S") + chars(rng, "0123456789ABCDEF", 20),
        },
    }


def telegram(account: Account, posts: Sequence[Story], rng: random.Random) -> str:
    """The channel's public preview page, oldest message first as t.me/s shows them."""
    channel = account.handle
    first = number = rng.randint(1100, 1300)
    messages: list[str] = []
    for story, moment in reversed(list(timed(posts, rng))):
        post = f"{channel}/{number}"
        number += rng.randint(1, 3)
        url = f"https://t.me/{post}"
        # News channels set a leading "MISSING:" or "UPDATE:" in bold.
        label = re.match(r"[A-ZÀ-Ý ]{3,}:", story.text)
        text = html.escape(story.text)
        if label:
            text = f"<b>{html.escape(label.group())}</b>{html.escape(story.text[label.end() :])}"
        if story.more:
            text += "<br/><br/>" + html.escape(story.more)
        link = link_of(story)
        if link:
            text += (
                f'<br/><br/><a href="{html.escape(link.url)}" target="_blank" rel="noopener">'
                f"{html.escape(link.url)}</a>"
            )
        if story.tags:
            text += "<br/>" + " ".join(
                f'<a href="?q=%23{tag}">#{tag}</a>' for tag in story.hashtags()
            )
        photo = ""
        if story.photo:
            image = f"https://cdn4.telesco.example/file/{cursor(rng, 60)}.jpg"
            photo = (
                f'<a class="tgme_widget_message_photo_wrap {digits(rng, 19)}_{digits(rng, 9)} '
                f'blured js-message_photo" style="width:800px;background-image:url(\'{image}\')" '
                f'href="{url}"><div class="tgme_widget_message_photo" '
                f'style="padding-top:75%"></div></a>'
            )
        views = rng.randint(900, 9800)
        shown = f"{views / 1000:.1f}K" if views >= 1000 else str(views)
        messages.append(
            f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
            f'data-post="{post}" data-view="{cursor(rng, 30)}">'
            f'<div class="tgme_widget_message_user"><a href="https://t.me/{channel}">'
            f'<i class="tgme_widget_message_user_photo bgcolor2" data-content="L"></i></a></div>'
            f'<div class="tgme_widget_message_bubble">'
            f'<i class="tgme_widget_message_bubble_tail"></i>'
            f'<div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="https://t.me/{channel}">'
            f'<span dir="auto">Lakeview Police Service</span></a></div>'
            f"{photo}"
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
            f'<div class="tgme_widget_message_footer compact js-message_footer">'
            f'<div class="tgme_widget_message_info short js-message_info">'
            f'<span class="tgme_widget_message_views">{shown}</span>'
            f'<span class="copyonly"> views</span>'
            f'<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="{url}"><time datetime="{moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")}" '
            f'class="time">{moment.strftime("%H:%M")}</time></a></span>'
            f"</div></div></div></div></div>"
        )
    title = "Lakeview Police Service"
    about = (
        "Official news of the Lakeview Police Service. Not monitored: in an emergency, "
        "call 911. / Nouvelles officielles du Service de police de Lakeview. "
        "En cas d'urgence, composez le 911."
    )
    return (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta charset="utf-8">\n'
        f"    <title>{title} \u2013 Telegram</title>\n"
        '    <meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f'    <meta property="og:title" content="{title}">\n'
        f'    <meta property="og:description" content="{html.escape(about)}">\n'
        f'    <link rel="canonical" href="https://t.me/s/{channel}">\n'
        "  </head>\n"
        '  <body class="widget_frame_base tgme_webpreview_body">\n'
        '    <main class="tgme_main">\n'
        '      <div class="tgme_channel_info">\n'
        '        <div class="tgme_channel_info_header">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{title}</span></div>'
        f'<div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">'
        f"@{channel}</a></div></div>\n"
        f'        <div class="tgme_channel_info_description">{html.escape(about)}</div>\n'
        '        <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter">'
        '<span class="counter_value">4.1K</span> <span class="counter_type">subscribers</span>'
        "</div></div>\n"
        "      </div>\n"
        '      <section class="tgme_channel_history js-message_history">\n'
        f'        <div class="tme_messages_more js-messages_more" data-before="{first}" '
        f'href="/s/{channel}?before={first}"></div>\n'
        + "".join(f"        {message}\n" for message in messages)
        + "      </section>\n    </main>\n  </body>\n</html>\n"
    )


def timed(posts: Sequence[Story], rng: random.Random) -> Iterable[tuple[Story, datetime]]:
    """The stories newest first, each at its time plus a scheduling tool's few seconds."""
    moments = [
        (story, story.when() + timedelta(minutes=rng.randint(0, 2), seconds=rng.randint(0, 59)))
        for story in posts
    ]
    return sorted(moments, key=lambda pair: pair[1], reverse=True)


BUILDERS: dict[str, Callable[[Account, Sequence[Story], random.Random], Any]] = {
    "facebook": facebook,
    "instagram": instagram,
    "threads": threads,
    "x": x,
    "tiktok": tiktok,
    "telegram": telegram,
}

X_HANDLES: set[str] = set()
"""The registry's X usernames, in lower case: mentions of them carry their user ids."""


def x_user_id(handle: str) -> str:
    rng = random.Random(f"{SEED}:x-user:{handle.lower()}")
    return digits(rng, rng.choice((10, 18, 19)))


# --- Which posts each account carries ---------------------------------------


def eligible(account: Account, stories: Iterable[Story]) -> list[Story]:
    languages = ACCOUNT_LANGUAGES.get(account.key)
    return [
        story
        for story in stories
        if account.platform in story.platforms()
        and (languages is None or story.lang in languages)
        and story.ago > 0
    ]


def choose(accounts: Sequence[Account]) -> dict[Account, list[Story]]:
    """3 to 8 of the owner's stories for each of its accounts; those written for a platform first.

    The site shows one owner's same post on two platforms once, "also posted
    on" the other; so that no account has all its posts folded into another's,
    each gets a story that none of the owner's other accounts carries.
    """
    pools = {account: eligible(account, STORIES[account.owner.id]) for account in accounts}
    own: dict[Account, Story] = {}
    for account in accounts:
        required = [story for story in pools[account] if story.on]
        taken = set(own.values())
        free = [story for story in pools[account] if not story.on and story not in taken]
        if not required and free:
            rng = random.Random(f"{SEED}:own:{account.platform}:{account.handle.lower()}")
            own[account] = rng.choice(free)
    chosen: dict[Account, list[Story]] = {}
    for account in accounts:
        others = {story for other, story in own.items() if other != account}
        pool = [story for story in pools[account] if story not in others]
        if len(pool) < MIN_POSTS:
            raise ValueError(f"{account.platform} {account.handle}: only {len(pool)} stories fit")
        first = [story for story in pool if story.on or own.get(account) == story]
        rest = [story for story in pool if story not in first]
        rng = random.Random(f"{SEED}:choose:{account.platform}:{account.handle.lower()}")
        low = max(MIN_POSTS, len(first))
        count = rng.randint(low, max(low, min(MAX_POSTS, len(pool))))
        chosen[account] = first + rng.sample(rest, min(len(rest), count - len(first)))
    return chosen


# --- The registry -------------------------------------------------------------


def accounts_of(registry: Path) -> list[Account]:
    """Every account of sources.yaml on a platform with a reader, with its owner."""
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    found: list[Account] = []
    for kind, items in (
        ("unit", document.get("units") or []),
        ("officer", document.get("officers") or []),
    ):
        for item in items:
            name = item.get("name")
            if isinstance(name, dict):
                name = name.get("en") or next(iter(name.values()))
            if kind == "officer":
                owner_id = item.get("id") or slugify(item["name"])
                display = f"{item['rank']} {name}" if item.get("rank") else str(name)
            else:
                owner_id = item["id"]
                display = str(name)
            until = item.get("until")
            owner = Owner(owner_id, display, until if isinstance(until, date) else None)
            for entry in item.get("accounts") or []:
                platform = ALIASES.get(entry.get("platform"), entry.get("platform"))
                handle = str(entry.get("handle") or "").removeprefix("@")
                if platform in PLATFORMS and handle:
                    found.append(Account(owner, platform, handle, entry.get("feed")))
    return found


def count_accounts(registry: Path) -> tuple[int, int]:
    """(accounts in the registry, accounts with a feed: of their own)."""
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    total = with_feed = 0
    for item in [*(document.get("units") or []), *(document.get("officers") or [])]:
        for entry in item.get("accounts") or []:
            total += 1
            with_feed += bool(entry.get("feed"))
    return total, with_feed


ALIASES = {"fb": "facebook", "ig": "instagram", "twitter": "x"}


def file_for(account: Account) -> str:
    owner = SHORT_OWNER.get(account.owner.id, account.owner.id)
    suffix = FILE_SUFFIX.get(account.key, "")
    extension = EXTENSION.get(account.platform, "json")
    return f"{account.platform}/{owner}-{account.platform}{suffix}.{extension}"


# --- Running it ----------------------------------------------------------------


def answers(accounts: Sequence[Account]) -> tuple[dict[str, str], list[str]]:
    """The files to write (path under the output folder -> text), and the accounts left out."""
    files: dict[str, str] = {}
    skipped: list[str] = []
    owners: dict[Owner, list[Account]] = {}
    for account in accounts:
        owner = account.owner
        if owner.until is not None and owner.until < ANCHOR:
            skipped.append(f"{account.platform} {account.handle} ({owner.name} has left)")
        elif owner.id not in STORIES:
            skipped.append(f"{account.platform} {account.handle} (no posts written for {owner.id})")
        else:
            owners.setdefault(owner, []).append(account)
    chosen = {a: stories for group in owners.values() for a, stories in choose(group).items()}
    X_HANDLES.update(a.handle.lower() for a in accounts if a.platform == "x")
    for account in chosen:
        rng = random.Random(f"{SEED}:answer:{account.platform}:{account.handle.lower()}")
        answer = BUILDERS[account.platform](account, chosen[account], rng)
        text = (
            answer
            if isinstance(answer, str)
            else json.dumps(answer, ensure_ascii=False, indent=2) + "\n"
        )
        path = file_for(account)
        if path in files:
            raise ValueError(f"two accounts would write {path}")
        files[path] = text
    return files, skipped


def shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", type=Path, default=ROOT / "sources.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "content" / "api")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail if a file would change"
    )
    args = parser.parse_args(argv)

    accounts = accounts_of(args.registry)
    files, skipped = answers(accounts)
    changed = [
        path
        for path, text in files.items()
        if not (args.out / path).is_file() or (args.out / path).read_text(encoding="utf-8") != text
    ]
    stale = [
        path.relative_to(args.out).as_posix()
        for platform in PLATFORMS
        if (args.out / platform).is_dir()
        for path in sorted((args.out / platform).iterdir())
        if path.relative_to(args.out).as_posix() not in files
    ]
    if args.check:
        for path in [*changed, *stale]:
            print(f"out of date: {shown(args.out / path)}")
        return 1 if changed or stale else 0
    for path in changed:
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8", newline="\n")
    for path in stale:
        (args.out / path).unlink()

    by_platform = {p: sum(f.startswith(p + "/") for f in files) for p in PLATFORMS}
    print(
        f"{len(files)} answers in {shown(args.out)} "
        f"({len(changed)} written, {len(stale)} removed): "
        + ", ".join(f"{count} {platform}" for platform, count in by_platform.items())
    )
    for line in skipped:
        print(f"  left out: {line}")

    total, with_feed = count_accounts(args.registry)
    try:
        prefix = args.out.resolve().relative_to(args.registry.resolve().parent).as_posix()
    except ValueError:
        prefix = None  # answers written elsewhere: no account of the registry reads them
    written = {file_for(a): a for a in accounts if file_for(a) in files}
    reading = [a for a in written.values() if prefix and a.feed == f"{prefix}/{file_for(a)}"]
    unread = [(path, a) for path, a in written.items() if prefix and a not in reading]
    for path, account in unread[:5]:
        print(
            f"  {args.registry.name}: {account.platform} {account.handle} does not read its "
            f"answer: give it feed: {prefix}/{path}"
        )
    if len(unread) > 5:
        print(f"  {args.registry.name}: and {len(unread) - 5} more accounts")
    waiting = len(written) - len(reading)
    print(
        f"home page: {with_feed} of {total} accounts ({with_feed / total:.1%}) have a feed, "
        f"{len(reading)} of them a recorded answer"
        + (
            f"; {with_feed + waiting} ({(with_feed + waiting) / total:.1%}) "
            "once every answer is read"
            if waiting
            else ""
        )
    )
    return 0


# --- The posts ------------------------------------------------------------------

NEWS = "https://www.lakeview.example/police/news/2026/"
NOUVELLES = "https://www.lakeview.example/police/fr/nouvelles/2026/"
POLICE = "https://www.lakeview.example/police/"
TIPS = "https://tips.lakeview.example/2026/"
FRAUD = "https://fraud.lakeview.example/2026/"

LINKS: dict[str, Link] = {
    "missing": Link(
        NEWS + "11/20/missing-woman-harbourview/",
        "Missing: 81-year-old woman, Harbourview",
        "Police ask for help to find an 81-year-old woman last seen near Pier Street on Friday.",
    ),
    "missing-fr": Link(
        NOUVELLES + "11/20/femme-disparue-harbourview/",
        "Disparue : une femme de 81 ans, Harbourview",
        "La police demande l'aide du public pour retrouver une femme de 81 ans.",
    ),
    "located": Link(
        NEWS + "11/21/update-missing-woman-located/",
        "UPDATE: Missing 81-year-old woman located, thank you",
        "The 81-year-old woman reported missing from the Harbourview area has been located safe.",
    ),
    "squall": Link(
        NEWS + "11/20/snow-squall-warning-drivers-urged-to-slow-down/",
        "Snow squall warning: police urge drivers to slow down",
        "A snow squall warning is in effect for Lakeview until Saturday evening.",
    ),
    "squall-fr": Link(
        NOUVELLES + "11/20/avertissement-bourrasques-de-neige/",
        "Bourrasques de neige : la police demande aux conducteurs de ralentir",
        "Un avertissement de bourrasques de neige est en vigueur jusqu'à samedi soir.",
    ),
    "ride": Link(
        NEWS + "11/18/festive-ride-campaign-begins/",
        "Festive RIDE campaign begins November 20",
        "Checkpoints across the city, day and night, until January 2, 2027.",
    ),
    "ride-fr": Link(
        NOUVELLES + "11/18/controles-ride-des-fetes/",
        "Les contrôles RIDE des Fêtes commencent le 20 novembre",
        "Des points de contrôle partout en ville, de jour comme de nuit, jusqu'au 2 janvier.",
    ),
    "parade": Link(
        NEWS + "11/16/road-closures-santa-claus-parade/",
        "Road closures for the Lakeview Santa Claus Parade, November 28",
        "Downtown roads close from 3 p.m. to 8 p.m. on Saturday, November 28.",
    ),
    "parade-fr": Link(
        NOUVELLES + "11/16/fermetures-defile-pere-noel/",
        "Fermetures de rues pour le défilé du père Noël, le 28 novembre",
        "Les rues du centre-ville seront fermées de 15 h à 20 h le samedi 28 novembre.",
    ),
    "catalytic": Link(
        NEWS + "11/19/two-charged-catalytic-converter-thefts/",
        "Two charged after catalytic converter thefts in 22 Division",
        "Two men have been charged after a series of thefts in Cedar Hills and Westmount.",
    ),
    "oldport": Link(
        NEWS + "11/05/arrest-old-port-break-and-enters/",
        "Arrest made in Old Port break-and-enters",
        "A 42-year-old man has been charged in nine commercial break-and-enters since August.",
    ),
    "bodycam": Link(
        NEWS + "11/06/statement-body-worn-camera-review/",
        "Statement from the Chief on the independent review of body-worn cameras",
        "The service will publish every recommendation and its response.",
    ),
    "board": Link(
        POLICE + "board/2026/10/chiefs-report/",
        "Chief's report to the Police Services Board, October 2026",
        "Response times, the launch of Connect and what we heard on the listening tour.",
    ),
    "chief-november": Link(
        POLICE + "chief/2026/11/16/november-message/",
        "November: winter, the holidays and looking out for each other",
        "The Chief's message for November.",
    ),
    "budget": Link(
        POLICE + "chief/2026/11/02/2027-budget/",
        "Our 2027 budget: what we asked for and why",
        "The Chief's budget request to the Police Services Board.",
    ),
    "town-hall-video": Link(
        POLICE + "chief/town-halls/2026-11-harbourview/",
        "Chief's Town Hall, Harbourview, November 2026 (recording)",
        "The full recording, with French subtitles.",
    ),
    "careers": Link(
        POLICE + "careers/",
        "Careers at the Lakeview Police Service",
        "Police constable, special constable and civilian careers.",
    ),
    "sessions": Link(
        POLICE + "careers/information-sessions/",
        "Recruiting information sessions",
        "Thursday, November 26, 7 p.m., Police Headquarters. Register online.",
    ),
    "carrieres": Link(
        "https://www.lakeview.example/police/fr/carrieres/seances-d-information/",
        "Séances d'information sur le recrutement",
        "Le jeudi 26 novembre à 19 h, au quartier général. Inscription en ligne.",
    ),
    "special": Link(
        POLICE + "careers/special-constables/",
        "Special constables: court security and prisoner transport",
        "Applications close December 4.",
    ),
    "communicators": Link(
        POLICE + "careers/communicators/",
        "911 communicators",
        "Paid training, shift work and a career where every call matters.",
    ),
    "tips": Link(
        "https://tips.lakeview.example/",
        "Lakeview Crime Stoppers",
        "Give information anonymously, online or at 1-800-555-8477.",
    ),
    "hit-and-run": Link(
        TIPS + "11/12/lakeshore-hit-and-run-one-year-later/",
        "Lakeshore Boulevard hit-and-run: one year later, a family still waits for answers",
        "The driver did not stop. Someone knows who it was.",
    ),
    "garden-fire": Link(
        TIPS + "10/30/harbourview-community-garden-fire/",
        "Who set fire to the Harbourview community garden shed?",
        "Volunteers lost tools and seed stock worth $6,000.",
    ),
    "tip-arrests": Link(
        TIPS + "11/21/tips-led-to-arrests-catalytic-converters/",
        "Your tips led to two arrests in catalytic converter thefts",
        "Anonymous tips helped identify the vehicle used in more than 40 thefts.",
    ),
    "jewellery": Link(
        TIPS + "11/16/king-street-jewellery-store-break-in/",
        "Crime of the week: King Street jewellery store break-in",
        "Reward of up to $2,000 for information leading to an arrest.",
    ),
    "holiday-scams": Link(
        FRAUD + "11/20/holiday-shopping-scams/",
        "Black Friday and holiday shopping scams: six red flags",
        "Watch for these six signs before you pay.",
    ),
    "grandparent": Link(
        FRAUD + "11/10/grandparent-scam-is-back/",
        "The grandparent scam is back: what families should know",
        "Someone pretends to be a grandchild in jail and asks for bail money.",
    ),
    "tax-calls": Link(
        FRAUD + "10/27/fake-tax-agency-calls/",
        "Fake tax agency calls target newcomers",
        "No government agency threatens arrest or deportation over the phone.",
    ),
    "parcel": Link(
        FRAUD + "11/17/fake-parcel-texts/",
        "Fake parcel texts: don't pay the customs fee",
        "A text says your parcel is held until you pay a small fee. It is phishing.",
    ),
    "connect": Link(
        "https://connect.lakeview.example/en/connect/",
        "Connect: every official account of the Lakeview Police Service",
        "If an account is not listed here, it is not ours.",
    ),
    "connect-fr": Link(
        "https://connect.lakeview.example/fr/joindre/",
        "Joindre : tous les comptes officiels du Service de police de Lakeview",
        "Un compte qui n'est pas dans cette liste n'est pas le nôtre.",
    ),
    "town-halls": Link(
        POLICE + "community/town-halls/",
        "Community safety town halls",
        "52 Division: Wednesday, December 2, 7 p.m., Harbourview Community Centre.",
    ),
    "toy-drive": Link(
        POLICE + "community/toy-drive/",
        "Lakeview Police toy drive",
        "Drop off a new, unwrapped toy at any division until December 12.",
    ),
    "ccc": Link(
        POLICE + "community/consultative-committees/",
        "Community consultative committees",
        "Eight committees advise the Chief. Their meetings are open to the public.",
    ),
    "winter-blog": Link(
        "https://fairweather.lakeview.example/2026/11/20/five-things-before-your-first-winter-drive/",
        "Five things to check before your first winter drive",
        "Most winter collisions start before the driver leaves the driveway.",
    ),
    "pedestrian-blog": Link(
        "https://fairweather.lakeview.example/2026/11/08/november-pedestrians/",
        "Dark and dangerous: November is the worst month for pedestrians",
        "What I see at the scenes, and what drivers and walkers can do.",
    ),
    "collision-reporting": Link(
        POLICE + "traffic/collision-reporting/",
        "Collision Reporting Centre",
        "No injuries? Report the collision within 24 hours, online or in person.",
    ),
    "school-zones": Link(
        POLICE + "traffic/school-zones/",
        "30 km/h school zones",
        "Where the new school zones are, and where we enforce them this month.",
    ),
    "winter-languages": Link(
        POLICE + "traffic/winter-driving/languages/",
        "Winter driving tips in 12 languages",
        "Including Traditional and Simplified Chinese, Punjabi, Urdu, Hindi, Arabic and French.",
    ),
    "report-online": Link(
        POLICE + "report-online/",
        "Report a crime online",
        "Theft under $5,000, lost property, damage to property and more.",
    ),
    "declaration": Link(
        "https://www.lakeview.example/police/fr/declaration-en-ligne/",
        "Faire une déclaration en ligne",
        "Vol de moins de 5 000 $, objets perdus, dommages matériels et plus.",
    ),
    "french-services": Link(
        "https://www.lakeview.example/police/fr/services-en-francais/",
        "Services en français",
        "Au 911 comme au 555-808-2222, vous avez le droit d'être servi en français.",
    ),
    "crime-map": Link(
        POLICE + "crime-map/",
        "Neighbourhood crime map",
        "Break-ins, thefts and collisions near you, updated every morning.",
    ),
    "home-check": Link(
        POLICE + "community/home-security-check/",
        "Book a free home security check",
        "A neighbourhood officer visits and suggests simple ways to make your home a harder "
        "target.",
    ),
    "online-safety": Link(
        POLICE + "youth/online-safety/",
        "Online safety for students and parents",
        "Sextortion, group chats and sharing pictures: what the law says and where to get help.",
    ),
    "youth-committee": Link(
        POLICE + "youth/advisory-committee/",
        "Chief's Youth Advisory Committee",
        "Aged 14 to 21? Apply by November 30.",
    ),
    "diversion": Link(
        POLICE + "youth/diversion/",
        "Youth diversion program",
        "A second chance instead of a court date, with the support to make it count.",
    ),
    "hate": Link(
        POLICE + "report-hate/",
        "Reporting hate crimes and hate incidents",
        "What counts, how to report it, and the support available.",
    ),
    "missing-report": Link(
        POLICE + "missing-persons/",
        "Reporting a missing person",
        "You do not have to wait 24 hours. Call as soon as you are worried.",
    ),
    "trafficking": Link(
        POLICE + "investigations/human-trafficking/",
        "Human trafficking: the signs and where to get help",
        "It often looks like a relationship or a job offer at first.",
    ),
    "scholarship": Link(
        POLICE + "community/bccc-scholarship/",
        "Black Community Consultative Committee scholarship",
        "Two $1,000 awards for Black students in Lakeview. Apply by January 15.",
    ),
    "ice": Link(
        POLICE + "marine/ice-safety/",
        "Ice safety",
        "How thick the ice must be, and what to do if someone falls through.",
    ),
    "elder-abuse": Link(
        POLICE + "community/seniors/elder-abuse/",
        "Elder abuse: the signs and where to get help",
        "Financial, emotional or physical: it is never OK.",
    ),
}

ACCOUNT_LANGUAGES: dict[tuple[str, str], set[str]] = {
    ("x", "lakeviewps"): {"en", "bi"},
    ("x", "splakeview"): {"fr"},
}
"""The service's two main X accounts share their posts out by language."""

FILE_SUFFIX: dict[tuple[str, str], str] = {("x", "splakeview"): "-fr"}
"""The second account of one owner on one platform."""

IG_TAGS: dict[str, tuple[str, ...]] = {
    "corporate-communications": ("LakeviewPolice", "Lakeview"),
    "traffic": ("RoadSafety", "LakeviewTraffic"),
    "marine": ("WaterSafety", "LakeviewMarine"),
    "canine": ("PoliceDog", "K9", "LakeviewK9"),
    "mounted": ("MountedUnit", "LakeviewPolice"),
    "division-11": ("Downtown", "OldPort", "LakeviewPolice"),
    "division-31": ("SaintOnesime", "LakeviewPolice"),
    "division-52": ("Harbourview", "LakeviewPolice"),
    "youth-services": ("YouthServices", "LakeviewPolice"),
    "crime-stoppers": ("CrimeStoppers", "SeeSomethingSaySomething"),
    "youth-committee": ("YouthVoice", "LakeviewPolice"),
    "2slgbtq-committee": ("2SLGBTQ", "Lakeview"),
    "chinese-committee": ("ChineseCommunity", "Lakeview"),
    "south-asian-committee": ("SouthAsianCommunity", "Lakeview"),
    "recruiting": ("NowHiring", "PoliceCareers", "LakeviewPolice"),
    "claire-beaulieu-mensah": ("LakeviewPolice",),
    "sophie-lachance-nguyen": ("PoliceLakeview", "EnFrançais"),
    "dario-ferreira": ("MotorOfficer", "RoadSafety"),
    "jasmine-tran": ("K9Kodiak", "PoliceDog", "GermanShepherd"),
    "helene-gauthier": ("CavalerieLakeview", "ChevalCanadien"),
    "amara-diallo": ("SchoolResourceOfficer", "OnlineSafety"),
    "rosa-delgado-finch": ("CedarHills", "CrimePrevention"),
    "alan-szeto": ("ChineseCommunity", "LakeviewPolice"),
    "farhan-qureshi": ("SouthAsianCommunity", "LakeviewPolice"),
    "marcus-adjei": ("BlackCommunity", "YouthBasketball"),
    "robin-castellanos": ("2SLGBTQ", "InclusiveService"),
    "brianna-oyelaran": ("NowHiring", "PoliceCareers"),
    "kiran-mahabir": ("PoliceLife", "NowHiring"),
}
"""Hashtags an account puts under every Instagram caption and TikTok description."""

S = Story

STORIES: dict[str, tuple[Story, ...]] = {
    # --- Units ---------------------------------------------------------------
    "corporate-communications": (
        S(
            2,
            "11:10",
            "MISSING: an 81-year-old woman was last seen around 9:30 this morning near Pier St and "
            "Harbour Rd in Harbourview. She is 5'3\", with short grey hair, and wears a red winter "
            "coat. She may be confused. If you see her, call 911.",
            more="Officers, Police Service Dog Kodiak and volunteers are searching the area. "
            "Please check your sheds, garages and doorbell video.",
            link="missing",
            tags="Missing Harbourview",
        ),
        S(
            2,
            "11:15",
            "DISPARUE : une femme de 81 ans a été vue pour la dernière fois vers 9 h 30 ce matin "
            "près des rues Pier et Harbour, à Harbourview. Elle porte un manteau d'hiver rouge et "
            "pourrait être désorientée. Si vous la voyez, composez le 911.",
            lang="fr",
            link="missing-fr",
            tags="PersonneDisparue",
        ),
        S(
            1,
            "10:07",
            "UPDATE: The missing 81-year-old woman has been located safe. Thank you for sharing. "
            "MISE À JOUR : La femme de 81 ans portée disparue a été retrouvée saine et sauve. "
            "Merci d'avoir partagé.",
            lang="bi",
            link="located",
            on="x",
        ),
        S(
            1,
            "10:20",
            "UPDATE: The 81-year-old woman missing from Harbourview has been found safe and is "
            "being checked by paramedics. Thank you to everyone who shared our appeal and to the "
            "residents who called in.",
            link="located",
            on="facebook threads telegram",
        ),
        S(
            1,
            "07:35",
            "Snow squall warning until this evening. Visibility can drop to zero in seconds. Slow "
            "down, turn on your full lights and clear ALL the snow off your car. If you can stay "
            "home, stay home.",
            more="No injuries and the cars can be driven? Move off the road and report the "
            "collision online within 24 hours.",
            link="squall",
            tags="WinterDriving LakeviewWeather",
            photo="Cars with their headlights on drive slowly along a snow-covered Lakeshore "
            "Boulevard in heavy snow.",
        ),
        S(
            1,
            "07:45",
            "Avertissement de bourrasques de neige jusqu'à ce soir. La visibilité peut devenir "
            "nulle en quelques secondes : ralentissez, allumez vos phares et déneigez complètement "
            "votre véhicule.",
            lang="fr",
            link="squall-fr",
            tags="ConduiteHivernale",
        ),
        S(
            4,
            "11:30",
            "Our Festive RIDE campaign starts Friday and runs until January 2. Expect checkpoints "
            "across the city, day and night. Impaired is impaired: alcohol, cannabis or "
            "medication. Plan your ride home.",
            link="ride",
            tags="FestiveRIDE",
            photo="An officer in a yellow high-visibility vest leans toward a driver's window at a "
            "RIDE checkpoint at night.",
        ),
        S(
            4,
            "11:35",
            "Les contrôles RIDE des Fêtes commencent vendredi et se poursuivent jusqu'au 2 "
            "janvier. Alcool, cannabis ou médicaments : si vous avez consommé, ne conduisez pas.",
            lang="fr",
            link="ride-fr",
            tags="RIDE",
        ),
        S(
            6,
            "09:15",
            "Santa Claus Parade, Saturday, November 28: downtown roads close from 3 p.m. to 8 "
            "p.m., and tow-away zones start at noon on King St, Front St and Bay St. Take transit "
            "if you can.",
            link="parade",
            tags="SantaClausParade",
        ),
        S(
            6,
            "09:20",
            "Défilé du père Noël le samedi 28 novembre : les rues du centre-ville seront fermées "
            "de 15 h à 20 h. Remorquage sur les rues King, Front et Bay dès midi.",
            lang="fr",
            link="parade-fr",
            tags="DéfiléDuPèreNoël",
        ),
        S(
            3,
            "11:00",
            "Two men have been charged after more than 40 catalytic converter thefts in Cedar "
            "Hills and Westmount. Thank you to the residents who shared doorbell and dashcam "
            "video.",
            link="catalytic",
        ),
        S(
            3,
            "17:30",
            "Welcome to the 24 new constables of Recruit Class 26-03! Today they crossed the stage "
            "at the Lakeview Convention Centre in front of their families. Lakeview is lucky to "
            "have you.",
            photo="Graduates of Recruit Class 26-03 in dress uniform throw their caps in the air "
            "in a convention hall.",
            album=True,
            tags="Class2603",
        ),
        S(
            11,
            "11:05",
            "Officers, veterans and cadets stood together at the Lakeview Cenotaph this morning. "
            "Lest we forget. / N'oublions jamais.",
            lang="bi",
            tags="RemembranceDay",
            photo="Officers in dress uniform stand at attention beside veterans in front of the "
            "Lakeview Cenotaph, wreaths at its base.",
        ),
        S(
            20,
            "10:00",
            "Our toy drive is on! Drop off a new, unwrapped toy at any division, the Harbourview "
            "Community Centre or the Saint-Onésime library until December 12.",
            more="Every toy goes to a family in Lakeview through the Harbourview Community Centre.",
            link="toy-drive",
            tags="ToyDrive",
            photo="Three officers stand beside a police cruiser whose open trunk is full of "
            "donated toys.",
        ),
        S(
            9,
            "13:00",
            "Is that account really us? Every official Lakeview Police account is listed on "
            "Connect. If an account using our name or badge isn't there, it isn't ours: please "
            "report it.",
            link="connect",
        ),
        S(
            9,
            "13:05",
            "Est-ce vraiment nous? Tous les comptes officiels du Service sont dans le répertoire "
            "Joindre. Un compte qui utilise notre nom ou notre insigne sans y figurer n'est pas le "
            "nôtre.",
            lang="fr",
            link="connect-fr",
        ),
        S(
            17,
            "14:10",
            "A 42-year-old man has been charged in connection with nine break-and-enters at Old "
            "Port businesses since August. Thank you to the owners who shared their video.",
            link="oldport",
            tags="OldPort",
        ),
        S(
            26,
            "10:30",
            "Lost property, theft under $5,000 or damage to your car? You can report it online in "
            "about 15 minutes, any time of day. Keep our phone lines free for emergencies.",
            link="report-online",
        ),
        S(
            8,
            "12:00",
            "Want to know what's happening on your street? Our neighbourhood crime map shows "
            "break-ins, thefts and collisions near you, updated every morning.",
            link="crime-map",
            tags="Lakeview",
        ),
        S(
            13,
            "15:40",
            "Au 911, dites simplement « français » : on vous mettra en lien avec un répartiteur "
            "francophone. Au 555-808-2222, faites le 2.",
            lang="fr",
            link="french-services",
            tags="ServicesEnFrançais",
        ),
        S(
            2,
            "18:20",
            "Zero visibility in ten seconds: this is what our dash camera recorded on Lakeshore "
            "Blvd this afternoon. Slow down and leave space.",
            video=23,
            title="Zero visibility in 10 seconds",
            tags="SnowSquall WinterDriving",
        ),
        S(
            4,
            "16:45",
            "What happens at a RIDE checkpoint? Window down, licence ready, and it's over in under "
            "a minute if you're sober.",
            video=31,
            title="A RIDE checkpoint in 30 seconds",
            tags="FestiveRIDE",
        ),
        S(
            10,
            "19:30",
            "Who answers when you call 555-808-2222 at 3 a.m.? Meet the night shift at our "
            "Communications Centre.",
            video=45,
            title="The Communications Centre at 3 a.m.",
            tags="BehindTheBadge",
        ),
        S(
            23,
            "16:00",
            "Toy or real? From 20 metres, officers can't tell either. Leave realistic replica "
            "weapons at home this Halloween.",
            video=19,
            title="Toy or real?",
            tags="Halloween",
        ),
        S(
            3,
            "20:15",
            "24 new constables, one toss of the caps. Congratulations, Recruit Class 26-03!",
            video=15,
            title="Class 26-03: caps off",
            tags="Class2603",
        ),
        S(
            1,
            "18:00",
            "This week in pictures: Recruit Class 26-03, the first snow and a lot of toys. / Cette "
            "semaine en images : la promotion 26-03, la première neige et beaucoup de jouets.",
            lang="bi",
            photo="New constables in dress uniform on a stage, a snowy street and a cruiser full "
            "of toys, side by side.",
            on="telegram",
        ),
        S(
            4,
            "12:00",
            "Reminder: the non-emergency line is 555-808-2222, day and night. Call 911 only when "
            "someone is hurt, a crime is happening now or a life is in danger. / Rappel : en "
            "dehors des urgences, composez le 555-808-2222.",
            lang="bi",
            on="telegram",
        ),
    ),
    "chief": (
        S(
            20,
            "15:30",
            "Chief Claire Beaulieu-Mensah presented the service's 2027 budget request to the "
            "Police Services Board tonight: what we asked for, and why. / La cheffe a présenté la "
            "demande budgétaire 2027 à la Commission.",
            lang="bi",
            link="budget",
        ),
        S(
            6,
            "08:30",
            "The Chief's November message: winter, the holidays and looking out for each other. / "
            "Le mot de la cheffe pour novembre : l'hiver, les Fêtes et l'entraide.",
            lang="bi",
            link="chief-november",
        ),
        S(
            9,
            "19:45",
            "The full recording of the Chief's Harbourview town hall is now online, with French "
            "subtitles. / L'enregistrement de l'assemblée publique de Harbourview est en ligne, "
            "sous-titré en français.",
            lang="bi",
            link="town-hall-video",
        ),
        S(
            16,
            "12:00",
            "Statement from Chief Claire Beaulieu-Mensah on the independent review of "
            'body-worn cameras: "We asked for this review, and we will publish every '
            'recommendation and our response."',
            link="bodycam",
        ),
        S(
            3,
            "16:40",
            "The Chief presented badges to the 24 new constables of Recruit Class 26-03 today. / "
            "La cheffe a remis leur insigne aux 24 nouveaux agents de la promotion 26-03.",
            lang="bi",
            photo="The Chief shakes hands with a new constable on a stage decorated with the "
            "service's flags.",
        ),
        S(
            24,
            "14:00",
            "The Chief's October report to the Police Services Board is online: response times, "
            "the launch of Connect, and what we heard on the listening tour.",
            link="board",
        ),
        S(
            11,
            "11:30",
            "On behalf of every member of the service, Chief Beaulieu-Mensah laid a wreath at the "
            "Lakeview Cenotaph this morning. Lest we forget. / N'oublions jamais.",
            lang="bi",
            photo="The Chief, in dress uniform, places a wreath of red poppies at the foot of the "
            "cenotaph.",
        ),
        S(
            4,
            "10:00",
            "Next community safety town hall: 52 Division, Wednesday, December 2, 7 p.m., "
            "Harbourview Community Centre. Interpretation in French, Punjabi and Cantonese.",
            link="town-halls",
        ),
    ),
    "operations": (
        S(
            1,
            "07:15",
            "Snow squall: every division has extra officers on the road this morning. No injuries "
            "and the cars can be driven? Move off the road and report online within 24 hours.",
            link="collision-reporting",
            tags="LakeviewWeather",
        ),
        S(
            2,
            "19:00",
            "The Festive RIDE campaign starts tonight. Every division will run at least one "
            "checkpoint this weekend. Plan a sober ride home.",
            tags="FestiveRIDE",
        ),
        S(
            8,
            "14:00",
            "Santa Claus Parade planning is done: 120 officers, the Mounted and Marine units and "
            "40 auxiliary volunteers will be on the route on November 28.",
            link="parade",
        ),
        S(
            22,
            "16:30",
            "Halloween night: extra officers on foot in every division from 5 to 10 p.m. Say hi, "
            "and keep the kids in bright costumes or with a flashlight.",
            tags="Halloween",
        ),
        S(
            13,
            "09:00",
            "Weekend summary: 1,204 calls for service, 6 impaired drivers charged, 3 people "
            "reported missing and all found safe. Thank you to our front line and our call-takers.",
        ),
        S(
            15,
            "10:30",
            "Reminder: the non-emergency line is 555-808-2222. Call 911 when someone is hurt, a "
            "crime is happening now, or a life is in danger.",
        ),
    ),
    "traffic": (
        S(
            1,
            "08:50",
            "COLLISION: Lakeshore Blvd is closed eastbound between Maple St and Bay St. Minor "
            "injuries. Expect delays and use King St.",
            tags="LakeviewTraffic",
            on="x",
        ),
        S(
            1,
            "11:30",
            "Lakeshore Blvd eastbound has reopened between Maple St and Bay St. Thank you for your "
            "patience.",
            on="x",
        ),
        S(
            2,
            "23:40",
            "First night of Festive RIDE: 1,146 drivers checked, 3 charged with impaired driving, "
            "2 licence suspensions. Plan a sober ride home.",
            tags="FestiveRIDE",
            photo="Officers with flashlights talk to drivers in a line of cars at a RIDE "
            "checkpoint on Westmount Road at night.",
        ),
        S(
            10,
            "08:00",
            "Speed enforcement this week: the school zones on Cedar Hills Rd and Champlain Ave, "
            "and Lakeshore Blvd near the marina. 30 km/h means 30.",
            link="school-zones",
            tags="SchoolZones",
        ),
        S(
            18,
            "12:00",
            "November is the most dangerous month of the year for pedestrians in Lakeview. "
            "Drivers: look twice at crosswalks. Walkers: wear something bright.",
            link="pedestrian-blog",
            tags="PedestrianSafety",
        ),
        S(
            24,
            "10:15",
            "From November 2, the Collision Reporting Centre is open 7 a.m. to 9 p.m., seven days "
            "a week.",
            link="collision-reporting",
        ),
        S(
            6,
            "10:00",
            "Parade day, November 28: closures from 3 p.m. on King St, Front St and Bay St, and "
            "tow-away zones from noon. Park outside the core and walk in.",
            link="parade",
            tags="SantaClausParade",
            photo="A map of downtown Lakeview with the parade route along King Street in red and "
            "the closed side streets in grey.",
        ),
        S(
            14,
            "13:20",
            "Impaired driving check on Harbour Rd last night: 412 drivers stopped, one charged "
            "with impaired driving by cannabis, one 3-day licence suspension.",
            tags="ImpairedDriving",
        ),
        S(
            3,
            "17:00",
            "All-seasons or winter tires? Same car, same snow, 50 km/h: the winter tires stopped "
            "nine metres sooner.",
            video=38,
            title="All-seasons vs winter tires",
            tags="WinterTires",
        ),
        S(
            9,
            "16:20",
            "Why we stop you for a burnt-out headlight: at night, in snow, a car with one light "
            "looks like a motorcycle.",
            video=27,
            title="Why a burnt-out headlight matters",
            tags="RoadSafety",
        ),
        S(
            16,
            "17:10",
            "Dark clothes or a reflective vest: what a driver sees at 50 km/h, 40 metres away.",
            video=21,
            title="Can you see me now?",
            tags="PedestrianSafety",
        ),
        S(
            20,
            "07:50",
            "Clear the WHOLE car. Yes, the roof too: the snow slides onto your windshield the "
            "first time you brake.",
            video=16,
            title="Clear the whole car",
            tags="WinterDriving",
        ),
    ),
    "marine": (
        S(
            8,
            "15:00",
            "End of the season: Marine 1 and Marine 2 came out of the water today. Our ice and "
            "water rescue team stays on call all winter. Thanks to every boater who wore a life "
            "jacket this year.",
            photo="A police patrol boat on a trailer is pulled up the ramp at the marina by a "
            "pickup truck.",
        ),
        S(
            2,
            "12:15",
            "Ice safety: you need 10 cm of clear, hard ice to walk on. The bays had 2 cm this "
            "morning. Stay off, and keep dogs on a leash near the shore.",
            link="ice",
            tags="IceSafety",
            photo="Thin, cracked ice along the shore of Gull Bay, with open dark water a few "
            "metres out.",
        ),
        S(
            15,
            "11:00",
            "Ice rescue training at the marina today: officers in dry suits practised reaching, "
            "throwing and rowing before they ever go in.",
            tags="IceRescue",
            photo="Two officers in orange dry suits pull a colleague playing a victim out of icy "
            "water onto a rescue sled.",
        ),
        S(
            21,
            "09:30",
            "Duck hunters: cold water and heavy gear don't mix. Wear a life jacket over your "
            "waders, and tell someone where you're going and when you'll be back.",
            tags="WaterSafety",
        ),
        S(
            29,
            "18:00",
            "Thank you to the Lakeview Yacht Club for hosting our last boating safety course of "
            "the year. Congratulations to the 38 new pleasure craft operators!",
            photo="Students with their certificates smile in front of a whiteboard covered in knot "
            "diagrams.",
        ),
        S(
            24,
            "17:45",
            "Two paddlers rescued near Gull Island this afternoon were out of the water within 12 "
            "minutes. Both wore life jackets. That's what saved them.",
            tags="WearIt",
        ),
    ),
    "canine": (
        S(
            5,
            "15:30",
            'PSD Kodiak tracked a "missing" teacher across the Cedar Hills Public School '
            "field in under four minutes. The Grade 4s timed him.",
            tags="PoliceDog",
            photo="A German shepherd on a long tracking line leads his handler across a school "
            "field while children watch from the fence.",
        ),
        S(
            20,
            "12:00",
            "Puppy update: our four German shepherds are 16 weeks old. Meet Atlas, Birch, Comet "
            "and Dune, who start their training in the spring.",
            photo="Four German shepherd puppies sit in a row on the grass; one looks away from the "
            "camera.",
            album=True,
            tags="Puppies",
        ),
        S(
            3,
            "08:10",
            "Overnight, PSD Rook tracked a suspect from a break-in on Westmount Rd to a backyard "
            "600 metres away. One man arrested. Good boy, Rook.",
            tags="PoliceDog",
        ),
        S(
            13,
            "13:00",
            "PSD Juno's first month of retirement: she still waits by the cruiser every morning, "
            "then goes back to the couch.",
            photo="An older German shepherd with a grey muzzle lies on a couch beside a folded "
            "police jacket.",
        ),
        S(
            26,
            "14:30",
            "Building search training in the old rail yard this week: dark rooms, loud "
            'machines and a hidden "suspect". The dogs found him every time.',
            tags="Training",
        ),
        S(
            5,
            "19:00",
            "Kodiak versus the Grade 4 stopwatch at Cedar Hills Public School. Under four minutes!",
            video=29,
            title="Kodiak vs the stopwatch",
            tags="PoliceDog",
        ),
        S(
            17,
            "17:30",
            "Puppy training, week one: stairs. Comet is not convinced.",
            video=22,
            title="Puppies vs stairs",
            tags="Puppies",
        ),
        S(
            25,
            "16:15",
            "Article search: can Kodiak find a set of keys in tall grass? Watch his nose.",
            video=34,
            title="Find the keys",
            tags="Training",
        ),
        S(2, "09:40", "First snow, first zoomies.", video=12, title="First snow", tags="Snow"),
    ),
    "mounted": (
        S(
            2,
            "14:00",
            "Samedi and Maple got their winter shoes this week, with studs for grip on icy "
            "streets. They're ready for the Santa Claus Parade on November 28.",
            photo="A farrier holds up a brown horse's hoof and fits a new shoe in the stable.",
        ),
        S(
            11,
            "12:15",
            "Our riders led the Remembrance Day parade to the Cenotaph this morning. Lest we "
            "forget.",
            tags="RemembranceDay",
            photo="Two mounted officers in red ceremonial tunics ride at the head of a parade down "
            "King Street.",
        ),
        S(
            8,
            "16:30",
            "We're on horseback downtown tonight for the Winter Lights opening on Front St. Come "
            "say hi, but please ask before you pet!",
        ),
        S(
            22,
            "20:30",
            "Maple's first Halloween patrol. She was calmer than most of the trick-or-treaters.",
            photo="A grey horse wearing an orange reflective sheet stands calmly while children in "
            "costumes look up at her.",
        ),
        S(
            17,
            "11:00",
            "Did you know? A mounted officer sits about three metres up and can see over any "
            "crowd. That's why you'll see us at every big event downtown.",
            tags="MountedUnit",
        ),
    ),
    "division-11": (
        S(
            1,
            "08:50",
            "King St is closed between Front St and Bay St for a collision investigation. Please "
            "use Lakeshore Blvd. We'll post when it reopens.",
            on="x",
        ),
        S(
            1,
            "11:40",
            "King St has reopened between Front St and Bay St. Thank you for your patience.",
            on="x",
        ),
        S(
            10,
            "10:30",
            "Seven thefts from cars in the Old Port parking garage on Harbour St this week. Lock "
            "up, and take your bags and chargers with you.",
            tags="LockItOrLoseIt",
        ),
        S(
            23,
            "13:00",
            "Witnesses wanted: a man was assaulted outside a bar on Front St near Bay St around "
            "1:45 a.m. on Sunday, October 25. Saw it, or have video? Call 555-808-2211 or Crime "
            "Stoppers.",
            link="tips",
        ),
        S(
            5,
            "12:00",
            "Our front desk is now a toy drive drop-off. Bring a new, unwrapped toy any time "
            "before December 12.",
            link="toy-drive",
            photo="A front counter at the police station with a large cardboard box of donated "
            "toys and a hand-drawn sign.",
        ),
        S(
            3,
            "09:00",
            "Our bike officers are switching to foot patrol for the winter. You'll still see them "
            "along the waterfront and in the Old Port every day.",
            photo="Two officers in winter jackets walk along the snowy waterfront boardwalk.",
        ),
        S(
            16,
            "18:00",
            "Thank you to the Old Port business owners who came to our safety walk tonight. Better "
            "lighting on Dock Lane is next.",
        ),
    ),
    "division-22": (
        S(
            3,
            "11:20",
            "Two men have been charged in the catalytic converter thefts in Cedar Hills and "
            "Westmount. Thank you to every resident who shared doorbell video.",
            link="catalytic",
        ),
        S(
            9,
            "10:00",
            "Coffee with a Cop: Thursday, November 26, 9 to 11 a.m., at the Westmount Library. "
            "Insp Yusuf Abdi and PC Rosa Delgado-Finch will be there. Coffee's on us.",
            photo="A poster with a coffee cup, the date and the Westmount Library's address.",
            on="facebook",
        ),
        S(
            16,
            "15:00",
            "Five break-ins at Cedar Hills homes this week, all through unlocked back doors or "
            "open garages. Lock up, even when you're home.",
            link="home-check",
            tags="CedarHills",
        ),
        S(
            25,
            "12:30",
            "Flying out of Lakeview Regional Airport? Thefts from cars in the long-term lot are "
            "up. Leave nothing in sight, not even a charging cable.",
        ),
        S(
            5,
            "19:10",
            "FOUND: the 15-year-old boy reported missing from Westmount yesterday has been found "
            "safe. Thank you for sharing our appeal.",
            link="missing-report",
        ),
        S(
            2,
            "10:30",
            "Witnesses wanted: a cyclist was hurt in a hit-and-run at Westmount Rd and Elm Ave on "
            "Thursday around 6:15 p.m. We're looking for a dark grey SUV with front-end damage. "
            "Call 555-808-2222.",
            tags="HitAndRun",
        ),
    ),
    "division-31": (
        S(
            1,
            "10:15",
            "Main St is open again after this morning's collision. / La rue Principale est "
            "rouverte après la collision de ce matin.",
            lang="bi",
        ),
        S(
            6,
            "12:00",
            "Exam season on campus: six laptops were stolen from the university library this week. "
            "Never leave yours alone, even for a minute. / Ne laissez jamais votre ordinateur sans "
            "surveillance.",
            lang="bi",
            tags="Campus",
        ),
        S(
            12,
            "18:30",
            "Vols dans des véhicules près du parc Champlain : verrouillez vos portières et ne "
            "laissez rien à la vue, même pas de la monnaie.",
            lang="fr",
            tags="SaintOnésime",
        ),
        S(
            18,
            "13:45",
            "Witnesses wanted: a student's phone was taken by force near the Science building on "
            "campus around 10 p.m. on Saturday, October 31. Call 555-808-2231.",
            tags="Campus",
        ),
        S(
            23,
            "10:00",
            "Fête d'Halloween au poste de la 31e Division samedi, de 16 h à 19 h : bonbons, visite "
            "d'une auto-patrouille et photos avec nos agents. Bienvenue à tous!",
            lang="fr",
            photo="Une auto-patrouille décorée de citrouilles devant le poste de la 31e Division.",
        ),
        S(
            8,
            "11:30",
            "Café avec un policier à la bibliothèque de Saint-Onésime le samedi 21 novembre, de 10 "
            "h à midi. / Coffee with a Cop at the Saint-Onésime library, Saturday, November 21.",
            lang="bi",
        ),
        S(
            3,
            "20:05",
            "FOUND: the 79-year-old man missing from Saint-Onésime since this morning was found by "
            "a neighbour. Thank you! / RETROUVÉ : l'homme de 79 ans est sain et sauf. Merci!",
            lang="bi",
        ),
    ),
    "division-52": (
        S(
            2,
            "12:00",
            "Officers and PSD Kodiak are searching Harbourview for a missing 81-year-old woman "
            "last seen near Pier St. Please check your sheds and doorbell video.",
            link="missing",
        ),
        S(
            1,
            "10:30",
            "She's home. Thank you, Harbourview, for every call, every share and every shed you "
            "checked yesterday.",
        ),
        S(
            3,
            "18:00",
            "Practice for our charity hockey game against Fire Station 7: Saturday, December 5, 2 "
            "p.m., Harbourview Arena. Admission is a new toy or a non-perishable food item.",
            photo="Officers in blue hockey jerseys pose on the ice with their sticks raised.",
        ),
        S(
            4,
            "15:15",
            "Community safety town hall: Wednesday, December 2, 7 to 9 p.m., at the Harbourview "
            "Community Centre, with Supt Amrit Sekhon. Bring your questions.",
            link="town-halls",
        ),
        S(
            13,
            "11:10",
            "Break-in at a business on Dock Rd overnight. Work in the industrial park and saw a "
            "white cube van around 3 a.m.? Call 555-808-2252.",
            tags="Witnesses",
        ),
        S(
            20,
            "10:30",
            "The toy drive boxes are up at 52 Division and the Harbourview Community Centre.",
            link="toy-drive",
            photo="A volunteer and an officer hold up a box with a hand-painted toy drive sign.",
        ),
        S(
            24,
            "21:00",
            "Sixty families, 200 pumpkins and one very orange community centre. Thank you for "
            "carving with us!",
            photo="Children and parents at long tables scoop out pumpkins with an officer at the "
            "community centre.",
            album=True,
        ),
    ),
    "youth-services": (
        S(
            5,
            "09:00",
            "It's Bullying Awareness Week. Our school resource officers are in 14 schools this "
            "week talking about what bullying looks like online, and what to do about it.",
            tags="BullyingAwarenessWeek",
        ),
        S(
            12,
            "15:30",
            "Sextortion: if someone threatens to share your pictures, you are NOT in trouble. "
            "Don't pay. Stop chatting. Screenshot everything. Tell an adult you trust.",
            link="online-safety",
            tags="Sextortion",
        ),
        S(
            17,
            "16:00",
            "Friday night basketball is back at the Harbourview Community Centre: ages 12 to 17, 6 "
            "to 9 p.m., free. Coached by officers and volunteers.",
            photo="Teenagers and two officers in T-shirts play basketball in a gym.",
        ),
        S(
            3,
            "14:00",
            "Forty young people completed youth diversion this fall instead of going to court. "
            "Most of them will never see us again, and that's the point.",
            link="diversion",
        ),
        S(
            6,
            "17:00",
            "Guess the emoji: what cops wish teens knew about group chats.",
            video=41,
            title="Group chat rules",
            tags="OnlineSafety",
        ),
        S(
            13,
            "16:30",
            "Is it illegal to share a screenshot of someone else's picture? Short answer: it can "
            "be. Long answer: watch.",
            video=33,
            title="Is it illegal?",
            tags="OnlineSafety",
        ),
        S(
            20,
            "15:45",
            "Your questions, answered by your school resource officers. Round one.",
            video=47,
            title="SROs answer your questions",
            tags="AskAnOfficer",
        ),
        S(
            2,
            "06:40",
            "Snow day rules from your SRO: stay off frozen ponds, and don't ride on the back of "
            "anything with an engine.",
            video=18,
            title="Snow day rules",
            tags="SnowDay",
        ),
    ),
    "investigative-services": (
        S(
            3,
            "11:30",
            "Investigators from 22 Division and the Property Crime Unit have charged two men in "
            "more than 40 catalytic converter thefts.",
            link="catalytic",
        ),
        S(
            10,
            "09:00",
            "One year ago, a 72-year-old man was struck and killed crossing Lakeshore Blvd at "
            "Maple St. The driver did not stop. Someone knows who it was.",
            link="hit-and-run",
            tags="HitAndRun",
        ),
        S(
            17,
            "14:30",
            "An arrest in the Old Port break-and-enters: a 42-year-old man faces 18 charges.",
            link="oldport",
        ),
        S(
            23,
            "11:00",
            "Arson investigators are asking for video from Harbour Rd and Pier St between 2 and 4 "
            "a.m. on October 25, when the community garden shed was set on fire.",
            link="garden-fire",
        ),
        S(
            6,
            "13:00",
            "Human trafficking often looks like a relationship or a job offer at first. Know the "
            "signs, and who to call.",
            link="trafficking",
        ),
    ),
    "financial-crimes": (
        S(
            2,
            "09:00",
            "Black Friday is next week. Before you pay: check the web address, never pay by gift "
            "card or wire, and be wary of prices that are too good to be true.",
            link="holiday-scams",
            tags="Fraud",
        ),
        S(
            12,
            "10:00",
            "The grandparent scam is back: 14 Lakeview seniors got calls in October from someone "
            "pretending to be a grandchild in jail. Six paid. Hang up and call family.",
            link="grandparent",
            tags="Fraud",
        ),
        S(
            26,
            "10:00",
            "No tax agency will threaten you with arrest or deportation over the phone, or ask to "
            "be paid in gift cards or cryptocurrency. Hang up.",
            link="tax-calls",
            tags="Fraud",
        ),
        S(
            5,
            "12:30",
            "New this week: texts saying your parcel is held at customs until you pay $2.99. It's "
            "phishing. Don't click, delete it.",
            link="parcel",
            tags="Phishing",
        ),
        S(
            19,
            "15:00",
            "Free fraud prevention talk for seniors: Thursday, November 12, 2 p.m., Cedar Hills "
            "Seniors' Centre. Bring a friend.",
            tags="Seniors",
        ),
        S(
            8,
            "10:30",
            "Fraude : les faux appels de l'agence du revenu visent les nouveaux arrivants. Aucune "
            "agence ne menace de vous arrêter au téléphone. Raccrochez.",
            lang="fr",
            tags="Fraude",
        ),
    ),
    "crime-stoppers": (
        S(
            1,
            "09:30",
            "Your tips led to two arrests in the catalytic converter thefts. Anonymous tips helped "
            "officers identify the vehicle used in more than 40 thefts. Thank you.",
            link="tip-arrests",
            tags="CrimeStoppers",
        ),
        S(
            10,
            "08:30",
            "One year ago a man was killed in a hit-and-run on Lakeshore Blvd at Maple St. His "
            "family still waits for answers. Call 1-800-555-8477. You never give your name.",
            link="hit-and-run",
            photo="A bouquet of flowers tied to a lamppost at a snowy crosswalk on Lakeshore "
            "Boulevard.",
        ),
        S(
            23,
            "12:00",
            "Who set fire to the Harbourview community garden shed on October 25? Volunteers lost "
            "$6,000 in tools and seeds. Tell us what you know, anonymously.",
            link="garden-fire",
        ),
        S(
            6,
            "11:00",
            "Crime of the week: a jewellery store on King St was broken into early Sunday. Reward "
            "of up to $2,000 for information leading to an arrest.",
            link="jewellery",
            tags="CrimeOfTheWeek",
        ),
        S(
            16,
            "10:00",
            "How it works: you call 1-800-555-8477 or go online. We never ask your name, calls are "
            "not traced, and you get a tip number instead.",
            link="tips",
            photo="A graphic with a phone number, a padlock icon and the words: you stay "
            "anonymous.",
        ),
        S(
            4,
            "12:00",
            "You can give us a tip in French, Punjabi, Cantonese, Arabic and many more languages: "
            "interpreters are available on our line, day and night.",
            link="tips",
        ),
        S(
            19,
            "17:00",
            "Our Holiday Breakfast fundraiser is on Friday, December 4, at the Lakeview Legion "
            "Hall. Every ticket funds rewards for tips that solve crimes.",
            photo="Volunteers in aprons serve pancakes to a line of guests at a long table.",
        ),
    ),
    "community-partnerships": (
        S(
            4,
            "12:30",
            "52 Division community safety town hall: Wednesday, December 2, 7 p.m., Harbourview "
            "Community Centre. Interpretation in French, Punjabi and Cantonese.",
            link="town-halls",
        ),
        S(
            14,
            "19:00",
            "Happy Diwali to everyone celebrating! Thank you to the South Asian Community "
            "Consultative Committee for welcoming our officers tonight.",
            tags="Diwali",
            photo="Officers and community members hold small lit oil lamps in a decorated hall.",
        ),
        S(
            9,
            "11:00",
            "The eight community consultative committees meet on Wednesday, November 25. Every "
            "meeting is open to the public: come and tell us what matters in your neighbourhood.",
            link="ccc",
        ),
        S(
            2,
            "13:00",
            "Toy drive boxes are at every division, the Harbourview Community Centre and the "
            "Saint-Onésime library until December 12.",
            link="toy-drive",
            tags="ToyDrive",
        ),
        S(
            25,
            "14:30",
            "Thank you for more than 300 questions in yesterday's Ask Us Anything. We answered "
            "every one we could, and we'll do it again in the spring.",
        ),
    ),
    "seniors-committee": (
        S(
            10,
            "16:00",
            "Thank you to the 45 seniors who came to today's fraud prevention talk with D/Sgt Neil "
            "Haverkamp at the Cedar Hills Seniors' Centre. Great questions!",
            photo="Seniors sit in rows of chairs listening to a plain-clothes officer beside a "
            "projector screen.",
        ),
        S(
            2,
            "09:15",
            "Snow is here. If you know a senior who lives alone, check on them this weekend: a "
            "phone call, a shovelled step, a ride to the pharmacy.",
        ),
        S(
            19,
            "10:00",
            'A call from your "grandchild" in jail asking for bail money? Hang up and call '
            "your family on a number you know. The police never ask for bail by phone.",
            link="grandparent",
        ),
        S(
            26,
            "13:30",
            "Our next meeting is Wednesday, November 25, at 2 p.m. at the Cedar Hills Seniors' "
            "Centre. Everyone is welcome.",
            link="ccc",
        ),
        S(
            5,
            "11:00",
            "Elder abuse is not always physical: a relative who takes your bank card, or cuts you "
            "off from friends, is abuse too. Help is available.",
            link="elder-abuse",
        ),
    ),
    "youth-committee": (
        S(
            5,
            "16:30",
            "Applications for the Chief's Youth Advisory Committee close November 30! Aged 14 to "
            "21 and want a say in how Lakeview is policed? Apply now.",
            link="youth-committee",
            photo="A bright graphic: a group of young people, the words 'Your voice, your city' "
            "and the deadline, November 30.",
        ),
        S(
            25,
            "18:00",
            "Costumes, candy and crosswalks: we quizzed Cst Amara Diallo on Halloween safety. Full "
            "video on the Lakeview Police YouTube channel.",
            photo="Committee members in Halloween costumes pose with a police officer holding a "
            "plastic pumpkin.",
        ),
        S(
            13,
            "17:00",
            "We met with the Chief to talk about online safety at school. She listened, took notes "
            "and promised to come back in January.",
            photo="Young people and the Chief sit around a table covered in sticky notes.",
            album=True,
        ),
        S(
            1,
            "15:00",
            "Our members helped sort 600 toys at the toy drive warehouse today. Thank you to "
            "everyone who donated!",
            photo="Teenagers in Santa hats sort toys into labelled boxes in a warehouse.",
        ),
    ),
    "2slgbtq-committee": (
        S(
            2,
            "09:00",
            "Today, on Transgender Day of Remembrance, we remember the trans people lost to "
            "violence this year. The transgender flag flies at Police Headquarters.",
            tags="TDoR",
            photo="The light blue, pink and white transgender flag flies on a flagpole in front of "
            "Police Headquarters.",
        ),
        S(
            9,
            "14:00",
            "Our next committee meeting is Wednesday, November 25, 6:30 p.m., at the Lakeview "
            "Pride Centre. Everyone is welcome.",
        ),
        S(
            24,
            "12:00",
            'A hate crime or a hate incident is never "just words". Here\'s how to report it, '
            "and the support available to you.",
            link="hate",
        ),
        S(
            16,
            "15:00",
            "This fall, 120 officers took the inclusive service training our committee helped "
            "design. Thank you to everyone who shared their story with them.",
        ),
        S(
            20,
            "19:30",
            "Thank you to everyone who came to our fall social at the Lakeview Pride Centre!",
            photo="People chat and laugh around tables under rainbow bunting.",
            on="instagram",
        ),
    ),
    "black-community-committee": (
        S(
            8,
            "10:00",
            "Friday night youth basketball with Sgt Marcus Adjei is back at the Harbourview "
            "Community Centre. Ages 12 to 17, free, every Friday.",
            photo="A coach in a police T-shirt high-fives a teenager on a basketball court.",
        ),
        S(
            18,
            "16:00",
            "Community conversation on the service's race-based data report: Tuesday, November 24, "
            "7 p.m., Harbourview Library. Your questions shape our advice to the Chief.",
        ),
        S(
            26,
            "20:00",
            "Thank you to everyone who came to our fall meet-and-greet at the Harbourview Library. "
            "Sixty neighbours, great food, real conversations.",
        ),
        S(
            3,
            "12:00",
            "Scholarship applications are open: two $1,000 awards for Black students in Lakeview "
            "going on to college or university. Apply by January 15.",
            link="scholarship",
        ),
    ),
    "indigenous-committee": (
        S(
            14,
            "10:00",
            "Today is Indigenous Veterans Day. We honour the First Nations, Inuit and Métis people "
            "who served, and who too often came home to less than they were promised.",
            photo="An eagle feather and a poppy rest on a folded flag on a wooden table.",
        ),
        S(
            3,
            "19:00",
            "Thank you to the Lakeview Friendship Centre for hosting tonight's community feast "
            "with Cst Jolene Meekis and our committee. Miigwech!",
            photo="People share a meal at long tables in a community hall decorated with star "
            "blankets.",
        ),
        S(
            6,
            "13:00",
            "Our committee met with the Chief and investigators about how missing persons reports "
            "are taken. You never have to wait 24 hours to report someone missing.",
            link="missing-report",
        ),
        S(
            16,
            "14:00",
            "Treaties Recognition Week: officers spent an afternoon learning from Elders at the "
            "Friendship Centre about the treaties of this land. Thank you for your teachings.",
        ),
    ),
    "chinese-committee": (
        S(
            7,
            "14:00",
            "Fraud prevention talk in Cantonese and Mandarin with Cst Alan Szeto: Saturday, "
            "November 28, 2 p.m., Lakeview Chinese Cultural Centre. 粵語及普通話防騙講座。",
            photo="A poster in English and Chinese with the talk's date and a smiling officer.",
        ),
        S(
            22,
            "11:00",
            '"Virtual kidnapping" scams are targeting international students: callers '
            "pretending to be officials tell students to hide and send photos to their "
            "families. It's a scam. Call us.",
        ),
        S(
            16,
            "20:30",
            "Our members joined Cst Szeto at the Friday night market on Bay St. Thank you to every "
            "vendor who stopped to chat!",
            photo="An officer and committee members stand among food stalls under strings of red "
            "lanterns.",
            album=True,
        ),
        S(
            3,
            "13:00",
            "Winter driving tips are now online in Traditional and Simplified Chinese. Please "
            "share them with family members who are new to our winters.",
            link="winter-languages",
        ),
    ),
    "south-asian-committee": (
        S(
            14,
            "21:00",
            "Happy Diwali and Bandi Chhor Divas! Thank you to the officers who joined our "
            "celebration tonight.",
            photo="Community members and officers light rows of small clay lamps on a table.",
            album=True,
        ),
        S(
            9,
            "12:00",
            "Newcomers: a caller claiming to be an immigration officer says you owe fees or will "
            "be deported. It's a scam. Hang up and call 555-808-2222.",
            link="tax-calls",
        ),
        S(
            3,
            "10:30",
            "Winter driving tips are online in Punjabi, Urdu and Hindi. Please share them with "
            "anyone facing their first Lakeview winter.",
            link="winter-languages",
        ),
        S(
            24,
            "19:00",
            "Thank you to everyone who came to our meet-and-greet with Cst Farhan Qureshi. Chai, "
            "samosas and a lot of good questions.",
        ),
    ),
    "francophone-committee": (
        S(
            9,
            "10:00",
            "Au 911, dites « français » : un répartiteur francophone vous répondra. Au "
            "555-808-2222, faites le 2. Faites passer le mot!",
            lang="fr",
            link="french-services",
        ),
        S(
            18,
            "14:00",
            "Notre prochaine rencontre : le mercredi 25 novembre à 18 h 30, au Centre "
            "communautaire francophone de Saint-Onésime. Bienvenue à tous!",
            lang="fr",
            link="ccc",
        ),
        S(
            27,
            "12:00",
            "Merci à tous pour le café-rencontre de samedi avec la Sgt Annie Bérubé. Vos questions "
            "sur la sécurité des piétons ont été transmises aux Services de la circulation.",
            lang="fr",
            photo="Des résidents et une policière discutent autour d'une table avec des tasses de "
            "café.",
        ),
        S(
            4,
            "11:00",
            "Séance d'information sur le recrutement, en français, le jeudi 26 novembre à 19 h au "
            "quartier général. Parlez-en autour de vous!",
            lang="fr",
            link="carrieres",
        ),
        S(
            2,
            "08:30",
            "Premières neiges : ralentissez, laissez de l'espace et déneigez complètement votre "
            "véhicule. Bonne route!",
            lang="fr",
        ),
    ),
    "recruiting": (
        S(
            5,
            "10:00",
            "Thinking about a career in policing? Join our information session on Thursday, "
            "November 26, at 7 p.m. at Police Headquarters. Register online.",
            link="sessions",
            tags="NowHiring",
            photo="A recruiter talks to a room of people seated in rows in a bright hall.",
        ),
        S(
            3,
            "18:30",
            "Congratulations to the 24 constables of Recruit Class 26-03! Your first shift starts "
            "Monday.",
            photo="New constables in dress uniform stand in formation on a parade square.",
            album=True,
        ),
        S(
            12,
            "11:00",
            "Special constables keep our courts safe and transport people in custody. Applications "
            "close December 4.",
            link="special",
            tags="NowHiring",
        ),
        S(
            19,
            "09:30",
            "Practising for the fitness test? Join us at the police college track every Saturday "
            "at 9 a.m. Free, and our recruits will cheer you on.",
        ),
        S(
            25,
            "13:00",
            "Calm under pressure? Our 911 communicators answer every emergency call in Lakeview. "
            "Paid training, shift work and a career that matters.",
            link="communicators",
        ),
        S(
            3,
            "20:00",
            "Recruit Class 26-03: 24 weeks in 24 seconds.",
            video=24,
            title="24 weeks in 24 seconds",
            tags="Class2603",
        ),
        S(
            10,
            "17:00",
            "Can you pass the fitness test? The shuttle run, explained by someone who failed it "
            "once.",
            video=36,
            title="The shuttle run, explained",
            tags="FitnessTest",
        ),
        S(
            17,
            "16:30",
            "The questions every applicant asks: tattoos? glasses? too old? Answered in under a "
            "minute.",
            video=44,
            title="Tattoos, glasses, age?",
            tags="NowHiring",
        ),
        S(
            24,
            "18:00",
            "What a 911 communicator's shift sounds like.",
            video=39,
            title="A shift in the 911 centre",
            tags="Dispatch",
        ),
    ),
    # --- Officers --------------------------------------------------------------
    "claire-beaulieu-mensah": (
        S(
            1,
            "12:30",
            "Thank you to our officers, paramedics, firefighters and snowplow crews working "
            "through the first big storm of the season. / Merci à nos policiers, paramédics, "
            "pompiers et équipes de déneigement qui travaillent pendant cette première tempête de "
            "la saison.",
            lang="bi",
            on="x",
        ),
        S(
            3,
            "19:30",
            "Twenty-four new constables, 24 families bursting with pride, and one very happy "
            "Chief. Welcome to the Lakeview Police Service, Class 26-03. / Bienvenue, promotion "
            "26-03!",
            lang="bi",
            photo="The Chief stands with a group of new constables in dress uniform, all smiling, "
            "in front of the service's flag.",
        ),
        S(
            6,
            "08:45",
            "My November message: winter, the holidays and looking out for each other. / Mon mot "
            "de novembre : l'hiver, les Fêtes et l'entraide.",
            lang="bi",
            link="chief-november",
        ),
        S(
            10,
            "08:00",
            "3 a.m. at our Communications Centre: calm voices, fast hands, and the first call "
            "anyone makes on their worst night. Thank you for everything you do.",
            photo="Call-takers with headsets work at desks with several screens in a dim room.",
        ),
        S(
            17,
            "09:00",
            "Last night I rode along with 52 Division's night shift. Four calls for people in "
            "crisis, one impaired driver and a lot of kindness. Proud of this team.",
        ),
        S(
            9,
            "17:30",
            "Merci aux élèves de l'École secondaire des Trois-Rivières pour leurs questions "
            "franches sur la sécurité en ligne et la confiance envers la police. Je reviendrai!",
            lang="fr",
        ),
        S(
            24,
            "16:00",
            "My report to the Police Services Board is online: faster response times, the launch "
            "of Connect, and what we heard on the listening tour.",
            link="board",
        ),
    ),
    "priya-raghunathan": (
        S(
            2,
            "21:30",
            "First snow, first night of Festive RIDE, and a front line that didn't stop. Thank you "
            "to every officer out there tonight.",
        ),
        S(11, "11:15", "At 11 a.m. we paused to remember. Lest we forget."),
        S(
            16,
            "10:00",
            "Traffic deaths in Lakeview are down 22% this year. Behind that number: slower school "
            "zones, safer crosswalks and a lot of patient enforcement. Let's keep going.",
            link="school-zones",
            tags="VisionZero",
        ),
        S(
            22,
            "23:50",
            "Halloween night wrap-up: no serious injuries, lots of candy. Thank you to the "
            "officers on foot in every division tonight.",
        ),
        S(
            5,
            "13:30",
            "Spent the morning with the Marine Unit's ice rescue team. Cold water, calm heads, "
            "serious training.",
            photo="Officers in orange dry suits stand on a dock beside a rescue sled.",
        ),
    ),
    "etienne-bourdages-roy": (
        S(
            3,
            "12:00",
            "Bravo aux enquêteurs de la 22e Division et de l'Unité des crimes contre les biens : "
            "deux hommes accusés dans plus de 40 vols de convertisseurs catalytiques.",
            lang="fr",
            link="catalytic",
        ),
        S(
            10,
            "09:30",
            "Il y a un an, un homme de 72 ans était happé mortellement sur le boulevard Lakeshore. "
            "Le conducteur ne s'est pas arrêté. Quelqu'un sait. Échec au crime : 1-800-555-8477.",
            lang="fr",
            link="hit-and-run",
        ),
        S(
            17,
            "15:00",
            "Arrestation dans les introductions par effraction du Vieux-Port : un homme de 42 ans "
            "fait face à 18 chefs d'accusation. Merci aux commerçants pour leurs vidéos.",
            lang="fr",
            link="oldport",
        ),
        S(
            25,
            "11:00",
            "Our Financial Crimes Unit recovered $84,000 for Lakeview seniors this fall by "
            "freezing accounts within hours of a report. Report fraud fast: it makes a difference.",
            link="grandparent",
        ),
        S(
            6,
            "14:00",
            "La traite de personnes commence souvent par une relation amoureuse ou une offre "
            "d'emploi. Apprenez à reconnaître les signes.",
            lang="fr",
            link="trafficking",
        ),
    ),
    "nadia-haddad": (
        S(
            9,
            "14:30",
            "Six weeks after launch, more than 40,000 people have used Connect to check an account "
            "before trusting it. That's exactly what it's for.",
            link="connect",
        ),
        S(
            1,
            "16:00",
            "Long day for the comms team: a missing person appeal, a snow squall warning and two "
            "road closures before lunch. Thank you for sharing, and for your patience.",
        ),
        S(
            18,
            "10:30",
            "Spotted an account using our badge that isn't listed on Connect? Use the \"Report an "
            "account\" link at the bottom of any page, and we'll take it from there.",
            link="connect",
        ),
        S(
            24,
            "12:00",
            "Nos publications en français sont sur X à @SPLakeview, et tous nos comptes sont dans "
            "le répertoire Joindre. / Our French-language posts are at @SPLakeview.",
            lang="bi",
            link="connect-fr",
        ),
    ),
    "derek-osei-amponsah": (
        S(
            1,
            "11:00",
            "Media: the woman reported missing from Harbourview yesterday has been found safe. We "
            "won't release further details; please respect the family's privacy.",
            link="located",
        ),
        S(
            3,
            "10:00",
            "Media availability at 2 p.m. today at Headquarters on the catalytic converter "
            "arrests. Investigators will take questions. Release to follow.",
            link="catalytic",
        ),
        S(
            17,
            "14:20",
            "Media: charges laid in the Old Port break-and-enters. I'm available for interviews "
            "until 6 p.m. at 555-808-2240.",
            link="oldport",
        ),
        S(
            2,
            "16:00",
            "Reporters: photo opportunity at the Festive RIDE launch, 7 p.m. tonight on Westmount "
            "Rd near Elm Ave. Park on Elm, please, not on the shoulder.",
        ),
        S(
            8,
            "12:00",
            "A question I get a lot: why don't we name some people we charge? Youth are protected "
            "by law, and we don't name people when it would identify a victim. Everything else is "
            "in our releases.",
            on="threads",
        ),
        S(
            14,
            "11:30",
            'Why we say "collision" and not "accident": most crashes have a cause, like '
            "speed, distraction or impairment. Words shape how we think about them.",
            on="threads",
        ),
    ),
    "sophie-lachance-nguyen": (
        S(
            2,
            "08:00",
            "Première neige de la saison : ralentissez, gardez vos distances et déneigez "
            "complètement votre véhicule, toit compris.",
            lang="fr",
            tags="ConduiteHivernale",
            photo="Une voiture couverte de neige, une brosse posée sur le capot.",
        ),
        S(
            5,
            "12:00",
            "Séance d'information sur le recrutement en français le jeudi 26 novembre à 19 h au "
            "quartier général. Vous hésitez? Venez poser vos questions!",
            lang="fr",
            link="carrieres",
        ),
        S(
            11,
            "11:20",
            "Jour du Souvenir au cénotaphe de Lakeview ce matin. N'oublions jamais.",
            lang="fr",
            photo="Des policiers en uniforme de cérémonie et des cadets devant le cénotaphe, sous "
            "un ciel gris.",
        ),
        S(
            19,
            "13:00",
            "Saviez-vous que vous pouvez faire une déclaration en ligne, en français, pour un vol "
            "de moins de 5 000 $ ou un objet perdu?",
            lang="fr",
            link="declaration",
        ),
        S(
            22,
            "15:00",
            "Bonne Halloween! Restez en groupe, utilisez les trottoirs et portez quelque chose de "
            "lumineux. Conducteurs : ralentissez entre 17 h et 21 h.",
            lang="fr",
            tags="Halloween",
        ),
        S(
            13,
            "12:30",
            "New in Lakeview? You can get police services in French, from a 911 call to an "
            'online report. Ask for "français".',
            link="french-services",
        ),
    ),
    "bernadette-kowalczyk": (
        S(
            1,
            "14:30",
            "Squall day so far: 47 collisions reported by 2 p.m., no serious injuries. Slow down "
            "and leave space. If you don't have to drive, don't.",
        ),
        S(
            4,
            "09:30",
            "Festive RIDE starts Friday. Last year we charged 61 impaired drivers in six weeks. "
            "Let's make this year's number zero.",
            link="ride",
            tags="FestiveRIDE",
        ),
        S(
            13,
            "16:00",
            "Presented our Vision Zero update to the city's transportation committee today: "
            "pedestrian deaths are down, but November is always our worst month. Look twice.",
            tags="VisionZero",
        ),
        S(
            25,
            "09:00",
            "The new 30 km/h school zones, one month in: 2,300 warnings and 410 tickets. Average "
            "speeds are down 9 km/h. It's working.",
            link="school-zones",
        ),
    ),
    "owen-fairweather": (
        S(
            2,
            "07:30",
            "New on the blog: five things to check before your first winter drive. Most winter "
            "collisions start in the driveway.",
            link="winter-blog",
            tags="WinterDriving",
        ),
        S(
            14,
            "08:00",
            "New on the blog: why November is the worst month for pedestrians, and what I see at "
            "those scenes.",
            link="pedestrian-blog",
            tags="PedestrianSafety",
        ),
        S(
            8,
            "17:00",
            "Collision reconstruction course wrapped up today: 12 officers from four services, "
            "three days of skid marks, crush measurements and physics.",
        ),
        S(
            19,
            "12:15",
            "Reader question: can you ride an e-bike in the bike lane on Lakeshore Blvd? Yes, if "
            "it's pedal-assist and goes no faster than 32 km/h.",
        ),
        S(
            3,
            "16:00",
            "The motorcycle is in for the winter. See you in April, old friend.",
            photo="A police motorcycle under a fitted cover in a garage bay.",
        ),
        S(
            6,
            "19:00",
            "A thread on winter tires, since my inbox is full: all-seasons harden below 7°C. "
            "Winter tires stay soft and grip. On ice, that's the difference between stopping and "
            "sliding.",
            more="And no, four-wheel drive doesn't help you stop. It helps you go.",
            on="threads",
        ),
    ),
    "dario-ferreira": (
        S(
            3,
            "18:00",
            "Winter tires vs all-seasons at 50 km/h on packed snow. Same car, same driver. Guess "
            "the difference.",
            video=34,
            title="Winter vs all-season tires",
            tags="WinterTires",
        ),
        S(
            10,
            "17:30",
            "Lane splitting? Not in Lakeview. Here's why, from someone who rides every day.",
            video=22,
            title="Lane splitting",
            tags="MotorcycleSafety",
        ),
        S(
            18,
            "16:00",
            "What I check on my bike before every shift: tires, lights, brakes, radio. Two minutes "
            "that matter.",
            video=29,
            title="Pre-shift bike check",
            tags="MotorOfficer",
        ),
        S(
            25,
            "17:00",
            "Last ride of the season, then into storage. See you in spring!",
            video=25,
            title="Last ride of 2026",
            tags="MotorOfficer",
        ),
        S(
            5,
            "12:30",
            "The bike's put away, so this is my ride until April. Same job: slower drivers, safer "
            "streets.",
            photo="A motor officer in a winter jacket leans against a marked police SUV on a snowy "
            "street.",
        ),
        S(
            16,
            "18:30",
            "It's dark by 5 now. Pedestrians: wear something bright. Drivers: look twice at every "
            "crosswalk.",
            photo="A crosswalk at dusk with a pedestrian in a reflective vest lit up by "
            "headlights.",
            tags="PedestrianSafety",
        ),
    ),
    "anneke-visser": (
        S(
            2,
            "12:30",
            "The bays have 2 cm of ice today. You need at least 10 cm of clear ice to walk on. "
            "Please stay off, and keep your dogs leashed near the shore.",
            link="ice",
            tags="IceSafety",
        ),
        S(
            8,
            "16:00",
            "Both boats are out of the water for the season. Thank you to the crew for another "
            "year without losing anyone we could reach in time.",
        ),
        S(
            15,
            "12:00",
            "Ice rescue training today. We practise in November so that we're ready the first time "
            "someone goes through.",
            photo="An officer in a dry suit lies flat on thin ice, reaching toward a hole with a "
            "rescue pole.",
        ),
        S(
            24,
            "19:00",
            "Proud of the crew who pulled two paddlers from the water near Gull Island this "
            "afternoon. Their life jackets kept them afloat until we got there.",
        ),
    ),
    "rhys-llewellyn": (
        S(
            3,
            "08:30",
            "PSD Rook tracked a break-in suspect 600 metres through backyards in the snow last "
            "night. Two years of training for nights like that one.",
        ),
        S(
            20,
            "13:00",
            "Our four puppies at 16 weeks: confident, curious and chewing everything. Atlas "
            "already thinks he runs the kennel.",
            photo="A handler kneels in the grass while four German shepherd puppies climb over "
            "him.",
        ),
        S(
            13,
            "12:00",
            "Juno, one month into retirement: still the first one at the door when I pick up my "
            "keys.",
            photo="An older German shepherd with a grey muzzle sits by a front door, looking up.",
        ),
        S(
            5,
            "16:00",
            "Great work by Cst Tran and PSD Kodiak at Cedar Hills Public School today. The Grade "
            "4s asked better questions than most reporters.",
        ),
    ),
    "jasmine-tran": (
        S(
            5,
            "15:45",
            'Today Kodiak tracked a "missing" teacher across the school field while the '
            "Grade 4s cheered. He got a tennis ball; they got a lesson on how police dogs work.",
            photo="A German shepherd sits proudly with a tennis ball in front of a class of "
            "children in winter coats.",
        ),
        S(
            2,
            "10:00",
            "Kodiak saw his first snow of the season and forgot he's a serious working dog for ten "
            "whole minutes.",
            photo="A German shepherd leaps through fresh snow with his ears flying.",
        ),
        S(
            14,
            "12:00",
            "Happy 4th birthday, Kodiak! Still the best partner on the team.",
            photo="A German shepherd wearing a paper party hat looks at a dog-safe cake.",
        ),
        S(
            22,
            "18:00",
            "Kodiak's Halloween costume: police dog. Very convincing.",
            photo="A German shepherd in his working harness sits beside a carved pumpkin on a "
            "porch.",
        ),
        S(2, "10:30", "Kodiak meets snow.", video=14, title="Kodiak meets snow", tags="FirstSnow"),
        S(
            5,
            "19:30",
            "The Grade 4s vs Kodiak: who finds the teacher first?",
            video=31,
            title="Grade 4s vs Kodiak",
            tags="PoliceDog",
        ),
        S(
            12,
            "17:00",
            "What's in Kodiak's work bag? Tracking line, water, booties and the all-important "
            "ball.",
            video=40,
            title="Kodiak's work bag",
            tags="PoliceDog",
        ),
        S(
            22,
            "16:00",
            "Kodiak rates your Halloween candy. (He can't have any. Neither can your dog.)",
            video=18,
            title="Kodiak rates your candy",
            tags="Halloween",
        ),
    ),
    "helene-gauthier": (
        S(
            2,
            "13:30",
            "Samedi a reçu ses fers d'hiver cette semaine, avec crampons pour les rues glacées. Il "
            "est prêt pour le défilé du père Noël le 28 novembre!",
            lang="fr",
            photo="Un maréchal-ferrant ferre le sabot d'un cheval brun dans l'écurie.",
        ),
        S(
            11,
            "12:30",
            "Samedi et moi étions en tête du défilé du jour du Souvenir ce matin. N'oublions "
            "jamais.",
            lang="fr",
            photo="Une policière à cheval en tunique rouge mène un défilé sur la rue King.",
        ),
        S(
            8,
            "16:45",
            "Patrouille à cheval au centre-ville ce soir pour l'ouverture des Lumières d'hiver, "
            "rue Front. Venez nous voir, mais demandez avant de flatter Samedi!",
            lang="fr",
        ),
        S(
            18,
            "10:00",
            "Saviez-vous que Samedi est un cheval canadien, une race née ici il y a plus de 350 "
            "ans? Robuste, calme et très gourmand.",
            lang="fr",
            photo="Gros plan sur la tête d'un cheval brun foncé à la crinière épaisse.",
        ),
        S(
            22,
            "21:00",
            "Première patrouille d'Halloween pour Maple, notre jeune jument. Plus calme que bien "
            "des enfants costumés!",
            lang="fr",
        ),
    ),
    "amara-diallo": (
        S(
            5,
            "16:00",
            "Bullying Awareness Week at Lakeview Secondary: 300 students, one question. What would "
            "you do if the group chat turned on someone?",
            photo="An officer speaks to students seated in a school gym with a slide reading 'What "
            "would you do?' behind her.",
        ),
        S(
            10,
            "15:30",
            "Super atelier sur la sécurité en ligne avec les élèves de 8e année de l'École "
            "Saint-Onésime. Vos questions étaient excellentes!",
            lang="fr",
            photo="Une policière et des élèves réunis autour d'un tableau couvert de papillons "
            "adhésifs.",
        ),
        S(
            17,
            "18:00",
            "Friday basketball at the Harbourview Community Centre: I lost to a 13-year-old. "
            "Rematch next week.",
            photo="A police officer in a T-shirt defends against a teenager going in for a layup.",
        ),
        S(
            24,
            "14:00",
            "Halloween reminder: no realistic replica weapons at school or on the street. From a "
            "distance, officers can't tell a toy from a real one.",
            tags="Halloween",
        ),
        S(
            6,
            "16:30",
            "Someone is threatening to share your pics? Three things to do right now.",
            video=38,
            title="Sextortion: 3 things to do",
            tags="Sextortion",
        ),
        S(
            12,
            "16:00",
            "Sécurité en ligne : trois réglages à changer ce soir sur ton téléphone.",
            lang="fr",
            video=42,
            title="3 réglages à changer ce soir",
            tags="SécuritéEnLigne",
        ),
        S(
            19,
            "17:00",
            "Your group chat and the law: what's a joke and what's a crime.",
            video=35,
            title="Group chats and the law",
            tags="OnlineSafety",
        ),
        S(
            26,
            "16:30",
            "Replica weapons at Halloween: why officers treat them as real.",
            video=20,
            title="Toy or real?",
            tags="Halloween",
        ),
    ),
    "nathan-kishimoto": (
        S(
            3,
            "15:00",
            "Forty young people completed youth diversion this fall. Community service, a mentor, "
            "and a second chance instead of a court date.",
            link="diversion",
        ),
        S(
            10,
            "19:00",
            "Thank you to the Harbourview Community Centre for hosting tonight's diversion "
            "graduation. The speeches from the parents got me.",
        ),
        S(
            18,
            "08:30",
            "Bullying Awareness Week is November 15 to 21. Our school resource officers will be in "
            "14 schools. Teachers: book us for your class.",
            tags="BullyingAwarenessWeek",
        ),
        S(
            26,
            "12:00",
            "Summer youth camp: 120 kids this year, 18 volunteer officers. Applications for next "
            "summer open in January.",
            photo="Children in matching T-shirts gather around an officer next to a canoe on a "
            "beach.",
        ),
    ),
    "samira-benali": (
        S(
            1,
            "10:00",
            "Your tips matter: two arrests in the catalytic converter thefts, thanks to people who "
            "called Crime Stoppers. I never learn who you are, and I don't need to.",
            link="tip-arrests",
        ),
        S(
            10,
            "09:00",
            "One year ago today, a man was killed crossing Lakeshore Blvd at Maple St. Someone "
            "knows who was driving. Call 1-800-555-8477. You stay anonymous.",
            link="hit-and-run",
        ),
        S(
            10,
            "09:15",
            "Il y a un an, un homme était happé mortellement sur le boulevard Lakeshore. Quelqu'un "
            "sait qui conduisait. Échec au crime : 1-800-555-8477. Vous restez anonyme.",
            lang="fr",
            link="hit-and-run",
        ),
        S(
            23,
            "12:30",
            "Saw something near the Harbourview community garden early on October 25? Even a small "
            "detail helps. Tell Crime Stoppers.",
            link="garden-fire",
        ),
        S(
            16,
            "11:00",
            "Les signalements en français sont les bienvenus, au téléphone comme en ligne. Vous ne "
            "donnez jamais votre nom.",
            lang="fr",
            link="tips",
        ),
    ),
    "maureen-ashdown": (
        S(
            1,
            "12:00",
            "Thank you to the officers who closed King St this morning and helped the people "
            "involved in the collision. Everyone went home.",
            photo="A police cruiser with its lights on blocks a snowy King Street.",
        ),
        S(
            7,
            "10:00",
            "Parade day is coming: November 28, King St. Our officers will be along the whole "
            "route. Pick a meeting spot in case you get separated from your kids.",
            link="parade",
        ),
        S(
            17,
            "15:00",
            "An arrest in the Old Port break-and-enters. Thank you to our investigators and to the "
            "business owners who never stopped calling us.",
            link="oldport",
        ),
        S(
            12,
            "20:00",
            "Walked the Old Port tonight with business owners. Better lighting on Dock Lane is our "
            "next ask to the city.",
        ),
    ),
    "yusuf-abdi": (
        S(
            9,
            "10:30",
            "Coffee with a Cop: Thursday, November 26, 9 to 11 a.m., Westmount Library. I'll be "
            "there with PC Delgado-Finch. Bring your questions, or just say hi.",
        ),
        S(
            3,
            "12:30",
            "Two men charged in the catalytic converter thefts. Westmount and Cedar Hills, your "
            "doorbell videos made this case. Thank you.",
            link="catalytic",
        ),
        S(
            16,
            "16:00",
            "Five break-ins in Cedar Hills this week, all through unlocked doors. Lock up, even "
            "when you're home.",
            link="home-check",
        ),
        S(
            25,
            "19:00",
            "I grew up four streets from 22 Division. Commanding it is still the best job I've "
            "had.",
        ),
    ),
    "rosa-delgado-finch": (
        S(
            16,
            "15:30",
            "Five break-ins in Cedar Hills this week, all through unlocked back doors or garages. "
            "Lock the door between your garage and your house too.",
            tags="CedarHills",
        ),
        S(
            10,
            "12:00",
            "Want a free home security check? I'll come by, walk around your home with you and "
            "suggest simple fixes. Book online.",
            link="home-check",
            tags="CrimePrevention",
        ),
        S(
            6,
            "19:30",
            "Great turnout at the Cedar Hills Neighbourhood Watch meeting tonight. We talked "
            "lighting, locks and how to report suspicious activity.",
            photo="Residents sit in a circle of chairs in a church basement while an officer "
            "points to a map.",
        ),
        S(
            2,
            "11:00",
            "Package theft season is here. Have deliveries sent to a pickup point, or ask a "
            "neighbour to grab them.",
            tags="PorchPirates",
        ),
        S(
            22,
            "17:30",
            "Happy Halloween from Cedar Hills! Stay in groups, carry a flashlight and only visit "
            "houses with the lights on.",
            photo="An officer hands out candy to children in costumes at the end of a driveway.",
        ),
    ),
    "vivian-leung-hart": (
        S(
            6,
            "12:30",
            "Exam season on campus: six laptops stolen from the library this week. Never leave "
            "yours alone, even for a minute.",
            tags="Campus",
        ),
        S(
            3,
            "20:10",
            "The 79-year-old man missing from Saint-Onésime has been found safe by a neighbour. "
            "Thank you, 31 Division.",
        ),
        S(
            18,
            "14:00",
            "We're looking for witnesses to a robbery near the Science building on campus, "
            "Saturday, October 31, around 10 p.m. Call 555-808-2231.",
        ),
        S(
            26,
            "16:00",
            "Met with the student union today about safe walks home after dark. Campus security "
            "and 31 Division will walk with anyone who asks.",
        ),
    ),
    "mathieu-paquette": (
        S(
            1,
            "09:10",
            "Rue Principale : la collision de ce matin est dégagée et la circulation a repris dans "
            "les deux sens. Personne n'a été gravement blessé. Merci de votre patience!",
            lang="fr",
            on="x",
        ),
        S(
            3,
            "12:00",
            "Rappel : café avec un policier samedi, de 10 h à midi, à la bibliothèque de "
            "Saint-Onésime. Je vous attends!",
            lang="fr",
        ),
        S(
            13,
            "15:00",
            "Bravo au comité de parents de l'École des Trois-Rivières pour la nouvelle brigade "
            "scolaire. Les traverses sont plus sûres grâce à vous!",
            lang="fr",
        ),
        S(
            18,
            "19:00",
            "Encore des vols dans des voitures déverrouillées près du parc Champlain. Verrouillez, "
            "même pour cinq minutes.",
            lang="fr",
        ),
        S(
            25,
            "16:00",
            "Halloween approche : ralentissez dans les rues résidentielles samedi soir, et les "
            "parents, des costumes lumineux s'il vous plaît!",
            lang="fr",
        ),
    ),
    "amrit-sekhon": (
        S(
            1,
            "11:30",
            "She's home safe. Thank you to our officers, PSD Kodiak, and the Harbourview "
            "neighbours who searched with us yesterday.",
        ),
        S(
            4,
            "15:30",
            "Join me on Wednesday, December 2, at 7 p.m. at the Harbourview Community Centre. "
            "Traffic, break-ins, the shelter on Pier St: ask me anything.",
            link="town-halls",
        ),
        S(
            3,
            "18:30",
            "52 Division vs Fire Station 7, December 5, Harbourview Arena. We've been practising. "
            "They've been practising more.",
        ),
        S(
            19,
            "09:00",
            "Thank you to the 140 residents at last night's town hall with the Chief. Your "
            "questions were direct and fair. We heard you on speeding on Harbour Rd.",
        ),
    ),
    "darnell-whitaker": (
        S(
            24,
            "21:15",
            "Sixty families carved pumpkins with us at the Harbourview Community Centre tonight. "
            "Best night of the year.",
        ),
        S(
            10,
            "14:00",
            "Dropped off 200 pairs of winter socks at the shelter on Pier St today, donated by "
            "Harbourview businesses. Thank you!",
            photo="Boxes of new winter socks stacked on a table at the shelter's front desk.",
        ),
        S(
            5,
            "12:00",
            "Business walk on Dock Rd this morning. Three owners asked about cameras: we'll help "
            "them pick where to put them.",
        ),
        S(
            2,
            "22:00",
            "Cold night. If you see someone outside who needs help, call 555-808-2222 and we'll "
            "send someone. If they're in danger, call 911.",
        ),
    ),
    "neil-haverkamp": (
        S(
            12,
            "10:30",
            'The grandparent scam is back. If "your grandson" calls from jail needing bail '
            "money, hang up and call him on a number you know.",
            link="grandparent",
            tags="Fraud",
        ),
        S(
            10,
            "17:00",
            "Great questions at the Cedar Hills Seniors' Centre today. The best one: \"How do they "
            "know my grandson's name?\" Social media. Check your settings.",
        ),
        S(
            2,
            "09:30",
            "Six red flags for holiday shopping scams. The biggest one: a seller who wants gift "
            "cards or a wire transfer.",
            link="holiday-scams",
            tags="BlackFriday",
        ),
        S(
            5,
            "13:00",
            "Got a text about a parcel held at customs for $2.99? Delete it. That link is after "
            "your card number, not your money.",
            link="parcel",
        ),
        S(
            26,
            "10:30",
            "Newcomers are getting calls threatening arrest over unpaid taxes. No tax agency calls "
            "like that. Hang up and call us.",
            link="tax-calls",
        ),
    ),
    "olivia-kanhai": (
        S(
            9,
            "11:30",
            "Our eight community consultative committees meet on November 25. The meetings are "
            "open to the public, and the committees do change how we work.",
            link="ccc",
        ),
        S(
            25,
            "13:30",
            "Thank you for a great Ask Us Anything yesterday. More than 300 questions, and a few "
            "hard ones. That's how it should be.",
        ),
        S(
            14,
            "20:00",
            "Happy Diwali! Thank you to the South Asian Community Consultative Committee for a "
            "wonderful evening.",
        ),
        S(
            2,
            "09:30",
            "On Transgender Day of Remembrance, we stand with our 2SLGBTQ+ Community Consultative "
            "Committee and remember those we've lost.",
        ),
    ),
    "jolene-meekis": (
        S(
            14,
            "10:30",
            "Today is Indigenous Veterans Day. Remembering the First Nations, Inuit and Métis "
            "veterans who served this country.",
            photo="Two Elders in ribbon skirts and veterans' berets stand beside a memorial.",
        ),
        S(
            3,
            "19:30",
            "A community feast at the Lakeview Friendship Centre tonight. Thank you for having us, "
            "and for the bannock. Miigwech.",
            photo="Volunteers serve soup and bannock at a long table in a community hall.",
        ),
        S(
            19,
            "15:00",
            "Treaties Recognition Week: our officers spent the afternoon learning from Elders at "
            "the Friendship Centre. Grateful for their patience and teachings.",
        ),
        S(
            10,
            "12:00",
            "If someone you love is missing, you do not have to wait 24 hours to report it. Call "
            "us right away at 555-808-2222.",
            link="missing-report",
            on="facebook",
        ),
        S(
            7,
            "18:00",
            "Youth drum group practice at the Friendship Centre tonight. Loud, joyful and right on "
            "time.",
            on="facebook",
        ),
    ),
    "marisa-ventresca": (
        S(
            10,
            "16:30",
            "Forty-five seniors, one fraud talk and a lot of great stories at the Cedar Hills "
            "Seniors' Centre today. Thank you for having me!",
        ),
        S(
            19,
            "10:30",
            "If a caller says your grandchild is in jail and needs bail, hang up and call your "
            "family on a number you know. We never ask for bail by phone.",
            link="grandparent",
        ),
        S(
            5,
            "14:00",
            "Elder abuse isn't always physical. A relative who takes your bank card or cuts you "
            "off from your friends is abuse too. You can talk to me.",
            link="elder-abuse",
        ),
        S(
            2,
            "09:45",
            "Snow's here. Please check on the seniors on your street this weekend: a phone call, a "
            "shovelled step, a ride to the pharmacy.",
        ),
        S(
            24,
            "14:00",
            "Visited the residents of Maple Grove Residence today to talk about scams and safety "
            "at home. Thank you for the tea and the hard questions!",
            photo="An officer sits with a group of seniors around a table with teacups in a "
            "residence lounge.",
            on="facebook",
        ),
    ),
    "alan-szeto": (
        S(
            7,
            "14:30",
            "Fraud prevention talk in Cantonese and Mandarin: Saturday, November 28, 2 p.m., "
            "Lakeview Chinese Cultural Centre. 粵語及普通話防騙講座\uff0c歡迎參加\u3002",
            photo="A poster in English and Chinese announcing the talk.",
        ),
        S(
            22,
            "11:30",
            "International students: if a caller says you're involved in a crime back home and "
            "must hide and send photos to your family, it's a scam. Call us first.",
        ),
        S(
            16,
            "21:00",
            "Friday night market on Bay St with the Chinese Community Consultative Committee. The "
            "dumplings were excellent.",
            photo="An officer talks with a vendor at a food stall under red lanterns.",
        ),
        S(
            3,
            "13:30",
            "Our winter driving tips are now in Traditional and Simplified Chinese. Please share "
            "with family who are new to Lakeview winters.",
            link="winter-languages",
        ),
    ),
    "farhan-qureshi": (
        S(
            14,
            "21:30",
            "Happy Diwali and Bandi Chhor Divas! Thank you to the South Asian Community "
            "Consultative Committee for including us tonight.",
            photo="An officer lights a small clay lamp with community members in a decorated hall.",
        ),
        S(
            9,
            "12:30",
            "Newcomers: a caller saying you owe immigration fees or will be deported is a scammer. "
            "No government agency calls like that. Hang up.",
            link="tax-calls",
        ),
        S(
            3,
            "11:00",
            "Winter driving tips are now online in Punjabi, Urdu and Hindi. Share them with anyone "
            "facing their first Lakeview winter.",
            link="winter-languages",
        ),
        S(
            21,
            "14:00",
            "Thank you to the gurdwara in Cedar Hills for the warm welcome and the langar today. "
            "Grateful to be part of this community.",
            photo="An officer sits on the floor with community members sharing a meal from steel "
            "plates.",
        ),
    ),
    "marcus-adjei": (
        S(
            8,
            "10:30",
            "Friday night basketball is back! Harbourview Community Centre, ages 12 to 17, 6 to 9 "
            "p.m., free. I'll be the one losing at free throws.",
            photo="A coach in a police T-shirt with a whistle talks to a circle of teenagers on a "
            "court.",
        ),
        S(
            3,
            "12:30",
            "The Black Community Consultative Committee scholarship is open: two $1,000 awards for "
            "Black students in Lakeview. Apply by January 15.",
            link="scholarship",
        ),
        S(
            16,
            "21:30",
            "First game of the season and the team won by two. Proud of every one of them.",
            photo="Teenagers in matching jerseys celebrate on a basketball court.",
            on="instagram",
        ),
        S(
            26,
            "20:30",
            "Great conversations at the fall meet-and-greet at the Harbourview Library tonight. "
            "Thank you for coming out.",
        ),
    ),
    "robin-castellanos": (
        S(
            2,
            "09:15",
            "Today is Transgender Day of Remembrance. We remember the trans people lost to "
            "violence, and we commit to doing better for those still here.",
            tags="TDoR",
        ),
        S(
            2,
            "09:20",
            "Aujourd'hui, Journée du souvenir trans. Nous pensons aux personnes trans victimes de "
            "violence, et nous nous engageons à faire mieux.",
            lang="fr",
            on="x",
        ),
        S(
            16,
            "15:30",
            "120 officers completed inclusive service training this fall. Thank you to the "
            "community members who shared their stories with them.",
        ),
        S(
            24,
            "12:30",
            'A hate incident is never "just words". Here\'s how to report one, and the '
            "support that's available.",
            link="hate",
        ),
        S(
            7,
            "10:00",
            "A question from last week's training that stuck with me: \"What if I'm not sure "
            'which pronouns to use?" Ask, use them, and if you get it wrong, apologise and '
            "move on.",
            on="threads",
        ),
        S(
            9,
            "19:00",
            "Visited the Lakeview Pride Centre's youth drop-in tonight. They had questions about "
            "reporting online harassment, and great snacks.",
            photo="An officer sits on a couch talking with young people in a colourful drop-in "
            "room.",
        ),
    ),
    "annie-berube": (
        S(
            9,
            "10:30",
            "Au 911, dites « français » : on vous mettra en lien avec un répartiteur francophone. "
            "Au 555-808-2222, faites le 2.",
            lang="fr",
            link="french-services",
        ),
        S(
            18,
            "13:00",
            "Belle visite à l'École élémentaire des Trois-Rivières aujourd'hui! Les élèves de 2e "
            "année ont posé mille questions sur l'auto-patrouille.",
            lang="fr",
            photo="Une policière montre l'intérieur d'une auto-patrouille à un groupe d'enfants.",
        ),
        S(
            4,
            "12:00",
            "Séance d'information sur le recrutement, en français, le jeudi 26 novembre à 19 h. Je "
            "serai là pour répondre à vos questions!",
            lang="fr",
            link="carrieres",
        ),
        S(
            27,
            "12:30",
            "Merci pour le café-rencontre de samedi au Centre communautaire francophone. Vos "
            "questions sur la sécurité des piétons ont été transmises aux Services de la "
            "circulation.",
            lang="fr",
        ),
        S(
            2,
            "08:45",
            "Premières neiges : conseils de conduite hivernale en français sur notre site. "
            "Ralentissez et déneigez complètement votre véhicule!",
            lang="fr",
            link="squall-fr",
            on="facebook",
        ),
    ),
    "brianna-oyelaran": (
        S(
            5,
            "10:30",
            "Information session on Thursday, November 26, 7 p.m., at Headquarters. I'll answer "
            "every question about the hiring process, from the fitness test to day one.",
            link="sessions",
            tags="NowHiring",
        ),
        S(
            3,
            "19:00",
            "Two years ago I met most of Class 26-03 at an information session. Today they "
            "graduated. This job never gets old.",
            photo="A recruiter hugs a new constable in dress uniform after the graduation "
            "ceremony.",
        ),
        S(
            19,
            "10:00",
            "Fitness test practice: every Saturday at 9 a.m. at the police college track. Free, no "
            "registration needed.",
        ),
        S(
            12,
            "12:00",
            "Top question this week: do I need a university degree? No. You need a high school "
            "diploma, a clean record and the will to serve.",
        ),
    ),
    "kiran-mahabir": (
        S(
            6,
            "18:00",
            "Twelve years as a paramedic, five as a cop. What changed, and what didn't.",
            video=52,
            title="Paramedic to police",
            tags="CareerChange",
        ),
        S(
            13,
            "17:30",
            "What's on my duty belt, and what weighs the most. (It's not what you think.)",
            video=37,
            title="My duty belt",
            tags="PoliceLife",
        ),
        S(
            20,
            "17:00",
            "Night shift snack tier list. Fight me.",
            video=29,
            title="Night shift snacks",
            tags="NightShift",
        ),
        S(
            3,
            "21:00",
            "Class 26-03 graduated today. Five years ago, that was me.",
            video=20,
            title="Five years ago",
            tags="Class2603",
        ),
        S(
            3,
            "21:10",
            "Congratulations, Class 26-03. The hard part starts Monday, and you're ready.",
            photo="A constable in uniform stands at the back of a convention hall during a "
            "graduation ceremony.",
        ),
        S(
            12,
            "19:00",
            "Day shift done in 31 Division. Four calls, one lost dog found, zero coffee left.",
            photo="A police officer's gloved hand holds the leash of a small, shaggy dog on a "
            "snowy sidewalk.",
        ),
    ),
}


if __name__ == "__main__":
    sys.exit(main())
