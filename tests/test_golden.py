"""Golden output: a small fixture site, built at a fixed moment, page by page
against committed outlines (file list, headings, landmarks, links and text).

After an intended change to the pages, regenerate the expected tree with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hub import pipeline
from hub.registry import load as registry
from hub.site.content import load_content
from hub.store.database import Store
from hub.store.update import update

GOLDEN = Path(__file__).parent / "data" / "golden"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HASHED = re.compile(r"\.[0-9a-f]{10}\.")
SEARCH_CHUNK = re.compile(r"([a-z]+)_[0-9a-f]{7,10}\.(pf_[a-z]+)$")
"""Pagefind's files named by a hash of what they index: listed once per kind and language."""
OUTLINED = {"title", "h1", "h2", "h3", "h4", "header", "nav", "main", "footer", "a", "time"}


class Outline(HTMLParser):
    """The structure of a page: landmarks, headings and links, with their text as a
    screen reader gets it (what is ``aria-hidden`` left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.open: list[tuple[str, str, list[str]]] = []
        self.hidden: tuple[str, int] | None = None
        """The tag an aria-hidden part started with, and how deep in it we are."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.hidden is not None:
            if tag == self.hidden[0]:
                self.hidden = (tag, self.hidden[1] + 1)
        elif values.get("aria-hidden") == "true":
            self.hidden = (tag, 1)
        if tag not in OUTLINED:
            return
        detail = ""
        if tag == "a":
            detail = f" {HASHED.sub('.*.', values.get('href') or '')}"
            if values.get("rel"):
                detail += f" rel={values['rel']}"
        elif tag == "time":
            detail = f" {values.get('datetime', '')}"
        elif tag == "nav" and values.get("aria-label"):
            detail = f" [{values['aria-label']}]"
        if tag in ("header", "nav", "main", "footer"):
            self.lines.append(f"{'  ' * len(self.open)}<{tag}{detail}>")
            self.open.append((tag, detail, []))
            self.open[-1][2].append("landmark")
        else:
            self.open.append((tag, detail, []))

    def handle_data(self, data: str) -> None:
        if self.hidden is not None:
            return
        for _, _, texts in self.open:
            texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden is not None and tag == self.hidden[0]:
            depth = self.hidden[1] - 1
            self.hidden = (tag, depth) if depth else None
        if not self.open or self.open[-1][0] != tag or tag not in OUTLINED:
            return
        name, detail, texts = self.open.pop()
        if texts and texts[0] == "landmark":
            return
        text = " ".join("".join(texts).split())
        self.lines.append(f"{'  ' * len(self.open)}{name}{detail}: {text}")


def outline(html: str) -> str:
    parser = Outline()
    parser.feed(html)
    return "\n".join(parser.lines) + "\n"


def build_fixture(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", site, symlinks=False)
    checked = registry.load(site / "sources.yaml")
    reg = checked.registry
    loaded = load_content(site / "content", reg.site.languages, display_root=site)
    with Store.open(tmp_path / "cache" / "store.sqlite3") as store:
        update(reg, store, now=NOW)
    out = tmp_path / "public"
    pipeline.build(reg, loaded, tmp_path / "cache", out, now=NOW)
    return out


def expected_tree(out: Path) -> dict[str, str]:
    tree: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = HASHED.sub(".*.", path.relative_to(out).as_posix())
        name = SEARCH_CHUNK.sub(r"\1_*.\2", name)
        if path.suffix == ".html":
            tree[f"{name}.txt"] = outline(path.read_text(encoding="utf-8"))
        elif name + "\n" not in tree.get("files.txt", ""):
            tree.setdefault("files.txt", "")
            tree["files.txt"] += name + "\n"
    return tree


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("golden"))


def test_fixture_site_matches_the_golden_tree(built: Path) -> None:
    actual = expected_tree(built)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in actual.items():
            target = expected_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected_dir.rglob("*.txt"))
    }
    assert sorted(actual) == sorted(expected), "pages added or removed"
    for name, text in expected.items():
        assert actual[name] == text, f"{name} differs (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("page", ["en/index.html", "fr/index.html"])
def test_hostile_feed_text_stays_text(built: Path, page: str) -> None:
    html = (built / page).read_text(encoding="utf-8")
    assert "Safety week" in html
    assert "alert(1)" not in html.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")
    assert "<script>" not in html and "onerror" not in html
