"""Jinja2 environment, filters and translations: page text from the site model.

Pure: takes the model and returns strings. Autoescape is on and undefined
names are errors. Feed text reaches templates as plain strings and is escaped;
the only HTML marked safe is what passed the sanitizer, and the helpers here
that build markup escape everything they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime
from datetime import date as Date
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    Environment,
    FileSystemLoader,
    TemplateError,
    TemplateSyntaxError,
)
from markupsafe import Markup, escape

from hub.model import Account, Text, Unit, profile_name
from hub.outputs import cdn, syndication
from hub.problems import HubError
from hub.registry import platforms
from hub.render import fastpath, jinjaenv
from hub.render.accounts import by_profile, handle_text, public_feeds
from hub.render.avatars import Avatar, avatars
from hub.render.dates import DateFormats
from hub.render.i18n import language_name, message_ids, topic_message, translations
from hub.render.inputs import WatchedSite
from hub.render.jinjaenv import CompiledCode
from hub.render.pictures import Picture
from hub.render.theme import Asset, Theme
from hub.site.model import Post, Profile, SiteModel
from hub.site.urls import Route, Urls

_ICON = (
    '<svg class="icon" aria-hidden="true" focusable="false" width="20" height="20">'
    '<use href="{}#{}"></use></svg>'
)


def primary(lang: str | None) -> str | None:
    """``fr-ca`` -> ``fr``: what a page's ``lang`` is compared with."""
    return lang.split("-")[0].lower() if lang else None


class TemplateProblem(HubError):
    """A theme's template that does not compile or render: where, what, on which page."""

    @classmethod
    def of(cls, err: Exception, page: str) -> TemplateProblem:
        """``FILE:LINE: MESSAGE (rendering PAGE)``, with ``where`` set to ``FILE:LINE``.

        The message is the only argument and ``where`` an attribute, so that
        the error pickles whole: render processes raise it in this process.
        """
        where = _where(err)
        if isinstance(err, TemplateError):
            said = err.message or type(err).__name__
        else:  # the template's own code failed: {{ 1/0 }}, a macro that calls itself
            said = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        problem = cls(f"{where or 'in a template'}: {said} (rendering {page})")
        problem.where = where
        return problem


_THEME_FAULTS = (TemplateError, ArithmeticError, LookupError, TypeError, ValueError, RecursionError)
"""What a template's own code may raise as it renders: the theme's fault, shown at its line."""


def _where(err: Exception) -> str:
    """``file:line`` in the template at fault, as Jinja's traceback shows it; else empty."""
    if isinstance(err, TemplateSyntaxError):
        return f"{err.filename or err.name}:{err.lineno}"
    found = ""
    tb = err.__traceback__
    while tb is not None:  # the innermost template frame is the one at fault
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _plain(key: object) -> bool:
    if isinstance(key, tuple):
        return all(_plain(part) for part in key)
    return key is None or isinstance(key, str | int | float)


def _fragments(env: Environment) -> dict[Hashable, Markup]:
    pieces: dict[Hashable, Markup] = env.fragments  # type: ignore[attr-defined]
    return pieces


_COMPILED = CompiledCode()
"""Every renderer's templates, compiled once per process (and inherited by forks)."""


def _loader(theme: Theme) -> FileSystemLoader:
    """Templates from the theme's folders, the theme's own before those it extends."""
    return FileSystemLoader([str(f) for f in theme.template_folders])


def _environment(loader: FileSystemLoader) -> Environment:
    """An environment without a language; every one has the same settings."""
    # Ours, with jinjaenv.SETTINGS; Jinja's own where ours failed its start-up check.
    env = fastpath.environment(loader=loader, bytecode_cache=_COMPILED)
    # Compiled code depends on the gettext style (not on the catalog).
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def compile_templates(theme: Theme, *, enough: Callable[[], bool] = lambda: False) -> None:
    """Compile every page template of ``theme`` now, for renderers made later.

    A build does it before it forks its render processes, so that no process
    compiles a template again. It stops once ``enough()`` is true, leaving
    the rest for later. A template that does not compile is left for the
    page that uses it to report, with that page named.
    """
    env = _environment(_loader(theme))
    for name in env.list_templates(extensions=["html"]):
        if enough():
            return
        with suppress(TemplateError):
            env.get_template(name)


def compiled_templates() -> dict[tuple[str, str], bytes]:
    """The templates compiled in this process, for another to :func:`adopt_templates`."""
    return _COMPILED.export()


def adopt_templates(compiled: Mapping[tuple[str, str], bytes]) -> None:
    """Templates another process compiled (:func:`compiled_templates`): not compiled here."""
    _COMPILED.adopt(compiled)


