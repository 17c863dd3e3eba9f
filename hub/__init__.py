"""Police Social Hub: a static site of a police service's official social-media accounts.

``__version__`` is the package's version, in this one place: ``pyproject.toml``
reads it from here (dynamic metadata), ``hub init`` pins it in a new site's
``requirements.txt``, and ``CHANGELOG.md`` says what changed in each.
"""

__version__ = "0.1.0"
