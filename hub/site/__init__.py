"""The site stage: the registry, stored entries and ``content/`` become the site model.

Pure, no I/O beyond reading ``content/``: the Site model (``model``), content
pages and alerts (``content``, ``contentfile``, ``frontmatter``, ``alerts``),
appeals (``appeals``) resolved against the posts (``resolution``), events
(``events``) and when they happen (``agenda``), their Markdown
(``markup``), the URL tree in each language (``urls``), the day pages of
latest activity (``daypages``), and
``content/curation.yaml`` (``curation``), the edit ``hub hide`` makes to it
(``takedown``), what it does to the posts
(``moderation``) and what changed since the last build, for the audit trail
(``screening``).

May import: the shared model, ``hub.registry``, ``hub.store`` and the parse
half of ``hub.feeds`` (never its fetch code).
"""
