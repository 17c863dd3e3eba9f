"""The render stage: the site model becomes pages, through the theme's Jinja templates.

Pure: the fast Jinja environment (``jinjaenv``) and its fragment cache
(``fragments``), the renderer with filters and translations (``renderer``),
localized dates (``dates``), the theme chain (``theme``), and which pages
exist and how they are spread over processes (``pages``).

May import: the shared model, ``hub.registry``, ``hub.site``, ``hub.outputs``
and the parse half of ``hub.feeds`` (never its fetch code).
"""
