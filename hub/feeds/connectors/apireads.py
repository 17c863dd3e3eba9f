"""What each platform's API is asked for an account's posts, and its pages made one answer.

Per platform, the requests (the fields are those its reader reads: see
``hub/feeds/connectors/<platform>.py``), how to reach the next page, when to
stop, and how the pages become ONE answer of the documented shape, which
the platform's reader reads as it reads a recorded answer:

- Facebook Page posts, ``GET /{handle}/posts``; Instagram media,
  ``GET /me/media`` (with a token from Facebook Login, ``GET /{id}/media``,
  the id looked up once among the accounts linked to the token's Pages);
  Threads posts, ``GET /me/threads``: ``paging.next`` is
  followed (its ``access_token`` taken out; moved under HUB_API_BASE_* when one
  is given), and the pages become ``{"data": [...]}``. An Instagram or Threads
  token must be the account's own: a post by another username fails the read.
- X, ``GET /users/{id}/tweets`` (the id looked up once by username, and
  kept): only posts after the newest one read (``since_id``), but the whole
  newest page once a day, so that deleted posts are withdrawn; reposts
  excluded; ``meta.next_token`` is followed, and the pages become
  ``{"data", "includes", "meta"}``.
- TikTok, ``POST /video/list/``: ``data.cursor`` is followed while
  ``data.has_more``, and the pages become ``{"data": {"videos": [...]},
  "error": {"code": "ok"}}``.

A next page is read only while the page before held nothing but posts newer
than the newest stored for the account (all of them, when none is), at most
:data:`MAX_PAGES` pages and ``max_entries`` posts, and not once a rate limit
is near its ceiling. A later page that fails ends the read with the pages
before it. A first answer that is not a JSON object is handed on as it is,
for the reader to say what is wrong with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from hub.feeds.connectors.graph import dig, moment
from hub.feeds.connectors.session import (
    ApiFailure,
    Call,
    Page,
    Session,
    base_of,
    facebook_login,
    origin,
)

MAX_PAGES = 5
"""Pages read per account and run."""
FULL_READ_EVERY = timedelta(days=1)
"""How often an X account is read whole rather than after its newest post read."""
GRAPH_PAGE = 50
X_PAGE = 100
TIKTOK_PAGE = 20
"""Posts asked per page: TikTok gives at most 20, X 100; Meta's fields are heavy."""

FACEBOOK_FIELDS = (
    "id,message,created_time,updated_time,permalink_url,full_picture,"
    "attachments{media_type,type,url,unshimmed_url,title,description,"
    "media{image{src,width,height}},subattachments},status_type"
)
INSTAGRAM_FIELDS = (
    "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,username,"
    "children{media_type,media_url,thumbnail_url}"
)
THREADS_FIELDS = (
    "id,media_product_type,media_type,media_url,permalink,username,text,timestamp,"
    "shortcode,thumbnail_url,children{media_type,media_url,thumbnail_url},is_quote_post,"
    "alt_text,link_attachment_url"
)
X_FIELDS = {
    "tweet.fields": "created_at,entities,attachments,lang,referenced_tweets,note_tweet",
    "expansions": "attachments.media_keys,author_id",
    "media.fields": "url,preview_image_url,alt_text,type,width,height",
    "user.fields": "username",
    "exclude": "retweets",
}
TIKTOK_FIELDS = (
    "id,title,video_description,create_time,cover_image_url,share_url,embed_link,"
    "duration,width,height"
)

GRAPH_EDGES: Mapping[str, tuple[str, str, str]] = {
    "facebook": ("{handle}/posts", FACEBOOK_FIELDS, "created_time"),
    "instagram": ("me/media", INSTAGRAM_FIELDS, "timestamp"),
    "threads": ("me/threads", THREADS_FIELDS, "timestamp"),
}
"""Platform -> (the edge read, its fields, the field that dates a post)."""

_ID = re.compile(r"[0-9]{1,25}")
_NEXT_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,200}")
_USERNAME = re.compile(r"[A-Za-z0-9._]{1,30}")

Answer = bytes | dict[str, Any]
"""The one answer handed on: merged pages, or a first answer's bytes as they came."""
Follow = Callable[[Page, list[Any]], Call | None]


