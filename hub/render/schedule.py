"""How one build's rendering is fitted around reading the posts.

Reading 100,000 entries and making the site model takes seconds of one core.
Meanwhile a forked process renders the pages that list only accounts, and
compiles the theme's templates (:func:`hub.render.pages.ahead_of_posts`);
what it has not started by the time the posts are ready is rendered with the
rest. Garbage collection is paused while the long-lived model is made, and
what it made is then frozen, so that later collections pass it by.
:class:`Rendering` owns that plumbing, so that :func:`hub.pipeline.build`
reads as the list of stages.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from hub import parallel
from hub.model import Thumbnails
from hub.outputs.files import Output, Sink
from hub.render import pages, renderer
from hub.render.inputs import Ledger
from hub.render.theme import Theme
from hub.site.model import SiteModel


class Rendering:
    """One build's rendering: some pages ahead of the posts, then every other page."""

    def __init__(
        self, theme: Theme, workers: int, ledger: Ledger | None = None, cache: Path | None = None
    ) -> None:
        self.theme = theme
        self.workers = workers
        self.ledger = ledger
        """What the files were made from, last build and this one (:mod:`hub.render.inputs`)."""
        self.cache = cache
        """The build's cache folder, where the images made are kept (:mod:`hub.render.pictures`)."""
        self._ahead: pages.Ahead | None = None

    @contextmanager
    def ahead(self, directory: Callable[[], SiteModel], stage: Sink) -> Iterator[None]:
        """While the block runs, a forked process renders the pages that list accounts.

        ``directory`` makes the model without posts (in that process); the
        pages go straight into ``stage``. Leaving the block takes what was
        rendered so far and waits for the process to end.
        """
        work = partial(_ahead_of_posts, directory, self.theme, stage, self.ledger)
        with parallel.ahead(work) as rendered:
            yield
            self._ahead = rendered()

    @contextmanager
    def making_the_model(self) -> Iterator[None]:
        """No garbage collection while making objects that live as long as the build.

        Reading 100,000 entries and making their posts creates no garbage
        cycles, yet the collector would walk every object made so far, again
        and again (a tenth of the time). Afterwards those objects are frozen,
        so that later collections pass them by too; :func:`rendering`
        unfreezes them when the build ends.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    def render(self, model: SiteModel, thumbnails: Thumbnails, stage: Sink | None) -> Output:
        """Every file of the site, written into ``stage`` as rendered, or kept in memory.

        Without a stage (the gate refused) the pages rendered ahead went into
        a tree that is thrown away, so every page is rendered here.
        """
        # Compiled ahead, or here what was not: the render processes inherit
        # the templates and compile none.
        if self._ahead is not None:
            renderer.adopt_templates(self._ahead.compiled)
        renderer.compile_templates(self.theme)
        ahead = self._ahead if stage is not None else None
        ledger = self.ledger if stage is not None else None
        return pages.collect(
            model,
            self.theme,
            thumbnails,
            workers=self.workers,
            stage=stage,
            ahead=ahead,
            ledger=ledger,
            cache=self.cache,
        )


@contextmanager
def rendering(
    theme: Theme, ledger: Ledger | None = None, cache: Path | None = None
) -> Iterator[Rendering]:
    """The rendering of one build, on every core this process may use.

    With a ``ledger``, the files whose inputs did not change since the last
    build are kept rather than rendered (:mod:`hub.render.inputs`)."""
    # What an earlier build in this process left (``hub serve`` rebuilds in
    # one) is cyclic garbage: Jinja's environments hold the model in cycles.
    # Collected now, or it would be frozen with this build's objects, and kept.
    gc.collect()
    try:
        yield Rendering(theme, parallel.cores(), ledger, cache)
    finally:
        gc.unfreeze()


def _ahead_of_posts(
    directory: Callable[[], SiteModel],
    theme: Theme,
    stage: Sink,
    ledger: Ledger | None,
    asked: Callable[[], bool],
) -> pages.Ahead:
    return pages.ahead_of_posts(directory(), theme, stage, enough=asked, ledger=ledger)
