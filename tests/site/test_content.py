"""Tests for hub.site.content: real Markdown files in tmp_path, loaded and checked."""

from __future__ import annotations

import os
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.model import Text
from hub.problems import HubError, Problem
from hub.registry import load as registry
from hub.site.alerts import Alert
from hub.site.content import Content, ContentError, load_content

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr")
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def write(content: Path, name: str, text: str | bytes) -> Path:
    """Write ``content/name``; text is dedented so tests can indent it."""
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(content: Path, languages: tuple[str, ...] = LANGS) -> Content:
    return load_content(content, languages, display_root=content.parent)


def problems(content: Path, languages: tuple[str, ...] = LANGS) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load(content, languages)
    return caught.value.problems


def errors(content: Path) -> list[tuple[str, int, int, str]]:
    return [(p.file, p.line, p.col, p.path) for p in problems(content) if p.severity == "error"]


def alert(content: Path, name: str, *front: str, body: str = "Text.\n") -> Path:
    """An alert file with sensible defaults for the keys not given in ``front``."""
    given = {line.split(":", 1)[0] for line in front}
    defaults = {
        "level": "level: info",
        "starts": "starts: 2024-05-01T08:00:00Z",
        "title": "title: Notice",
    }
    lines = [*front, *(v for k, v in defaults.items() if k not in given)]
    return write(content, f"alerts/{name}.md", "---\n" + "\n".join(lines) + "\n---\n" + body)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return tmp_path / "content"


# Loading what is valid


def test_a_page_pair_loads_as_translations(content: Path) -> None:
    write(
        content,
        "pages/about.en.md",
        """
        ---
        title: About us
        menu: 2
        description: Who we are and what we do.
        ---
        # Our service

        We serve *everyone* -- "day and night".

        ## Contact {#contact}
        """,
    )
    write(
        content,
        "pages/about.fr.md",
        """
        ---
        title: À propos
        slug: a-propos-de-nous
        menu: 2
        ---
        Nous servons "tout le monde".
        """,
    )
    loaded = load(content)

    en, fr = loaded.pages_in("en")[0], loaded.pages_in("fr")[0]
    assert (en.name, en.lang, en.title, en.slug, en.menu) == (
        "about",
        "en",
        "About us",
        "about-us",
        2,
    )
    assert en.description == "Who we are and what we do."
    assert en.source == content / "pages" / "about.en.md"
    # The template owns the h1, so the page's own becomes an h2.
    assert en.html.startswith("<h2>Our service</h2>")
    assert "<h1" not in en.html
    assert "<em>everyone</em>" in en.html
    assert "\u201cday and night\u201d" in en.html
    assert '<h2 id="contact">Contact</h2>' in en.html
    assert (fr.slug, fr.description) == ("a-propos-de-nous", "")
    assert "\u00ab&nbsp;tout le monde&nbsp;\u00bb" in fr.html
    assert loaded.translations(en) == {"en": en, "fr": fr}
    assert loaded.warnings == ()


def test_pages_sort_by_menu_then_name_then_language(content: Path) -> None:
    for name, menu in (("zebra", "menu: 1"), ("apple", ""), ("contact", "menu: 3")):
        for lang in LANGS:
            write(content, f"pages/{name}.{lang}.md", f"---\ntitle: {name} {lang}\n{menu}\n---\n")
    order = [(p.name, p.lang) for p in load(content).pages]
    assert order == [
        ("zebra", "en"),
        ("zebra", "fr"),
        ("contact", "en"),
        ("contact", "fr"),
        ("apple", "en"),
        ("apple", "fr"),
    ]


