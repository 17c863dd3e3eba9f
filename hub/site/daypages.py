"""The latest activity after the home page: a page per day, which a new post never shifts.

The home page shows the newest :data:`~hub.model.PAGE_SIZE` posts. The older
ones are on day pages (``/en/days/2026-12-07/``, ``/fr/jours/2026-12-07/``),
one per day in the site's time zone, for every day the newest
``HOME_PAGES * PAGE_SIZE`` posts fall on. A post lands on the page of its day
and stays there: a new post changes the home page and its own day's page,
never the pages of other days, so a CDN fetches two pages again, not twenty.
(Numbered pages, ``/en/2/``, ``/en/3/``, moved every post one place down
with each new one.) A day's page shows its newest :data:`DAY_LIMIT` posts;
the rest of a very busy day stay on their accounts' pages.

The numbered addresses of earlier versions, ``/en/2/`` to
``/en/<HOME_PAGES>/``, are kept as pages that send the reader on to the home
page (:data:`OLD_PAGES`), so links and bookmarks to them keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from hub.model import HOME_PAGES, PAGE_SIZE
from hub.site.model import Post, SiteModel

DAY_LIMIT = 2 * PAGE_SIZE
"""The most posts a day's page shows: the day's newest."""
OLD_PAGES = range(2, HOME_PAGES + 1)
"""The numbers of the home page's former pages, ``/en/2/`` on: each now sends
the reader to the home page."""


@dataclass(frozen=True)
class Day:
    """A day's page of latest activity."""

    day: date
    posts: tuple[Post, ...]
    """Its newest posts, newest first: at most :data:`DAY_LIMIT`."""
    total: int
    """How many posts the day has, shown or not."""
    newer: date | None
    """The next day with a page, None for the newest."""
    older: date | None
    """The day before with a page, None for the oldest."""

    @property
    def key(self) -> str:
        """The day as its address writes it: ``2026-12-07``."""
        return self.day.isoformat()


def days(site: SiteModel) -> tuple[Day, ...]:
    """Every day's page, the newest first; ``site.days`` keeps them for the model."""
    zone = ZoneInfo(site.registry.site.timezone)
    dated = [post for post in site.posts if post.when is not None]
    window = {_day(post, zone) for post in dated[: HOME_PAGES * PAGE_SIZE]}
    by_day: dict[date, list[Post]] = {}
    for post in dated:  # newest first, so each day's list is too
        day = _day(post, zone)
        if day in window:
            by_day.setdefault(day, []).append(post)
    ordered = sorted(by_day, reverse=True)
    return tuple(
        Day(
            day,
            tuple(by_day[day][:DAY_LIMIT]),
            len(by_day[day]),
            ordered[index - 1] if index else None,
            ordered[index + 1] if index + 1 < len(ordered) else None,
        )
        for index, day in enumerate(ordered)
    )


def after_home(site: SiteModel) -> date | None:
    """The day of the newest post the home page does not show: where "Older posts" leads."""
    home = {id(post) for post in site.river[:PAGE_SIZE]}
    zone = ZoneInfo(site.registry.site.timezone)
    for post in site.posts:
        if post.when is not None and id(post) not in home:
            return _day(post, zone)
    return None


def _day(post: Post, zone: ZoneInfo) -> date:
    assert post.when is not None
    return post.when.astimezone(zone).date()
