"""The report's page in headless Chromium: the same axe-core rules as the site's pages,
on a phone and a desktop, and nothing loaded from anywhere but the page itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser

from hub.governance import wording
from hub.governance.backlinks import Backlink
from hub.governance.report import Asked, assemble
from hub.governance.writers import write_report
from tests.governance import world
from tests.governance.conftest import World

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""As tests/test_accessibility.py checks the site's pages."""


@pytest.fixture(scope="module")
def served(testbay: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from tests.browser import Site, StaticServer

    links = [
        Backlink("bluesky:testbay.bsky.social", "missing"),
        Backlink("mastodon:testbay@social.testbay.example", "unchecked", "HTTP 503"),
    ]
    report = assemble(
        testbay.registry,
        testbay.curation,
        testbay.stored,
        Asked(None, wording.NO_TOKEN_SET, links, None),
        now=world.NOW,
        sources="sources.yaml",
        offline=False,
    )
    folder = tmp_path_factory.mktemp("governance") / "report"
    write_report(report, folder)
    with StaticServer(folder) as server:
        yield Site(folder, server.origin, ("en",))


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_nothing_and_the_page_loads_nothing(
    browser: Browser, served: Site, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        watch = served.watch()
        watch.attach(page)
        watch.visit(page, "/")
        page.evaluate(AXE_SCRIPT)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        result: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
        violations = [f"{v['id']}: {v['help']}" for v in result["violations"]]
        assert violations == []
        assert watch.requests == [served.url("/")]
        assert (watch.third_party, watch.errors, watch.console) == ([], [], [])
        # Axe looked: the page has tables, headings and landmarks to check.
        assert page.locator("main table caption").count() >= 7
    finally:
        context.close()


def test_axe_would_see_a_page_without_a_language(browser: Browser, served: Site) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.url("/"))
        page.evaluate("() => { document.documentElement.removeAttribute('lang'); }")
        page.evaluate(AXE_SCRIPT)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        result: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
        assert "html-has-lang" in [v["id"] for v in result["violations"]]
    finally:
        context.close()


def test_the_page_opens_from_a_file(browser: Browser, served: Site) -> None:
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto(Path(served.out, "index.html").as_uri())
        assert page.locator("h1").inner_text().startswith(wording.TITLE)
        assert page.locator(".private").is_visible()
    finally:
        context.close()
