"""The publish gate: whether a new build may replace the published site.

Every published site carries a small manifest, ``hub-manifest.json``: how
many profiles, accounts, posts and feeds with posts it shows, and when its
newest post is from. Before a build replaces a site, its manifest is compared
with the published one (the *baseline*): when the new site has much less than
the old one, the build is refused and the old site stays. That is what a lost
store plus a network outage, or a registry edit that drops most units, looks
like; neither should reach the public.

This module only compares numbers. Reading the baseline (from the output
folder or from the deployed site) is :func:`hub.publish.baseline.read_baseline`.

Choices worth knowing:

- The manifest holds no build time, so a rebuild with nothing new writes the
  same bytes and a deploy uploads nothing.
- A check refuses only when the new number is strictly below its share of the
  baseline; reaching the share exactly passes. A baseline of zero passes.
- No baseline (a first publish, a site that cannot be reached) publishes:
  the gate protects a good site, it cannot judge a first one.
- ``--force`` publishes whatever the checks say; they are still reported.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from hub.model import Entry, PublishSettings, Registry

if TYPE_CHECKING:
    from hub.site.model import SiteModel

MANIFEST_NAME = "hub-manifest.json"
"""The manifest's path at the root of every published site."""
MANIFEST_FORMAT = 1
EXIT_REFUSED = 3
"""The exit code of a build the gate refused to publish."""

Verdict = Literal["no_baseline", "passed", "refused", "forced"]


@dataclass(frozen=True)
class Manifest:
    """What one published site shows, in numbers."""

    profiles: int
    """Units and officers (former officers included: their page stays)."""
    units: int
    officers: int
    accounts: int
    feeds: int
    """Distinct feeds in the registry."""
    feeds_with_entries: int
    """Feeds with at least one post on the site."""
    posts: int
    newest_post: datetime | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {"format": MANIFEST_FORMAT, **asdict(self)}
        data["newest_post"] = _iso(self.newest_post)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest:
        """Read a manifest; ValueError (with a reason) when it is not one."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a manifest: expected a JSON object")
        counts: dict[str, int] = {}
        for item in fields(cls):
            if item.name == "newest_post":
                continue
            value = data.get(item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f'not a manifest: "{item.name}" is not a count')
            counts[item.name] = value
        return cls(**counts, newest_post=_parse_time(data.get("newest_post")))


def manifest_of(model: SiteModel, entries: Sequence[Entry]) -> Manifest:
    """The manifest of the site ``model`` describes, built from ``entries``."""
    registry: Registry = model.registry
    feeds = {feed.source for feed in registry.feeds()}
    times = [post.when for post in model.posts if post.when is not None]
    return Manifest(
        profiles=len(registry.units) + len(registry.officers),
        units=len(registry.units),
        officers=len(registry.officers),
        accounts=sum(1 for _ in registry.accounts()),
        feeds=len(feeds),
        feeds_with_entries=len({entry.feed for entry in entries} & feeds),
        posts=len(model.posts),
        newest_post=max(times) if times else None,
    )


@dataclass(frozen=True)
class Check:
    """One number of the new site against the published site's."""

    setting: str
    """The key under ``site.publish`` that sets the threshold."""
    what: str
    new: int
    baseline: int
    threshold: float

    @property
    def passed(self) -> bool:
        # Division is correctly rounded, so new/baseline equals the threshold exactly
        # when the true ratio does (7/10 passes 0.7, where 0.7 * 10 would not).
        return self.baseline == 0 or self.new / self.baseline >= self.threshold

    @property
    def share(self) -> float:
        return self.new / self.baseline if self.baseline else 1.0

    @property
    def shown_share(self) -> str:
        """The share in whole percent, rounded down: 99 of 199 is 49%, never a passing 50%."""
        return f"{self.new * 100 // self.baseline if self.baseline else 100}%"

    @property
    def shown_threshold(self) -> str:
        return f"{self.threshold * 100:g}%"

    def describe(self) -> str:
        return (
            f"{self.what}: {self.new} now, {self.baseline} published ({self.shown_share}); "
            f"site.publish.{self.setting} asks for at least {self.shown_threshold}"
        )


@dataclass(frozen=True)
class Decision:
    """Whether to publish, and the numbers that decided it."""

    verdict: Verdict
    checks: tuple[Check, ...] = ()
    baseline_from: str | None = None
    """Where the baseline was read: a file or a URL."""

    @property
    def publish(self) -> bool:
        return self.verdict != "refused"

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.passed)


def checks(new: Manifest, baseline: Manifest, settings: PublishSettings) -> tuple[Check, ...]:
    """Every gate check of ``new`` against ``baseline``; a threshold of 0 is left out."""
    rules = (
        ("min_entries_ratio", "posts", new.posts, baseline.posts),
        ("min_profiles_ratio", "units and officers", new.profiles, baseline.profiles),
        (
            "min_feeds_ratio",
            "feeds with posts",
            new.feeds_with_entries,
            baseline.feeds_with_entries,
        ),
    )
    return tuple(
        Check(setting, what, now, before, getattr(settings, setting))
        for setting, what, now, before in rules
        if getattr(settings, setting) > 0
    )


def decide(
    new: Manifest,
    baseline: Manifest | None,
    settings: PublishSettings,
    *,
    force: bool = False,
    baseline_from: str | None = None,
) -> Decision:
    """Whether the site described by ``new`` may replace the one described by ``baseline``."""
    if baseline is None:
        return Decision("no_baseline")
    found = checks(new, baseline, settings)
    if all(check.passed for check in found):
        verdict: Verdict = "passed"
    else:
        verdict = "forced" if force else "refused"
    return Decision(verdict, found, baseline_from)


def refusal_message(decision: Decision, out: str) -> str:
    """What to tell the user when the gate refuses: each number, and what to do."""
    lines = [
        "not published: the new site is much smaller than the published one "
        f"(compared with {decision.baseline_from}):",
        *(f"  {check.describe()}" for check in decision.failed),
        f"{out} is left exactly as it was. {advice(decision)}",
    ]
    return "\n".join(lines)


def advice(decision: Decision) -> str:
    """What to do about a refusal, from which checks failed."""
    settings = {check.setting for check in decision.failed}
    if settings == {"min_profiles_ratio"}:
        return (
            "If units or officers were removed from sources.yaml on purpose, "
            "build once with --force; otherwise restore them."
        )
    return (
        "If the store was lost and most feeds failed, run again when the feeds answer "
        "(the store fills up again); if the site really shrank on purpose, build with --force."
    )


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
