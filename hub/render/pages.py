"""Turns the site model into the list of files one build publishes.

This module decides which pages exist (every route in every language) and
which template renders each; :mod:`hub.render.renderer` renders, :mod:`hub.publish.tree`
writes. Nothing here touches the output folder: given a new tree to fill
(a :class:`hub.outputs.files.Sink`), the render processes write their files there.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

from hub import parallel
from hub.model import PAGE_SIZE, Thumbnails
from hub.outputs import accountsjson, archive, calendars, cdn, syndication
from hub.outputs.files import Output, Planned, Sink
from hub.registry import spelling
from hub.render import imagecache, imagesizes, pictures
from hub.render import renderer as render
from hub.render.fragments import Interrupted
from hub.render.i18n import translations
from hub.render.inputs import Ledger, Made, PostPrints, Reuse
from hub.render.renderer import Renderer
from hub.render.theme import Asset, Theme, generated
from hub.site import daypages
from hub.site.model import Post, PostsNotLoaded, SiteModel
from hub.site.urls import Route, Urls, addresses, file_for


@dataclass(frozen=True)
class PageSpec:
    route: Route
    template: str
    context: dict[str, object]


def urls_for(site: SiteModel) -> Urls:
    return Urls({(p.name, p.lang): p.slug for p in site.content.pages}, addresses(site.registry))


def brand_css(site: SiteModel) -> Asset:
    """The registry's colours as CSS custom properties: pages carry no inline style."""
    colors = site.registry.site.colors
    css = f":root{{--brand-primary:{colors.primary};--brand-accent:{colors.accent}}}\n"
    return generated("brand.css", css.encode())


def registry_pictures(site: SiteModel, theme: Theme) -> pictures.Gallery:
    """The logo and the units' and officers' photos at the theme's sizes (not made yet)."""
    return pictures.plan(pictures.registry_sources(site), imagesizes.load(theme))


def pages(site: SiteModel, lang: str) -> Iterator[PageSpec]:
    """Every page of one language."""
    older = daypages.after_home(site)
    yield PageSpec(
        Route("home"),
        "home.html",
        # number and pages: for themes made when the home page had numbered pages.
        {
            "posts": site.river[:PAGE_SIZE],
            "older": older.isoformat() if older else None,
            "number": 1,
            "pages": 1,
        },
    )
    for day in site.days:
        yield PageSpec(Route("day", day.key), "day.html", {"day": day, "posts": day.posts})
    yield PageSpec(Route("appeals"), "appeals.html", {})
    yield from directory_pages(site, lang)
    for officer in site.officers.values():
        yield PageSpec(Route("officer", officer.id), "officer.html", {"officer": officer})
    for unit in site.units.values():
        yield PageSpec(Route("unit", unit.id), "unit.html", {"unit": unit})


def directory_pages(site: SiteModel, lang: str) -> Iterator[PageSpec]:
    """The pages of one language that list accounts, not posts (in the default theme)."""
    yield PageSpec(Route("connect"), "connect.html", {})
    links = calendars.calendar_links(site, lang, translations(lang).gettext)
    yield PageSpec(Route("events"), "events.html", {"calendars": links})
    if site.former:
        yield PageSpec(Route("former"), "former.html", {})
    records = accountsjson.records(site)
    verify = {"groups": accountsjson.by_platform(site, records), "rules": spelling.rules_json()}
    yield PageSpec(Route("verify"), "verify.html", verify)
    yield PageSpec(Route("search"), "search.html", {})
    for key in site.platforms:
        yield PageSpec(Route("platform", key), "filter.html", {"filter": "platform", "value": key})
    for topic in site.topics:
        yield PageSpec(Route("topic", topic), "filter.html", {"filter": "topic", "value": topic})
    for page in site.content.pages_in(lang):
        yield PageSpec(Route("page", page.name), "page.html", {"page": page})


@dataclass(frozen=True)
class Parts:
    """What every renderer of a site needs besides its model."""

    assets: dict[str, Asset]
    """The theme's files and the generated stylesheet, with their hashed names."""
    gallery: pictures.Gallery
    """Registry images (the logo, photos) at the theme's sizes: :func:`registry_pictures`."""
    urls: Urls
    icons: dict[str, str] = field(default_factory=dict)
    """The same -> the published path of each one's first size: the feeds' icon."""


def parts_of(site: SiteModel, theme: Theme) -> Parts:
    """Hashes the theme's files and the registry's images: worked out once a build."""
    assets: dict[str, Asset] = theme.assets()
    brand = brand_css(site)
    assets[brand.name] = brand
    gallery = registry_pictures(site, theme)
    return Parts(assets, gallery, urls_for(site), gallery.icons())


class Kept(NamedTuple):
    """A file of the previous site that stands as it is, already in the new tree."""

    path: str
    planned: Planned