async def paginate(
    session: Session, first: Call, items_of: Callable[[Page], list[Any]], follow: Follow
) -> list[Page]:
    """The pages of one read: the first (whatever it is), then as many as ``follow`` leads to."""
    pages: list[Page] = []
    items: list[Any] = []
    call: Call | None = first
    while call is not None and len(pages) < MAX_PAGES:
        try:
            page = await session.call(call)
        except Exception:
            if not pages:
                raise
            break  # the pages before it stand; a rate limit was noted by the session
        if pages and page.document is None:
            break
        pages.append(page)
        if page.document is None or session.near_ceiling:
            break
        items.extend(items_of(page))
        call = follow(page, items)
    return pages


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _all_newer(times: list[datetime | None], newest: datetime | None) -> bool:
    """Whether every post of a page is newer than the newest stored (True when none is)."""
    return newest is None or all(t is not None and t > newest for t in times)


# -- Meta: Facebook, Instagram, Threads -------------------------------------------------


async def read_graph(session: Session) -> Answer:
    edge, fields, dated = GRAPH_EDGES[session.platform]
    path = edge.format(handle=quote(session.handle, safe=""))
    if facebook_login(session.platform, session.token):
        path = f"{await _instagram_id(session)}/media"
    first = Call(session.url(path, fields=fields, limit=min(GRAPH_PAGE, session.max_entries)))

    def data(page: Page) -> list[Any]:
        return _list((page.document or {}).get("data"))

    def follow(page: Page, items: list[Any]) -> Call | None:
        posts = data(page)
        times = [moment(dig(post, dated)) for post in posts]
        if not posts or len(items) >= session.max_entries or not _all_newer(times, session.newest):
            return None
        target = dig(page.document, "paging", "next")
        if not isinstance(target, str) or len(target) > 4096:
            return None
        try:
            url = _onto_base(session, httpx.URL(target).copy_remove_param("access_token"))
        except httpx.InvalidURL:
            return None
        # Only to the API itself: a next page elsewhere is not read.
        return Call(url) if url is not None and origin(url) == session.base.origin else None

    pages = await paginate(session, first, data, follow)
    if pages[0].document is None or "data" not in pages[0].document:
        return pages[0].body
    posts = [post for page in pages for post in data(page)]
    if session.platform != "facebook":
        _check_owner(session, posts)
    return {"data": posts}


def _onto_base(session: Session, url: httpx.URL) -> httpx.URL | None:
    """A next page on the platform's own API, moved under the base HUB_API_BASE_* gives.

    Meta writes its own address into ``paging.next``; behind a proxy (or a
    stand-in server) the same path and query are asked of the given base.
    A next page that is neither under the official API nor under the base
    is None: it is not read.
    """
    if not session.base.given:
        return url
    official = base_of(session.platform, {}, session.token).url
    prefix = official.path.rstrip("/") + "/"
    if origin(url) != origin(official) or not url.path.startswith(prefix):
        return url
    path = session.base.url.path.rstrip("/") + "/" + url.path[len(prefix) :]
    return session.base.url.copy_with(path=path, query=url.query)


async def _instagram_id(session: Session) -> str:
    """With Facebook Login, the Instagram account's id, found among the accounts linked
    to the Pages the token manages by its username, and kept."""
    if session.account_id is not None:
        return session.account_id
    fields = "instagram_business_account{id,username}"
    found = await session.call(Call(session.url("me/accounts", fields=fields, limit=100)))
    for page in _list((found.document or {}).get("data")):
        account = dig(page, "instagram_business_account")
        username, account_id = dig(account, "username"), dig(account, "id")
        if not isinstance(username, str) or username.casefold() != session.handle.casefold():
            continue
        if isinstance(account_id, str) and _ID.fullmatch(account_id):
            session.account_id = account_id
            return account_id
    raise ApiFailure(
        f"no Page that the token in {session.variable} manages has the Instagram account "
        f"@{session.handle} linked to it: link it to the Page, or give the token that Page"
    )


def _check_owner(session: Session, posts: list[Any]) -> None:
    """An Instagram or Threads token reads its own account: it must be this one.

    A collaboration or a repost may carry another username; a read in which
    no post carries the account's own, and some carry another's, is another
    account's.
    """
    names = [post.get("username") for post in posts if isinstance(post, dict)]
    found = Counter(name for name in names if isinstance(name, str) and name)
    if not found or session.handle.casefold() in {name.casefold() for name in found}:
        return
    username = found.most_common(1)[0][0]
    other = f"@{username}'s" if _USERNAME.fullmatch(username) else "another account's"
    raise ApiFailure(
        f"the token in {session.variable} is {other}, not @{session.handle}'s: "
        "give each account a token of its own"
    )


