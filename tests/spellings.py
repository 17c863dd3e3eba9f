"""What people paste on the verify page, and what it must come to, for the demo
registry (sources.yaml). The Python rules (tests/registry/test_spelling.py)
and verify.js in Chromium (tests/test_verify.py) are held to the same list.

Each case: what is pasted, the verdict (``official``, ``former``,
``not_ours``, ``unknown``) and the owners (``unit:<id>`` / ``officer:<id>``)
of the accounts it names.
"""

from __future__ import annotations

from typing import NamedTuple


class Spelling(NamedTuple):
    text: str
    verdict: str
    owners: frozenset[str] = frozenset()


COMMS = "unit:corporate-communications"

SPELLINGS: tuple[Spelling, ...] = (
    # The service's own accounts, written every way people write them.
    Spelling("@LakeviewPS", "official", frozenset({COMMS})),
    Spelling("https://twitter.com/LakeviewPS/", "official", frozenset({COMMS})),
    Spelling("mobile.twitter.com/lakeviewps?s=20#top", "official", frozenset({COMMS})),
    Spelling("X.com/LakeviewPS/status/1234567890", "official", frozenset({COMMS})),
    Spelling("https://www.facebook.com/LakeviewPoliceService/", "official", frozenset({COMMS})),
    Spelling("m.facebook.com/LakeviewChiefOfPolice", "official", frozenset({"unit:chief"})),
    Spelling("@lakeviewpolice@social.lakeview.example", "official", frozenset({COMMS})),
    Spelling(
        "https://social.lakeview.example/@52division", "official", frozenset({"unit:division-52"})
    ),
    Spelling("lps-marine.bsky.social", "official", frozenset({"unit:marine"})),
    Spelling(
        "https://bsky.app/profile/chief.lakeview.example",
        "official",
        frozenset({"officer:claire-beaulieu-mensah"}),
    ),
    Spelling("www.youtube.com/channel/UCPtYgjmUhBel31iEl2hpChY", "official", frozenset({COMMS})),
    Spelling("instagram.com/lakeviewpolice/", "official", frozenset({COMMS})),
    Spelling("threads.net/@sgtfairweather", "official", frozenset({"officer:owen-fairweather"})),
    Spelling("t.me/s/LakeviewPoliceNews", "official", frozenset({COMMS})),
    Spelling(
        "reddit.com/u/LakeviewPoliceCPE", "official", frozenset({"unit:community-partnerships"})
    ),
    Spelling(
        "https://www.lakeview.example/police/news/2026/11/appeal", "official", frozenset({COMMS})
    ),
    # A bare handle names the account on every platform that has it.
    Spelling("  @LakeviewTraffic ", "official", frozenset({"unit:traffic"})),
    # An officer who left: the account was ours, and is no longer.
    Spelling("@SSgtPettigrew", "former", frozenset({"officer:douglas-pettigrew"})),
    Spelling("https://x.com/SSgtPettigrew", "former", frozenset({"officer:douglas-pettigrew"})),
    # Impostors: lookalike names, other servers, other platforms.
    Spelling("@LakeviewPoIice", "not_ours"),
    Spelling("x.com/LakeviewPS_", "not_ours"),
    Spelling("facebook.com/profile.php?id=100064512345678", "not_ours"),
    Spelling("https://social.lakeview.example/@lakeviewpolice2", "not_ours"),
    Spelling("@lakeviewpolice@mastodon.social", "not_ours"),
    Spelling("lakeviewpolice.bsky.social", "not_ours"),
    Spelling("https://www.lakeview-police.example/", "not_ours"),
    Spelling("youtube.com/@LakeviewPolice", "not_ours"),
    Spelling("tiktok.com/@lakeviewpolice.official", "not_ours"),
    # Addresses that name no account: a post without its author, a bare platform.
    Spelling("instagram.com/p/Cx1234abc", "unknown"),
    Spelling("x.com", "unknown"),
)
