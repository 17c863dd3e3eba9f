"""Accessibility of the demo site in headless Chromium.

- axe-core (bundled by axe-playwright-python) with the WCAG 2.0, 2.1 and 2.2
  A and AA rules finds nothing on any page type, in both languages, on a
  360 px phone and a 1280 px desktop; a canary page proves that it looks.
- The first Tab from page load reaches a skip link to #main, which shows
  itself when focused and moves focus to the main content.
- On the directory, Tab reaches every link, button and field that is shown,
  and each one shows a focus indicator that its resting state does not.

The four combinations of language and width run in four tabs at once, each
with its own renderer process: axe's colour-contrast rule is slow on long
pages, and this way the runs share the cores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, Page

if TYPE_CHECKING:
    from tests.browser import Site, Watch

pytest_plugins = ("tests.browser",)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (360, 1280)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kind" in metafunc.fixturenames:
        # Imported here, once pytest has loaded tests.browser as a plugin.
        from tests.browser import PAGE_KINDS

        # Module scope: each kind's pages are loaded once for all the tests on them.
        metafunc.parametrize("kind", PAGE_KINDS, scope="module")


@dataclass
class Tab:
    """One browser tab at one width, for pages in one language."""

    lang: str
    width: int
    page: Page
    watch: Watch

    def __str__(self) -> str:
        return f"{self.lang} @ {self.width}px"


@pytest.fixture(scope="module")
def tabs(browser: Browser, demo_site: Site) -> Iterator[list[Tab]]:
    """A tab per language and width, each in its own context (so its own renderer process)."""
    contexts = []
    opened = []
    for lang in demo_site.languages:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            contexts.append(context)
            page = context.new_page()
            watch = demo_site.watch()
            watch.attach(page)
            opened.append(Tab(lang, width, page, watch))
    yield opened
    for context in contexts:
        context.close()


def tabs_for(tabs: list[Tab], site: Site, kind: str) -> list[Tab]:
    """The tabs a kind of page is checked in."""
    return [tab for tab in tabs if tab.lang in site.languages_of(kind)]


def describe(violation: dict[str, Any]) -> str:
    nodes = "\n".join(
        f"      {' '.join(node['target'])}: {' '.join(node.get('failureSummary', '').split())}"
        for node in violation["nodes"][:10]
    )
    more = len(violation["nodes"]) - 10
    extra = f"\n      ... and {more} more" if more > 0 else ""
    return f"  {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}{extra}"


def run_axe(pages: list[Page]) -> list[list[dict[str, Any]]]:
    """axe's violations on each page, the runs started together so that they overlap."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for page in pages:
        page.evaluate(AXE_SCRIPT)
        page.evaluate("options => { window.axeRun = axe.run(document, options); }", options)
    return [page.evaluate("() => window.axeRun")["violations"] for page in pages]


# The state of the focused element; run in the page after a Tab.
FOCUSED = """
() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const top = document.elementFromPoint(x, y);
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute("href"),
    text: el.textContent.trim(),
    inViewport: box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
    onTop: top !== null && (top === el || el.contains(top)),
    shown: style.visibility === "visible" && Number(style.opacity) > 0,
    target: document.getElementById("main") !== null,
  };
}
"""


@dataclass(frozen=True)
class Visit:
    """A page of one kind in one tab: what its first Tab did, then what axe found."""

    tab: Tab
    url: str
    first_tab: dict[str, Any]
    """The focused element after the first Tab from page load (FOCUSED)."""
    after_enter: str
    """The id of the focused element once Enter followed the skip link."""
    violations: list[dict[str, Any]]
    stayed: bool
    third_party: tuple[str, ...]


@pytest.fixture(scope="module")
def visited(tabs: list[Tab], demo_site: Site, kind: str) -> list[Visit]:
    """The page of ``kind`` in each tab: the first Tab and Enter from page load, then axe."""
    chosen = tabs_for(tabs, demo_site, kind)
    keyboard = []
    for tab in chosen:
        tab.watch.visit(tab.page, demo_site.page(kind, tab.lang))
        tab.page.keyboard.press("Tab")
        first_tab = tab.page.evaluate(FOCUSED)
        tab.page.keyboard.press("Enter")
        keyboard.append((first_tab, tab.page.evaluate("() => document.activeElement.id")))
    results = run_axe([tab.page for tab in chosen])
    return [
        Visit(
            tab=tab,
            url=tab.watch.visiting,
            first_tab=first_tab,
            after_enter=after_enter,
            violations=violations,
            stayed=tab.page.url.split("#")[0] == tab.watch.visiting,
            third_party=tuple(tab.watch.third_party),
        )
        for tab, (first_tab, after_enter), violations in zip(chosen, keyboard, results, strict=True)
    ]


