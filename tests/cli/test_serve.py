"""`hub serve`: builds, serves on 127.0.0.1 and rebuilds when content changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@contextmanager
def serving(site: Path) -> Iterator[tuple[str, list[str]]]:
    """``hub serve --offline`` in ``site``: its address, and (once stopped) what it
    printed on stderr, which must hold no traceback."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--port", str(port), "--offline"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    try:
        yield f"http://127.0.0.1:{port}", said
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
        said.append(stderr)
    assert "Traceback" not in stderr, stderr


def test_serve_previews_and_rebuilds_after_an_edit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "sources.yaml", site / "sources.yaml")
    shutil.copytree(ROOT / "content", site / "content")
    (site / "themes").symlink_to(ROOT / "themes")
    with serving(site) as (base, _):
        assert wait_for(lambda: get(f"{base}/en/")[0] == 200)
        status, body = get(f"{base}/en/no-such-page/")
        assert status == 404
        assert "not found" in body.lower()

        page = site / "content" / "pages" / "about.en.md"
        page.write_text(page.read_text().replace("title:", "title: Edited", 1))
        assert wait_for(lambda: "Edited" in get(f"{base}/en/pages/about/")[1])


def test_serve_previews_a_site_under_its_path(tmp_path: Path) -> None:
    from tests.cli.test_init import FLAGS

    flags = list(FLAGS)
    flags[flags.index("--url") + 1] = "https://org.github.io/hub/"
    made = subprocess.run(
        [sys.executable, "-m", "hub", "init", "site", "--yes", *flags],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    with serving(tmp_path / "site") as (base, said):
        assert wait_for(lambda: get(f"{base}/hub/en/")[0] == 200)
        status, page = get(f"{base}/hub/en/")
        assert status == 200
        assert 'href="/hub/static/' in page and "/__hub/livereload.js" in page
        # / sends the browser to the site's path; nothing else is served outside it.
        with urllib.request.urlopen(f"{base}/", timeout=5) as answer:
            assert answer.url == f"{base}/hub/"
            assert 'href="/hub/en/"' in answer.read().decode()
        assert get(f"{base}/en/")[0] == 404
        assert get(f"{base}/hub/no-such-page/")[0] == 404
        assert get(f"{base}/__hub/build")[0] == 200
    assert f"at {base}/hub/ " in "".join(said)
