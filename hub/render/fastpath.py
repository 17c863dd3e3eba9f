"""Which Jinja environment a build renders with: the fast one, once it has shown it renders alike.

:mod:`hub.render.jinjaenv` leans on how Jinja and markupsafe work inside,
which a new release may change. So before the first render :func:`check`
renders a page that uses every piece of it (:data:`CHECK_TEMPLATES`) with
the fast environment and with Jinja's own, set up alike (a few
milliseconds), and where the two differ in any way :func:`environment`
makes Jinja's own: the build goes on at Jinja's speed, with one warning
saying why. markupsafe's compiled escaping failing its own check is told in
the same warning.
"""

from __future__ import annotations

import functools
import gettext
import warnings
from typing import Any, NamedTuple

from jinja2 import DictLoader, Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from hub.render import jinjaenv
from hub.render.jinjaenv import SETTINGS, BuildEnvironment, install_translations


def environment(**options: Any) -> Environment:
    """A :class:`BuildEnvironment` set up with :data:`SETTINGS` and ``options``;
    Jinja's own, set up the same, when the fast path failed its check."""
    kind = BuildEnvironment if _verdict().fast else Environment
    return kind(**SETTINGS, **options)


def check() -> str | None:
    """Check the fast path, once per process; what failed, or None when nothing did.

    :func:`environment` checks before it makes the first environment; the
    build checks before it forks to render, so that those processes inherit
    the verdict. When the check fails, its first caller is warned, once
    (``RuntimeWarning``), and environments are Jinja's own.
    """
    return _verdict().problem


class _Verdict(NamedTuple):
    fast: bool
    """Whether environments are this module's (else Jinja's own)."""
    problem: str | None


@functools.cache
def _verdict() -> _Verdict:
    failed = _check()
    parts = []
    escaping = jinjaenv._escaping_problem
    if escaping is not None:
        parts.append(
            f"markupsafe's compiled escaping failed its start-up check ({escaping}): "
            "text is escaped by markupsafe.escape"
        )
    if failed is not None:
        parts.append(
            f"the fast Jinja environment failed its start-up check ({failed}): "
            "pages are rendered by Jinja's own"
        )
    if not parts:
        return _Verdict(True, None)
    message = "; ".join(parts) + "; the build goes on at normal speed"
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    return _Verdict(failed is None, message)


CHECK_TEMPLATES = {
    "base.html": (
        "<!doctype html>\n<title>{% block title %}{{ _('Home') }}{% endblock %}</title>\n"
        "<main>\n{% block main %}{% endblock %}\n</main>\n"
    ),
    "lib.html": """\
{% macro card(title, tag='b', extra=none) -%}
  <{{ tag }} class="{{ extra|default('plain', true) }}">{{ title }}</{{ tag }}>
{%- endmacro %}
{% macro frame(label) %}<section aria-label="{{ label }}">{{ caller() }}</section>{% endmacro %}
{% macro rows(items) %}
  {% for item in items %}<li>{{ caller(item, loop.index) }}</li>{% endfor %}
{% endmacro %}
{% macro rest(a) %}{{ a }}|{{ varargs|join(',') }}|{{ kwargs|dictsort|join(';') }}{% endmacro %}
""",
    "page.html": """\
{% extends "base.html" %}
{% import "lib.html" as lib %}
{% from "lib.html" import card %}
{% block title %}{{ title }} | {{ super() }}{% endblock %}
{% block main %}
  {% for post in posts %}
    {% set heading = post.title ~ "!" %}
    {% cache "post", post.id %}
    <article class="{{ loop.cycle('odd', 'even') }}" data-n="{{ loop.index }}">
      {{ card(heading) }}{{ lib.card(post.title, tag='h2') }}
      {{ card(post.title, 'h3', extra=post.kind) }}{{ card(title=post.author) }}
      {% call lib.frame(_("Posted by %(name)s", name=post.author)) %}
        {{ post.body }} {{ post.safe }} {{ post.tags|length }}
      {% endcall %}
      {% call(item, n) lib.rows(post.tags) %}{{ n }}. {{ item|upper }}{% endcall %}
      {{ lib.rest(1, '<2>', k=post.author) }} {{ post.tags|join(", ") }}
      {{ post.when|default("never") }} {{ shout(post.title) }} {{ helper.plain(post.body) }}
      {{ page_name() }} {{ size(post.tags) }} {{ link(post.body) }}
      {% trans count=post.tags|length %}one tag{% pluralize %}{{ count }} tags{% endtrans %}
      {{ _("100%% <b>sure</b>") }} {{ gettext("Home") }}
      {{ ngettext("%(num)d post", "%(num)d posts", 3) }}
      {% autoescape false %}{{ post.title }}{% endautoescape %}
    </article>
    {% endcache %}
  {% else %}
    {{ _("Nothing yet") }}
  {% endfor %}
  {% set text %}<{{ title }}>{% endset %}{{ text }} {{ text|length }}
  {{ none }} {{ 42 }} {{ 1.5 }} {{ html }}
{% endblock %}
""",
}
"""What the start-up check renders: every part of the fast path, and of what the
renderer sets up (inheritance, macros called every way, ``caller``, loops,
filters, escaping of text and of markup, translations, ``{% cache %}``)."""

