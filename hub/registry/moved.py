"""The keys of older versions of ``sources.yaml``, and what became of each.

When a release renames a key, a registry written for an older version keeps
working: the old name is read as the new one, with a warning that says what
to write (``hub check --strict`` fails on it, so CI asks for the change).
When a release removes a key, the error says what to write instead, rather
than calling it an unknown key. Keys are written as their path, with ``[]``
for any list index: ``units[].old_name``.

Add an entry with every release that renames or removes a key, and say so in
CHANGELOG.md; never reuse an old name for something else. No key has been
renamed or removed since 0.1.0, the first release, so the table is empty.
"""

from __future__ import annotations

from hub.registry.spec import Moved

MOVED: dict[str, Moved] = {}
"""Old key path -> what became of it, e.g. ``"site.colours": Moved("0.2.0", to="colors")``."""
