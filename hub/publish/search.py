"""The site's search index: Pagefind, run over the pages in the new tree.

Once the pages are written into the new tree and before it is swapped in,
:func:`index_pages` has Pagefind (the binary of the ``pagefind[bin]``
package, offline) index the officers', units' and content pages of every
language. The templates mark what to index on each (``data-pagefind-body``)
and what to leave out (``data-pagefind-ignore``, and :data:`EXCLUDE` here:
the breadcrumb, the feeds, the parts of a post that are not its words); each
page's ``lang`` puts it in its language's index, so a French search finds
French pages. A post is found through its author's page and its unit's,
which show it.

Pagefind runs as a command, not through its Python API (``pagefind.index``):
the API's service answers "written" before its files reach the disk and is
then stopped, which under load left ``pagefind-entry.json`` empty in 5 runs
of 30 (the command, 0 of 30: it ends once its files are written). The
binary is found as the API finds it (``PAGEFIND_BINARY_PATH``, else the
``pagefind-bin`` package).

Pagefind has no incremental index, and indexing every page again costs about
as much CPU as rendering them on a large site (docs/performance.md). So when
every indexed page of the new tree is the previous tree's, byte for byte, and
the previous tree's index was made from them by the same settings (the state
kept in the cache folder, :data:`STATE`, says so), the previous index is
carried over instead: a build that changed the store, the registry or a page
no search reads does not run Pagefind.

A large site can let the index lag behind new posts for a while
(``site.search.refresh_minutes``, :class:`Lag`): while the previous index is
younger than that, was made from the same registry, content and theme, and
every change to the posts since is a post added (the store's audit trail
shows no edit, withdrawal or curation event), it is carried over too, and
the new posts are found at the next refresh. Anything that takes something
off the site (a post deleted, hidden, an appeal resolved) refreshes the index
at once. ``0``, the default, keeps the index current at every build.

Pagefind writes its files into a folder of its own; each is then put into
the new tree like any other file, so that one unchanged since the last build
keeps its time (a deploy uploads only what changed), and planned in the
build's :class:`~hub.outputs.files.Output`, which checks its path against
every other. Only what the search page's script uses is published
(:data:`PUBLISHED`): not Pagefind's own interfaces.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hub.outputs import cdn
from hub.outputs.files import Output, Planned
from hub.problems import HubError, os_reason
from hub.publish.tree import Stage
from hub.site.urls import SEGMENTS

FOLDER = cdn.SEARCH_INDEX
"""Where the index is published: ``/pagefind/pagefind.js`` and the rest."""
ROUTES = ("officer", "unit", "page")
"""The kinds of page indexed, by the route that holds them."""
EXCLUDE = (
    ".breadcrumb",
    "[aria-labelledby=feeds-title]",
    ".post-meta",
    ".post-actions",
    ".post-also",
    ".avatar",
)
"""What Pagefind leaves out of the pages it indexes, besides what they mark
``data-pagefind-ignore``: the breadcrumb, the feeds to follow, and a post's
time, links and author's initials."""
PUBLISHED = re.compile(
    r"pagefind\.js|pagefind-entry\.json|pagefind\.[a-z0-9_-]+\.pf_meta|wasm\.[a-z0-9_-]+\.pagefind"
    r"|(fragment|index|filter)/[^/]+"
)
"""The files of Pagefind's output that the JavaScript API reads."""
TIMEOUT = 900.0
"""Seconds Pagefind may take before the build gives up on it (and publishes nothing)."""
STATE = "search-index.json"
"""In the cache folder: which output folder's index was made how, to carry it over."""


@dataclass(frozen=True)
class Lag:
    """How far behind the posts a build may leave the search index."""

    now: datetime
    minutes: int
    """``site.search.refresh_minutes``; 0: never behind."""
    site: str
    """The site's fingerprint (:class:`hub.render.inputs.Ledger`): registry, content, theme."""
    only_added: Callable[[datetime], bool]
    """Whether every change to the posts since that moment was a post added."""

    def allows(self, state: Mapping[str, object]) -> bool:
        """Whether the index ``state`` describes may stand for this build's posts."""
        made = state.get("made")
        if self.minutes <= 0 or not isinstance(made, str) or state.get("site") != self.site:
            return False
        try:
            since = datetime.fromisoformat(made)
        except ValueError:
            return False
        return self.now - since < timedelta(minutes=self.minutes) and self.only_added(since)


@dataclass(frozen=True)
class Indexed:
    """What :func:`index_pages` did."""

    pages: int
    """Pages Pagefind indexed, every language together."""
    files: int
    """Files of the index put into the tree."""
    reused: bool = False
    """No page it indexes changed: the previous tree's index was carried over."""
    lagging: bool = False
    """Pages it indexes changed, with new posts only, and the previous index was
    carried over all the same (:class:`Lag`)."""


def folders(languages: Iterable[str]) -> list[str]:
    """The folders whose pages are indexed: ``en/officers``, ``fr/agents``..."""
    return [
        f"{lang}/{SEGMENTS.get(lang, SEGMENTS['en'])[route]}"
        for lang in languages
        for route in ROUTES
    ]


