"""``hub report``: the governance report for Corporate Communications, beside the site.

The registry and ``content/`` are checked as ``hub check`` checks them; the
store is read holding the cache folder's lock, as a run would; then the
tokens are checked and the Mastodon and Bluesky profiles asked (not with
``--offline``), and ``index.html``, ``accounts.csv`` and ``report.json`` are
written into ``--out`` (:mod:`hub.governance`).

The report names people (``admin:``), so it is never written where the site
is: ``--out`` may be neither the site's output folder (``public/``, or any
folder that holds a published site) nor inside one. Nothing it prints names
a person either, since CI logs may be public: only counts and paths.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub.cli import messages
from hub.cli.options import EXIT_OK, Options
from hub.feeds.connectors import secrets
from hub.governance import wording
from hub.governance.model import Report
from hub.governance.report import ask_platforms, assemble, read_store
from hub.governance.writers import write_report
from hub.model import Registry
from hub.outputs.files import MARKER
from hub.problems import HubError
from hub.site.curation import Curation
from hub.store.database import STORE_NAME, Store

SITE_FOLDER = Path("public")
"""Where ``hub build`` writes the site unless told otherwise."""


def refuse_site_folder(out: Path) -> None:
    """Raise HubError when ``out`` is the site's output folder or inside one."""
    target = out.resolve()
    default = SITE_FOLDER.resolve()
    site = None
    if target == default or default in target.parents:
        site = default
    else:
        site = next((f for f in (target, *target.parents) if (f / MARKER).is_file()), None)
    if site is not None:
        raise HubError(
            f"--out {out}: is inside the site's output folder {site}/, which is published: "
            "the report names people and must never be; write it elsewhere (default: report/)"
        )


def run(options: Options, registry: Registry, curation: Curation, now: datetime) -> int:
    """Read the store in the cache folder, ask the platforms, write the report."""
    secrets.remember_registry(registry)
    with Store.open(options.cache / STORE_NAME) as store:
        stored = read_store(store, now)
    if not options.offline:
        messages.status("report: checking tokens and profiles")
    asked = ask_platforms(registry, offline=options.offline)
    report = assemble(
        registry,
        curation,
        stored,
        asked,
        now=now,
        sources=str(options.sources),
        offline=options.offline,
    )
    written = write_report(report, options.out)
    for line in summary(report):
        messages.status(line)
    messages.status(f"report: -> {', '.join(str(path) for path in written)}")
    return EXIT_OK


def need_store(cache: Path) -> None:
    """Raise HubError when the cache folder holds no store: there is nothing to report on."""
    if not (cache / STORE_NAME).is_file():
        raise HubError(
            f"{cache / STORE_NAME}: no store yet: run hub fetch or hub build first "
            "(or name the cache folder with --cache)"
        )


def summary(report: Report) -> list[str]:
    """A line per section, with counts only: a CI log may be public, the report is not."""
    lines = []
    for section in report.sections:
        title = wording.SECTIONS[section.id].title
        said = (
            wording.SKIPPED.format(why=section.skipped)
            if section.skipped
            else wording.CHECKED.format(checked=section.checked, found=len(section.findings))
        )
        lines.append(f"report: {title}: {said}")
    return lines
