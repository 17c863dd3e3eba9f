"""The verify page in Chromium: verify.js against the demo's accounts.

Every spelling of tests/spellings.py is pasted into the page and checked: the
verdict, the accounts it names, and the keys verify.js made of it, which must
be the Python rules' own (hub/registry/spelling.py). Without JavaScript, the
page lists every account by platform instead, former ones marked. The
answers pass axe, and the check can be done from the keyboard alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, Page

from hub.registry import spelling
from hub.render.i18n import translations
from hub.site.urls import SEGMENTS
from tests.spellings import SPELLINGS, Spelling

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The verdict the page shows: its kind, the keys it looked for, the owners it names.
VERDICT = """
() => {
  const out = document.querySelector("[data-verdict]");
  return {
    kind: out.getAttribute("data-kind"),
    keys: out.getAttribute("data-keys"),
    title: (out.querySelector(".verdict-title") || {}).textContent || "",
    owners: [...out.querySelectorAll(".verify-owner a")].map((a) => a.getAttribute("href")),
    links: [...out.querySelectorAll("a")].map((a) => a.getAttribute("href")),
  };
}
"""


def verify_path(lang: str) -> str:
    return f"/{lang}/{SEGMENTS[lang]['verify']}/"


def owner_of(href: str, lang: str) -> str:
    """``/en/units/traffic/`` -> ``unit:traffic``."""
    words = SEGMENTS[lang]
    folder, key = href.strip("/").split("/")[1:3]
    return f"{'unit' if folder == words['unit'] else 'officer'}:{key}"


@pytest.fixture(scope="module")
def tab(browser: Browser, demo_site: Site) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = demo_site.watch()
    watch.attach(page)
    watch.visit(page, verify_path("en"))
    yield page
    assert not watch.errors and not watch.console, (watch.errors, watch.console)
    assert not watch.third_party, watch.third_party
    context.close()


def ask(page: Page, text: str) -> dict[str, Any]:
    page.fill("#verify-input", text)
    page.press("#verify-input", "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-verdict]').hasAttribute('data-kind')"
    )
    answer: dict[str, Any] = page.evaluate(VERDICT)
    page.evaluate("() => document.querySelector('[data-verdict]').removeAttribute('data-kind')")
    return answer


@pytest.mark.parametrize("case", SPELLINGS, ids=lambda case: case.text.strip())
def test_each_spelling_gets_its_verdict_in_the_browser(tab: Page, case: Spelling) -> None:
    answer = ask(tab, case.text)
    kind = case.verdict.replace("_", "-")
    assert answer["kind"] == kind, answer
    assert answer["keys"].split() == spelling.keys(case.text), "verify.js and Python disagree"
    assert {owner_of(href, "en") for href in answer["owners"]} == case.owners, answer


def test_each_verdict_says_what_it_means_and_what_to_do(tab: Page) -> None:
    catalog = translations("en")
    official = ask(tab, "@LakeviewPS")
    assert official["title"] == catalog.gettext("Official: this is an account of the service.")
    former = ask(tab, "@SSgtPettigrew")
    assert former["title"].startswith("Former official account: it was ours until June 30, 2025.")
    impostor = ask(tab, "https://x.com/LakeviewPoIice")
    assert impostor["links"] == ["https://help.x.com/forms/impersonation"]
    # No platform to report to: the page's own section on reporting.
    elsewhere = ask(tab, "https://www.lakeview-police.example/")
    assert elsewhere["links"] == ["#report"]


def test_the_french_page_answers_in_french(browser: Browser, demo_site: Site) -> None:
    catalog = translations("fr")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(demo_site.url(verify_path("fr")))
        official = ask(page, "facebook.com/LakeviewPoliceService")
        assert official["title"] == catalog.gettext("Official: this is an account of the service.")
        assert official["owners"] == ["/fr/unites/corporate-communications/"]
        impostor = ask(page, "@LakeviewPoIice")
        assert impostor["title"] == catalog.gettext(
            "Not ours: this account is not one of the service\u2019s accounts, now or before. "
            "Do not trust what it says or asks for."
        )
    finally:
        context.close()


def test_without_javascript_the_page_lists_every_account_by_platform(
    browser: Browser, demo_site: Site
) -> None:
    accounts = json.loads((demo_site.out / "accounts.json").read_text("utf-8"))["accounts"]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site.url(verify_path("en")))
        assert not page.locator("[data-verify]").is_visible(), "the check needs JavaScript"
        items = page.locator("[data-keys]")
        assert items.count() == len(accounts)
        listed = [json.dumps(sorted(k.split())) for k in items.evaluate_all(
            "els => els.map((el) => el.getAttribute('data-keys'))"
        )]  # fmt: skip
        assert sorted(listed) == sorted(json.dumps(sorted(a["keys"])) for a in accounts)
        platforms = {a["platform"] for a in accounts}
        assert page.locator("h3.verify-platform").count() == len(platforms)
        former = page.locator("li[data-former]")
        assert former.count() == sum(a["status"] == "former" for a in accounts)
        assert "Former official account, until June 30, 2025" in former.first.inner_text()
        assert page.locator(".report-list a").count() >= 5
    finally:
        context.close()


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations: list[dict[str, Any]] = page.evaluate("o => axe.run(document, o)", options)[
        "violations"
    ]
    return violations


@pytest.mark.parametrize("width", [360, 1280])
def test_every_verdict_passes_axe(browser: Browser, demo_site: Site, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(demo_site.url(verify_path("en")))
        for text in ("@LakeviewPS", "@SSgtPettigrew", "@LakeviewPoIice", "x.com"):
            ask(page, text)
            found = run_axe(page)
            assert not found, (text, [(v["id"], v["nodes"][0]["target"]) for v in found])
    finally:
        context.close()


def test_the_check_works_from_the_keyboard(browser: Browser, demo_site: Site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(demo_site.url(verify_path("en")))
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "verify-input":
                break
        else:
            pytest.fail("Tab never reached the box to paste in")
        page.keyboard.type("twitter.com/LakeviewPS")
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-verdict][data-kind=official]")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.closest('[data-verdict]') !== null,"
            " document.activeElement.matches(':focus-visible'),"
            " document.activeElement.getAttribute('href')]"
        )
        assert focused == [True, True, "https://x.com/LakeviewPS"], focused
    finally:
        context.close()
