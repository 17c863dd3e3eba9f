"""The site stage: the registry, stored entries and ``content/`` become the site model.

Pure, no I/O beyond reading ``content/``: the Site model (``model``), content
pages and alerts (``content``, ``contentfile``, ``alerts``), their Markdown
(``markup``), and the URL tree in each language (``urls``).

May import: the shared model, ``hub.registry``, ``hub.store`` and the parse
half of ``hub.feeds`` (never its fetch code).
"""
