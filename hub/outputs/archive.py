"""The site's archive: every post of each unit and officer, as JSON Feed pages, and its index.

A profile's feed carries its newest posts, as its page shows them; the store
holds many more (``site.fetch.max_entries`` per feed), and the home page
shows up to a thousand. The archive publishes them all, so that the site
holds its own history: a build whose store was lost (a CI cache evicted)
takes it back from here (:mod:`hub.store.reseed`). Pure: the site model in,
files out, in the default language only (the posts are the same in every
language):

- ``archive/units/<id>/1.json``, ``archive/officers/<id>/1.json``: a JSON
  Feed 1.1 of the profile's posts, newest first, :data:`PAGE_ENTRIES` a page,
  each page's ``next_url`` naming the next (``2.json``...); posts with no date
  too, after the others, as the pages order them, and the cross-posts that the
  pages show as one post ("also posted on"), each under its own account. Every
  item carries the ``_hub`` member (:mod:`hub.feeds.sitearchive`), as in every
  feed of the site;
- ``archive/index.json``: the first page of each archive, and a hash of the
  address of each post a resolved appeal file names (no page shows such a
  post, so no archive has it), for the appeal to stay resolved.

A profile without posts has no archive. The archive follows the posts
exactly: what curation takes off the site, or an appeal's resolution, is not
in it; a build with nothing new writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import count

from hub.feeds.sitearchive import INDEX_PATH, index_json, url_key
from hub.model import Unit
from hub.outputs.feedmodel import Edition, Feed, FeedLink, Person, feed_titles
from hub.outputs.feedwriters import EntryWriter, json_feed
from hub.outputs.syndication import Catalogs, File, edition_for, post_entry
from hub.site.curation import normalize_url
from hub.site.model import Post, Profile, SiteModel
from hub.site.urls import Route, Urls

PAGE_ENTRIES = 200
"""Posts on one page of an archive."""
PROFILES_PER_TURN = 64
"""Archives a process writes each time it takes a turn."""


def archive_path(owner: str, number: int = 1) -> str:
    """Where page ``number`` of ``owner``'s (``unit:<id>``, ``officer:<id>``) archive is."""
    kind, _, key = owner.partition(":")
    return f"archive/{'units' if kind == 'unit' else 'officers'}/{key}/{number}.json"


def archive_files(
    site: SiteModel,
    urls: Urls,
    media: Mapping[str, str],
    catalogs: Catalogs,
    take: Callable[[], int] | None = None,
    keep: Keep | None = None,
) -> Iterator[File]:
    """The archive pages of the turns this call takes, :data:`PROFILES_PER_TURN` profiles
    a turn, until none are left. ``take`` hands out turn numbers, each once among the
    processes writing the archive (:class:`hub.parallel.Turns`); without it, every page.
    ``keep(paths, posts)`` true means the previous build's pages of a profile's
    archive stand as they are (an incremental build): they are not written.
    The index is :func:`index_file`'s."""
    owners = _owners(site)
    take = take or count().__next__
    # What every turn shares, worked out once.
    edition = edition_for(site, urls, media, catalogs, site.registry.site.default_language)
    merged: dict[str, list[Post]] = {}
    for post in site.merged:
        merged.setdefault(post.owner, []).append(post)
    writer = EntryWriter()
    while (start := take() * PROFILES_PER_TURN) < len(owners):
        chunk = owners[start : start + PROFILES_PER_TURN]
        yield from _pages(site, urls, edition, merged, writer, chunk, keep)


Keep = Callable[[list[str], list[Post]], bool]
"""Whether a profile's archive pages (their paths, its posts) stand as the previous build's."""


def index_file(site: SiteModel) -> File:
    """``archive/index.json``: each archive's first page, and the posts of the appeal
    files resolved, by the file or by the post: no page shows those posts."""
    archives = [archive_path(owner) for owner in _owners(site)]
    files = {appeal.id: appeal for appeal in site.content.appeals}
    resolved = [
        post_key(post)
        for appeal in site.appeals.items
        if appeal.resolved is not None and appeal.id in files and (post := files[appeal.id].post)
    ]
    return INDEX_PATH, index_json(archives, resolved), "the archive's index"


def post_key(url: str) -> str:
    """How the archive's index names an appeal's post: by its address, normalized; the
    re-seeding build looks the appeal files' posts up the same way."""
    return url_key(normalize_url(url))


def _owners(site: SiteModel) -> list[str]:
    """The profiles with posts, units first, in registry order."""
    profiles: list[Profile] = [*site.units.values(), *site.officers.values()]
    owners = [f"{'unit' if isinstance(p, Unit) else 'officer'}:{p.id}" for p in profiles]
    return [owner for owner in owners if site.posts_by_owner.get(owner)]


def _pages(
    site: SiteModel,
    urls: Urls,
    edition: Edition,
    merged: Mapping[str, list[Post]],
    writer: EntryWriter,
    owners: list[str],
    keep: Keep | None,
) -> Iterator[File]:
    lang = edition.lang
    author = Person(edition.service, edition.absolute(f"/{lang}/"))
    for owner in owners:
        kind, _, key = owner.partition(":")
        page = urls.path(Route(kind, key), lang)
        first = edition.absolute(f"/{archive_path(owner)}")
        title, subtitle = feed_titles(FeedLink("profile", owner, page, "", first), edition)
        posts = _newest_first([*site.posts_by_owner[owner], *merged.get(owner, ())])
        pages = max(1, -(-len(posts) // PAGE_ENTRIES))
        paths = [archive_path(owner, number) for number in range(1, pages + 1)]
        if keep is not None and keep(paths, posts):
            continue
        for number in range(1, pages + 1):
            chunk = posts[(number - 1) * PAGE_ENTRIES : number * PAGE_ENTRIES]
            following = paths[number] if number < pages else None
            feed = Feed(
                lang=lang,
                title=title,
                subtitle=subtitle,
                atom_url="",
                json_url=first,
                page_url=edition.absolute(page),
                icon=edition.icon,
                author=author,
                entries=tuple(post_entry(post, edition) for post in chunk),
                next_url=edition.absolute(f"/{following}") if following else None,
            )
            path = paths[number - 1]
            yield path, json_feed(feed, writer.json), f"the archive page {path}"


def _newest_first(posts: list[Post]) -> list[Post]:
    """As the pages order posts: newest first, those with no date last."""
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(posts, key=lambda post: post.when or oldest, reverse=True)
