"""The outputs stage: the machine-readable files a build publishes beside its pages.

Pure, the site model in, bytes out: Atom and JSON Feed (``syndication``,
``feedmodel``, ``feedwriters``), OPML (``opml``), the events' iCalendar
files (``calendars``), sitemap, robots.txt and
``_headers`` (``cdn``), ``accounts.json`` and the verify page's records
(``accountsjson``), the archive of every post, a lost store's memory
(``archive``), and the checked list of every output file (``files``).

May import: the shared model, ``hub.registry``, ``hub.site`` and the parse
half of ``hub.feeds`` (never its fetch code).
"""
