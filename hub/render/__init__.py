"""The render stage: the site model becomes pages, through the theme's Jinja templates.

Pure: the fast Jinja environment (``jinjaenv``), the check that picks it or
Jinja's own (``fastpath``), its fragment cache (``fragments``), the renderer
with its filters (``renderer``), the interface's words (``i18n``), how
accounts are shown (``accounts``), the initials of profiles without a photo
(``avatars``), localized dates and times (``dates``), the theme chain
(``theme``), the sizes a theme shows images at (``imagesizes``), the
images shown at them (``pictures``) and their files, made once into the
cache folder (``imagecache``), which pages exist and how they are spread
over processes
(``pages``), how rendering fits around reading the posts (``schedule``), and
what each file was made from, for incremental builds (``inputs``).

May import: the shared model, ``hub.registry``, ``hub.site``, ``hub.outputs``
and the parse half of ``hub.feeds`` (never its fetch code).
"""
