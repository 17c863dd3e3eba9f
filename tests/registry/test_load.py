"""The registry: broken registries through the real command line, and valid
ones loaded into the model through ``hub.registry.load``.

The broken registries live in tests/data/registries/, one case per file with
its expectations in a header comment (see the README there); adding a case is
adding a file.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from hub.model import NEUTRAL, FeedRef, FetchSettings, Text
from hub.problems import Problem, RegistryError
from hub.registry.load import Checked, load, loads
from hub.registry.yamlnodes import MAX_BYTES

DATA = Path(__file__).parents[1] / "data"
BROKEN = DATA / "registries"
VALID = DATA / "valid"

HEADER = re.compile(r"^#\s*(?P<name>Description|Expect|Schema):\s*(?P<value>.*?)\s*$")
EXPECT = re.compile(r"^(?P<line>\d+)(?::(?P<col>\d+))?:\s*(?P<text>.+)$")
REPORTED = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<text>.*)$"
)


@dataclass(frozen=True)
class Expect:
    """An error the case must report: where, and a piece of ``PATH: MESSAGE``."""

    line: int
    col: int | None
    text: str

    def matches(self, reported: Reported) -> bool:
        return (
            reported.line == self.line
            and self.col in (None, reported.col)
            and self.text in reported.text
        )

    def __str__(self) -> str:
        where = f"{self.line}:{self.col}" if self.col is not None else str(self.line)
        return f"{where}: {self.text}"


@dataclass(frozen=True)
class Reported:
    """A ``FILE:LINE:COL: SEVERITY: TEXT`` line printed by ``hub check``."""

    file: str
    line: int
    col: int
    severity: str
    text: str


@dataclass(frozen=True)
class BrokenCase:
    path: Path
    description: str
    expects: tuple[Expect, ...]
    schema: str
    """``invalid`` when the JSON Schema can tell the mistake, ``n/a`` when it cannot."""

    @property
    def id(self) -> str:
        return self.path.stem


def read_case(path: Path) -> BrokenCase:
    """A case file's header: the comment lines at its top."""
    fields: dict[str, list[str]] = {"Description": [], "Expect": [], "Schema": []}
    # Latin-1 reads any bytes, so a case that is not UTF-8 still has a header.
    for line in path.read_bytes().decode("latin-1").splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match:
            fields[match["name"]].append(match["value"])
    expects = []
    for value in fields["Expect"]:
        match = EXPECT.match(value)
        assert match, f"{path.name}: bad header line 'Expect: {value}' (want LINE[:COL]: TEXT)"
        col = int(match["col"]) if match["col"] else None
        expects.append(Expect(int(match["line"]), col, match["text"]))
    assert fields["Description"], f"{path.name}: no 'Description:' header line"
    assert expects, f"{path.name}: no 'Expect:' header line"
    assert fields["Schema"] in (["invalid"], ["n/a"]), (
        f"{path.name}: needs one 'Schema: invalid' or 'Schema: n/a' header line"
    )
    return BrokenCase(path, fields["Description"][0], tuple(expects), fields["Schema"][0])


def broken_cases() -> list[BrokenCase]:
    return [read_case(path) for path in sorted(BROKEN.glob("*.yaml"))]


def make_root(folder: Path) -> Path:
    """A registry folder with the default theme, as a real site has."""
    (folder / "themes" / "default").mkdir(parents=True, exist_ok=True)
    return folder


def hub_check(registry: Path) -> subprocess.CompletedProcess[str]:
    """``python -m hub check`` on a registry, run from the registry's folder."""
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environ["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "hub", "check", "--sources", registry.name],
        cwd=registry.parent,
        env=environ,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        check=False,
    )


def reported(result: subprocess.CompletedProcess[str], file: str) -> list[Reported]:
    lines = []
    for line in result.stderr.splitlines():
        match = REPORTED.match(line)
        if match and match["file"] == file:
            lines.append(
                Reported(
                    match["file"],
                    int(match["line"]),
                    int(match["col"]),
                    match["severity"],
                    match["text"],
                )
            )
    return lines


