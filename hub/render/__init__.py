"""The render stage: the site model becomes pages, through the theme's Jinja templates.

Pure: the fast Jinja environment (``jinjaenv``) and its fragment cache
(``fragments``), the renderer with its filters (``renderer``), the
interface's words (``i18n``) and how accounts are shown (``accounts``),
localized dates (``dates``), the theme chain (``theme``), and which pages
exist and how they are spread over processes (``pages``).

May import: the shared model, ``hub.registry``, ``hub.site``, ``hub.outputs``
and the parse half of ``hub.feeds`` (never its fetch code).
"""
