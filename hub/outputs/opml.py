"""The OPML 2.0 list of feeds (http://opml.org/spec2.opml), for feed readers to import.

It lists the accounts' own public feeds, then this site's feeds, each part
grouped by unit, in one language (:mod:`hub.outputs.syndication` asks for the default
one). It carries no date, so a rebuild with nothing new writes the same bytes.
Its text is cleaned and escaped as the feeds' is (:mod:`hub.outputs.feedwriters`), and
accounts are named as the pages name them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hub.model import Account, Unit
from hub.outputs.feedmodel import ON_PLATFORM, Edition, FeedLink, feed_links, feed_titles
from hub.outputs.feedwriters import add, clean, xml_bytes
from hub.registry import platforms
from hub.site.model import Profile
from hub.site.urls import Route

# Translated like the feeds' titles (see hub.outputs.feedmodel).
OPML_TITLE = "%(service)s: every feed"
SOURCES_GROUP = "The accounts' own feeds"
OURS_GROUP = "This site's feeds"
LABELLED = "%(name)s: %(label)s"


def opml(edition: Edition) -> bytes:
    """Every public feed of the accounts, then this site's feeds, grouped by unit."""
    _ = edition.gettext
    service = edition.service
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    add(head, "title", _(OPML_TITLE) % {"service": service})
    add(head, "ownerName", service)
    add(head, "docs", "http://opml.org/spec2.opml")
    body = ET.SubElement(root, "body")
    sources = _group(_(SOURCES_GROUP))
    for unit in edition.site.units.values():
        _append_group(sources, edition.name(unit), _source_outlines(unit, edition))
    if len(sources):
        body.append(sources)
    body.append(_site_outlines(edition))
    return xml_bytes(root)


def _source_outlines(unit: Unit, edition: Edition) -> list[ET.Element]:
    profiles: list[Profile] = [unit, *edition.site.members.get(unit.id, ())]
    found: dict[str, ET.Element] = {}
    for profile in profiles:
        for account in profile.accounts:
            url = platforms.followable_feed(account)
            # A muted account (hijacked, say) is not offered to follow meanwhile.
            if url and url not in found and not edition.site.suspended(account):
                text = _account_name(profile, account, edition)
                found[url] = _feed_outline(text, url, account.url)
    return list(found.values())


def _account_name(profile: Profile, account: Account, edition: Edition) -> str:
    """As the pages name an account: "Sgt Ada Fenwick on Mastodon", "Traffic: Blog"."""
    _ = edition.gettext
    name = edition.name(profile)
    platform = platforms.BY_KEY[account.platform]
    if account.label is not None:
        label = account.label.get(edition.lang, edition.default)
        return _(LABELLED) % {"name": name, "label": label}
    if platform.takes_url:
        return _(LABELLED) % {"name": name, "label": _(platform.label)}
    return _(ON_PLATFORM) % {"name": name, "platform": _(platform.label)}


def _site_outlines(edition: Edition) -> ET.Element:
    site, urls, lang = edition.site, edition.urls, edition.lang
    ours = _group(edition.gettext(OURS_GROUP))
    for link in feed_links(site, urls, Route("home"), lang):
        ours.append(_our_outline(link, edition))
    for unit in site.units.values():
        links = [*feed_links(site, urls, Route("unit", unit.id), lang)]
        for officer in site.members.get(unit.id, ()):
            links += feed_links(site, urls, Route("officer", officer.id), lang)
        _append_group(ours, edition.name(unit), [_our_outline(x, edition) for x in links])
    return ours


def _our_outline(link: FeedLink, edition: Edition) -> ET.Element:
    title = feed_titles(link, edition)[0]
    outline = _feed_outline(title, edition.absolute(link.atom), edition.absolute(link.page))
    outline.set("language", edition.lang)
    return outline


def _group(text: str) -> ET.Element:
    return ET.Element("outline", text=clean(text), title=clean(text))


def _append_group(parent: ET.Element, text: str, outlines: list[ET.Element]) -> None:
    if outlines:
        group = _group(text)
        group.extend(outlines)
        parent.append(group)


def _feed_outline(text: str, xml_url: str, html_url: str) -> ET.Element:
    attributes = {
        "type": "rss",
        "text": text,
        "title": text,
        "xmlUrl": xml_url,
        "htmlUrl": html_url,
    }
    return ET.Element("outline", {key: clean(value) for key, value in attributes.items()})