def test_an_alert_loads_with_its_language_sections(content: Path) -> None:
    write(
        content,
        "alerts/road-closure.md",
        """
        ---
        level: warning
        starts: 2024-05-01T09:00:00-04:00
        expires: 2024-05-03
        title:
          en: Main Street closed
          fr: Rue Main fermée
        link: /en/road-closures/
        ---
        Main Street is closed **between** 1st and 2nd.

        <!-- lang: fr -->
        La rue Main est fermée **entre** la 1re et la 2e.
        """,
    )
    (loaded,) = load(content).alerts

    assert loaded.id == "road-closure"
    assert loaded.level == "warning"
    # Times are converted to UTC; a bare date is the start of that day in UTC.
    assert loaded.starts == datetime(2024, 5, 1, 13, 0, tzinfo=UTC)
    assert loaded.starts.utcoffset() == timedelta(0)
    assert loaded.expires == datetime(2024, 5, 3, tzinfo=UTC)
    assert loaded.languages == LANGS
    assert loaded.title == Text({"en": "Main Street closed", "fr": "Rue Main fermée"})
    assert dict(loaded.body) == {
        "en": "<p>Main Street is closed <strong>between</strong> 1st and 2nd.</p>",
        "fr": "<p>La rue Main est fermée <strong>entre</strong> la 1re et la 2e.</p>",
    }
    assert loaded.link == "/en/road-closures/"
    assert loaded.source == content / "alerts" / "road-closure.md"


def test_an_alert_in_one_language_and_a_plain_title(content: Path) -> None:
    alert(
        content,
        "fr-only",
        "languages: [fr]",
        "title: Alerte AMBER",
        'starts: "2024-05-01T10:00:00+02:00"',
        "link: https://www.example.org/amber",
        body="<!-- lang: fr -->\nUne enfant est portée disparue.\n",
    )
    (loaded,) = load(content).alerts
    assert loaded.languages == ("fr",)
    assert loaded.title == Text.plain("Alerte AMBER")
    assert set(loaded.body) == {"fr"}
    assert loaded.starts == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert loaded.expires is None
    assert loaded.link == "https://www.example.org/amber"


def test_a_missing_translation_is_a_warning_not_an_error(content: Path) -> None:
    alert(content, "storm", "title: {en: Storm warning}", body="Stay home.\n")
    loaded = load(content)
    assert [a.id for a in loaded.alerts] == ["storm"]
    found = {(p.line, p.path, p.severity) for p in loaded.warnings}
    assert found == {(2, "title", "warning"), (6, "", "warning")}
    assert all(p.file == "content/alerts/storm.md" for p in loaded.warnings)


def test_windows_line_endings_and_a_byte_order_mark_are_fine(content: Path) -> None:
    text = (
        "---\nlevel: urgent\nstarts: 2024-05-01\ntitle: A\n---\nHello.\n<!-- lang: fr -->\nAllo.\n"
    )
    path = content / "alerts" / "crlf.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (loaded,) = load(content).alerts
    assert dict(loaded.body) == {"en": "<p>Hello.</p>", "fr": "<p>Allo.</p>"}


def test_missing_folders_and_readme_files_are_no_content(content: Path, tmp_path: Path) -> None:
    assert load_content(tmp_path / "nowhere", LANGS) == Content()
    write(content, "pages/README.md", "# How to write pages\n\nNo front matter here.\n")
    write(content, "alerts/README.md", "# How to write alerts\n")
    assert load(content) == Content()


# Alerts over time


def test_is_active_at_its_boundaries() -> None:
    starts, expires = NOW, NOW + timedelta(hours=2)
    notice = Alert("a", "info", starts, expires, LANGS, Text.plain("A"), {}, None, Path("a.md"))
    tick = timedelta(microseconds=1)
    assert not notice.is_active(starts - tick)
    assert notice.is_active(starts)
    assert notice.is_active(expires - tick)
    assert not notice.is_active(expires)
    forever = Alert("b", "info", starts, None, LANGS, Text.plain("B"), {}, None, Path("b.md"))
    assert forever.is_active(starts + timedelta(days=3650))
    assert not forever.is_active(starts - tick)


def test_active_alerts_filter_by_time_and_language_urgent_first(content: Path) -> None:
    alert(content, "old-info", "level: info", "starts: 2024-04-01T00:00:00Z")
    alert(content, "new-info", "level: info", "starts: 2024-04-30T00:00:00Z")
    alert(content, "old-urgent", "level: urgent", "starts: 2024-03-01T00:00:00Z")
    alert(content, "warning", "level: warning", "starts: 2024-04-15T00:00:00Z")
    alert(content, "expired", "level: urgent", "expires: 2024-05-01T11:59:59Z")
    alert(content, "future", "level: urgent", "starts: 2024-05-01T12:00:01Z")
    alert(content, "french", "level: urgent", "languages: [fr]", body="<!-- lang: fr -->\nTexte.")
    loaded = load(content)

    assert [a.id for a in loaded.alerts][:3] == ["future", "expired", "french"]
    assert [a.id for a in loaded.active_alerts(NOW, "en")] == [
        "old-urgent",
        "warning",
        "new-info",
        "old-info",
    ]
    assert [a.id for a in loaded.active_alerts(NOW, "fr")] == [
        "french",
        "old-urgent",
        "warning",
        "new-info",
        "old-info",
    ]
    later = NOW + timedelta(seconds=1)
    assert "future" in [a.id for a in loaded.active_alerts(later, "en")]


