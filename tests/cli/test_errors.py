"""No traceback from anything a user or the machine can cause: one line, and an exit code.

Every test runs the real command in a subprocess on a small site, as CI and
users do, and checks the exit code, the message, and that no ``Traceback``
reached stdout or stderr. The cases: a damaged store (kept aside, the run goes
on), a store from a newer version (refused, left alone), a cache held by
another run (wait, then give up), folders that cannot be written, a full disk
while publishing, files that are not UTF-8, a theme template with a syntax
error, and Ctrl-C during a build and during a fetch.

The machine's own failures are made for real where the machine allows it: a
read-only or full filesystem is a ``tmpfs`` mounted for the test, which needs
root (the test is skipped elsewhere). The full disk has a stand-in that runs
everywhere: a file-size limit (``RLIMIT_FSIZE``), under which a write fails
with "File too large" (EFBIG) rather than "No space left on device" (ENOSPC).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from hub.store.schema import MIGRATIONS
from tests.feedserver import FeedServer
from tests.trees import Snapshot, snapshot

if sys.platform != "win32":
    import fcntl

REPO = Path(__file__).resolve().parents[2]
POSTS = 3
DAMAGED_NAME = re.compile(r"store\.sqlite3\.damaged-\d{8}T\d{6}Z")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="flock and signals are POSIX")


def feed(name: str) -> bytes:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{name} notice {k}</title><guid>{name}-{k}</guid>"
        f"<link>https://{name}.example/{k}</link>"
        f"<pubDate>{format_datetime(now - timedelta(days=k + 1))}</pubDate></item>"
        for k in range(POSTS)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>https://{name}.example/</link>{items}</channel></rss>"
    ).encode()


def sources(*, theme: str = "default", feed_url: str | None = None) -> str:
    """Two units with a local feed each (a third on ``feed_url``), one officer."""
    lines = [
        "site:",
        "  name: Lakeview Police Service",
        "  url: https://connect.lakeview.example",
        "  languages: [en]",
        f"  theme: {theme}",
        '  contact: {emergency: "911"}',
        "  fetch: {allow_private_addresses: true, connect_timeout: 2}",
        "units:",
    ]
    for unit in ("traffic", "youth"):
        lines += [
            f"  - id: {unit}",
            f"    name: {unit.title()} Services",
            "    kind: unit",
            "    accounts:",
            f'      - {{platform: website, url: "https://{unit}.example/", '
            f"feed: content/feeds/{unit}.xml}}",
        ]
    if feed_url is not None:
        lines += [
            "  - id: slow",
            "    name: Slow Services",
            "    kind: unit",
            "    accounts:",
            f'      - {{platform: website, url: "https://slow.example/", feed: "{feed_url}"}}',
        ]
    lines += [
        "officers:",
        "  - name: Jack West",
        "    unit: traffic",
        "    accounts:",
        "      - {platform: x, handle: SgtJackWest}",
    ]
    return "\n".join(lines) + "\n"


class Site:
    """A service's folder: sources.yaml, content/ with two feeds, themes/, cache, output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = root / ".hub-cache"
        self.store = self.cache / "store.sqlite3"
        self.out = root / "public"
        (root / "content" / "feeds").mkdir(parents=True)
        for unit in ("traffic", "youth"):
            (root / "content" / "feeds" / f"{unit}.xml").write_bytes(feed(unit))
        (root / "themes").mkdir()
        (root / "themes" / "default").symlink_to(REPO / "themes" / "default")
        self.write_sources()

    def write_sources(self, **options: str) -> None:
        (self.root / "sources.yaml").write_text(sources(**options), encoding="utf-8")

    def theme(self, name: str, files: dict[str, str | bytes]) -> None:
        """A site theme ``name`` with ``files`` (paths inside it), used from now on."""
        for path, data in files.items():
            target = self.root / "themes" / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if isinstance(data, bytes) else data.encode())
        self.write_sources(theme=name)

    def hub(self, *args: str, code: str | None = None, **env: str) -> Result:
        """``python -m hub ARGS`` here (or ``python -c CODE ARGS``)."""
        command, options = self._command(args, code, env)
        done = subprocess.run(command, capture_output=True, timeout=120, check=False, **options)
        return Result(done)

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        """``python -m hub ARGS`` in a session of its own, as a terminal's foreground job."""
        command, options = self._command(args, None, env)
        return subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            **options,
        )

    def _command(
        self, args: tuple[str, ...], code: str | None, env: dict[str, str]
    ) -> tuple[list[str], dict[str, Any]]:
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "HUB_LOCK_WAIT")
        }
        environ.update(PYTHONIOENCODING="utf-8", **env)
        head = ["-c", code] if code is not None else ["-m", "hub"]
        options = {"cwd": self.root, "env": environ, "encoding": "utf-8"}
        return [sys.executable, *head, *args], options

    def published(self) -> None:
        """Fetch the two local feeds, then build and publish."""
        assert self.hub("fetch").code == 0
        built = self.hub("build", "--offline")
        assert built.code == 0, built.stderr
        assert f"{2 * POSTS} posts" in built.stderr

    def snapshot(self) -> Snapshot:
        return snapshot(self.out)

    def lock_is_free(self) -> bool:
        fd = os.open(self.cache / "lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
        return True


class Result:
    def __init__(self, done: subprocess.CompletedProcess[str]) -> None:
        self.code = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        assert "Traceback" not in self.stdout + self.stderr, self.stderr

    def lines(self, start: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(start)]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[object]:
    """``mount(folder, options)`` mounts a tmpfs there for the test, or skips it."""
    mounted: list[Path] = []

    def mount_tmpfs(folder: Path, options: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                capture_output=True,
                check=False,
            )
        except OSError:  # no mount command
            pytest.skip("cannot mount a tmpfs here: no mount command")
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here: it takes root and CAP_SYS_ADMIN")
        mounted.append(folder)

    yield mount_tmpfs
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def schema_version(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {version}")


# 1. A damaged store


def garbage(store: Path) -> str:
    store.write_bytes(b"<html>the cache held a web page</html>\n" * 100)
    return "it is not an SQLite database"


def not_sqlite(store: Path) -> str:
    store.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)  # a zip file, say
    return "it is not an SQLite database"


def truncated(store: Path) -> str:
    size = store.stat().st_size
    with open(store, "r+b") as f:
        f.truncate(size // 2)
    return f"it is cut short: {size // 2} bytes of the {size} its header gives"


def wrong_tables(store: Path) -> str:
    store.unlink()
    with closing(sqlite3.connect(store)) as db:
        db.execute("CREATE TABLE photos (name TEXT, taken TEXT)")
        db.commit()
    return "it is an SQLite database of something else: it holds photos, not a hub store"


def trashed_entries(store: Path) -> str:
    """Trash the pages of the entries table and its indexes: opening the store reads none."""
    with closing(sqlite3.connect(store)) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            row[0]
            for row in db.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'entries'")
            if row[0]
        ]
    data = bytearray(store.read_bytes())
    for root in roots:
        data[(root - 1) * page : root * page] = b"\xa5" * page
    store.write_bytes(bytes(data))
    return "database disk image is malformed"


@pytest.mark.parametrize(
    "damage",
    [garbage, not_sqlite, truncated, wrong_tables, trashed_entries],
    ids=lambda f: f.__name__,
)
def test_a_damaged_store_is_kept_aside_and_the_gate_decides_as_after_a_lost_store(
    site: Site, damage: object
) -> None:
    site.published()
    assert callable(damage)
    reason = damage(site.store)
    damaged = site.store.read_bytes()
    before = site.snapshot()

    built = site.hub("build", "--offline")

    # One line says what was wrong and where the damaged file is; the run goes on with a
    # fresh store, re-seeded as after a lost store from the published site, which the
    # gate lets be published again as it was.
    warnings = built.lines("warning: the store")
    assert len(warnings) == 1, built.stderr
    match = re.fullmatch(
        r"warning: the store \.hub-cache/store\.sqlite3 is damaged \((.*)\): "
        r"moved it to \.hub-cache/(\S+), starting a fresh store",
        warnings[0],
    )
    assert match, warnings[0]
    assert reason in match[1]
    assert DAMAGED_NAME.fullmatch(match[2])
    assert (site.cache / match[2]).read_bytes() == damaged
    assert built.code == 0, built.stderr
    assert f"re-seeded from public with {2 * POSTS} posts" in built.stderr
    assert "gate: passed" in built.stderr
    assert site.snapshot() == before

    with closing(sqlite3.connect(site.store)) as db:  # the fresh store, whole, re-seeded
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 2 * POSTS


def test_a_damaged_store_keeps_its_log_beside_it_and_the_next_runs_publish(site: Site) -> None:
    site.published()
    garbage(site.store)
    Path(f"{site.store}-wal").write_bytes(b"a write-ahead log")
    Path(f"{site.store}-shm").write_bytes(b"its index")

    fetched = site.hub("fetch")

    assert fetched.code == 0, fetched.stderr
    assert len(fetched.lines("warning: the store .hub-cache/store.sqlite3 is damaged")) == 1
    (kept,) = site.cache.glob("store.sqlite3.damaged-*[0-9]Z")
    assert Path(f"{kept}-wal").read_bytes() == b"a write-ahead log"
    assert Path(f"{kept}-shm").read_bytes() == b"its index"
    # The fetch filled the fresh store: the next build publishes, and says nothing more.
    built = site.hub("build", "--offline")
    assert built.code == 0, built.stderr
    assert "warning: the store" not in built.stderr
    assert f"{2 * POSTS} posts" in built.stderr


def test_a_store_from_a_newer_version_is_refused_and_left_alone(site: Site) -> None:
    site.published()
    schema_version(site.store, 99)
    newer = site.store.read_bytes()
    before = site.snapshot()

    built = site.hub("build", "--offline")

    assert built.code == 1
    assert built.lines("error: ") == [
        "error: .hub-cache/store.sqlite3: written by a newer version of hub (schema 99; this "
        f"one knows {len(MIGRATIONS)}): upgrade hub, or give this version a cache folder of its "
        "own with "
        "--cache; the store was left as it is"
    ]
    assert site.store.read_bytes() == newer
    assert list(site.cache.glob("*.damaged-*")) == []
    assert site.snapshot() == before


def test_a_folder_where_the_store_should_be_is_an_error(site: Site) -> None:
    site.store.mkdir(parents=True)
    built = site.hub("build", "--offline")
    assert built.code == 1
    assert built.lines("error: ") == [
        "error: .hub-cache/store.sqlite3: cannot open the store: it is a folder; "
        "remove it or move it"
    ]


# 2. The cache held by another run


@posix_only
def test_a_run_waits_for_the_run_holding_the_cache_then_gives_up(site: Site) -> None:
    site.cache.mkdir()
    fd = os.open(site.cache / "lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # this test process is "the first run"
        os.write(fd, f"{os.getpid()}\n".encode())
        built = site.hub("build", "--offline", HUB_LOCK_WAIT="0.2")
    finally:
        os.close(fd)
    assert built.code == 1
    assert built.lines("note: another hub run") == [
        f"note: another hub run is using .hub-cache/ (pid {os.getpid()}); waiting for it to "
        "finish (up to 0.2 s, set by HUB_LOCK_WAIT)"
    ]
    assert built.lines("error: ") == [
        f"error: another hub run is using .hub-cache/ (pid {os.getpid()}), and did not finish "
        "within 0.2 s (HUB_LOCK_WAIT); let it finish or stop it, then run again"
    ]
    # It wrote nothing: no store, no report, no site.
    assert sorted(p.name for p in site.cache.iterdir()) == ["lock"]
    assert not site.out.exists()


@posix_only
def test_a_run_proceeds_once_the_run_holding_the_cache_ends(site: Site) -> None:
    site.cache.mkdir()
    fd = os.open(site.cache / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    second = site.start("build", "--offline", HUB_LOCK_WAIT="120")
    try:
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line.startswith("note: another hub run is using .hub-cache/"), line
    finally:
        os.close(fd)  # the first run ends
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "Traceback" not in out + err
    assert "waiting" not in err  # said once, before
    assert (site.out / "index.html").is_file()
    assert site.lock_is_free()


def test_a_lock_wait_that_is_not_a_number_is_an_error(site: Site) -> None:
    built = site.hub("fetch", HUB_LOCK_WAIT="soon")
    assert built.code == 1
    assert built.lines("error: ") == [
        "error: HUB_LOCK_WAIT must be a number of seconds, 0 or more; got 'soon'"
    ]


# 3. Folders that cannot be written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--cache", "notes.txt"],
            "error: cannot use notes.txt as the cache folder: notes.txt is a file, not a folder",
        ),
        (
            ["--cache", "notes.txt/cache"],
            "error: cannot use notes.txt/cache as the cache folder: notes.txt is a file, "
            "not a folder",
        ),
        (
            ["--out", "notes.txt/public"],
            "error: could not publish into notes.txt/public/: {root}/notes.txt is a file, not "
            "a folder; notes.txt/public/ is unchanged",
        ),
        (
            ["--out", "notes.txt"],
            "error: cannot publish into notes.txt: it exists and is not a folder",
        ),
    ],
    ids=["cache-is-a-file", "cache-under-a-file", "out-under-a-file", "out-is-a-file"],
)
def test_a_file_where_a_folder_should_be(site: Site, args: list[str], message: str) -> None:
    # A regular file in the way fails for root too (ENOTDIR, EEXIST), unlike permissions.
    (site.root / "notes.txt").write_text("my notes\n")
    built = site.hub("build", "--offline", *args)
    assert built.code == 1
    assert built.lines("error: ") == [message.format(root=site.root)]
    assert (site.root / "notes.txt").read_text() == "my notes\n"


