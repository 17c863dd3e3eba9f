"""A muted account (``mute:`` in content/curation.yaml) is not offered to follow meanwhile.

Its posts are off the site already; its public feed must not be offered in
"Follow in a feed reader" nor in the OPML list, since a hijacked account's
feed would carry the intruder's posts straight into readers' apps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hub.registry import load as registry
from hub.render.accounts import public_feeds
from hub.site import model as site
from hub.site.content import load_content

SOURCES = """\
site:
  name: Harbour Bay Police
  url: https://police.harbourbay.example
  languages: [en]
  contact: {emergency: "911"}
units:
  - id: traffic
    name: Traffic
    kind: unit
    accounts:
      - {platform: mastodon, handle: "@traffic@police.harbourbay.example"}
      - {platform: bluesky, handle: traffic.harbourbay.example, feed: "https://bsky.example/traffic.rss"}
"""


def test_a_muted_accounts_feed_is_not_offered(tmp_path: Path) -> None:
    (tmp_path / "themes" / "default").mkdir(parents=True)
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "curation.yaml").write_text(
        "mute:\n  - account: bluesky:traffic.harbourbay.example\n    reason: Hijacked (CC-7).\n",
        encoding="utf-8",
    )
    reg = registry.load(tmp_path / "sources.yaml").registry
    loaded = load_content(tmp_path / "content", reg.site.languages, registry=reg)
    model = site.build(reg, [], loaded, datetime(2026, 11, 22, 12, tzinfo=UTC))
    mastodon, bluesky = reg.units[0].accounts
    assert public_feeds(reg.units[0].accounts) == [mastodon, bluesky]
    assert public_feeds(reg.units[0].accounts, model) == [mastodon]
