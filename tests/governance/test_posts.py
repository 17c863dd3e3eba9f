"""The sections about posts, against the real store of the Test Bay world and its curation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hub.governance import posts
from hub.model import Entry
from hub.registry.yamlnodes import Mark
from hub.site.curation import Curation, Hide, Mute
from hub.site.moderation import Screen, feed_owners, held_posts
from tests.governance import world
from tests.governance.conftest import World

NEWS = "website:https://testbay.example/"
WEST = "blog:https://jackwest.testbay.example/"
MARK = Mark(1, 1)


def shown(testbay: World, curation: Curation) -> list[Entry]:
    return Screen(curation, world.NOW.date()).screen(
        testbay.stored.entries, feed_owners(testbay.registry)
    )[0]


def test_images_without_alt_text_per_account_with_the_posts(testbay: World) -> None:
    section = posts.alt_text(testbay.registry, testbay.rows, shown(testbay, testbay.curation))
    assert section.checked == 2  # two posts on the site have images; one describes its image
    [finding] = section.findings
    assert (finding.code, finding.account) == ("alt-missing", NEWS)
    assert finding.text == "1 post on the site with 1 image without alt text"
    assert finding.urls == ("https://testbay.example/a",)
    assert (finding.owner, finding.contact) == (world.OWNER, world.OWNER_MAIL)
    assert finding.facts == {"posts": 1, "images": 1}


def test_a_post_taken_down_or_an_account_muted_is_not_listed(testbay: World) -> None:
    hidden = replace(
        testbay.curation,
        hide=(Hide("https://testbay.example/a", "names a victim", date(2026, 11, 21), MARK),),
    )
    assert posts.alt_text(testbay.registry, testbay.rows, shown(testbay, hidden)).findings == ()
    mute = Mute(NEWS, NEWS, "hijacked", None, MARK)
    muted = replace(testbay.curation, mute=(mute,))
    assert posts.alt_text(testbay.registry, testbay.rows, shown(testbay, muted)).findings == ()


def test_a_former_officers_account_still_posting(testbay: World) -> None:
    section = posts.former(testbay.registry, testbay.rows, testbay.stored.entries, world.NOW.date())
    assert section.checked == 1
    [finding] = section.findings
    assert (finding.code, finding.account, finding.profile) == (
        "former-posting",
        WEST,
        "officer:west",
    )
    assert finding.text == "left on 2026-10-31, yet 1 post since, the last on 2026-11-05"
    assert finding.urls == ("https://jackwest.testbay.example/after",)
    assert finding.when == date(2026, 11, 5)
    assert finding.facts == {"until": "2026-10-31", "posts": 1}


def test_an_officer_still_serving_is_not_former(testbay: World) -> None:
    section = posts.former(
        testbay.registry, testbay.rows, testbay.stored.entries, date(2026, 10, 31)
    )
    assert (section.checked, section.findings) == (0, ())


def test_posts_held_for_approval_and_approved_ones(testbay: World) -> None:
    held = held_posts(testbay.registry, testbay.stored.entries, testbay.curation, world.NOW)
    section = posts.held(held, testbay.rows, "UTC")
    [finding] = section.findings
    assert (finding.code, finding.account) == ("held", NEWS)
    assert finding.text == "says \u201clockdown\u201d (posted 2026-11-20)"
    assert finding.urls == ("https://testbay.example/c",)
    assert finding.facts == {"phrase": "lockdown"}
    approved = replace(testbay.curation, approve=("https://testbay.example/c",))
    held = held_posts(testbay.registry, testbay.stored.entries, approved, world.NOW)
    assert posts.held(held, testbay.rows, "UTC").findings == ()


def test_a_video_without_alt_text_is_not_an_image(testbay: World) -> None:
    [entry] = [e for e in testbay.stored.entries if e.link == "https://testbay.example/a"]
    video = replace(entry, media=(replace(entry.media[0], type="video/mp4"),))
    assert posts.undescribed(video) == 0
    assert posts.undescribed(entry) == 1
