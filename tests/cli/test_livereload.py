"""``hub serve``'s live reload and ``--bind``: the browser reloads when a rebuild has finished,
with a script only the preview server adds, which its policy lets run; no build has it.

The real ``hub serve`` in a subprocess, a real HTTP client, and Debian's Chromium.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hub.cli import livereload, serve
from hub.outputs.cdn import META_CSP
from tests.cli.hubsite import HubSite
from tests.feedserver import FeedServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytest_plugins = ("tests.browser",)

TAG = f'<script src="{livereload.SCRIPT_PATH}"'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def wait_for(condition: Callable[[], object], seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@dataclass
class Served:
    base: str
    stderr: list[str] = field(default_factory=list)
    """What ``hub serve`` printed on stderr, line by line, as it printed it."""

    def said(self, text: str) -> bool:
        return any(text in line for line in list(self.stderr))


@contextmanager
def serving(site: HubSite, *args: str, host: str = "127.0.0.1") -> Iterator[Served]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--port", str(port), *args],
        cwd=site.root,
        env=site.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    served = Served(f"http://{host}:{port}")
    assert process.stderr is not None
    reader = threading.Thread(target=lambda: served.stderr.extend(process.stderr), daemon=True)
    reader.start()
    try:
        ready = wait_for(lambda: get(f"{served.base}{livereload.BUILD_PATH}")[0] == 200)
        assert ready, served.stderr
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)
    assert not served.said("Traceback"), served.stderr


def marker(base: str) -> str:
    return str(json.loads(get(f"{base}{livereload.BUILD_PATH}")[2])["build"])


def edit(site: HubSite, word: str) -> None:
    """A change serve notices: a new content page."""
    pages = site.root / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "about.en.md").write_text(
        f"---\ntitle: About {word}\nslug: about\n---\n\nWhat we do.\n", encoding="utf-8"
    )


@pytest.fixture
def site(tmp_path: Path, feed_server: FeedServer) -> HubSite:
    return HubSite(tmp_path, feed_server)


def no_page_has_it(out: Path) -> None:
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert livereload.PREFIX.encode() not in data, path
            assert b"livereload" not in data, path


def test_a_build_never_has_the_live_reload(site: HubSite) -> None:
    built = site.hub("build")
    assert built.code == 0, built.stderr
    no_page_has_it(site.root / "public")


def test_serve_adds_it_to_pages_as_it_sends_them(site: HubSite) -> None:
    with serving(site) as served:
        base = served.base
        status, headers, page = get(f"{base}/en/")
        assert status == 200
        assert headers["Cache-Control"] == "no-store"
        first = marker(base)
        assert f'{TAG} data-build="{first}" defer></script></head>' in page
        # The page's policy lets it ask the server, and nothing else more.
        policy = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
        assert "connect-src &#x27;self&#x27;" in policy
        assert "default-src &#x27;none&#x27;" in policy

        status, headers, script = get(f"{base}{livereload.SCRIPT_PATH}")
        assert status == 200
        assert headers["Content-Type"].startswith("text/javascript")
        assert livereload.BUILD_PATH in script

        status, _, missing = get(f"{base}/en/no-such-page/")
        assert status == 404
        assert TAG in missing

        edit(site, "Edited")
        assert wait_for(lambda: marker(base) != first)
        status, _, about = get(f"{base}/en/pages/about/")
        assert (status, "About Edited" in about) == (200, True)
        assert f'data-build="{marker(base)}"' in get(f"{base}/en/")[2]
        # Redirects and other files are as the plain server sends them.
        assert get(f"{base}/robots.txt")[2].startswith("User-agent")
        no_page_has_it(site.root / "public")


def test_a_rebuild_that_fails_reloads_nothing(site: HubSite) -> None:
    with serving(site) as served:
        first = marker(served.base)
        (site.root / "sources.yaml").write_text("site: [", encoding="utf-8")
        assert wait_for(lambda: served.said("error: "))
        assert marker(served.base) == first
        assert get(f"{served.base}/en/")[0] == 200  # the last good site, still served


def test_the_browser_reloads_when_a_rebuild_finishes(site: HubSite, browser: Browser) -> None:
    with serving(site) as served:
        base = served.base
        page = browser.new_page()
        problems: list[str] = []
        # What the browser refused (a policy that blocks the script or its requests)
        # or failed to load, but the icon it asks every site for.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        failed: list[str] = []
        page.goto(f"{base}/en/")
        page.evaluate("window.hubBeforeReload = true")
        # The script runs, asks the server, and keeps its page while nothing changed.
        page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            f".some(e => e.name.endsWith('{livereload.BUILD_PATH}'))"
        )
        assert page.evaluate("window.hubBeforeReload") is True
        edit(site, "Reloaded")
        page.wait_for_function("() => window.hubBeforeReload === undefined", timeout=90_000)
        page.wait_for_load_state()
        about = page.goto(f"{base}/en/pages/about/")
        assert about is not None and about.status == 200
        assert "About Reloaded" in page.content()
        page.close()
        assert [url for url in failed if not url.endswith("/favicon.ico")] == []
        # The icon is the browser's own request: its 404 shows only on the console.
        assert [text for text in problems if "status of 404" not in text] == []


def test_bind_warns_when_the_preview_is_open_to_the_network(site: HubSite) -> None:
    with serving(site, "--bind", "0.0.0.0") as served:
        assert get(f"{served.base}/en/")[0] == 200
        assert wait_for(lambda: served.said("serving public/ at http://0.0.0.0:"))
    assert served.said("warning: --bind 0.0.0.0: the preview is open to every machine")


def test_bind_to_another_loopback_address(site: HubSite) -> None:
    with serving(site, "--bind", "127.0.0.2", "--offline", host="127.0.0.2") as served:
        assert get(f"{served.base}/en/")[0] == 200
        assert wait_for(lambda: served.said("serving public/ at http://127.0.0.2:"))
    assert not served.said("warning:")


def test_an_address_it_cannot_listen_on_is_an_error(site: HubSite) -> None:
    port = free_port()
    loud = subprocess.run(
        [sys.executable, "-m", "hub", "serve", "--port", str(port), "--bind", "no such host"],
        cwd=site.root,
        env=site.environ(),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert loud.returncode == 1
    assert f"error: cannot listen on no such host:{port}" in loud.stderr
    assert "Traceback" not in loud.stderr


@pytest.mark.parametrize(
    ("address", "own"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("preview.example", False),
    ],
)
def test_which_addresses_are_this_machines_own(address: str, own: bool) -> None:
    assert serve.loopback(address) is own


def test_the_policy_is_relaxed_for_the_script_alone() -> None:
    assert livereload.allow(META_CSP).split("; ") == [*META_CSP.split("; "), "connect-src 'self'"]
    assert livereload.allow(
        "default-src 'none'; connect-src 'none'; script-src https://a.example"
    ) == ("default-src 'none'; connect-src 'self'; script-src 'self' https://a.example")


def test_inject_puts_the_tag_in_the_head_and_rewrites_the_policy() -> None:
    page = (
        b"<!doctype html><html><head><meta charset=utf-8>"
        b"<meta content='default-src &#39;none&#39;' http-equiv=Content-Security-Policy>"
        b"<title>x</title></HEAD><body></body></html>"
    )
    done = livereload.inject(page, 'a"b').decode()
    assert f'{TAG} data-build="a&quot;b" defer></script></HEAD>' in done
    assert 'content="default-src &#x27;none&#x27;; script-src &#x27;self&#x27;; connect-src' in done
    bare = livereload.inject(b"<p>no head</p>", "1")
    assert bare.startswith(b"<p>no head</p>") and bare.endswith(b"</script>")
