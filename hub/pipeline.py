"""The build, start to end, as one readable function per command.

``fetch`` runs fetch -> parse -> store (and saves the newest posts' images);
``build`` adds site -> gate -> render -> search -> publish, where the render
processes write each page into the new tree as they go, Pagefind indexes them
there, and publishing swaps that tree in. The command line calls these;
tests call them directly. A build whose inputs are exactly those of the
build already in the output folder renders and writes nothing
(:mod:`hub.publish.buildstate`). A published build records
in the store's audit trail the posts curation took off the site or let back
on since the last one (:mod:`hub.site.screening`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from hub.feeds.fetch import user_agent
from hub.model import Entry, Registry
from hub.outputs import archive
from hub.outputs.files import MARKER, Output
from hub.problems import Problem
from hub.publish import buildstate, gate, search
from hub.publish.baseline import Baseline
from hub.publish.gate import Decision, Manifest
from hub.publish.tree import PublishReport, staging
from hub.render import fastpath, schedule, theme
from hub.render.inputs import Ledger
from hub.site import model as site
from hub.site import moderation, screening
from hub.site.agenda import Agenda
from hub.site.content import Content
from hub.store import media
from hub.store.database import STORE_NAME, Store
from hub.store.reseed import ReseedReport
from hub.store.reseed import reseed as reseed_store
from hub.store.update import FeedOutcome, UpdateReport, update


@dataclass(frozen=True)
class BuildResult:
    pages: int
    posts: int
    manifest: Manifest
    decision: Decision
    publish: PublishReport | None
    """None when the gate refused: the output folder was not touched."""
    seconds: Mapping[str, float] = field(default_factory=dict)
    """Time per stage: ``render`` (which writes the pages and feeds into the new
    tree) and, when they ran, ``search`` (Pagefind's index of the pages) and
    ``publish`` (the other files, and the swap)."""
    warnings: tuple[Problem, ...] = ()
    """Problems in content/ that only the posts could show (a pin that pins
    nothing, :mod:`hub.site.moderation`); none when nothing was rendered."""
    rendered: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Why the pages and feeds rendered were (``"pages"``, ``"feeds"``: reason ->
    how many); the others were kept from the previous site as they were."""
    search_behind: bool = False
    """The search index was kept behind new posts (``site.search.refresh_minutes``)."""

    @property
    def published(self) -> bool:
        return self.publish is not None


def open_store(cache: Path) -> Store:
    return Store.open(cache / STORE_NAME)


def fetch(
    registry: Registry,
    cache: Path,
    *,
    now: datetime,
    on_start: Callable[[int], None] | None = None,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
) -> UpdateReport:
    """Fetch every due feed into the store in ``cache``."""
    with open_store(cache) as store:
        report = update(registry, store, now=now, on_start=on_start, on_outcome=on_outcome)
        # Pages show feed images only from the site's own copies: save the new ones.
        media.refresh(
            store,
            registry.site.fetch,
            user_agent=user_agent(registry.site.url),
            cache=cache,
            now=now,
        )
    return report


def reseed(
    registry: Registry, loaded: Content, cache: Path, baseline: Baseline, *, now: datetime
) -> ReseedReport | None:
    """Fill an empty store from the published site the gate's baseline came from, before
    the fetch (:mod:`hub.store.reseed`). None when the store is not empty, or when
    nothing was published yet; a report saying why not when the site could not be read."""
    with open_store(cache) as store:
        if not store.is_empty():
            return None
        if baseline.manifest is None or baseline.source is None:
            if not baseline.problems:
                return None
            return ReseedReport("the published site", missing="; ".join(baseline.problems))
        # Where the manifest is, the archive is: a folder, or an address ending in /.
        source = baseline.source
        if source.startswith(("http://", "https://")):
            where = source.rpartition("/")[0] + "/"
        else:
            where = str(Path(source).parent)
        posts = {archive.post_key(a.post): a.post for a in loaded.appeals if a.post}
        return reseed_store(store, registry, where, posts, now=now)


def latest_posts(cache: Path) -> dict[str, datetime]:
    """Per feed, the time of its newest stored post."""
    with open_store(cache) as store:
        return store.latest_published()


def build(
    registry: Registry,
    loaded: Content,
    cache: Path,
    out: Path,
    *,
    now: datetime,
    baseline: Baseline | None = None,
    force: bool = False,
    full: bool = False,
) -> BuildResult:
    """Render the site from the store and content/ and, if the gate agrees, publish it.

    Only the pages and feeds whose inputs changed since the last build are
    rendered (:mod:`hub.render.inputs`); ``full`` renders every one.
    """
    started = time.monotonic()
    chain = theme.load(registry.root, registry.site.theme)
    with ExitStack() as scope:
        store = scope.enter_context(open_store(cache))
        saved = media.stored(store, cache)
        files = buildstate.files_digest([registry.path, registry.root / "content", *chain.folders])
        moment = _moment(registry, loaded, now)
        digest = buildstate.digest(
            files, store.revision(now), moment, repr(sorted(saved.files.items()))
        )
        state = buildstate.load(cache)
        if not full and state is not None and buildstate.is_current(state, digest, out, MARKER):
            unchanged = _unchanged(state, out, registry, time.monotonic() - started)
            if unchanged is not None:
                return unchanged
        # Never let an output folder swallow the registry, its content or the store.
        protect = (registry.path, registry.root / "content", cache)
        stage = scope.enter_context(staging(out, protect=protect, wait=False))
        # Checked before any process forks to render: they inherit the verdict.
        fastpath.check()
        names = site.channel_names(registry, partial(_newest, store, now))
        # Every page shows the names feeds give their accounts (``handle``).
        whole = buildstate.digest(files, moment, repr(sorted(names.items())))
        ledger = Ledger.after(whole, buildstate.load_ledger(cache, out), full=full)
        rendering = scope.enter_context(schedule.rendering(chain, ledger, cache))
        with rendering.ahead(partial(site.directory, registry, loaded, now, names), stage):
            with rendering.making_the_model():
                entries = store.entries([feed.source for feed in registry.feeds()], now=now)
                model = site.build(
                    registry,
                    entries,
                    loaded,
                    now,
                    workers=rendering.workers,
                    withdrawn=store.withdrawn(),
                    names=names,
                )
            # The gate looks at the model only: it decides before the rest is rendered.
            manifest = gate.manifest_of(model, entries)
            decision = _decide(manifest, registry, baseline or Baseline(), force)
        if not decision.publish:
            # Rendered all the same, in memory: a template error still shows, and
            # the report counts the pages held back. The new tree is deleted.
            output = rendering.render(model, saved, stage=None)
            seconds = {"render": time.monotonic() - started}
            pages, posts = _pages(output), len(model.posts)
            return BuildResult(pages, posts, manifest, decision, None, seconds, model.notes)
        output = rendering.render(model, saved, stage=stage)
        output.add(gate.MANIFEST_NAME, manifest.to_json(), source="the publish gate's manifest")
        rendered = time.monotonic()
        # Pagefind reads the pages just written into the new tree; its index goes in beside them.
        lag = search.Lag(now, _refresh(registry), ledger.site, store.history.only_added)
        indexed = search.index_pages(stage, output, registry.site.languages, cache, lag)
        searched = time.monotonic()
        buildstate.forget_ledger(cache)
        report = stage.finish(output)
        buildstate.save_ledger(cache, out, ledger.to_json())
        # The audit trail: what curation keeps off the site now, against the last build.
        was = store.history.screened()
        curated = screening.changes(registry, entries, loaded.curation, now, was)
        store.history.record_screening(curated, now=now, keep_days=registry.site.audit_days)
    seconds = {
        "render": rendered - started,
        "search": searched - rendered,
        "publish": time.monotonic() - searched,
    }
    pages = _pages(output)
    buildstate.save(
        cache,
        buildstate.BuildState(digest, str(out.resolve()), pages, len(model.posts), len(output)),
    )
    return BuildResult(
        *(pages, len(model.posts), manifest, decision, report, seconds, model.notes),
        ledger.reasons,
        indexed.lagging,
    )


def _refresh(registry: Registry) -> int:
    """Minutes the search index may lag behind new posts: none without an audit trail,
    which is how a build knows that the posts only grew since the index was made."""
    return registry.site.search_refresh if registry.site.audit_days > 0 else 0


def _decide(manifest: Manifest, registry: Registry, baseline: Baseline, force: bool) -> Decision:
    return gate.decide(
        manifest,
        baseline.manifest,
        registry.site.publish,
        force=force,
        baseline_from=baseline.source,
    )


def _pages(output: Output) -> int:
    return sum(1 for path in output.paths() if path.endswith(".html"))


def _newest(store: Store, now: datetime, source: str) -> list[Entry]:
    return store.entries([source], limit=1, now=now)


def _moment(registry: Registry, loaded: Content, now: datetime) -> str:
    """What, besides files and entries, the pages depend on: the alerts active now,
    the officers who have left by today, the pins and mutes of
    content/curation.yaml in force today, and the events' state.

    Never the clock itself: pages show no time relative to the build, so a run
    in a new hour, or on a new day, with none of these changed renders nothing.
    """
    alerts = [a.id for lang in registry.site.languages for a in loaded.active_alerts(now, lang)]
    day = moderation.local_day(now, registry.site.timezone)
    former = [o.id for o in registry.officers if o.is_former(day)]
    curated = moderation.in_force(loaded.curation, day)
    # The events' day and the streams live now: the events page, the home page's
    # week, the live banner and the calendars change with them.
    events = Agenda(loaded.events, registry.site.timezone).state(now)
    return f"{alerts} {former} {curated} {events}"


def _unchanged(
    state: buildstate.BuildState, out: Path, registry: Registry, seconds: float
) -> BuildResult | None:
    """The result of a build that found its output already up to date.

    None when the output's manifest is gone or damaged after all (someone
    edited the published folder): the site is then built again.
    """
    try:
        manifest = Manifest.from_json((out / gate.MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    # The site in the output folder is this build's: it passes against itself.
    where = str(out / gate.MANIFEST_NAME)
    decision = gate.decide(manifest, manifest, registry.site.publish, baseline_from=where)
    report = PublishReport(written=0, unchanged=state.files, removed=0, out_dir=out)
    return BuildResult(
        state.pages, state.posts, manifest, decision, report, {"render": seconds, "publish": 0.0}
    )