def assert_reports(
    result: subprocess.CompletedProcess[str], file: str, expects: tuple[Expect, ...]
) -> None:
    """Exit 1, no traceback, every expected error and no other error."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    errors = [r for r in reported(result, file) if r.severity == "error"]
    missing = [str(e) for e in expects if not any(e.matches(r) for r in errors)]
    assert not missing, f"expected errors not reported: {missing}\n--- stderr:\n{result.stderr}"
    extra = [r for r in errors if not any(e.matches(r) for e in expects)]
    assert not extra, f"unexpected errors: {extra}\n--- stderr:\n{result.stderr}"


# --- broken registries, through the command line ---------------------------------


RunCase = Callable[[BrokenCase], subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def run_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunCase]:
    """``hub check`` on a case, copied into a folder of its own.

    Most of each run is the interpreter starting, so the runs are started
    side by side up front, unless pytest-xdist already spreads the cases.
    """
    root = tmp_path_factory.mktemp("broken")

    def copy(case: BrokenCase) -> Path:
        registry = make_root(root / case.id) / case.path.name
        shutil.copyfile(case.path, registry)
        return registry

    if os.environ.get("PYTEST_XDIST_WORKER"):
        yield lambda case: hub_check(copy(case))
        return
    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        runs = {case.id: pool.submit(hub_check, copy(case)) for case in broken_cases()}
        yield lambda case: runs[case.id].result()


@pytest.mark.parametrize("case", broken_cases(), ids=lambda c: c.id)
def test_broken_registry(case: BrokenCase, run_case: RunCase) -> None:
    assert_reports(run_case(case), case.path.name, case.expects)


def test_the_corpus_covers_enough() -> None:
    cases = broken_cases()
    assert len(cases) >= 35
    assert len({c.id for c in cases}) == len(cases)
    assert any(c.schema == "invalid" for c in cases)
    assert any(c.schema == "n/a" for c in cases)


def test_read_case_refuses_a_header_without_expectations(tmp_path: Path) -> None:
    case = tmp_path / "no-expect.yaml"
    case.write_text("# Description: nothing expected\n# Schema: n/a\nsite: {}\n")
    with pytest.raises(AssertionError, match="no 'Expect:' header line"):
        read_case(case)


GENERATED: dict[str, tuple[bytes, Expect]] = {
    "empty": (b"", Expect(1, 1, "the file is empty")),
    "blank": (b"\n\n   \n", Expect(1, 1, "the file is empty")),
    "utf-16": ("site: {}\n".encode("utf-16"), Expect(1, 1, "the file is not UTF-8 (byte 0xff)")),
}


@pytest.mark.parametrize("name", [*GENERATED, "oversized"])
def test_generated_broken_registry(name: str, tmp_path: Path) -> None:
    """Files that cannot carry a header comment."""
    if name == "oversized":
        # Built here, not in the parameters: a 20 MiB test id would not fit in the environment.
        content = b"site:\n  name: Lakeview\n# " + b"x" * (MAX_BYTES + 1024) + b"\n"
        expect = Expect(1, 1, "the limit is 20 MiB")
    else:
        content, expect = GENERATED[name]
    registry = make_root(tmp_path) / f"{name}.yaml"
    registry.write_bytes(content)
    assert_reports(hub_check(registry), registry.name, (expect,))


def test_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    data = b"units: [" + b"x, " * (MAX_BYTES // 3 + 10) + b"]\n"
    with pytest.raises(RegistryError) as error:
        loads(data, make_root(tmp_path) / "sources.yaml")
    assert [(p.line, p.col) for p in error.value.problems] == [(1, 1)]
    assert "MiB" in error.value.problems[0].message


# --- valid registries, through the library -----------------------------------------


def load_valid(name: str, folder: Path, *, files: bool = True) -> Checked:
    """A valid example copied into ``folder``, with the files it names next to it."""
    root = make_root(folder)
    registry = root / name
    shutil.copyfile(VALID / name, registry)
    if files:
        for path in (
            "content/images/logo.svg",
            "content/feeds/comms-mastodon.xml",
            "content/feeds/news-releases.xml",
            "content/photos/traffic.jpg",
            "content/photos/jack-west.jpg",
        ):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(placeholder(path))
    return load(registry)


def placeholder(path: str) -> bytes:
    """A file of the kind its name says: an image where the registry names one."""
    if path.endswith(".svg"):
        return b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"/>'
    if path.endswith(".jpg"):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "navy").save(out, "JPEG")
        return out.getvalue()
    return b"x"


@pytest.fixture
def bilingual(tmp_path: Path) -> Checked:
    return load_valid("bilingual.yaml", tmp_path)


def test_valid_example_has_no_warnings(bilingual: Checked) -> None:
    assert bilingual.warnings == ()


def test_site(bilingual: Checked) -> None:
    site = bilingual.registry.site
    assert site.name == Text(
        {"en": "Lakeview Police Service", "fr": "Service de police de Lakeview"}
    )
    assert site.url == "https://connect.lakeview.example"  # the trailing slash is dropped
    assert site.languages == ("en", "fr")
    assert site.default_language == "en"
    assert site.theme == "default"
    assert site.logo == "content/images/logo.svg"
    assert (site.colors.primary, site.colors.accent) == ("#0b3d91", "#FD0")
    assert site.contact.emergency == "911"
    assert site.contact.non_emergency == "555-808-2222"
    assert site.contact.tips is not None
    assert site.contact.tips.name.get("fr", "en") == "Échec au crime de Lakeview"
    assert site.contact.tips.phone == "1-800-555-8477"
    assert site.contact.tips.url == "https://tips.lakeview.example"
    assert site.disclaimer is not None and site.disclaimer.get("fr", "en").startswith("Ces comptes")
    assert site.fetch == FetchSettings(
        concurrency=16,
        per_host=2,
        connect_timeout=2.5,
        read_timeout=10,
        total_timeout=20,
        max_bytes=1048576,
        max_redirects=3,
        allow_private_addresses=False,
        max_entries=50,
    )


def test_defaults(tmp_path: Path) -> None:
    checked = load_valid("minimal.yaml", tmp_path)
    registry = checked.registry
    assert checked.warnings == ()
    assert registry.site.theme == "default"
    assert registry.site.fetch == FetchSettings()
    assert registry.site.fetch.concurrency == 32
    assert registry.site.colors.primary == "#0b3d91"
    assert registry.site.contact.tips is None
    assert registry.site.disclaimer is None
    assert registry.officers == ()
    (unit,) = registry.units
    assert (unit.parent, unit.official, unit.topics, unit.accounts) == (None, False, (), ())
    assert registry.root == tmp_path
    assert registry.feeds() == ()


def test_units(bilingual: Checked) -> None:
    units = {u.id: u for u in bilingual.registry.units}
    assert list(units) == [
        "corporate-communications",
        "operations",
        "traffic",
        "north-division",
        "youth-committee",
    ]
    assert units["corporate-communications"].official is True
    assert units["corporate-communications"].kind == "office"
    assert units["corporate-communications"].topics == ("news", "public-safety")
    assert units["traffic"].parent == "operations"
    assert units["traffic"].photo == "content/photos/traffic.jpg"
    assert units["youth-committee"].parent is None
    assert units["youth-committee"].kind == "committee"


def test_texts_plain_and_per_language(bilingual: Checked) -> None:
    units = {u.id: u for u in bilingual.registry.units}
    plain = units["youth-committee"].name
    assert plain == Text.plain("Lakeview Youth Advisory Committee")
    assert plain.values == {NEUTRAL: "Lakeview Youth Advisory Committee"}
    # A plain string reads the same in every language and needs no lang attribute.
    assert plain.pick("fr", "en") == ("Lakeview Youth Advisory Committee", None)
    both = units["traffic"].name
    assert both.pick("fr", "en") == ("Services de la circulation", "fr")
    assert both.pick("en", "en") == ("Traffic Services", "en")
    # A language with no text falls back to the site's default language...
    assert both.pick("de", "en") == ("Traffic Services", "en")
    assert both.get("de", "fr") == "Services de la circulation"
    # ...and then to whatever language there is.
    assert Text({"fr": "Patrouille"}).pick("en", "en") == ("Patrouille", "fr")


def test_officers(bilingual: Checked) -> None:
    officers = {o.id: o for o in bilingual.registry.officers}
    # An officer's id is the slug of the name unless given.
    assert list(officers) == ["jack-west", "marie-cote", "robert-tremblay"]
    west = officers["jack-west"]
    assert west.name == "Jack West"
    assert west.display_name == "Sgt Jack West"
    assert west.unit == "traffic"
    assert west.title == Text({"en": "Traffic safety officer", "fr": "Agent de sécurité routière"})
    assert west.bio == Text.plain("Twenty years on the road, and still slowing people down.")
    assert west.languages == ("en", "fr")
    assert west.topics == ("road-safety",)
    assert west.since == date(2011, 7, 27)
    assert west.until is None
    assert officers["marie-cote"].name == "Marie Côté"


def test_former_officers(bilingual: Checked) -> None:
    officers = {o.id: o for o in bilingual.registry.officers}
    former = officers["robert-tremblay"]
    assert former.until == date(2019, 6, 30)
    assert former.is_former(date(2024, 1, 1))
    assert not former.is_former(date(2019, 6, 30))  # still serving on the last day
    assert former.is_former(date(2019, 7, 1))
    assert not officers["jack-west"].is_former(date.today() + timedelta(days=3650))
    # Former officers stay in the registry: their accounts are archived, not deleted.
    assert [a.handle for a in former.accounts] == ["SSgtTremblay"]


def test_accounts_from_the_platform_table(bilingual: Checked) -> None:
    units = {u.id: u for u in bilingual.registry.units}
    accounts = {(a.platform, a.handle): a for a in units["corporate-communications"].accounts}
    # twitter is an alias of x, and the @ is dropped.
    french = accounts[("x", "SPLakeview")]
    assert french.url == "https://x.com/SPLakeview"
    assert french.feed is None
    assert french.label == Text({"en": "X (in French)", "fr": "X (en français)"})
    assert (
        accounts[("instagram", "lakeviewpolice")].url == "https://www.instagram.com/lakeviewpolice/"
    )
    youtube = accounts[("youtube", "UCPtYgjmUhBel31iEl2hpChY")]
    assert youtube.url == "https://www.youtube.com/channel/UCPtYgjmUhBel31iEl2hpChY"
    assert youtube.feed == FeedRef(
        "https://www.youtube.com/feeds/videos.xml?channel_id=UCPtYgjmUhBel31iEl2hpChY",
        url="https://www.youtube.com/feeds/videos.xml?channel_id=UCPtYgjmUhBel31iEl2hpChY",
    )
    bluesky = accounts[("bluesky", "lakeview.example")]
    assert bluesky.url == "https://bsky.app/profile/lakeview.example"
    assert bluesky.feed is not None
    assert bluesky.feed.url == "https://bsky.app/profile/lakeview.example/rss"
    flickr = accounts[("flickr", "148392017@N04")]
    assert flickr.feed is not None and flickr.feed.url is not None
    assert "photos_public.gne?id=148392017@N04" in flickr.feed.url
    assert all(a.owner == "unit:corporate-communications" for a in accounts.values())
    officer = bilingual.registry.officers[0]
    assert [a.owner for a in officer.accounts] == ["officer:jack-west"] * 2
    assert officer.accounts[1].handle == "sgt.jack.west"


def test_local_feeds_resolve_inside_the_folder(bilingual: Checked, tmp_path: Path) -> None:
    units = {u.id: u for u in bilingual.registry.units}
    accounts = units["corporate-communications"].accounts
    (mastodon,) = [a for a in accounts if a.platform == "mastodon"]
    # A feed given in the registry replaces the platform's.
    assert mastodon.url == "https://social.lakeview.example/@lakeviewpolice"
    assert mastodon.feed == FeedRef(
        "content/feeds/comms-mastodon.xml",
        path=(tmp_path / "content/feeds/comms-mastodon.xml").resolve(),
    )
    assert mastodon.feed.is_local
    (website,) = [a for a in accounts if a.platform == "website"]
    assert website.handle is None
    assert website.url == "https://www.lakeview.example/police/news/"
    assert website.feed is not None and website.feed.source == "content/feeds/news-releases.xml"
    (blog,) = [a for a in units["traffic"].accounts if a.platform == "blog"]
    assert blog.feed == FeedRef(
        "https://blog.lakeview.example/traffic/feed.xml",
        url="https://blog.lakeview.example/traffic/feed.xml",
    )
    assert not blog.feed.is_local


def test_feeds_are_distinct_and_in_registry_order(bilingual: Checked) -> None:
    sources = [f.source for f in bilingual.registry.feeds()]
    assert len(sources) == len(set(sources))
    assert sources[:3] == [
        "https://www.youtube.com/feeds/videos.xml?channel_id=UCPtYgjmUhBel31iEl2hpChY",
        "content/feeds/comms-mastodon.xml",
        "https://bsky.app/profile/lakeview.example/rss",
    ]
    assert sum(1 for _ in bilingual.registry.accounts()) == 27


def test_feed_source_keeps_the_relative_posix_path(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "content" / "feeds").mkdir(parents=True)
    (root / "content" / "feeds" / "news.xml").write_text("<rss/>")
    checked = loads(
        registry_text(
            "      - {platform: website, url: 'https://a.example/', feed: content/feeds/news.xml}"
        ),
        root / "sources.yaml",
    )
    (account,) = checked.registry.units[0].accounts
    assert account.feed is not None
    assert account.feed.source == "content/feeds/news.xml"
    assert account.feed.path == (root / "content" / "feeds" / "news.xml").resolve()
    assert account.feed.url is None


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "feed.xml").write_text("<rss/>")
    root = make_root(tmp_path / "site")
    (root / "content").mkdir()
    (root / "content" / "elsewhere").symlink_to(outside, target_is_directory=True)
    with pytest.raises(RegistryError) as error:
        loads(
            registry_text(
                "      - {platform: website, url: 'https://a.example/', "
                "feed: content/elsewhere/feed.xml}"
            ),
            root / "sources.yaml",
        )
    (problem,) = error.value.problems
    assert problem.path == "units[0].accounts[0].feed"
    assert "leaves the registry's folder" in problem.message


def registry_text(*account_lines: str, officers: str = "") -> bytes:
    """A small registry whose one unit has the given account lines."""
    lines = [
        "site:",
        "  name: Lakeview Police Service",
        "  url: https://connect.lakeview.example",
        "  languages: [en, fr]",
        '  contact: {emergency: "911"}',
        "units:",
        "  - id: traffic",
        "    name: Traffic Services",
        "    kind: unit",
        "    accounts:",
        *account_lines,
    ]
    if not account_lines:
        lines.pop()
    return ("\n".join(lines) + "\n" + officers).encode()


def test_warnings_do_not_fail_the_load(tmp_path: Path) -> None:
    officers = (
        "officers:\n"
        "  - name: Jack West\n"  # line 11
        "    unit: traffic\n"
        "  - name: Marie Côté\n"
        "    unit: traffic\n"
        "    photo: content/photos/marie.jpg\n"  # line 15
        "    accounts: [{platform: x, handle: CstCote}]\n"
    )
    checked = loads(registry_text(officers=officers), make_root(tmp_path) / "sources.yaml")
    assert [o.id for o in checked.registry.officers] == ["jack-west", "marie-cote"]
    assert [(w.line, w.col, w.path, w.severity) for w in checked.warnings] == [
        (11, 5, "officers[0]", "warning"),
        (15, 12, "officers[1].photo", "warning"),
    ]
    assert "Jack West has no accounts" in checked.warnings[0].message
    assert 'file "content/photos/marie.jpg" not found' in checked.warnings[1].message


def test_exact_positions(tmp_path: Path) -> None:
    text = registry_text(
        "      - {platform: x, handle: LakeviewTrafficServices}",
        "      - platform: facebook",
        "        handle: lpd",
        officers="officers:\n  - {name: Jack West, unit: trafic}\n",
    )
    with pytest.raises(RegistryError) as error:
        loads(text, make_root(tmp_path) / "sources.yaml", display_name="sources.yaml")
    problems = [(p.file, p.line, p.col, p.path, p.severity) for p in error.value.problems]
    assert problems == [
        ("sources.yaml", 11, 31, "units[0].accounts[0].handle", "error"),
        ("sources.yaml", 13, 17, "units[0].accounts[1].handle", "error"),
        # Warnings found on the way come along with the errors.
        ("sources.yaml", 15, 5, "officers[0]", "warning"),
        ("sources.yaml", 15, 29, "officers[0].unit", "error"),
    ]
    assert error.value.problems[3].format() == (
        'sources.yaml:15:29: error: officers[0].unit: no unit with id "trafic" '
        '(did you mean "traffic"?)'
    )


FIVE_ERRORS = """\
officers:
  - name: Jack West
    unit: marine
    accounts:
      - {platform: x, handle: "not a handle"}
