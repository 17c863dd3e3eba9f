"""A small service's folder for the command-line tests: its registry names feeds that a
real local feed server serves, and the real ``hub`` runs on it in a subprocess, with
stderr a pipe or, where colour is the point, a real pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parents[2]
NOW = datetime.now(UTC).replace(microsecond=0)


def rss(name: str, posts: int = 3) -> bytes:
    items = "".join(
        f"<item><title>{name} notice {k}</title>"
        f"<link>https://{name}.example/{k}</link><guid>{name}-{k}</guid>"
        f"<pubDate>{format_datetime(NOW - timedelta(days=k + 1))}</pubDate>"
        f"<description>Road closure {k} announced by {name}.</description></item>"
        for k in range(posts)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name} news</title><link>https://{name}.example/</link>"
        f"<description>News</description>{items}</channel></rss>"
    ).encode()


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


class HubSite:
    """``sources.yaml`` with two units (``traffic``: a feed and an X account; ``marine``:
    a feed), an officer (``ada-fenwick``: a Mastodon feed), all on ``server``."""

    def __init__(self, root: Path, server: FeedServer) -> None:
        self.root = root
        self.server = server
        (root / "themes").symlink_to(REPO / "themes")
        for name in ("traffic", "marine", "ada"):
            server.route(f"/{name}.xml", body=rss(name), etag=f'"{name}-1"')
        (root / "sources.yaml").write_text(self.sources(), encoding="utf-8")

    def sources(self) -> str:
        url = self.server.url
        return f"""\
site:
  name: Test Bay Police
  url: https://police.test-bay.example
  languages: [en]
  timezone: America/Toronto
  contact: {{emergency: "911"}}
  fetch: {{allow_private_addresses: true, connect_timeout: 2, read_timeout: 5, total_timeout: 10}}
units:
  - id: traffic
    name: Traffic Services
    kind: unit
    accounts:
      - {{platform: website, url: "https://traffic.example/", feed: "{url("/traffic.xml")}"}}
      - {{platform: linkedin, handle: test-bay-traffic}}
  - id: marine
    name: Marine Unit
    kind: unit
    accounts:
      - {{platform: blog, url: "https://marine.example/", feed: "{url("/marine.xml")}"}}
officers:
  - name: Ada Fenwick
    unit: traffic
    accounts:
      - {{platform: mastodon, handle: ada@social.test-bay.example, feed: "{url("/ada.xml")}"}}
"""

    def environ(self, **env: str) -> dict[str, str]:
        environ = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GITHUB_") and k not in ("NO_COLOR", "FORCE_COLOR")
        }
        environ.update({"PYTHONIOENCODING": "utf-8", "TERM": "xterm-256color", **env})
        return environ

    def hub(self, *args: str, **env: str) -> Ran:
        """``python -m hub ARGS``, stdout and stderr pipes."""
        done = subprocess.run(
            [sys.executable, "-m", "hub", *args],
            cwd=self.root,
            env=self.environ(**env),
            capture_output=True,
            encoding="utf-8",
            timeout=240,
            check=False,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def build_py(self, *args: str, **env: str) -> Ran:
        done = subprocess.run(
            [sys.executable, str(REPO / "build.py"), *args],
            cwd=self.root,
            env=self.environ(**env),
            capture_output=True,
            encoding="utf-8",
            timeout=240,
            check=False,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def copy_theme(self) -> None:
        (self.root / "themes").unlink()
        shutil.copytree(REPO / "themes", self.root / "themes")


def on_terminal(cwd: Path, args: list[str], environ: dict[str, str]) -> Ran:
    """``args`` with stderr a real pseudo-terminal (stdout a pipe); what each received."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every end of the terminal is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8")
    code = process.wait(timeout=240)
    # The terminal turns each newline into CR LF.
    return Ran(code, out, b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))