Item = syndication.File | Kept
"""A file rendered, or kept from the previous site."""


@dataclass
class Incremental:
    """One render process's pages and feeds: each rendered, or the previous one kept.

    Without a ``reuse`` (no new tree to keep files in), everything is rendered.
    """

    renderer: Renderer
    stage: Sink | None = None
    reuse: Reuse | None = None
    kept: list[Kept] = field(default_factory=list)
    """Feeds and archive pages kept (:meth:`keep_feed`, :meth:`keep_archive`), for the
    process to hand on."""

    def page(self, spec: PageSpec, lang: str, path: str) -> Item:
        name = file_for(path)
        source = f"{spec.template} ({path})"

        def make() -> syndication.File:
            text = self.renderer.render(spec.template, lang, spec.route, **spec.context)
            return name, text.encode(), source

        return self._made(name, source, (spec.template, lang, spec.context), make)

    def languageless(self, path: str) -> Item:
        default = self.renderer.site.registry.site.default_language
        template = _LANGUAGELESS[path]

        def make() -> syndication.File:
            return path, self.renderer.render(template, default, None).encode(), template

        return self._made(path, template, (template, default), make)

    def keep_feed(self, link: syndication.FeedLink, posts: tuple[Post, ...]) -> bool:
        """Whether the previous site's files of this feed stand (``feed_files``'s ``keep``)."""
        atom, json = link.atom.lstrip("/"), link.json.lstrip("/")
        return self._kept_together([atom, json], ("feed", atom, json, posts), "the feed")

    def keep_archive(self, paths: list[str], posts: list[Post]) -> bool:
        """Whether the previous site's pages of a profile's archive stand (``archive_files``'s
        ``keep``): the profile's posts are those they were made from."""
        return self._kept_together(paths, ("archive", paths, posts), "the archive page")

    def _kept_together(self, paths: list[str], own: tuple[object, ...], what: str) -> bool:
        """Keep the previous site's ``paths``, made together from ``own`` and recorded
        under the first, when none of it changed and every one is there; else record
        that they are to be made again, and why."""
        if self.reuse is None or self.stage is None:
            return False
        mine = self.reuse.own(*own)
        reason = self.reuse.ledger.stale(paths[0], mine, self.reuse.current)
        if reason is None:
            if all(self.stage.has(path) for path in paths):
                for path in paths:
                    kept = self.stage.keep(path, f"{what} {path}, unchanged")
                    assert kept is not None
                    self.kept.append(Kept(path, kept))
                return True
            reason = self.reuse.ledger.missing(paths[0])
        self.reuse.record(paths[0], mine, (), reason)
        return False

    def _made(
        self, path: str, source: str, own: tuple[object, ...], make: Callable[[], syndication.File]
    ) -> Item:
        reuse, stage = self.reuse, self.stage
        if reuse is None or stage is None:
            return make()
        mine = reuse.own(path, *own)
        reason = reuse.ledger.stale(path, mine, reuse.current)
        if reason is None:
            kept = stage.keep(path, source)
            if kept is not None:
                return Kept(path, kept)
            reason = reuse.ledger.missing(path)
        self.renderer.watched.taken()
        made = make()
        reuse.record(path, mine, self.renderer.watched.taken(), reason)
        return made

    def handed_on(self) -> tuple[dict[str, Made], dict[str, dict[str, int]]]:
        """What this process made and why, for the build's ledger."""
        if self.reuse is None:
            return {}, {}
        return self.reuse.ledger.made, self.reuse.ledger.reasons


_LANGUAGELESS = {"index.html": "root.html", "404.html": "404.html"}
"""The pages of no language, by path: the root (which picks one) and the 404 page."""


Share = tuple[list[tuple[str, Planned]], dict[str, Made], dict[str, dict[str, int]]]
"""What one render process made: its files, and the ledger's part."""


def _pictures(site: SiteModel, thumbs: Mapping[str, pictures.Picture]) -> list[str]:
    """The published copies of the posts' pictures: each post's first image that has one.

    Worked out from the posts, not from the pages rendered, so that the
    pages an incremental build keeps still find theirs.
    """
    found = {
        path
        for post in site.posts
        if post.entry.media and (thumb := thumbs.get(post.entry.media[0].url)) is not None
        for path in thumb.paths
    }
    return sorted(found)


