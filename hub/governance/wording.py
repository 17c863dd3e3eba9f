"""Every word the governance report says, in one place.

The report is for Corporate Communications, inside the service, and is in
English; a service that wants it in another language translates this module
alone. Section texts say what a finding means and what to do about it;
the functions below word one finding each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

TITLE = "Governance report"
PRIVATE = (
    "Private: this report names the people who answer for each account and how to reach "
    "them (admin: in sources.yaml). Keep it inside Corporate Communications; never publish "
    "it or attach it to a public issue."
)
NOTHING = "Nothing needs attention here."
SKIPPED = "Not checked: {why}."
CHECKED = "{checked} looked at, {found} to look into."
MORE_POSTS = "and {more} more (all in report.json)"


@dataclass(frozen=True)
class SectionWords:
    title: str
    means: str
    """What a finding of the section means."""
    todo: str
    """What to do about one."""


SECTIONS: Mapping[str, SectionWords] = {
    "review": SectionWords(
        "Reviews, training and owners",
        "Accounts whose review date (review_by:) has passed or comes within 30 days, whose "
        "runner has no training date (trained:), or that nobody answers for (owner:). An "
        "account takes each value from its own admin: block, else from its officer's, its "
        "unit's or a unit above.",
        "Review the account with its owner, then set the next review_by:. Record the "
        "training date once the person running it has done the training. Give an account "
        "without an owner an admin: block with owner: and contact:.",
    ),
    "quiet": SectionWords(
        "Quiet accounts",
        "Accounts whose feed has had no post for 90 days, or for 30, and accounts whose feed "
        "has never given a post. A quiet official account invites impersonators and "
        "questions from the public.",
        "Ask the owner whether the account is still used. Close an abandoned account on its "
        "platform and remove it from sources.yaml; for a feed that never gave a post, check "
        "its feed: or token:.",
    ),
    "failing": SectionWords(
        "Feeds and connectors failing",
        "Feeds and API reads whose last attempts failed: since when, how many attempts, and "
        "the error (tokens hidden); and those not asked while their host (or their API "
        "token) is held after asking to be left alone. Their last good posts stay on the "
        "site, growing older.",
        "Read the error: a moved feed needs its new address in sources.yaml, an expired token "
        "a new one in the secret, a gone feed (HTTP 410) its removal. Tell the owner. A feed "
        "waiting for its host needs nothing: it is asked again once the hold is over.",
    ),
    "tokens": SectionWords(
        "API tokens",
        "Tokens that the platform refused, that expire within 30 days, whose variable is not "
        "set in this run, or that could not be checked (hub tokens, docs/connectors.md).",
        "Renew the token as its line says and put it in the repository secret of the same "
        "name before it expires; map a missing secret to its variable in the workflow.",
    ),
    "alt-text": SectionWords(
        "Images without alt text",
        "Posts on the site with an image that has no description (alt text), per account: "
        "people who cannot see the image learn nothing from it.",
        "Ask the account's owner to add descriptions to these posts on the platform, and to "
        "describe every image from now on.",
    ),
    "backlinks": SectionWords(
        "Profiles that do not link back to the site",
        "Mastodon and Bluesky profiles, asked through their public APIs: a Mastodon profile "
        "should list the site in a verified profile field; a Bluesky profile should name "
        "the site in its description or use a handle under the site's domain. That link "
        "lets the public tell the real account from an impostor.",
        "Add the site's address to the profile (Mastodon: a profile field, which verifies "
        'itself against the site\'s rel="me" link; Bluesky: the description, or a handle on '
        "the service's domain).",
    ),
    "former": SectionWords(
        "Former officers' accounts still posting",
        "Accounts of officers whose last day (until:) has passed that published posts after "
        "that day: the account may be in someone else's hands.",
        "Check with the officer and their unit who is posting. Move the account to its new "
        "owner in sources.yaml, or mute it in content/curation.yaml while it is looked into.",
    ),
    "held": SectionWords(
        "Posts held for approval",
        "Posts kept off the site because they say a hold: phrase of content/curation.yaml, "
        "waiting for someone to approve them.",
        "Read each post. To show it, add its address under approve:; to keep it off for "
        "good, add it under hide:.",
    ),
}

CODES: Mapping[str, str] = {
    "review-passed": "review date passed",
    "review-due": "review due soon",
    "untrained": "no training date",
    "unowned": "nobody responsible",
    "quiet-90": "no post for 90 days",
    "quiet-30": "no post for 30 days",
    "never-posted": "never posted",
    "feed-failing": "failing",
    "feed-gone": "gone",
    "feed-held": "waiting for its host",
    "token-refused": "token refused",
    "token-expiring": "token expiring",
    "token-not-set": "token not set",
    "token-unchecked": "token not checked",
    "alt-missing": "images without alt text",
    "no-backlink": "no link to the site",
    "backlink-unverified": "link not verified",
    "backlink-unchecked": "could not check",
    "former-posting": "posting after leaving",
    "held": "held",
}
"""Each finding's code, as the report's tables and the CSV's flags name it."""

