"""The home page weighs at most 50 KB over the wire: its HTML and stylesheets, gzipped."""

from __future__ import annotations

import gzip
import re
from typing import TYPE_CHECKING

from hub.site.urls import file_for

if TYPE_CHECKING:
    from tests.browser import Site

pytest_plugins = ("tests.browser",)

LIMIT = 50_000
"""Bytes over the wire, HTML plus CSS, as a CDN sends them gzipped."""
STYLESHEET = re.compile(rb'<link rel="stylesheet" href="/([^"]+)"')


def test_the_home_page_weighs_at_most_50_kb_gzipped(demo_site: Site) -> None:
    for lang in demo_site.languages:
        html = (demo_site.out / file_for(demo_site.page("home", lang))).read_bytes()
        assert html.count(b'<article class="post">') >= 20, "weigh a page full of posts"
        sheets = [demo_site.out / found.decode() for found in STYLESHEET.findall(html)]
        assert sheets, f"the {lang} home page links no stylesheet"
        weight = len(gzip.compress(html)) + sum(
            len(gzip.compress(sheet.read_bytes())) for sheet in sheets
        )
        assert weight <= LIMIT, f"the {lang} home page weighs {weight:,} bytes gzipped"


def test_the_weight_counts_every_stylesheet(demo_site: Site) -> None:
    html = (demo_site.out / file_for(demo_site.page("home", demo_site.languages[0]))).read_bytes()
    # brand.css (the registry's colours) and site.css (the theme's stylesheet)
    names = [found.decode().rsplit("/", 1)[-1] for found in STYLESHEET.findall(html)]
    assert any(name.startswith("brand.") for name in names), names
    assert any(name.startswith("site.") for name in names), names