site:
  name: Lakeview Police Service
  url: javascript:alert(1)
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: traffic
    name: Traffic Services
    kind: squad
    parent: operations
"""


def test_every_problem_is_reported_in_one_run_sorted_by_line(tmp_path: Path) -> None:
    # The officers come first in the file but are checked last: the problems
    # still come out in the order of the file.
    with pytest.raises(RegistryError) as error:
        loads(FIVE_ERRORS.encode(), make_root(tmp_path) / "sources.yaml")
    problems = error.value.problems
    assert [(p.line, p.col, p.path) for p in problems] == [
        (3, 11, "officers[0].unit"),
        (5, 31, "officers[0].accounts[0].handle"),
        (8, 8, "site.url"),
        (14, 11, "units[0].kind"),
        (15, 13, "units[0].parent"),
    ]
    assert all(p.severity == "error" for p in problems)
    assert str(error.value) == "5 errors in the registry"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as error:
        load(tmp_path / "nowhere.yaml")
    (problem,) = error.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert "cannot read the file" in problem.message


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_file_that_is_not_a_regular_file_is_refused_not_waited_on(
    tmp_path: Path, kind: str
) -> None:
    # A named pipe would block the read for ever, /dev/zero never end it.
    path = tmp_path / "sources.yaml"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(RegistryError) as error:
        load(path)
    (problem,) = error.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message == "cannot read the file: not a regular file"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    checked = loads(b"\xef\xbb\xbf" + registry_text(), make_root(tmp_path) / "sources.yaml")
    assert checked.registry.units[0].id == "traffic"


def test_problem_format() -> None:
    problem = Problem("sources.yaml", 14, 7, "officers[3].accounts[0].handle", "bad")
    assert problem.format() == "sources.yaml:14:7: error: officers[3].accounts[0].handle: bad"
    assert Problem("s.yaml", 1, 1, "", "empty", "warning").format() == "s.yaml:1:1: warning: empty"


# --- photos and the logo: images the site can publish --------------------------------

PHOTOS = """\
site:
  name: Lakeview Police Service
  url: https://connect.lakeview.example
  languages: [en]
  contact: {emergency: "911"}
  logo: content/logo.png
