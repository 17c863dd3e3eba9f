"""time.js in headless Chromium: with scripts, a post's <time> says how long ago it was,
in the page's language, and keeps the absolute date and time beside it; without
them, the page is as built, absolute.

The browser's clock is fixed (Playwright's clock) a known time after the newest
post, so nothing here depends on when the test runs.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

TIMES = """
() => [...document.querySelectorAll("time[data-ago]")].map((time) => ({
  datetime: time.getAttribute("datetime"),
  text: time.textContent,
  beside: time.nextElementSibling && time.nextElementSibling.matches(".when-absolute")
    ? time.nextElementSibling.textContent : null,
}))
"""
AGO = {"en": "2 hours ago", "fr": "il y a 2 heures"}
ANY_AGO = {"en": re.compile(r"^\d+ \w+ ago$"), "fr": re.compile(r"^il y a \d+ \w+$")}


def built_times(site: Site, lang: str) -> list[tuple[str, str]]:
    """Each post's (datetime, text) on the home page, as the build wrote it."""
    html = (site.out / lang / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<time datetime="([^"]+)" data-ago>([^<]+)</time>', html)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_post_times_say_how_long_ago_with_the_script(
    browser: Browser, demo_site: Site, lang: str
) -> None:
    built = built_times(demo_site, lang)
    assert len(built) >= 20
    newest = max(datetime.fromisoformat(moment) for moment, _ in built)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(newest + timedelta(hours=2, minutes=5))
        watch = demo_site.watch()
        watch.attach(page)
        watch.visit(page, f"/{lang}/")
        page.wait_for_function("() => document.querySelector('time[data-ago]').dataset.absolute")
        shown = page.evaluate(TIMES)
        assert not watch.errors and not watch.console, (watch.errors, watch.console)
    finally:
        context.close()
    assert [t["datetime"] for t in shown] == [moment for moment, _ in built]
    for time, (_, absolute) in zip(shown, built, strict=True):
        assert ANY_AGO[lang].match(time["text"]), time
        # The absolute date and time stay on the page, beside it.
        assert time["beside"] == f" · {absolute}", time
    newest_text = next(t["text"] for t in shown if datetime.fromisoformat(t["datetime"]) == newest)
    assert newest_text == AGO[lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_post_times_stay_absolute_without_scripts(
    browser: Browser, demo_site: Site, lang: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site.url(f"/{lang}/"))
        texts = page.locator("time[data-ago]").all_text_contents()
        besides = page.locator(".when-absolute").count()
    finally:
        context.close()
    assert texts == [text for _, text in built_times(demo_site, lang)]
    assert besides == 0
    pattern = r"\d{4}, \d" if lang == "en" else r"\d{4} à \d"
    assert all(re.search(pattern, text) for text in texts), texts[:3]
