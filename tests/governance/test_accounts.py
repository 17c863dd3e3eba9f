"""Who answers for each account, inherited value by value, and how its feed is doing."""

from __future__ import annotations

from datetime import date

from hub.governance.accounts import Owners
from hub.model import Admin
from tests.governance import world
from tests.governance.conftest import World

TRAFFIC = "website:https://traffic.testbay.example/"
OLD = "website:https://old.testbay.example/"
WEST = "blog:https://jackwest.testbay.example/"


def test_an_account_takes_each_value_from_the_nearest_block_that_sets_it(testbay: World) -> None:
    # Its own block names the owner; its unit the review date; the unit above the rest.
    assert testbay.row(TRAFFIC).admin == Admin(
        owner=world.TRAFFIC_OWNER,
        contact=world.TRAFFIC_PHONE,
        trained=date(2026, 1, 10),
        approved_by=world.APPROVER,
        approved=date(2026, 1, 12),
        review_by=date(2026, 11, 1),
        notes=world.NOTE,
    )
    assert testbay.row(OLD).admin.owner == world.OWNER
    assert testbay.row(OLD).admin.contact == world.OWNER_MAIL
    assert testbay.row(OLD).admin.review_by == date(2026, 11, 1)


def test_an_officers_account_inherits_from_the_officer_then_the_units(testbay: World) -> None:
    admin = testbay.row(WEST).admin
    assert (admin.trained, admin.review_by) == (date(2025, 5, 5), date(2026, 12, 10))
    assert admin.owner == world.OWNER  # traffic has no owner: comms, above it, has
    assert testbay.row(WEST).profile == "officer:west"
    assert testbay.row(WEST).profile_name == "Sgt Jack West"


def test_an_account_of_a_unit_without_blocks_has_nobody(testbay: World) -> None:
    assert testbay.row("x:testbayyouth").admin == Admin()


def test_the_chain_goes_up_the_unit_tree_once(testbay: World) -> None:
    owners = Owners(testbay.registry)
    west = next(o for o in testbay.registry.officers if o.id == "west").accounts[0]
    assert list(owners.chain(west)) == [WEST, "officer:west", "unit:traffic", "unit:comms"]
    traffic = next(u for u in testbay.registry.units if u.id == "traffic").accounts[1]
    assert list(owners.chain(traffic)) == [OLD, "unit:traffic", "unit:comms"]


def test_each_row_says_how_its_feed_is_doing(testbay: World) -> None:
    statuses = {row.key: (row.feed_status, row.last_error) for row in testbay.rows}
    assert statuses[OLD] == ("ok", None)
    assert statuses["website:https://broken.testbay.example/"] == (
        "failing",
        "HTTP 500 Internal Server Error",
    )
    assert statuses["website:https://never.testbay.example/"] == ("failing", "HTTP 404 Not Found")
    assert statuses["x:testbayyouth"] == ("no feed", None)
    assert testbay.row(OLD).last_post is not None
    assert testbay.row(OLD).last_post.date() == date(2026, 5, 1)
    assert testbay.row("website:https://youth.testbay.example/").last_post is None
    assert [row.key for row in testbay.rows] == [a.key for a in testbay.registry.accounts()]