units:
  - id: traffic
    name: Traffic Services
    kind: unit
    photo: content/page.jpg
  - id: marine
    name: Marine Unit
    kind: unit
    photo: content/boat.gif
officers:
  - name: Jane Doe
    unit: traffic
    photo: content/huge.png
  - name: John Roe
    unit: traffic
    photo: content/raw.jpg
  - name: Ann Poe
    unit: marine
    photo: content/phone.jpg
  - name: Sam Loe
    unit: marine
    photo: content/drawing.svg
"""


def test_a_photo_or_logo_the_site_cannot_publish_is_an_error_at_its_key(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    content = root / "content"
    content.mkdir()
    frames = [Image.new("RGB", (24, 16), colour) for colour in ("red", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80)
    (content / "boat.gif").write_bytes(out.getvalue())
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "navy").save(out, "PNG")
    (content / "logo.png").write_bytes(out.getvalue()[:-40])
    (content / "page.jpg").write_bytes(b"<!DOCTYPE html><html><body>Sign in</body></html>")
    out = io.BytesIO()
    Image.new("1", (9_000, 9_000)).save(out, "PNG")  # a few kilobytes; 81 megapixels
    (content / "huge.png").write_bytes(out.getvalue())
    (content / "raw.jpg").write_bytes(b"\xff\xd8\xff" + bytes(6 * 1024 * 1024))
    # A phone's photo, GPS position and all, is welcome: the site publishes its pixels only.
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 39.0, 12.5), 3: "W", 4: (79.0, 23.0, 1.0)}
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "teal").save(out, "JPEG", exif=exif)
    (content / "phone.jpg").write_bytes(out.getvalue())
    (content / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    registry = root / "sources.yaml"
    registry.write_text(PHOTOS, encoding="utf-8")

    result = hub_check(registry)

    assert_reports(
        result,
        "sources.yaml",
        (
            Expect(6, 9, 'site.logo: "content/logo.png" is a PNG image cut short or damaged'),
            Expect(11, 12, 'units[0].photo: "content/page.jpg" is an HTML page, not a JPEG'),
            Expect(15, 12, 'units[1].photo: "content/boat.gif" is an animated GIF (2 frames)'),
            Expect(19, 12, 'officers[0].photo: "content/huge.png" is 81 megapixels; the limit'),
            Expect(22, 12, 'officers[1].photo: "content/raw.jpg" is 6 MiB; the limit is 5 MiB'),
            Expect(28, 12, 'officers[3].photo: "content/drawing.svg" is an SVG file with a <scr'),
        ),
    )
    assert "make a smaller copy for the web" in result.stderr
    assert "use a still image" in result.stderr