_MESSAGES = {
    "Home": "Accueil",
    "Posted by %(name)s": "Publié par <b>%(name)s</b>",
    "100%% <b>sure</b>": "100 %% <b>sûr</b>",
    "Nothing yet": "Rien",
}


class _Catalog(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _MESSAGES.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"[{n}] " + (singular if n == 1 else plural)


def _shout(text: str) -> str:
    return text.upper()


class _Helper:
    def plain(self, text: str) -> str:
        return f"~{text}~"


@pass_context
def _page_name(context: Context) -> str:
    return str(context.name)


def _link(text: str) -> Markup:
    return Markup('<a href="/{}">{}</a>').format(text, text)


_POSTS = (
    {
        "id": 1,
        "title": 'Road <closed> & "detour"',
        "author": "O'Brien & Co",
        "body": "Use <Main St>",
        "safe": Markup("<em>now</em>"),
        "tags": ["road", "a<b"],
        "kind": None,
    },
    {
        "id": 2,
        "title": "Café",
        "author": "Unit 5",
        "body": "x",
        "safe": Markup(""),
        "tags": [],
        "kind": "alert",
    },
)


def _check_page(kind: type[Environment]) -> str:
    env = kind(loader=DictLoader(CHECK_TEMPLATES), **SETTINGS)
    env.globals.update(
        {
            "shout": _shout,
            "helper": _Helper(),
            "page_name": _page_name,
            "size": len,
            "link": _link,
            "html": Markup("<br>"),
        }
    )
    install_translations(env, _Catalog())
    posts = [*_POSTS, _POSTS[0]]  # the third post's piece comes from the cache
    return env.get_template("page.html").render(title="A & <B>", posts=posts)


def _check() -> str | None:
    """None when the fast environment renders :data:`CHECK_TEMPLATES` as Jinja's own does."""
    try:
        fast = _check_page(BuildEnvironment)
    except Exception as error:
        return f"it raised {type(error).__name__}: {error}"
    try:
        stock = _check_page(Environment)
    except Exception as error:  # pragma: no cover - Jinja's own, on a page it cannot render
        return f"Jinja's own environment raised {type(error).__name__}: {error}"
    if fast == stock:
        return None
    at = next((i for i, (a, b) in enumerate(zip(fast, stock, strict=False)) if a != b), None)
    at = min(len(fast), len(stock)) if at is None else at
    ours, theirs = fast[at : at + 30], stock[at : at + 30]
    return f"its page differs from Jinja's at character {at}: {ours!r}, not {theirs!r}"
