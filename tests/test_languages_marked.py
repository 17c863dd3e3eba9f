"""Words given in one language only say so on the other language's pages.

A site's registry and content may give a unit's name, an account's label, an
event or an alert in English only; the French pages then show the
English words, and a screen reader must read them as English: every one of
them sits in an element whose ``lang`` is ``en`` (axe-core cannot see this).
A new site made by ``hub init`` gets an English-only unit, officer, account
label, topic, event and alert, each with words found nowhere else; its
French pages are built and every text node and every ``aria-label``, ``alt``
and ``title`` of their bodies that holds one of those words is checked.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.test_init import FLAGS, hub

ENGLISH_ONLY = {
    "unit name": "Pedalling Patrol",
    "unit description": "Constables pedalling downtown",
    "account label": "Pedalling journal",
    "officer title": "Pedalling constable",
    "event title": "Community pedalling ride",
    "event place": "Pedalling Hall, 1 Main Street",
    "alert title": "Pedalling bridge closed",
    "alert body": "The pedalling bridge is closed.",
    "topic name": "Advice for cyclists",
}

UNITS = """
  - id: pedal
    name: {en: "Pedalling Patrol"}
    kind: unit
    parent: service
    description: {en: "Constables pedalling downtown."}
    topics: [road-safety, pedalling-tips]
    accounts:
      - {platform: bluesky, handle: pedal.northfield.example, label: {en: "Pedalling journal"}}

officers:
  - id: jane-roe
    name: Jane Roe
    rank: {en: Sgt, fr: Sgt}
    unit: pedal
    title: {en: "Pedalling constable"}
    accounts:
      - {platform: mastodon, handle: "@roe@social.northfield.example"}
"""
EVENT = """---
title: {en: "Community pedalling ride"}
unit: pedal
start: 2030-06-20T10:00
end: 2030-06-20T12:00
place: {en: "Pedalling Hall, 1 Main Street"}
map: https://www.openstreetmap.org/search?query=1%20Main%20Street
languages: [en]
---

<!-- lang: en -->
Ride with our officers.
"""
ALERT = """---
level: urgent
starts: 2026-01-01T00:00:00Z
expires: 2040-12-31T23:59:00Z
title: {en: "Pedalling bridge closed"}
link: https://example.org/bridge
---

<!-- lang: en -->
The pedalling bridge is closed.
"""


class Marks(HTMLParser):
    """Each text of a page's body, and each of its labels, with the language it is in."""

    VOID = frozenset(
        {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.langs: list[str] = []
        self.in_body = False
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        lang = values.get("lang") or (self.langs[-1] if self.langs else "")
        self.in_body = self.in_body or tag == "body"
        if self.in_body:
            for name in ("aria-label", "alt", "title"):
                if values.get(name):
                    self.found.append((values[name], lang))
        if tag not in self.VOID:
            self.langs.append(lang)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.langs:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body and data.strip():
            self.found.append((data, self.langs[-1] if self.langs else ""))


@pytest.fixture(scope="module")
def french_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("marked")
    # The site's flags, French first.
    flags = ["--languages", "fr,en", *FLAGS[2:]]
    made = hub("init", "site", "--yes", *flags, cwd=base)
    assert made.returncode == 0, made.stderr
    site = base / "site"
    sources = site / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace("\nofficers: []\n", "\n") + UNITS
    topics = 'site:\n  topics: {pedalling-tips: {en: "Advice for cyclists"}}\n'
    sources.write_text(text.replace("site:\n", topics, 1), encoding="utf-8")
    for folder, name, body in (("events", "ride.md", EVENT), ("alerts", "bridge.md", ALERT)):
        (site / "content" / folder).mkdir(exist_ok=True)
        (site / "content" / folder / name).write_text(body, encoding="utf-8")
    built = hub("build", "--offline", cwd=site)
    assert built.returncode == 0, built.stderr
    return sorted((site / "public" / "fr").rglob("*.html"))


def test_english_words_on_french_pages_are_marked_english(french_pages: list[Path]) -> None:
    seen: set[str] = set()
    unmarked: list[str] = []
    for page in french_pages:
        marks = Marks()
        marks.feed(page.read_text(encoding="utf-8"))
        for text, lang in marks.found:
            for what, words in ENGLISH_ONLY.items():
                if words in text:
                    seen.add(what)
                    if lang != "en":
                        unmarked.append(f"{page.parent.name}/: {what} in lang={lang!r}: {text!r}")
    assert seen == set(ENGLISH_ONLY), f"not shown at all: {set(ENGLISH_ONLY) - seen}"
    assert not unmarked, "\n".join(sorted(set(unmarked))[:30])
