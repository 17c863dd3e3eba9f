"""The publish stage: the only code that writes the output folder.

Owns the new tree and its atomic swap (``tree``), the checks before anything is
written (``safety``), the publish gate and its
manifest (``gate``), where the gate's baseline comes from (``baseline``),
what the last build was made from (``buildstate``), and the search index
Pagefind makes of the new tree's pages (``search``).

May import: the shared model, ``hub.registry``, ``hub.site``, ``hub.outputs``
and ``hub.render`` (never the fetch code: the baseline's download is handed in).
"""