@dataclass(frozen=True)
class Ahead:
    """What :func:`ahead_of_posts` rendered."""

    files: list[tuple[str, Planned]]
    fragments: dict[str, dict[Hashable, str]]
    """The pieces its pages cached (``{% cache %}``), for the other pages to reuse."""
    parts: Parts
    """The same for every model of the site: the other pages need not work them out."""
    compiled: dict[tuple[str, str], bytes]
    """The theme's templates, compiled (:func:`hub.render.renderer.compiled_templates`)."""
    made: Mapping[str, Made] = field(default_factory=dict)
    """What its files were made from, for the build's :class:`~hub.render.inputs.Ledger`."""
    reasons: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def ahead_of_posts(
    directory: SiteModel,
    theme: Theme,
    stage: Sink | None = None,
    *,
    enough: Callable[[], bool] = lambda: False,
    ledger: Ledger | None = None,
) -> Ahead:
    """The pages that list accounts, rendered before the posts are loaded.

    ``directory`` is the model without posts (:func:`hub.site.model.directory`):
    a build renders these pages in a forked process while it reads the
    entries, then hands them to :func:`collect`, which renders the rest.
    Once ``enough()`` is true (the posts are ready), no other page is
    started, and the one under way stops at its next ``{% cache %}`` piece
    not yet rendered or its next macro call: it is left to :func:`collect`,
    with the pieces it did render. A page whose template looks at posts after all (a theme may
    show them anywhere) is left to :func:`collect` too. With time to spare,
    it compiles the theme's other templates, for the build to adopt
    (:func:`hub.render.renderer.adopt_templates`) rather than compile them itself.
    """
    parts = parts_of(directory, theme)
    urls, media = parts.urls, parts.icons
    # No feed images: only posts show them. Once the posts are ready, the page
    # under way stops at its next piece not yet rendered (and is left to collect).
    renderer = Renderer(directory, theme, urls, parts.assets, parts.gallery.pictures, stop=enough)
    reuse = None if ledger is None else Reuse(ledger.fresh(), directory, PostPrints({}))
    making = Incremental(renderer, stage, reuse)
    makers: list[Callable[[], Item]] = [
        partial(making.page, spec, lang, urls.path(spec.route, lang))
        for lang in directory.registry.site.languages
        for spec in directory_pages(directory, lang)
    ]
    makers += [partial(making.languageless, path) for path in _LANGUAGELESS]
    makers += [
        partial(syndication.opml_file, directory, urls, media, translations, lang)
        for lang in (None, *directory.registry.site.languages)
    ]

    def files() -> Iterator[Item]:
        for make in makers:
            if enough():
                return
            try:
                yield make()
            except PostsNotLoaded:
                continue
            except Interrupted:
                return

    placed = _placed(files(), stage)
    render.compile_templates(theme, enough=enough)
    made, reasons = making.handed_on()
    compiled = render.compiled_templates()
    return Ahead(placed, renderer.fragments(), parts, compiled, made, reasons)


def _placed(files: Iterable[Item], stage: Sink | None) -> list[tuple[str, Planned]]:
    """Each file as planned: written into ``stage`` now (or kept there from the
    previous site), or without a stage kept in memory."""
    placed: list[tuple[str, Planned]] = []
    for item in files:
        if isinstance(item, Kept):
            placed.append((item.path, item.planned))
            continue
        path, data, source = item
        planned = Planned(source, data=data)
        placed.append((path, planned if stage is None else stage.put(path, planned)))
    return placed