def test_axe_finds_no_violation(visited: list[Visit]) -> None:
    failures = [
        f"{visit.url} ({visit.tab}):\n" + "\n".join(describe(v) for v in visit.violations)
        for visit in visited
        if visit.violations
    ]
    assert not failures, "axe violations:\n" + "\n".join(failures)
    for visit in visited:
        assert visit.stayed, f"{visit.url} ({visit.tab}): the page moved to {visit.tab.page.url}"
        assert not visit.third_party, f"{visit.url} ({visit.tab}): {visit.third_party}"


CANARY = """<!doctype html>
<html><head><meta charset="utf-8"><title>canary</title></head><body>
<p style="color: #bbb; background: #fff">Pale grey on white.</p>
<img src="photo.png">
<a href="/elsewhere/"></a>
</body></html>
"""


def test_axe_finds_what_it_should(
    browser: Browser, serve_folder: Callable[[Path], Site], tmp_path: Path
) -> None:
    """axe itself, on a page with a known fault of each kind."""
    (tmp_path / "index.html").write_text(CANARY, encoding="utf-8")
    site = serve_folder(tmp_path)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.url("/"))
        [violations] = run_axe([page])
    finally:
        context.close()
    found = {v["id"] for v in violations}
    assert {"html-has-lang", "image-alt", "link-name", "color-contrast"} <= found, found


def test_the_first_tab_reaches_a_visible_skip_link(visited: list[Visit]) -> None:
    for visit in visited:
        focused = visit.first_tab
        where = f"{visit.url} ({visit.tab})"
        assert focused["tag"] == "a" and focused["href"] == "#main", f"{where}: {focused}"
        assert focused["target"], f"{where}: the skip link's target #main does not exist"
        assert focused["inViewport"] and focused["onTop"] and focused["shown"], (
            f"{where}: the focused skip link is not visible: {focused}"
        )
        assert visit.after_enter == "main", (
            f"{where}: following the skip link did not move focus to the main content"
        )


# Marks every element that should be a Tab stop, records each element that
# receives focus, and returns how many were marked.
TRACK_FOCUS = """
() => {
  const selector = "a[href], area[href], button, input, select, textarea, summary, iframe, "
    + "audio[controls], video[controls], [tabindex], [contenteditable]";
  const style = (el) => {
    const s = getComputedStyle(el);
    return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(" "),
            shadow: s.boxShadow, background: s.backgroundColor};
  };
  const stops = [...document.querySelectorAll(selector)].filter((el) =>
    el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
    && el.checkVisibility({visibilityProperty: true}));
  window.restingStyle = {};
  stops.forEach((el, i) => { el.dataset.tabStop = String(i); window.restingStyle[i] = style(el); });
  window.focusLog = [];
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    const label = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + " " + (el.getAttribute("href") || el.textContent.trim().slice(0, 40));
    window.focusLog.push({key: el.dataset.tabStop ?? null, label, tag: el.tagName.toLowerCase(),
      focusVisible: el.matches(":focus-visible"), style: style(el)});
  });
  return stops.length;
}
"""


def indicator(style: dict[str, str]) -> bool:
    """Whether an outline or a shadow is drawn."""
    outline_style, outline_width, *color = style["outline"].split(" ", 2)
    outline = (
        outline_style != "none"
        and outline_width != "0px"
        and "rgba(0, 0, 0, 0)" not in color
        and "transparent" not in color
    )
    return outline or style["shadow"] != "none"


@pytest.mark.parametrize("lang_index", [0, 1], ids=["first-language", "second-language"])
def test_tab_reaches_every_control_of_the_directory_with_visible_focus(
    tabs: list[Tab], demo_site: Site, lang_index: int
) -> None:
    lang = demo_site.languages[lang_index]
    tab = next(t for t in tabs if t.lang == lang and t.width == max(WIDTHS))
    path = demo_site.page("directory", lang)
    tab.watch.visit(tab.page, path)
    expected = tab.page.evaluate(TRACK_FOCUS)
    assert expected > 50, f"{path}: only {expected} focusable elements"
    for _ in range(expected + 2):
        tab.page.keyboard.press("Tab")
    log: list[dict[str, Any]] = tab.page.evaluate("() => window.focusLog")
    resting: dict[str, dict[str, str]] = tab.page.evaluate("() => window.restingStyle")

    strays = [stop["label"] for stop in log if stop["key"] is None]
    assert not strays, f"{path}: Tab stopped on elements that should not be stops: {strays[:10]}"
    reached = {stop["key"] for stop in log}
    missed = sorted(set(map(str, range(expected))) - reached, key=int)
    assert not missed, f"{path}: {len(missed)} of {expected} controls never got focus by Tab"

    hidden = [
        stop["label"]
        for stop in log
        if not stop["focusVisible"]
        or not indicator(stop["style"])
        or stop["style"] == resting[stop["key"]]
    ]
    assert not hidden, f"{path}: focus is not visible on {hidden[:10]}"
    tags = {stop["tag"] for stop in log}
    assert {"a", "input"} <= tags, f"{path}: expected a link and the search box among {tags}"
