"""A new service's site, as ``hub init`` writes it, builds at once to valid, accessible pages.

Its home page has no posts yet: it must still be a whole page, valid HTML
(the W3C Nu HTML Checker) and free of axe-core's WCAG 2.2 AA violations, in
both languages, like every page of the demo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser

from tests.cli.test_init import FLAGS, hub
from tests.test_accessibility import describe, run_axe
from tests.test_html_valid import errors, run_vnu

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

PAGES = (
    "/index.html",
    "/en/",
    "/fr/",
    "/en/connect/",
    "/fr/joindre/",
    "/en/pages/about/",
    "/fr/pages/signaler-un-crime/",
    "/404.html",
)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The site ``hub init --yes`` writes, checked and built: its output folder."""
    base = tmp_path_factory.mktemp("new-site")
    assert hub("init", "site", "--yes", *FLAGS, cwd=base).returncode == 0
    site = base / "site"
    checked = hub("check", "--strict", cwd=site)
    assert checked.returncode == 0, checked.stderr
    built = hub("build", "--offline", cwd=site)
    assert built.returncode == 0, built.stderr
    yield site / "public"


def test_every_page_is_valid_html(new_site: Path) -> None:
    pages = sorted(new_site.rglob("*.html"))
    assert len(pages) >= 14
    report = errors(run_vnu(pages), new_site)
    assert not report, f"Nu HTML Checker errors in a new site:\n{report}"


def test_axe_finds_no_violation(
    new_site: Path, browser: Browser, serve_folder: Callable[[Path], Site]
) -> None:
    site = serve_folder(new_site)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        pages = []
        for path in PAGES:
            page = context.new_page()
            assert (response := page.goto(site.url(path))) is not None
            assert response.status == 200, path
            pages.append(page)
        found = run_axe(pages)
    finally:
        context.close()
    failures = [
        f"{path}:\n" + "\n".join(describe(v) for v in violations)
        for path, violations in zip(PAGES, found, strict=True)
        if violations
    ]
    assert not failures, "axe violations in a new site:\n" + "\n".join(failures)