# Errors: every one with its file, line and column


@pytest.mark.parametrize(
    ("name", "text", "where", "message"),
    [
        (
            "pages/a.en.md",
            "title: About\n",
            (1, 1, ""),
            "must start with front matter",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: About\n\nBody.\n",
            (1, 1, ""),
            "never closed",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: About\nmenu: [1\n---\n",
            (4, 1, ""),
            "YAML",
        ),
        (
            "pages/a.en.md",
            "---\n- title\n---\n",
            (2, 1, ""),
            "keys and values",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: About\ntitel: Typo\n---\n",
            (3, 1, "titel"),
            'did you mean "title"',
        ),
        (
            "pages/a.en.md",
            "---\nmenu: 1\n---\n",
            (1, 1, "title"),
            'missing required key "title"',
        ),
        (
            "pages/a.en.md",
            "---\ntitle: About\nmenu: first\n---\n",
            (3, 7, "menu"),
            "whole number",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: [About]\n---\n",
            (2, 8, "title"),
            "expected text",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: About\nslug: About Us\n---\n",
            (3, 7, "slug"),
            "slug: about-us",
        ),
        (
            "pages/a.en.md",
            "---\ntitle: '!!!'\n---\n",
            (2, 8, "title"),
            "empty URL",
        ),
        (
            "pages/a.de.md",
            "---\ntitle: Über uns\n---\n",
            (1, 1, ""),
            '"de" in the file name is not a site language',
        ),
        (
            "pages/a.FR.md",
            "---\ntitle: À propos\n---\n",
            (1, 1, ""),
            'did you mean "fr"',
        ),
        (
            "pages/about.md",
            "---\ntitle: About\n---\n",
            (1, 1, ""),
            "name it about.en.md",
        ),
        (
            "alerts/a.md",
            "---\nlevel: severe\nstarts: 2024-05-01\ntitle: A\n---\n",
            (2, 8, "level"),
            '"urgent", "warning" or "info"',
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-02\nexpires: 2024-05-01\ntitle: A\n---\n",
            (4, 10, "expires"),
            "is not after starts",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: tomorrow\ntitle: A\n---\n",
            (3, 9, "starts"),
            "expected a date",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01 09:00:00\ntitle: A\n---\n",
            (3, 9, "starts"),
            "no UTC offset",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\nexpires: 9999-12-31T23:59:00-05:00\n"
            "title: A\n---\n",
            (4, 10, "expires"),
            "the year must be between 1900 and 9000",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-02-30\ntitle: A\n---\n",
            (3, 9, ""),
            "2024-02-30",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\ntitle: A\n---\n",
            (1, 1, "starts"),
            'missing required key "starts"',
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\nlanguages: [en, es]\n---\n",
            (5, 17, "languages[1]"),
            "not a site language",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\nlanguages: [[en]]\n---\n",
            (5, 13, "languages[0]"),
            "a list is not a site language",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\nlanguages: []\n---\n",
            (5, 12, "languages"),
            "got an empty list",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: {en: A, fre: B}\n---\n",
            (4, 16, "title.fre"),
            'did you mean "fr"',
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\n---\nHello.\n\n"
            "<!-- lang: de -->\nHallo.\n",
            (8, 1, ""),
            '"de" is not a site language',
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\n---\nHello.\n<!--lang:fr-->\nAllo.\n",
            (7, 1, ""),
            'exactly as "<!-- lang: fr -->"',
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\n---\nA\n<!-- lang: fr -->\nB\n"
            "<!-- lang: fr -->\nC\n",
            (9, 1, ""),
            "already started on line 7",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\nlink: javascript:alert(1)\n---\n",
            (5, 7, "link"),
            "neither an http(s) URL nor a path",
        ),
        (
            "alerts/a.md",
            "---\nlevel: info\nstarts: 2024-05-01\ntitle: A\nlink: //evil.example/x\n---\n",
            (5, 7, "link"),
            "neither an http(s) URL nor a path",
        ),
        (
            "alerts/a.md",
            b"---\nlevel: info\nstarts: 2024-05-01\ntitle: Caf\xe9\n---\n",
            (4, 11, ""),
            "not UTF-8",
        ),
        (
            "pages/a.en.md",
            b"---\ntitle: Ok\n---\nBody \xff here.\n",
            (4, 6, ""),
            "not UTF-8",
        ),
    ],
)
def test_each_problem_points_at_its_file_and_line(
    content: Path, name: str, text: str | bytes, where: tuple[int, int, str], message: str
) -> None:
    path = content / name
    path.parent.mkdir(parents=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())

    found = [p for p in problems(content) if p.severity == "error"]

    assert [(p.file, p.line, p.col, p.path) for p in found] == [(f"content/{name}", *where)]
    assert message in found[0].message


def test_two_pages_with_one_url_in_one_language(content: Path) -> None:
    write(content, "pages/about.en.md", "---\ntitle: About us\n---\n")
    write(content, "pages/team.en.md", "---\ntitle: Our team\nslug: about-us\n---\n")
    write(content, "pages/team.fr.md", "---\ntitle: About us\n---\n")  # another language: fine
    found = problems(content)
    assert [(p.file, p.line, p.col, p.path) for p in found] == [
        ("content/pages/team.en.md", 3, 7, "slug")
    ]
    assert "about.en.md" in found[0].message


def test_every_problem_in_every_file_is_reported_at_once(content: Path) -> None:
    write(content, "pages/b.en.md", "---\ntitle: B\nmenu: x\nsulg: b\n---\n")
    write(content, "pages/a.xx.md", "---\ntitle: A\n---\n")
    alert(content, "c", "level: loud", "expires: soon")
    write(content, "pages/fine.en.md", "---\ntitle: Fine\n---\n")

    with pytest.raises(ContentError) as caught:
        load(content)
    assert isinstance(caught.value, HubError)
    assert str(caught.value) == "5 errors in the content files"
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [
        ("content/alerts/c.md", 2, "level"),
        ("content/alerts/c.md", 3, "expires"),
        ("content/pages/a.xx.md", 1, ""),
        ("content/pages/b.en.md", 3, "menu"),
        ("content/pages/b.en.md", 4, "sulg"),
    ]
    assert caught.value.problems[0].format().startswith("content/alerts/c.md:2:8: error: level:")


def test_without_display_root_problems_name_the_full_path(content: Path) -> None:
    path = write(content, "pages/a.en.md", "---\nmenu: 1\n---\n")
    with pytest.raises(ContentError) as caught:
        load_content(content, LANGS)
    assert caught.value.problems[0].file == str(path)


# HTML


def test_markdown_is_sanitized_for_a_strict_content_security_policy(content: Path) -> None:
    write(
        content,
        "pages/safety.en.md",
        """
        ---
        title: Safety
        ---
        <script>alert(1)</script>
        <p style="color:red" class="x" onclick="steal()">Styled</p>
        <iframe src="https://video.example/embed"></iframe>
        <form action="/x"><input name="q"></form>

        [Call us](tel:555-0100) [Write](mailto:info@police.example) [Map](/en/map/)
        [Bad](javascript:alert(1))

        ![Our station](/photos/station.jpg) ![Team](photos/team.jpg)

        ![Hotlinked](https://cdn.elsewhere.example/a.png)
        ![Sneaky](//cdn.elsewhere.example/b.png)

        <h3 id="not simple!">Heading</h3>
        """,
    )
    loaded = load(content)
    html = loaded.pages[0].html

    for forbidden in ("<script", "alert(1)", "style=", "class=", "onclick", "<iframe", "<form"):
        assert forbidden not in html
    assert "<input" not in html
    assert "elsewhere.example" not in html
    assert "javascript:" not in html
    assert "<p>Styled</p>" in html
    assert 'href="tel:555-0100"' in html
    assert 'href="mailto:info@police.example"' in html
    assert 'href="/en/map/"' in html
    assert '<img alt="Our station" src="/photos/station.jpg">' in html
    assert '<img alt="Team" src="photos/team.jpg">' in html
    assert "<h3>Heading</h3>" in html
    # Dropped images are reported where they are written, so staff can fix them.
    dropped = [(p.line, p.severity) for p in loaded.warnings if "image" in p.message]
    assert dropped == [(14, "warning"), (15, "warning")]


def test_paths_from_the_sites_root_get_the_path_it_is_served_under(content: Path) -> None:
    sources = content.parent / "sources.yaml"
    sources.write_text(
        "site:\n  name: Lakeview Police Service\n  url: https://org.github.io/hub/\n"
        "  languages: [en, fr]\n  contact: {emergency: '911'}\n"
        "units:\n  - {id: traffic, name: Traffic Services, kind: unit}\n",
        encoding="utf-8",
    )
    reg = registry.load(sources).registry
    write(
        content,
        "pages/p.en.md",
        """
        ---
        title: P
        ---
        [Directory](/en/connect/) [Other](//other.example/x) [Top](#top) [Near](pages/x/)
        [Web](https://www.lakeview.example/) ![Station](/photos/station.jpg)
        """,
    )
    html = load_content(content, LANGS, registry=reg).pages[0].html
    assert 'href="/hub/en/connect/"' in html
    assert 'src="/hub/photos/station.jpg"' in html
    for unchanged in ("//other.example/x", "#top", "pages/x/", "https://www.lakeview.example/"):
        assert f'href="{unchanged}"' in html
    # Without a path, or without the registry, the paths stay as they are written.
    assert 'href="/en/connect/"' in load(content).pages[0].html


def test_footnotes_keep_working_anchors(content: Path) -> None:
    write(content, "pages/n.fr.md", "---\ntitle: Notes\n---\nTexte[^1].\n\n[^1]: Une note.\n")
    html = load(content).pages[0].html
    assert '<sup id="fnref-1"><a href="#fn-1"' in html
    assert '<li id="fn-1">' in html
    assert "Retour \u00e0 l\u2019appel de note 1" in html


# The repository's own content


def test_the_demo_content_loads_without_problems() -> None:
    folder = ROOT / "content"
    loaded = load_content(folder, LANGS, display_root=ROOT)
    assert loaded.warnings == ()
    assert loaded.pages_in("en")
    assert loaded.pages_in("fr")
    assert all(page.html for page in loaded.pages)


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_folder(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(content, "events/town-hall.md", "---\ntitle: Town hall\n---\n")
    events = content / "events"
    listdir = os.listdir

    def refusing(path: object) -> list[str]:
        if Path(str(path)) == events:
            raise PermissionError(13, "Permission denied", str(path))
        return listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listdir", refusing)
    (problem,) = problems(content)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.file.endswith("events")
    assert problem.message == "cannot read the folder: Permission denied"


def test_a_missing_title_says_which_language_the_pages_show_instead(content: Path) -> None:
    write(
        content,
        "alerts/bridge.md",
        "---\nlevel: info\nstarts: 2024-05-01\ntitle: {en: Bridge closed}\n---\n",
    )
    loaded = load(content, ("fr", "en"))
    said = [p.message for p in loaded.warnings if p.path == "title"]
    assert said == ["no fr title: the fr pages will show the en one"]


def test_an_alert_shown_in_one_language_is_written_in_it(content: Path) -> None:
    write(
        content,
        "alerts/bridge.md",
        "---\nlevel: info\nstarts: 2024-05-01\nlanguages: [en]\ntitle: Bridge closed\n---\n\n"
        "The bridge is closed.\n",
    )
    (alert,) = load(content, ("fr", "en")).alerts
    assert set(alert.body) == {"en"}


def test_each_language_started_twice_is_reported(content: Path) -> None:
    body = "Top.\n<!-- lang: fr -->\nUn.\n<!-- lang: fr -->\nDeux.\n<!-- lang: en -->\nAgain.\n"
    write(content, "alerts/a.md", f"---\nlevel: info\nstarts: 2024-05-01\ntitle: A\n---\n{body}")
    said = [p.message for p in problems(content) if "already started" in p.message]
    assert said == [
        "the fr text already started on line 7: keep one",
        "the en text already started at the top of the body: keep one",
    ]
