"""The store stage: feed state, entries, images and the audit trail in SQLite, the
only database I/O.

Owns the database (``database``), opening it and setting a damaged file aside
(``opening``), one run at a time per cache (``lock``), its pure rules
(``rules``) and schema steps (``schema``), the audit trail of every post
(``history``), and the updaters that fill it: every feed fetched, parsed
and stored (``update``), and the feed images copied (``media``);
and an empty store re-seeded from the published site's archive (``reseed``).

May import: the shared model, ``hub.registry`` and ``hub.feeds``.
"""
