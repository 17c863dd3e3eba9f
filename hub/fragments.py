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

import copy
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
        self.fragments: dict[Hashable, Markup] = {}
        environment.extend(fragments=self.fragments)

    def parse(self, parser: Parser) -> nodes.Node:
        """``{% if key in fragments %}{{ fragments[key] }}{% else %}(render, keep){% endif %}``.

        A hit costs a dictionary lookup: the piece's body is not even set up.
        """
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        fragments = self.attr("fragments", lineno=lineno)
        hit = nodes.Compare(copy.deepcopy(key), [nodes.Operand("in", fragments)])
        found = nodes.Output([nodes.Getitem(fragments, copy.deepcopy(key), "load")])
        render = nodes.CallBlock(self.call_method("_render", [key]), [], [], body)
        return nodes.If(hit, [found], [], [render]).set_lineno(lineno)

    def _render(self, key: Hashable, caller: Callable[[], Markup]) -> Markup:
        found = self.fragments[key] = caller()
        return found
