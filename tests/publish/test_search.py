"""The search index (hub/publish/search.py): Pagefind over the pages of a new tree.

Real Pagefind (the locked pagefind-bin), real trees; the browser side is
tests/test_search.py.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hub.outputs.files import Output, Planned
from hub.problems import HubError
from hub.publish import search
from hub.publish.tree import staging

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav class="site-nav">Menu words</nav>
<main{body}><nav class="breadcrumb">Crumbwords</nav><h1>{title}</h1><p>{text}</p>
<div class="alerts" data-pagefind-ignore>Alertwords</div></main></body></html>
"""

PAGES = {
    "en/officers/ada/index.html": ("en", "Sgt Ada Fenwick", "Winter tires save lives.", True),
    "fr/agents/ada/index.html": (
        "fr",
        "Sgt Ada Fenwick",
        "Les pneus d\u2019hiver sauvent des vies.",
        True,
    ),
    "en/units/traffic/index.html": ("en", "Traffic", "Road safety all year.", True),
    "en/pages/about/index.html": ("en", "About", "All about the site.", True),
    # Not indexed: a home page, and a page that does not ask to be.
    "en/index.html": ("en", "Latest", "Winter tires everywhere.", True),
    "en/units/quiet/index.html": ("en", "Quiet", "Nothing to index.", False),
}


def fill(
    put: Callable[[str, Planned], Planned],
    output: Output,
    pages: dict[str, tuple[str, str, str, bool]],
) -> None:
    for path, (lang, title, text, body) in pages.items():
        html = PAGE.format(lang=lang, title=title, text=text, body=" data-pagefind-body" * body)
        planned = Planned(f"page {path}", data=html.encode())
        output.plan(path, put(path, planned))


def fragments(out: Path) -> dict[str, dict[str, object]]:
    """Each indexed page's fragment, by its URL."""
    found = {}
    for file in (out / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        found[fragment["url"]] = fragment
    return found


def build(
    out: Path, pages: dict[str, tuple[str, str, str, bool]] = PAGES
) -> tuple[search.Indexed, Output, dict[str, int]]:
    output = Output()
    cache = out.parent / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    with staging(out) as stage:
        fill(stage.put, output, pages)
        indexed = search.index_pages(stage, output, ["en", "fr"], cache)
        report = stage.finish(output)
    return indexed, output, {"written": report.written, "unchanged": report.unchanged}


def test_the_officers_units_and_content_pages_of_each_language_are_indexed(
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    indexed, output, _ = build(out)
    assert indexed.pages == 4
    assert set(fragments(out)) == {
        "/en/officers/ada/",
        "/fr/agents/ada/",
        "/en/units/traffic/",
        "/en/pages/about/",
    }
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_bytes())
    assert {lang: found["page_count"] for lang, found in entry["languages"].items()} == {
        "en": 3,
        "fr": 1,
    }
    # What the page leaves out, and what the build does: chrome and breadcrumbs.
    ada = fragments(out)["/en/officers/ada/"]
    content = str(ada["content"])
    assert "Winter tires save lives." in content
    assert not {"Crumbwords", "Alertwords", "Menu"} & set(content.replace(".", " ").split())
    assert ada["meta"] == {"title": "Sgt Ada Fenwick"}
    planned = [path for path in output.paths() if path.startswith("pagefind/")]
    assert planned and all((out / path).is_file() for path in planned)
    assert indexed.files == len(planned)


def test_only_what_the_javascript_api_reads_is_published(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(out)
    names = {p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").rglob("*")}
    assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", "wasm.fr.pagefind"} <= names
    assert not [name for name in names if "-ui" in name or "highlight" in name or "worker" in name]
    assert all(
        search.PUBLISHED.fullmatch(name) for name in names if (out / "pagefind" / name).is_file()
    )


def index_files(out: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_the_same_pages_make_the_same_index(tmp_path: Path) -> None:
    one, two = tmp_path / "one" / "public", tmp_path / "two" / "public"
    build(one)
    build(two)
    assert {p.relative_to(one): data for p, data in index_files(one).items()} == {
        p.relative_to(two): data for p, data in index_files(two).items()
    }


def test_unchanged_pages_keep_their_index_without_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    first, _, _ = build(out)
    before = index_files(out)
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    # A binary that makes no index: the build must not need it to index.
    real = search._binary()
    stub = tmp_path / "pagefind"
    stub.write_text(f'#!/bin/sh\n[ "$1" = --version ] && exec {real} --version\nexit 7\n')
    stub.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(stub))
    again, _, report = build(out)
    assert again == search.Indexed(first.pages, first.files, reused=True)
    assert report["written"] == 0
    assert index_files(out) == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes
    # One page changed: the index is made again (here, by the binary that fails).
    changed = dict(PAGES)
    changed["en/units/traffic/index.html"] = ("en", "Traffic", "Road safety at night.", True)
    with pytest.raises(HubError, match="exit code 7"):
        build(out, changed)
    # One page gone: the same.
    fewer = {path: page for path, page in PAGES.items() if "about" not in path}
    with pytest.raises(HubError, match="exit code 7"):
        build(out, fewer)


def test_a_missing_binary_is_an_error_that_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(HubError, match=r"not installed.*pagefind\[bin\]"):
        build(tmp_path / "public")
    assert not (tmp_path / "public").exists(), "nothing was published"


def test_a_failing_binary_is_an_error_with_its_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: no pages found' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    with pytest.raises(HubError, match=r"Pagefind failed \(exit code 3\): Error: no pages found"):
        build(tmp_path / "public")