def index_pages(
    stage: Stage,
    output: Output,
    languages: Iterable[str],
    cache: Path,
    lag: Lag | None = None,
) -> Indexed:
    """Index the pages written into the new tree, put the index there too and
    plan it in ``output``; carry the previous index over when no page it
    indexes changed, or when ``lag`` allows it to stay behind new posts.
    ``cache``: where the state that allows it is kept."""
    binary = _binary()
    wanted = folders(languages)
    pages = sorted(path for path in output.paths() if _indexed(path, wanted))
    settings = _settings(binary, wanted)
    kept = _previous_index(stage, output, pages, settings, cache, lag)
    if kept is not None:
        count, lagging = kept
        files = _carry_over(stage, output)
        if not lagging and lag is not None:
            # The same pages, so the index is this site's too (a registry edit no
            # page shows): a later build may keep it behind new posts as well.
            _restate(cache, site=lag.site)
        return Indexed(count, files, reused=True, lagging=lagging)
    pattern = "{" + ",".join(wanted) + "}/**/*.html"
    with tempfile.TemporaryDirectory(prefix="hub-pagefind-") as work:
        written = Path(work) / FOLDER
        command = [str(binary), "--site", str(stage.path), "--glob", pattern]
        command += ["--output-path", str(written), "--silent"]
        for selector in EXCLUDE:
            command += ["--exclude-selectors", selector]
        _command(command)
        entry = written / "pagefind-entry.json"
        try:
            found = json.loads(entry.read_bytes())
            count = sum(int(one["page_count"]) for one in found["languages"].values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise HubError(f"search: Pagefind wrote no usable index ({err})") from err
        # Sorted: Pagefind lists the languages in any order, and the same site
        # must make the same bytes.
        text = json.dumps(found, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        entry.write_text(text, encoding="utf-8")
        files = 0
        for path in sorted(_files(written)):
            relative = f"{FOLDER}/{path}"
            planned = Planned(f"the search index ({path})", src=written / path)
            output.plan(relative, stage.put(relative, planned))
            files += 1
    state = {
        "out": str(stage.target.resolve()),
        "settings": settings,
        "entry": hashlib.sha256(text.encode()).hexdigest(),
        "pages": count,
        "made": lag.now.isoformat() if lag is not None else None,
        "site": lag.site if lag is not None else None,
    }
    # Before the swap: if the swap fails, the entry no longer matches and nothing is reused.
    (cache / STATE).write_text(json.dumps(state), encoding="utf-8")
    return Indexed(count, files)


def _indexed(path: str, wanted: Iterable[str]) -> bool:
    return path.endswith(".html") and any(path.startswith(folder + "/") for folder in wanted)


def _settings(binary: Path, wanted: Iterable[str]) -> str:
    """What the index is made with besides the pages: Pagefind's version, what it reads."""
    version = _command([str(binary), "--version"]).strip()
    return json.dumps([version, list(wanted), list(EXCLUDE), PUBLISHED.pattern])


def _previous_index(
    stage: Stage,
    output: Output,
    pages: list[str],
    settings: str,
    cache: Path,
    lag: Lag | None = None,
) -> tuple[int, bool] | None:
    """The page count of the previous tree's index when it can be carried over, and
    whether it then lags behind the pages; None when it cannot.

    It can when the cache's state says that index was made for this output
    folder with these settings, the pages to index are those it indexed, and
    each is unchanged (the new tree links it) or ``lag`` allows it.
    """
    try:
        state = json.loads((cache / STATE).read_bytes())
        entry = (stage.target / FOLDER / "pagefind-entry.json").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("out") != str(stage.target.resolve()):
        return None
    if state.get("settings") != settings or state.get("entry") != hashlib.sha256(entry).hexdigest():
        return None
    before = {path for path in stage.previous if _indexed(path, json.loads(settings)[1])}
    count = state.get("pages")
    if before != set(pages) or not isinstance(count, int):
        return None
    planned = dict(output.items())
    if all(planned[path].staged == "unchanged" for path in pages):
        return count, False
    if lag is not None and lag.allows(state):
        return count, True
    return None


def _restate(cache: Path, **changes: object) -> None:
    """Change what the cache's state says of the index carried over."""
    try:
        state = json.loads((cache / STATE).read_bytes())
    except (OSError, ValueError):
        return
    if isinstance(state, dict) and any(state.get(k) != v for k, v in changes.items()):
        state.update(changes)
        (cache / STATE).write_text(json.dumps(state), encoding="utf-8")


def _carry_over(stage: Stage, output: Output) -> int:
    """Put the previous tree's index into the new one, unchanged; the number of files."""
    folder = stage.target / FOLDER
    files = sorted(_files(folder))
    for path in files:
        relative = f"{FOLDER}/{path}"
        planned = Planned(f"the search index ({path}, unchanged)", src=folder / path)
        output.plan(relative, stage.put(relative, planned))
    return len(files)


def _binary() -> Path:
    """Pagefind's binary, found as its Python package finds it."""
    # Imported here: only a build that publishes needs the package.
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None or not binary.is_file():
        raise HubError(
            "search: Pagefind's binary is not installed; install the locked packages "
            "(pip install --require-hashes -r requirements/runtime.txt), "
            "which include pagefind[bin]"
        )
    return binary


def _command(command: list[str]) -> str:
    """Run Pagefind; what it printed, or the HubError that says why it failed."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as err:
        raise HubError(f"search: Pagefind did not finish in {TIMEOUT:.0f} s") from err
    except OSError as err:
        raise HubError(f"search: Pagefind could not be started: {os_reason(err)}") from err
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).split())[-500:]
        raise HubError(f"search: Pagefind failed (exit code {done.returncode}): {said}")
    return done.stdout


def _files(folder: Path) -> list[str]:
    """The published files of Pagefind's output, relative to it."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            relative = Path(parent, name).relative_to(folder).as_posix()
            if PUBLISHED.fullmatch(relative):
                found.append(relative)
    return found
