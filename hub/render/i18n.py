"""The interface's words in each language: message catalogs, names of languages and topics.

Catalogs are the gettext ``.po`` files under ``hub/locale/``, compiled in
memory when first asked for. :func:`extract_labels` is the Babel extractor
(mapped in ``babel.cfg``) for words a page shows that no template holds.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from hub.registry import platforms

LOCALE_DIR = Path(__file__).parents[1] / "locale"


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


@cache
def message_ids() -> frozenset[str]:
    """Every message the packaged catalogs hold (the English one holds them all)."""
    po = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        return frozenset(m.id for m in read_po(handle) if isinstance(m.id, str))


@cache
def language_name(code: str, in_lang: str | None = None) -> str:
    """A language's name: in its own language ("Français") or in ``in_lang`` ("anglais")."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_lang or code)
    except (ValueError, UnknownLocaleError):
        return code
    if not name:
        return code
    return name[:1].upper() + name[1:] if in_lang is None else name


def topic_message(topic: str) -> str:
    """The catalog message for a topic key: ``road-safety`` -> ``Road safety``."""
    words = topic.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def extract_labels(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor for text shown on pages that is not written in a template.

    Mapped in babel.cfg: for ``hub/registry/platforms.py`` it yields the platform labels;
    for a registry (``sources.yaml``) it yields its topics, as the page shows them.
    """
    name = getattr(fileobj, "name", "")
    if str(name).endswith(".py"):
        for platform in platforms.PLATFORMS:
            yield 0, None, platform.label, ["A platform's name."]
        return
    data = yaml.safe_load(fileobj)
    if not isinstance(data, dict):
        return
    topics: set[str] = set()
    for group in ("units", "officers"):
        for item in data.get(group) or ():
            if isinstance(item, dict):
                topics.update(str(t) for t in item.get("topics") or ())
    for topic in sorted(topics):
        yield 0, None, topic_message(topic), [f"The topic '{topic}'."]