class Renderer:
    """Renders templates for one site, in each of its languages."""

    def __init__(
        self,
        site: SiteModel,
        theme: Theme,
        urls: Urls,
        assets: Mapping[str, Asset],
        media: Mapping[str, Picture],
        thumbs: Mapping[str, Picture] | None = None,
        *,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        """Once ``stop()`` is true, a render raises :class:`hub.render.jinjaenv.Interrupted`
        at the first ``{% cache %}`` piece it would have to render or macro it
        calls (the pieces rendered so far are kept: see :meth:`fragments`)."""
        self.site = site
        self.watched = WatchedSite(site)
        """The model as the templates see it: notes the posts each page takes."""
        self._stop = stop
        self.urls = urls
        self.assets = assets
        self.media = media
        """Registry-relative image path (photos, logo, appeal photos) -> its picture."""
        self.thumbs = thumbs or {}
        """Feed image URL -> its copy in the site (see ``hub.feeds.images``)."""
        self.zone = ZoneInfo(site.registry.site.timezone)
        self._envs: dict[str, Environment] = {}
        self._loader = _loader(theme)

    def env(self, lang: str) -> Environment:
        env = self._envs.get(lang)
        if env is None:
            env = _environment(self._loader)
            if self._stop is not None:
                env.stop_rendering = self._stop  # type: ignore[attr-defined]
            catalog = translations(lang)
            jinjaenv.install_translations(env, catalog)
            env.globals.update(self._globals(lang))
            self._envs[lang] = env
        return env

    def render(self, template: str, lang: str, route: Route | None, **context: Any) -> str:
        # The page's own policy: the search pages' allows what Pagefind needs.
        context.setdefault("csp", cdn.page_policy(route, meta=True))
        try:
            return self.env(lang).get_template(template).render(route=route, **context)
        except _THEME_FAULTS as err:
            page = self.urls.path(route, lang) if route is not None else template
            # A recursion's chain of frames is long, and of use to nobody.
            raise TemplateProblem.of(err, page) from (
                None if isinstance(err, RecursionError) else err
            )

    def fragments(self) -> dict[str, dict[Hashable, str]]:
        """The pieces ``{% cache %}`` kept so far (:mod:`hub.render.fragments`), per language.

        Only those whose keys are plain values (text, numbers, tuples of them),
        which can go to another process whatever a theme keys its pieces by.
        """
        return {
            lang: {key: str(html) for key, html in _fragments(env).items() if _plain(key)}
            for lang, env in self._envs.items()
        }

    def reuse(self, fragments: Mapping[str, Mapping[Hashable, str]]) -> None:
        """Start from the pieces another renderer of this site kept.

        A piece shows nothing its key does not name, so one rendered for any
        page, by any renderer of the same registry and content, fits all.
        """
        for lang, pieces in fragments.items():
            _fragments(self.env(lang)).update((key, Markup(html)) for key, html in pieces.items())

    def _globals(self, lang: str) -> dict[str, Any]:
        reg = self.site.registry
        default = reg.site.default_language
        # Under a path (https://org.github.io/hub/), every link starts with it.
        prefix = reg.site.base_path
        origin = reg.site.url.removesuffix(prefix)

        def link(path: str) -> str:
            """A path of the site (``/en/``, ``/static/...``) as a page links to it."""
            return prefix + path

        def absolute(href: str) -> str:
            """What :func:`link` (or ``url``, ``asset``...) gave, as a full URL."""
            return origin + href

        def url(name: str, key: str = "", number: int = 1, in_lang: str | None = None) -> str:
            return link(self.urls.path(Route(name, key, number), in_lang or lang))  # type: ignore[arg-type]

        def alternates(route: Route | None) -> list[tuple[str, str]]:
            if route is None:
                return []
            return [
                (code, link(self.urls.path(route, code)))
                for code in reg.site.languages
                if self.urls.has(route, code)
            ]

        def tx(text: Text | None) -> str:
            return text.get(lang, default) if text is not None else ""

        def t(text: Text | None) -> Markup:
            """Escaped text, marked with its language where it is not the page's."""
            if text is None:
                return Markup("")
            value, value_lang = text.pick(lang, default)
            return in_language(value, value_lang)

        def in_language(value: str, value_lang: str | None) -> Markup:
            if value_lang is None or primary(value_lang) == lang:
                return escape(value)
            return Markup('<span lang="{}">{}</span>').format(value_lang, value)

        def lang_attr(value_lang: str | None) -> Markup:
            if value_lang is None or primary(value_lang) == lang:
                return Markup("")
            return Markup(' lang="{}"').format(value_lang)

        def asset(name: str) -> str:
            return link("/" + self.assets[name].path)

        icons: dict[str, Markup] = {}

        def icon(name: str) -> Markup:
            """An icon of the sprite, decorative: the text beside it says what it is."""
            found = icons.get(name)
            if found is None:
                found = icons[name] = Markup(_ICON).format(asset("icons.svg"), name)
            return found

        def plain_name(profile: Profile) -> str:
            """A profile's name as plain text: "Sgt Jack West", or the unit's name."""
            return profile_name(profile, lang, default)

        def name(profile: Profile) -> Markup:
            """A profile's name for a page, in a ``<span lang>`` where it is in another language."""
            if isinstance(profile, Unit):
                return t(profile.name)
            # The rank in the page's language: "S.é.-m. Anneke Visser" on a French page.
            return t(profile.rank) + " " + profile.name if profile.rank else escape(profile.name)

        def image(path: str | None) -> Picture | None:
            return replace(self.media[path], prefix=prefix) if path and path in self.media else None

        dates = DateFormats(lang, self.zone)

        def iso(moment: datetime | Date | None) -> str:
            """For ``<time datetime>``: in UTC, whole seconds, which HTML accepts."""
            if isinstance(moment, datetime):
                return moment.astimezone(UTC).isoformat(timespec="seconds")
            return moment.isoformat() if moment else ""

        catalog = translations(lang)

        def platform_label(key: str) -> str:
            return catalog.gettext(platforms.BY_KEY[key].label)

        def via(account: Account) -> Markup:
            """What a post came through: the account's label (in a ``<span lang>`` where
            it is in another language), else its platform's name."""
            return t(account.label) if account.label else escape(platform_label(account.platform))

        topics = self.site.registry.site.topics

        def topic_text(topic: str) -> tuple[str, str | None]:
            """A topic's name on this page, and the language it is in (None: the page's)."""
            given = topics.get(topic)
            if given is not None:
                return given.pick(lang, default)
            message = topic_message(topic)
            if message in message_ids():
                return catalog.gettext(message), None
            # A topic the hub does not know: as written, in the registry's language.
            return message, None if lang == default else default

        def topic_label(topic: str) -> str:
            """A topic's name as plain text, for an attribute or a title."""
            return topic_text(topic)[0]

        def topic_name(topic: str) -> Markup:
            """A topic's name for a page, in a ``<span lang>`` where it is in another language."""
            return in_language(*topic_text(topic))

        def translate(code: str, message: str, **variables: Any) -> Markup:
            """``message`` in language ``code``, for a page that shows two languages."""
            text = escape(translations(code).gettext(message))
            return text % variables if variables else text

        def thumb(post: Post) -> Picture | None:
            """The site's copy of the post's first image, with its alt text; None without one."""
            media = post.entry.media
            found = self.thumbs.get(media[0].url) if media else None
            if found is None:
                return None
            return replace(found, alt=media[0].alt, prefix=prefix)

        links: dict[Route | None, tuple[syndication.FeedLink, ...]] = {}

        def feed_links(route: Route | None) -> tuple[syndication.FeedLink, ...]:
            """This site's feeds of the page at ``route``, for ``<link rel="alternate">``."""
            found = links.get(route)
            if found is None:
                found = links[route] = tuple(
                    replace(feed, page=link(feed.page), atom=link(feed.atom), json=link(feed.json))
                    for feed in syndication.feed_links(self.site, self.urls, route, lang)
                )
            return found

        faces: dict[str, Avatar] = {}

        def initials(profile: Profile) -> Avatar:
            """What a profile without a photo shows: :mod:`hub.render.avatars`."""
            if not faces:
                names = {f"unit:{u.id}": tx(u.name) for u in self.site.units.values()}
                names.update((f"officer:{o.id}", o.name) for o in self.site.officers.values())
                faces.update(avatars(names))
            kind = "unit" if isinstance(profile, Unit) else "officer"
            return faces[f"{kind}:{profile.id}"]

        def profile_url(profile: Profile) -> str:
            kind = "unit" if isinstance(profile, Unit) else "officer"
            return url(kind, profile.id)

        return {
            "site": self.watched,
            "reg": reg,
            "lang": lang,
            "default_lang": default,
            "languages": reg.site.languages,
            "url": url,
            "link": link,
            "absolute": absolute,
            "alternates": alternates,
            "t": t,
            "tx": tx,
            "in_language": in_language,
            "lang_attr": lang_attr,
            "asset": asset,
            "icon": icon,
            "plain_name": plain_name,
            "name": name,
            "image": image,
            "date": dates.date,
            "datetime": dates.datetime,
            "moment": dates.moment,
            # The time of day alone, as dates write it: an event's end on its day.
            "clock": lambda moment: dates.clock(moment.astimezone(self.zone)),
            "iso": iso,
            "platform": platforms.BY_KEY.__getitem__,
            "profile": self.site.profile,
            "profile_url": profile_url,
            "initials": initials,
            "is_unit": lambda p: isinstance(p, Unit),
            "platform_label": platform_label,
            "via": via,
            "topic_label": topic_label,
            "topic_name": topic_name,
            "language_name": language_name,
            "translate": translate,
            "handle": partial(handle_text, names=self.site.channel_names),
            "by_profile": by_profile,
            "thumb": thumb,
            "csp": cdn.META_CSP,
            "feed_links": feed_links,
            "public_feeds": public_feeds,
            "opml_path": link(syndication.opml_path(lang)),
        }
