"""The governance stage: what needs attention this week, for Corporate Communications.

``hub report`` reads the registry (with its ``admin:`` blocks), the store and
``content/curation.yaml`` and writes a private report beside the site, never
into it: an HTML page, a CSV file of every account and a JSON document.

Owns what the report is made of (``model``), its words (``wording``), who
answers for each account and how its feed is doing (``accounts``), the
sections about accounts (``collect``) and about posts (``posts``), the
profiles' links back to the site, asked of Mastodon and Bluesky
(``backlinks``), the report assembled, with the tokens checked (``report``),
and its files written (``writers``, with the page's template
``report.html``).

May import: the shared model, ``hub.registry``, ``hub.feeds`` (its fetch
code too: the profile look-ups go through the vetted transport),
``hub.store`` and ``hub.site``. Nothing imports it but ``hub.cli``: nothing
that builds the public site ever reads what it holds.
"""