COLUMNS: Mapping[str, str] = {
    "account": "Account",
    "profile": "Unit or officer",
    "what": "What",
    "detail": "Details",
    "owner": "Owner",
    "contact": "Contact",
}
"""The headers of each section's table."""

ACCOUNTS = SectionWords(
    "All accounts",
    "Every account of the registry, with who answers for it and its feed's state. The same "
    "list, with every admin: value, is accounts.csv.",
    "",
)
ACCOUNT_COLUMNS: Mapping[str, str] = {
    "account": "Account",
    "profile": "Unit or officer",
    "owner": "Owner",
    "review_by": "Review by",
    "last_post": "Last post",
    "feed_status": "Feed",
    "flags": "Needs attention",
}
FILES = "The same report for machines: {csv} (one row per account) and {json}."
CONTENTS = "Sections"
NONE = "none"

# Each finding, worded.

UNTRAINED = "no training date (trained:) on the account, its officer or its units"
UNOWNED = "nobody answers for it: no owner: on the account, its officer or its units"
OFFLINE = "--offline"
NO_TOKENS = "no account names a token variable (token:, or site.api.x_bearer_token)"
NO_TOKEN_SET = (
    "no token variable is set in this run; run the report where the secrets are, as the "
    "publish workflow does"
)
NO_PROFILES = "no Mastodon or Bluesky account in the registry"


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def review_passed(day: date, ago: int) -> str:
    return f"its review date, {day.isoformat()}, passed {days(ago)} ago"


def review_due(day: date, within: int) -> str:
    when = "today" if within == 0 else f"in {days(within)}"
    return f"due for review by {day.isoformat()} ({when})"


def quiet(limit: int, last: date) -> str:
    return f"no post for {days(limit)}: the last on {last.isoformat()}"


def never_posted(read: bool) -> str:
    said = "its feed has never given a post"
    return said if read else f"{said}; it has never been read"


def failing(last_success: date | None, attempts: int, error: str) -> str:
    tries = f"{attempts} failed attempt{'' if attempts == 1 else 's'}"
    since = (
        f"failing since after its last success on {last_success.isoformat()}, {tries}"
        if last_success is not None
        else f"never succeeded, {tries}"
    )
    return f"{since}: {error}"


def held_host(host: str, until: datetime, why: str, said_to: str) -> str:
    return (
        f"not asked until {until:%Y-%m-%d %H:%M} UTC: {host} answered {why} to {said_to} "
        "and asked to be left alone until then (a day at most); its posts stay on the site"
    )


def gone(error: str) -> str:
    return f"gone: the server says the feed no longer exists ({error}); remove it"


def moved(url: str) -> str:
    return f"; it has moved to {url}: write that address in feed:"


def token_expiring(day: date, left: int) -> str:
    return f"expires on {day.isoformat()} (in {days(left)})"


def token_line(variable: str, message: str) -> str:
    return f"{variable}: {message}"


def alt_missing(posts: int, images: int) -> str:
    post = "post" if posts == 1 else "posts"
    image = "image" if images == 1 else "images"
    return f"{posts} {post} on the site with {images} {image} without alt text"


def no_backlink(platform: str) -> str:
    if platform == "bluesky":
        return "its description does not name the site, and its handle is not on the site's domain"
    return "no profile field links to the site"


def backlink_unverified(link: str) -> str:
    return f"a profile field links to {link}, but Mastodon has not verified it"


def unchecked(reason: str) -> str:
    return f"could not check: {reason}"


def former(until: date, posts: int, last: date) -> str:
    post = "post" if posts == 1 else "posts"
    return f"left on {until.isoformat()}, yet {posts} {post} since, the last on {last.isoformat()}"


def held(phrase: str, seen: date | None) -> str:
    when = f" (posted {seen.isoformat()})" if seen is not None else ""
    return f"says \u201c{phrase}\u201d{when}"
