"""Render key pages of a built site to PNG files, to look at before a release.

    python build.py && python scripts/screenshots.py [--site public] [--out docs/screenshots]

Takes home, directory, an officer's profile and a unit page at 360 px and
1280 px wide, in English and French, and the language chooser at the root,
with the system's Chromium (/usr/bin/chromium, from the `chromium` package)
driven by Playwright, launched and served exactly as the browser tests do
(tests/browser.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script: the Chromium launch and static server are the test suite's.
sys.path.insert(0, str(ROOT))

from tests.browser import StaticServer, launch  # noqa: E402

PAGES = {
    "home": {"en": "/en/", "fr": "/fr/"},
    "directory": {"en": "/en/connect/", "fr": "/fr/joindre/"},
    "officer": {"en": "/en/officers/{officer}/", "fr": "/fr/agents/{officer}/"},
    "unit": {"en": "/en/units/{unit}/", "fr": "/fr/unites/{unit}/"},
    "root": {"": "/"},
}
"""Per page, its path in each language; the root is every language's."""
WIDTHS = {"mobile": (360, 780), "desktop": (1280, 900)}
MAX_HEIGHT = 2400
"""Long pages are cut here: enough to judge the layout, small enough to commit."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "public")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--officer", default="claire-beaulieu-mensah")
    parser.add_argument("--unit", default="traffic")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"no site in {args.site}: run python build.py first")
    args.out.mkdir(parents=True, exist_ok=True)
    with StaticServer(args.site) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        for device, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, paths in PAGES.items():
                for lang, path in paths.items():
                    url = server.origin + path.format(officer=args.officer, unit=args.unit)
                    response = page.goto(url)
                    if response is None or response.status != 200:
                        print(f"error: {url} answered {response and response.status}")
                        return 1
                    full = page.evaluate("document.documentElement.scrollHeight")
                    target = args.out / ("-".join(filter(None, (name, lang, device))) + ".png")
                    clip = {"x": 0, "y": 0, "width": width, "height": min(full, MAX_HEIGHT)}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                    print(f"wrote {target}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