def collect(
    site: SiteModel,
    theme: Theme,
    thumbnails: Thumbnails | None = None,
    *,
    workers: int = 1,
    stage: Sink | None = None,
    ahead: Ahead | None = None,
    ledger: Ledger | None = None,
    cache: Path | None = None,
) -> Output:
    """Every file of the site, rendered.

    ``thumbnails`` are the feed images saved in the cache (``hub.store.media.stored``);
    without them, posts show no pictures. The pages and feeds are rendered in
    ``workers`` processes (:mod:`hub.parallel`). With two processes and two
    languages, each renders the pages of one language (what a language's pages
    share is then rendered once); then both write feeds in turns until none
    are left. A profile's feeds in all languages come in one turn, so one
    process writes each post's entry once.

    Pages and feeds stay in memory, or with a ``stage`` each process writes
    its own into the new tree as it renders them: the returned Output then
    holds them as already written (``Planned.staged``), to be checked against
    each other and swapped in by :meth:`~hub.publish.tree.Stage.finish`.

    ``ahead`` is what :func:`ahead_of_posts` rendered: its files are planned
    as they are, not rendered again, and its cached pieces and its
    :class:`Parts` are reused.

    With a ``ledger`` and a ``stage``, a page or feed whose inputs are those
    it was made from last time is not rendered: the previous site's file is
    kept (:mod:`hub.render.inputs`). The ledger is filled with what every
    file of this build was made from, and why each rendered one was.

    Images are published re-encoded at the theme's sizes (:mod:`hub.render.pictures`),
    made into ``cache`` (the build's cache folder) once and taken from there
    after (:mod:`hub.render.imagecache`); without one, they are made in memory.
    """
    parts = ahead.parts if ahead is not None else parts_of(site, theme)
    assets, media, urls = parts.assets, parts.icons, parts.urls
    sizes = imagesizes.load(theme)
    # The open appeals' photos only: a resolved appeal's is not published.
    gallery = pictures.plan(pictures.appeal_sources(site), sizes, onto=parts.gallery)
    made = imagecache.make(gallery, gallery.jobs, cache, workers)
    # Made before the pages, so that a feed's copy that cannot be read after all
    # leaves its post without a picture, rather than a page without its file.
    thumbs = pictures.plan(pictures.thumb_sources(thumbnails), sizes)
    shown = _pictures(site, thumbs.pictures)
    made_thumbs = imagecache.make(thumbs, shown, cache, workers, strict=False)
    # What the cache holds of images no page can show any more goes.
    imagecache.prune(cache, [gallery, thumbs])
    thumbs = thumbs.without(made_thumbs.failed)
    # Feeds point at the site's own copies: of the logo, and of the pictures the posts'
    # pages show, which alone are published (not those of posts merged into others).
    published = set(shown)
    media = {**media, **{url: path for url, path in thumbs.icons().items() if path in published}}
    renderer = Renderer(site, theme, urls, assets, gallery.pictures, thumbs.pictures)
    output = Output()
    done: set[str] = set()
    if ahead is not None:
        for path, planned in ahead.files:
            output.plan(path, planned)
            done.add(path)
        if ledger is not None:
            ledger.merge(ahead.made, ahead.reasons)
        # Before the render processes fork, so that both inherit them.
        renderer.reuse(ahead.fragments)
    for asset in assets.values():
        if asset.data is not None:
            output.add(asset.path, asset.data, source=f"generated {asset.name}")
        elif asset.source is not None:
            output.add_file(asset.path, asset.source, source=f"theme file {asset.source}")
    imagecache.publish(output, gallery, gallery.jobs, made)
    languages = site.registry.site.languages

    def share_files(index: int, parts: int, making: Incremental) -> Iterator[Item]:
        """The ``index``-th of ``parts`` shares of the pages, then feeds in turns.

        The first share also renders the root and 404 pages, the OPML list
        (unless they came ahead) and the sitemap; every share then writes
        feeds, a turn at a time, until none are left.
        """
        for number, lang in enumerate(languages):
            # Page n of the number-th language falls to share (number + n * L) % parts:
            # with as many shares as languages, each share renders one language
            # whole, and what a language's pages have in common (cards, a post's
            # author and links, dates) is rendered by one process only.
            for n, spec in enumerate(pages(site, lang)):
                if (number + n * len(languages)) % parts != index:
                    continue
                path = urls.path(spec.route, lang)
                if file_for(path) not in done:
                    yield making.page(spec, lang, path)
        # The pages of no language, where the templates are already compiled.
        if index == 0:
            for path in _LANGUAGELESS:
                if path not in done:
                    yield making.languageless(path)
            # Where the home page's numbered pages were: kept, sending readers on.
            for lang in languages:
                for number in daypages.OLD_PAGES:
                    spec = PageSpec(Route("home", number=number), "moved.html", {})
                    yield making.page(spec, lang, urls.path(spec.route, lang))
            for lang in (None, *languages):
                if syndication.opml_path(lang).lstrip("/") not in done:
                    yield syndication.opml_file(site, urls, media, translations, lang)
            routes = {lang: [spec.route for spec in pages(site, lang)] for lang in languages}
            yield from cdn.crawler_files(site, urls, routes)
            yield accountsjson.accounts_file(site, urls)
            yield from calendars.calendar_files(site, urls, translations)
            yield archive.index_file(site)
        yield from syndication.feed_files(
            site, urls, media, translations, turns.take, keep=making.keep_feed
        )
        # Then the archive's pages, in turns of their own.
        yield from archive.archive_files(
            site, urls, media, translations, archives.take, keep=making.keep_archive
        )
        yield from making.kept

    def render_share(part: tuple[int, int]) -> Share:
        """A share's files, each written into the stage as soon as it is rendered."""
        reuse = None if ledger is None else Reuse(ledger.fresh(), site, prints)
        making = Incremental(renderer, stage, reuse)
        return _placed(share_files(*part, making), stage), *making.handed_on()

    # The feeds go in turns: a process done with its pages writes feeds until none are left.
    turns = parallel.Turns(workers)
    archives = parallel.Turns(workers)
    prints = PostPrints(renderer.thumbs)
    parts = [(index, workers) for index in range(max(1, workers))]
    for files, made, reasons in parallel.run(render_share, parts, workers):
        for path, planned in files:
            output.plan(path, planned)
        if ledger is not None:
            ledger.merge(made, reasons)
    imagecache.publish(output, thumbs, _pictures(site, thumbs.pictures), made_thumbs)
    # Last: _headers gives a cache lifetime and a policy to every file added above.
    cdn.add_headers(output, cdn.search_folders(urls, languages))
    return output
