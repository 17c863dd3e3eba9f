"""The feeds stage: fetch a feed's bytes, parse them into sanitized entries.

Fetch (the only network code): the address guard (``netguard``), the
transport over it and its proof (``transport``), per-host pools
(``hostpools``), limits and the body cap (``fetch``, ``bodycap``,
``result``), hosts held until the time they gave (``holds``), images
(``images``) and the deployed site's manifest (``published``)
and its archive, read to re-seed a lost store (``reseed``). Parse
(pure): feedparser with its XML reader (``parse``, ``expatreader``,
``encoding``), JSON Feed (``jsonfeed``),
the site's own archive read back (``sitearchive``), Media RSS (``mediarss``), drafts
to entries (``drafts``), the HTML allow-list (``sanitize``) and what a post
shows of its text (``posttext``); the parse runs in worker processes, each
bounded in memory and time (``workers``).

May import: the shared model and ``hub.registry``.
"""
