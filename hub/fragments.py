"""``{% cache key, ... %}...{% endcache %}``: render a piece of a template once per build.

A large site shows many posts by the same author, and the same account on
the directory, a platform's page and a unit's page. Wrapped in
``{% cache %}``, such a piece is rendered the first time and its HTML reused
wherever the same key comes back::

    {% cache "post-author", item.owner, level %}
      ... everything here may depend only on the key ...
    {% endcache %}

The key must name everything the piece shows (the language need not be in
it: each language has its own environment, and so its own cache). The cache
lives as long as the environment, which :class:`hub.render.Renderer` makes
for one build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import ClassVar

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup


class FragmentCache(Extension):
    tags: ClassVar[set[str]] = {"cache"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(fragments={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [key])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: Hashable, caller: Callable[[], Markup]) -> Markup:
        cache: dict[Hashable, Markup] = self.environment.fragments  # type: ignore[attr-defined]
        found = cache.get(key)
        if found is None:
            found = cache[key] = caller()
        return found
