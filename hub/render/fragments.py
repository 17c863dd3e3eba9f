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
lives as long as the environment, which :class:`hub.render.renderer.Renderer` makes
for one build.

A renderer may be told to stop (``environment.stop_rendering``): a render
then raises :class:`~hub.render.jinjaenv.Interrupted` at the first piece it would
have to render (or macro it calls), and the pieces rendered so far stay in
the cache for whoever renders the page later.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import ClassVar

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from hub.render.jinjaenv import BuildEnvironment, Interrupted


class FragmentCache(Extension):
    tags: ClassVar[set[str]] = {"cache"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[Hashable, Markup] = {}
        # Where it is not a BuildEnvironment's already, the same never-stop.
        environment.extend(fragments=self.fragments, stop_rendering=BuildEnvironment.stop_rendering)
        self._tags = itertools.count()

    def parse(self, parser: Parser) -> list[nodes.Node]:
        """``{% set k = key %}{% if k in fragments %}{{ fragments[k] }}{% else %}...{% endif %}``.

        The key is worked out once, and a hit costs a dictionary lookup: the
        piece's body is not even set up.
        """
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        # A name of this tag's own: pieces may nest. A leading underscore keeps it
        # out of what a template exports.
        name = f"_fragment_key_{lineno}_{next(self._tags)}"
        fragments = nodes.EnvironmentAttribute("fragments", lineno=lineno)
        remember = nodes.Assign(nodes.Name(name, "store"), key, lineno=lineno)
        hit = nodes.Compare(nodes.Name(name, "load"), [nodes.Operand("in", fragments)])
        found = nodes.Output([nodes.Getitem(fragments, nodes.Name(name, "load"), "load")])
        render = nodes.CallBlock(
            self.call_method("_render", [nodes.Name(name, "load")]), [], [], body
        )
        return [remember, nodes.If(hit, [found], [], [render]).set_lineno(lineno)]

    def _render(self, key: Hashable, caller: Callable[[], Markup]) -> Markup:
        if self.environment.stop_rendering():  # type: ignore[attr-defined]
            raise Interrupted(f"stopped before rendering the piece {key!r}")
        found = self.fragments[key] = caller()
        return found