def test_a_read_only_filesystem(site: Site, mount: object) -> None:
    assert callable(mount)
    mount(site.root / "readonly", "ro,size=64k")
    out = site.hub("build", "--offline", "--out", "readonly/public")
    assert out.code == 1
    (line,) = out.lines("error: ")
    assert re.fullmatch(
        r"error: could not publish into readonly/public/: Read-only file system: "
        r"\S+/readonly/\.public\.new-\d+; readonly/public/ is unchanged",
        line,
    ), line
    cache = site.hub("build", "--offline", "--cache", "readonly/cache")
    assert cache.code == 1
    assert cache.lines("error: ") == [
        "error: cannot use readonly/cache as the cache folder: Read-only file system: "
        "readonly/cache"
    ]


# 4. The disk fills up while publishing

BIG = 2 * 1024 * 1024
SIZE_LIMIT = 1024 * 1024
WITH_A_FILE_SIZE_LIMIT = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, ({SIZE_LIMIT}, {SIZE_LIMIT}))
from hub.cli.main import command
sys.exit(command())
"""


def test_a_full_disk_leaves_the_published_site_as_it_was(site: Site, mount: object) -> None:
    assert callable(mount)
    mount(site.root / "small", "size=1m")
    assert site.hub("fetch").code == 0
    first = site.hub("build", "--offline", "--out", "small/public")
    assert first.code == 0, first.stderr
    site.out = site.root / "small" / "public"
    before = site.snapshot()
    site.theme("big", {"static/video.bin": os.urandom(BIG)})  # more than the disk holds

    full = site.hub("build", "--offline", "--out", "small/public")

    assert full.code == 1
    (line,) = full.lines("error: ")
    assert re.fullmatch(
        r"error: could not publish static/video\.\w+\.bin \(from theme file "
        r"themes/big/static/video\.bin\): the disk is full \(No space left on device\); "
        r"small/public/ is unchanged",
        line,
    ), line
    assert site.snapshot() == before


def test_a_file_size_limit_leaves_the_published_site_as_it_was(site: Site) -> None:
    """The stand-in for a full disk: a write past RLIMIT_FSIZE fails with EFBIG."""
    site.published()
    before = site.snapshot()
    site.theme("big", {"static/video.bin": os.urandom(BIG)})

    limited = site.hub("build", "--offline", code=WITH_A_FILE_SIZE_LIMIT)

    assert limited.code == 1
    (line,) = limited.lines("error: ")
    assert re.fullmatch(
        r"error: could not publish static/video\.\w+\.bin \(from theme file "
        r"themes/big/static/video\.bin\): the file is larger than this system lets a file "
        r"grow \(File too large\); public/ is unchanged",
        line,
    ), line
    assert site.snapshot() == before


# 5. Files that are not UTF-8


def test_a_content_page_that_is_not_utf8(site: Site) -> None:
    page = site.root / "content" / "pages" / "about.en.md"
    page.parent.mkdir()
    page.write_bytes("---\ntitle: About us\n---\nOur caf\u00e9 is open.\n".encode("latin-1"))
    for command in ("check", "build"):
        result = site.hub(command, "--offline") if command == "build" else site.hub(command)
        assert result.code == 1
        assert result.stderr.splitlines()[-2:] == [
            "content/pages/about.en.md:4:8: error: the file is not UTF-8 (byte 0xe9): "
            "save it as UTF-8 in your editor",
            "error: content/: 1 error",
        ]


def test_a_registry_that_is_not_utf8(site: Site) -> None:
    registry = site.root / "sources.yaml"
    registry.write_bytes(registry.read_bytes().replace(b"Jack West", b"J\xe9r\xf4me West"))
    result = site.hub("build", "--offline")
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "sources.yaml:20:12: error: the file is not UTF-8 (byte 0xe9): "
        "save it as UTF-8 in your editor",
        "error: sources.yaml: 1 error",
    ]


def test_a_template_that_is_not_utf8(site: Site) -> None:
    site.theme("latin", {"templates/page.html": "{# caf\u00e9 #}\n".encode("latin-1")})
    result = site.hub("build", "--offline")
    assert result.code == 1
    assert result.lines("themes/") == [
        "themes/latin/templates/page.html:1:7: error: the file is not UTF-8 (byte 0xe9): "
        "save it as UTF-8 in your editor"
    ]


# 6. A theme template with a syntax error


@pytest.mark.parametrize(
    ("template", "page"),
    [("home.html", "/en/"), ("officer.html", "/en/officers/jack-west/")],
    # Where there are two cores or more, the officer page is rendered ahead, in a
    # forked process; the error reaches this one whole.
    ids=["home", "officer-rendered-ahead"],
)
def test_a_template_with_a_syntax_error(site: Site, template: str, page: str) -> None:
    site.theme(
        "broken",
        {f"templates/{template}": '{% extends "base.html" %}\n{% block main %}\n<p>{{ x }</p>\n'},
    )
    result = site.hub("build", "--offline")
    assert result.code == 1
    assert result.lines("themes/") == [
        f"themes/broken/templates/{template}:3: error: unexpected '}}' (rendering {page})"
    ]
    assert not site.out.exists()


# 7. Ctrl-C


SLOW = """{% extends "base.html" %}
{% block main %}{% for i in range(10**9) %}{% endfor %}{% endblock %}
"""


@posix_only
def test_ctrl_c_during_a_build_leaves_the_published_site(site: Site) -> None:
    site.published()
    before = site.snapshot()
    site.theme("slow", {"templates/home.html": SLOW})  # the home page renders "forever"
    build = site.start("build", "--offline")
    try:
        while not any(site.root.glob(".public.new-*")):  # the new tree is being written
            assert build.poll() is None, build.communicate()
            time.sleep(0.01)
    finally:
        os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground job
    out, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    assert "Traceback" not in out + err
    assert err.splitlines()[-1] == "interrupted; public/ is unchanged"
    assert site.snapshot() == before  # nothing half-written beside it either
    assert site.lock_is_free()


@posix_only
def test_ctrl_c_during_a_fetch(site: Site, feed_server: FeedServer) -> None:
    feed_server.route("/slow.xml", body=feed("slow"), delay=30)
    site.write_sources(feed_url=feed_server.url("/slow.xml"))
    fetch = site.start("fetch")
    try:
        while not feed_server.requests:  # the local feeds are done or under way
            assert fetch.poll() is None, fetch.communicate()
            time.sleep(0.01)
    finally:
        os.killpg(fetch.pid, signal.SIGINT)
    out, err = fetch.communicate(timeout=60)
    assert fetch.returncode == 130, err
    assert "Traceback" not in out + err
    assert err.splitlines()[-1] == (
        "interrupted; the store keeps every feed saved before it (each one whole)"
    )
    assert site.lock_is_free()
    with closing(sqlite3.connect(site.store)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# Other mistakes a user makes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "content"], "error: content: 1 error"),
        (
            ["--out", "content"],
            "error: refusing to publish into content: publishing replaces the whole folder, "
            "which would delete content; choose an output folder such as public/",
        ),
        (
            ["--out", "."],
            "error: refusing to publish into .: publishing replaces the whole folder, which "
            "would delete the current folder; choose an output folder such as public/",
        ),
    ],
    ids=["sources-is-a-folder", "out-is-the-content-folder", "out-is-the-current-folder"],
)
def test_other_mistakes_are_one_line(site: Site, args: list[str], message: str) -> None:
    result = site.hub("build", "--offline", *args)
    assert result.code == 1
    assert result.lines("error: ") == [message.format(root=site.root)]


def test_a_loop_of_symbolic_links(site: Site) -> None:
    (site.root / "loop").symlink_to("loop")
    out = site.hub("build", "--offline", "--out", "loop")
    assert out.code == 1
    (line,) = out.lines("error: ")
    assert line in (
        "error: cannot publish into loop: a loop of symbolic links",
        f"error: cannot publish into loop: Too many levels of symbolic links: {site.root}/loop",
    )
    cache = site.hub("build", "--offline", "--cache", "loop")
    assert cache.code == 1
    assert cache.lines("error: ") == [
        "error: cannot use loop as the cache folder: loop is a symbolic link that leads nowhere"
    ]


def test_a_published_site_missing_its_manifest_is_built_again(site: Site) -> None:
    # Nothing fetched, so nothing recent: the second build finds the first one current.
    assert site.hub("build", "--offline").code == 0
    (site.out / "hub-manifest.json").unlink()
    built = site.hub("build", "--offline")
    assert built.code == 0, built.stderr
    assert (site.out / "hub-manifest.json").is_file()