# -- X ----------------------------------------------------------------------------------


async def read_x(session: Session) -> Answer:
    if session.account_id is None:
        looked_up = await session.call(
            Call(session.url(f"users/by/username/{quote(session.handle, safe='')}"))
        )
        found = dig(looked_up.document, "data", "id")
        if not isinstance(found, str) or not _ID.fullmatch(found):
            raise ApiFailure(f"the X API knows no account @{session.handle}: check handle:")
        session.account_id = found
    params: dict[str, str | int] = {"max_results": max(5, min(X_PAGE, session.max_entries))}
    params.update(X_FIELDS)
    since = session.cursor if session.cursor and _ID.fullmatch(session.cursor) else None
    now = datetime.now(UTC)
    if session.full_read is None or now - session.full_read >= FULL_READ_EVERY:
        since = None  # read whole once a day: a post deleted on X is then withdrawn here
    if since:
        params["since_id"] = since
    else:
        session.full_read = now
    first = Call(session.url(f"users/{session.account_id}/tweets", **params))

    def data(page: Page) -> list[Any]:
        return _list((page.document or {}).get("data"))

    def follow(page: Page, items: list[Any]) -> Call | None:
        token = dig(page.document, "meta", "next_token")
        if not data(page) or len(items) >= session.max_entries or not isinstance(token, str):
            return None
        if not _NEXT_TOKEN.fullmatch(token):
            return None
        return Call(first.url.copy_set_param("pagination_token", token))

    pages = await paginate(session, first, data, follow)
    document = pages[0].document
    if document is None or not ({"data", "meta", "errors"} & document.keys()):
        return pages[0].body
    merged = _merge_x([page.document for page in pages if page.document is not None])
    ids = [int(post["id"]) for post in merged.get("data", []) if _numeric_id(post)]
    if ids:
        session.cursor = str(max([*ids, int(since or 0)]))
    return merged


def _numeric_id(post: object) -> bool:
    found = post.get("id") if isinstance(post, dict) else None
    return isinstance(found, str) and _ID.fullmatch(found) is not None


def _merge_x(documents: list[dict[str, Any]]) -> dict[str, Any]:
    posts: list[Any] = []
    includes: dict[str, list[Any]] = {}
    seen: set[tuple[str, str]] = set()
    for document in documents:
        posts.extend(_list(document.get("data")))
        more = document.get("includes")
        for kind, values in more.items() if isinstance(more, dict) else ():
            for value in _list(values):
                key = (kind, str(dig(value, "id") or dig(value, "media_key") or value))
                if key not in seen:
                    seen.add(key)
                    includes.setdefault(str(kind), []).append(value)
    merged: dict[str, Any] = {"meta": {"result_count": len(posts)}}
    if posts:
        merged["data"] = posts
    elif "errors" in documents[0]:
        merged["errors"] = documents[0]["errors"]
    if includes:
        merged["includes"] = includes
    return merged


# -- TikTok -----------------------------------------------------------------------------


async def read_tiktok(session: Session) -> Answer:
    url = session.url("video/list/", fields=TIKTOK_FIELDS)
    first = Call(url, {"max_count": TIKTOK_PAGE})

    def data(page: Page) -> list[Any]:
        return _list(dig(page.document, "data", "videos"))

    def follow(page: Page, items: list[Any]) -> Call | None:
        videos = data(page)
        times = [_from_unix(dig(video, "create_time")) for video in videos]
        cursor = dig(page.document, "data", "cursor")
        if not videos or dig(page.document, "data", "has_more") is not True:
            return None
        if len(items) >= session.max_entries or not _all_newer(times, session.newest):
            return None
        if not isinstance(cursor, int) or isinstance(cursor, bool) or cursor < 0:
            return None
        return Call(url, {"max_count": TIKTOK_PAGE, "cursor": cursor})

    pages = await paginate(session, first, data, follow)
    if pages[0].document is None or not isinstance(pages[0].document.get("data"), dict):
        return pages[0].body
    videos = [video for page in pages for video in data(page)]
    return {"data": {"videos": videos}, "error": {"code": "ok", "message": "", "log_id": ""}}


def _from_unix(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e11:
        return None
    return datetime.fromtimestamp(value, UTC)


READS: Mapping[str, Callable[[Session], Awaitable[Answer]]] = {
    "facebook": read_graph,
    "instagram": read_graph,
    "threads": read_graph,
    "x": read_x,
    "tiktok": read_tiktok,
}
"""Platform -> how its accounts are read."""
