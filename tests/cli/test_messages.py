"""What a run says: ``-q`` (errors only), ``-v`` (a line per feed), colour on a terminal only.

Colour is tested on a real pseudo-terminal (the standard library's ``pty``),
the rest through pipes, always with the real command in a subprocess and a
real local feed server.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hub.cli import messages
from tests.cli.hubsite import REPO, HubSite, on_terminal
from tests.feedserver import FeedServer

RED = "\x1b[1;31m"
MAGENTA = "\x1b[1;35m"
RESET = "\x1b[0m"
ESCAPE = "\x1b["

INVALID = """\
site:
  name: Lakeview Police Service
  url: javascript:alert(1)
  languages: [en]
  contact: {emergency: "911"}
units:
  - {id: traffic, name: Traffic Services, kind: unit}
officers:
  - name: Jack West
    unit: traffic
"""


@pytest.fixture
def site(tmp_path: Path, feed_server: FeedServer) -> HubSite:
    return HubSite(tmp_path, feed_server)


def write(site: HubSite, text: str) -> None:
    (site.root / "sources.yaml").write_text(text, encoding="utf-8")


def check_on_terminal(site: HubSite, *args: str, **env: str) -> tuple[int, str]:
    ran = on_terminal(site.root, [sys.executable, "-m", "hub", "check", *args], site.environ(**env))
    return ran.code, ran.stderr


# -- colour ----------------------------------------------------------------------------


def test_errors_and_warnings_are_coloured_on_a_terminal(site: HubSite) -> None:
    write(site, INVALID)
    code, stderr = check_on_terminal(site)
    assert code == 1
    lines = stderr.splitlines()
    # GCC's format, only the severity word coloured.
    assert (
        f"sources.yaml:3:8: {RED}error:{RESET} site.url: expected an http:// or https:// URL, "
        'got "javascript:alert(1)"'
    ) in lines
    warning = f"sources.yaml:9:5: {MAGENTA}warning:{RESET} officers[0]: Jack West has no accounts"
    assert any(line.startswith(warning) for line in lines)
    assert lines[-1] == f"{RED}error:{RESET} sources.yaml: 1 error, 1 warning"


@pytest.mark.parametrize("value", ["1", "true", "0", "no"])
def test_no_color_turns_it_off_whatever_its_value(site: HubSite, value: str) -> None:
    write(site, INVALID)
    code, stderr = check_on_terminal(site, NO_COLOR=value)
    assert code == 1
    assert ESCAPE not in stderr
    assert "sources.yaml:3:8: error: site.url:" in stderr


def test_an_empty_no_color_is_no_request(site: HubSite) -> None:
    write(site, INVALID)
    _, stderr = check_on_terminal(site, NO_COLOR="")
    assert f"{RED}error:{RESET}" in stderr


def test_a_dumb_terminal_gets_no_colour(site: HubSite) -> None:
    write(site, INVALID)
    _, stderr = check_on_terminal(site, TERM="dumb")
    assert ESCAPE not in stderr


def test_pipes_and_files_get_no_colour(site: HubSite) -> None:
    write(site, INVALID)
    ran = site.hub("check")
    assert ran.code == 1
    assert ESCAPE not in ran.stderr
    assert "sources.yaml:3:8: error: site.url:" in ran.stderr


def test_github_annotations_are_never_coloured(site: HubSite) -> None:
    write(site, INVALID)
    _, stderr = check_on_terminal(site, GITHUB_ACTIONS="true")
    annotations = [line for line in stderr.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::error file=sources.yaml,line=3,col=8::site.url:")
    assert annotations[1].startswith("::warning file=sources.yaml,line=9,col=5::")
    assert all(ESCAPE not in line for line in annotations)
    assert f"sources.yaml:3:8: {RED}error:{RESET}" in stderr


def test_paint_leaves_everything_but_the_severity_word() -> None:
    assert messages.paint("a.yaml:1:2: error: x: error: y") == (
        f"a.yaml:1:2: {RED}error:{RESET} x: error: y"
    )
    assert messages.paint("a.yaml:4: warning: w") == f"a.yaml:4: {MAGENTA}warning:{RESET} w"
    assert (
        messages.paint("error: sources.yaml: 2 errors")
        == f"{RED}error:{RESET} sources.yaml: 2 errors"
    )
    for plain in ("fetch: 3 feeds", "note: error: none", "::error file=a::b", "gate: passed"):
        assert messages.paint(plain) == plain


# -- -q ----------------------------------------------------------------------------------


def test_quiet_prints_nothing_when_all_goes_well(site: HubSite) -> None:
    for args in (["-q", "build"], ["build", "--quiet"]):
        ran = site.hub(*args)
        assert ran.code == 0, ran.stderr
        assert (ran.stdout, ran.stderr) == ("", "")
    assert (site.root / "public" / "en" / "index.html").is_file()
    ran = site.build_py("-q", "--offline")
    assert (ran.code, ran.stdout, ran.stderr) == (0, "", "")
    ran = site.hub("check", "-q")
    assert (ran.code, ran.stdout, ran.stderr) == (0, "", "")


def test_quiet_keeps_the_errors_and_drops_the_warnings(site: HubSite) -> None:
    write(site, INVALID)
    ran = site.hub("-q", "check")
    assert ran.code == 1
    assert ran.stderr.splitlines() == [
        "sources.yaml:3:8: error: site.url: expected an http:// or https:// URL, "
        'got "javascript:alert(1)"',
        "error: sources.yaml: 1 error, 1 warning",
    ]


def test_quiet_shows_the_warnings_strict_fails_on(site: HubSite) -> None:
    write(site, INVALID.replace("javascript:alert(1)", "https://lakeview.example"))
    assert site.hub("-q", "check").stderr == ""
    ran = site.hub("-q", "check", "--strict")
    assert ran.code == 1
    assert ran.stderr.splitlines() == [
        "sources.yaml:9:5: warning: officers[0]: Jack West has no accounts: the card will "
        "only show the name",
        "error: sources.yaml: 1 warning (--strict makes warnings fail)",
    ]


def test_quiet_drops_a_failing_feeds_warning_but_not_a_failed_build(site: HubSite) -> None:
    site.server.route("/marine.xml", status=500, body=b"down")
    ran = site.hub("-q", "build")
    # A feed that fails is a warning (its last good entries are kept): cron stays quiet.
    assert (ran.code, ran.stderr) == (0, "")
    loud = site.hub("build", "--offline")
    assert "gate: passed" in loud.stderr
    # A theme with no folder: the registry is wrong, and the build stops there.
    write(site, site.sources().replace("site:\n", "site:\n  theme: gone\n", 1))
    broken = site.hub("-q", "build", "--offline")
    assert broken.code == 1
    assert broken.stderr.startswith("sources.yaml:")
    assert all("error" in line for line in broken.stderr.splitlines())


# -- -v ----------------------------------------------------------------------------------

LINE = re.compile(r"^fetch: (?P<source>\S+): (?P<how>HTTP \d{3}|file|no response), \d+\.\d\d s: ")


def test_verbose_says_each_feeds_status_and_time(site: HubSite) -> None:
    site.server.route("/marine.xml", status=404, body=b"gone fishing")
    first = site.hub("-v", "fetch")
    assert first.code == 0, first.stderr
    lines = {m["source"]: line for line in first.stderr.splitlines() if (m := LINE.match(line))}
    url = site.server.url
    assert set(lines) == {url("/traffic.xml"), url("/marine.xml"), url("/ada.xml")}
    assert " HTTP 200, " in lines[url("/traffic.xml")]
    assert lines[url("/traffic.xml")].endswith(": 3 new, 0 withdrawn")
    assert " HTTP 404, " in lines[url("/marine.xml")]
    assert lines[url("/marine.xml")].endswith(": failed: HTTP 404 Not Found")
    # The warning every run prints is still there.
    assert f"warning: feed {url('/marine.xml')}: HTTP 404 Not Found" in first.stderr

    second = site.hub("fetch", "--verbose")
    again = {m["source"]: line for line in second.stderr.splitlines() if (m := LINE.match(line))}
    assert " HTTP 304, " in again[url("/traffic.xml")]
    assert again[url("/traffic.xml")].endswith(": unchanged")
    # Failed feeds back off: not asked this time, and -v says why.
    assert f"fetch: {url('/marine.xml')}: not fetched: waiting: backing off" in second.stderr
    assert "fetch: 3 feeds:" in second.stderr


def test_verbose_on_a_local_file_says_file(site: HubSite) -> None:
    (site.root / "content" / "feeds").mkdir(parents=True)
    (site.root / "content" / "feeds" / "news.xml").write_bytes(
        (REPO / "content" / "feeds" / "chief-blog.xml").read_bytes()
    )
    text = (site.root / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace(
        f'feed: "{site.server.url("/marine.xml")}"', 'feed: "content/feeds/news.xml"'
    )
    write(site, text)
    ran = site.hub("fetch", "-v")
    assert ran.code == 0, ran.stderr
    (line,) = [line for line in ran.stderr.splitlines() if line.startswith("fetch: content/")]
    assert LINE.match(line)["how"] == "file"  # type: ignore[index]
    assert line.endswith(": 4 new, 0 withdrawn")


def test_quiet_and_verbose_together_are_a_usage_error(site: HubSite) -> None:
    for args in (["-q", "-v", "check"], ["-q", "check", "-v"], ["check", "-v", "-q"]):
        ran = site.hub(*args)
        assert ran.code == 2, args
        assert "-q/--quiet" in ran.stderr
        assert "Traceback" not in ran.stderr
