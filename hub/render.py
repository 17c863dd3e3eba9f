"""Jinja2 environment, filters and translations: page text from the site model.

Pure: takes the model and returns strings. Autoescape is on and undefined
names are errors. Feed text reaches templates as plain strings and is escaped;
the only HTML marked safe is what passed the sanitizer, and the helpers here
that build markup escape everything they are given.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from hub import platforms
from hub.model import Text
from hub.site import Profile, SiteModel
from hub.theme import Asset, Theme
from hub.urls import Route, Urls

LOCALE_DIR = Path(__file__).with_name("locale")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang``, compiled from its .po file in memory."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def primary(lang: str | None) -> str | None:
    """``fr-ca`` -> ``fr``: what a page's ``lang`` is compared with."""
    return lang.split("-")[0].lower() if lang else None


class Renderer:
    """Renders templates for one site, in each of its languages."""

    def __init__(
        self,
        site: SiteModel,
        theme: Theme,
        urls: Urls,
        assets: Mapping[str, Asset],
        media: Mapping[str, str],
    ) -> None:
        self.site = site
        self.urls = urls
        self.assets = assets
        self.media = media
        """Registry-relative image path (photos, logo) -> published path."""
        self.zone = ZoneInfo(site.registry.site.timezone)
        self._envs: dict[str, Environment] = {}
        self._loader = FileSystemLoader([str(f) for f in theme.template_folders])

    def env(self, lang: str) -> Environment:
        env = self._envs.get(lang)
        if env is None:
            env = Environment(
                loader=self._loader,
                autoescape=select_autoescape(default=True, default_for_string=True),
                undefined=StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
            env.globals.update(self._globals(lang))
            self._envs[lang] = env
        return env

    def render(self, template: str, lang: str, route: Route | None, **context: Any) -> str:
        return self.env(lang).get_template(template).render(route=route, **context)

    def _globals(self, lang: str) -> dict[str, Any]:
        reg = self.site.registry
        default = reg.site.default_language

        def url(name: str, key: str = "", number: int = 1, in_lang: str | None = None) -> str:
            return self.urls.path(Route(name, key, number), in_lang or lang)  # type: ignore[arg-type]

        def alternates(route: Route | None) -> list[tuple[str, str]]:
            if route is None:
                return []
            return [
                (code, self.urls.path(route, code))
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
            return "/" + self.assets[name].path

        def image(path: str | None) -> str | None:
            return "/" + self.media[path] if path and path in self.media else None

        def local(moment: datetime) -> datetime:
            return moment.astimezone(self.zone)

        def date(moment: datetime | None, fmt: str = "long") -> str:
            return format_date(local(moment), fmt, locale=lang) if moment else ""

        def datetime_(moment: datetime | None, fmt: str = "medium") -> str:
            if moment is None:
                return ""
            return format_datetime(moment, fmt, tzinfo=self.zone, locale=lang)

        def ago(moment: datetime | None) -> str:
            if moment is None:
                return ""
            return format_timedelta(
                moment - self.site.built_at, add_direction=True, threshold=1.0, locale=lang
            )

        def profile_url(profile: Profile) -> str:
            kind = "unit" if hasattr(profile, "kind") else "officer"
            return url(kind, profile.id)

        return {
            "site": self.site,
            "reg": reg,
            "lang": lang,
            "default_lang": default,
            "languages": reg.site.languages,
            "url": url,
            "alternates": alternates,
            "t": t,
            "tx": tx,
            "in_language": in_language,
            "lang_attr": lang_attr,
            "asset": asset,
            "image": image,
            "date": date,
            "datetime": datetime_,
            "ago": ago,
            "iso": lambda moment: moment.isoformat() if moment else "",
            "platform": platforms.BY_KEY.__getitem__,
            "profile": self.site.profile,
            "profile_url": profile_url,
            "is_unit": lambda p: hasattr(p, "kind"),
        }
