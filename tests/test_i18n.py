"""The translation catalogs against what the templates say.

Messages are extracted with babel exactly as ``pybabel extract -F babel.cfg``
would, so a template string added without a translation fails here, listing
every msgid at fault, instead of showing up in English on a French page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from hub.registry.platforms import PLATFORMS
from hub.render.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "themes" / "default" / "templates"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@cache
def extracted() -> dict[str, set[str]]:
    """msgid -> the files it comes from, as babel.cfg extracts them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, set()).add(filename)
    return found


def interface() -> set[str]:
    """What must be translated: template strings and platform names."""
    wanted = {m for m, files in extracted().items() if any(f.endswith(".html") for f in files)}
    return wanted | {p.label for p in PLATFORMS}


@cache
def catalog(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def messages(lang: str) -> Iterator[Message]:
    return (m for m in catalog(lang) if m.id)


def msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_templates_have_messages_to_translate() -> None:
    wanted = interface()
    assert {"Skip to main content", "Connect with us", "Emergency: %(number)s"} <= wanted
    assert {"Website", "Blog", "Offices", "Community committees"} <= wanted


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_message_is_in_the_catalog(lang: str) -> None:
    have = {msgid(m) for m in messages(lang)}
    missing = sorted(interface() - have)
    assert not missing, f"{lang}: {len(missing)} messages missing from the catalog: {missing}"


def test_every_french_message_is_translated() -> None:
    wanted = interface()
    bad = []
    for message in messages("fr"):
        if msgid(message) not in wanted:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            bad.append(msgid(message))
    assert not bad, f"fr: {len(bad)} messages untranslated or fuzzy: {sorted(bad)}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_placeholders_match(lang: str) -> None:
    wrong = []
    for message in messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if not form:
                continue
            if set(PLACEHOLDER.findall(form)) - names or (
                not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(form)) != names
            ):
                wrong.append((msgid(message), form))
            # The site formats every message with %, so a lone % would break the page.
            if "%" in PLACEHOLDER.sub("", form).replace("%%", ""):
                wrong.append((msgid(message), form))
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_stale_messages(lang: str) -> None:
    """Messages nothing uses any more: run pybabel update (docs/theming.md)."""
    stale = sorted(msgid(m) for m in messages(lang) if msgid(m) not in extracted())
    assert not stale, f"{lang}: messages no template, platform or topic uses: {stale}"


def test_french_typography() -> None:
    """A no-break space before : ; ! ? and typographic apostrophes."""
    wrong = []
    for message in messages("fr"):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if re.search(r"(?<!\u00a0)[:;!?](\s|$)", form) or "'" in form:
                wrong.append(form)
    assert not wrong, wrong


def test_messages_shown_in_a_second_language_are_extracted() -> None:
    """translate(code, "...") is not a gettext keyword; each of its messages must also
    appear in a _() call, or extraction misses it."""
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'translate\(\w+, "([^"]+)"', template.read_text("utf-8")))
    assert used
    assert not used - interface(), sorted(used - interface())


def test_platform_labels_that_differ_in_french() -> None:
    french = {msgid(m): m.string for m in messages("fr")}
    assert french["Website"] == "Site Web"
    assert french["Blog"] == "Blogue"
    assert french["Emergency: %(number)s"] == "Urgence\u00a0: %(number)s"
