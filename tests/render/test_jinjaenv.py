"""hub.render.jinjaenv: the tuned Jinja environment renders what Jinja's own would."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markupsafe
import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError, pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from hub.render import fastpath, jinjaenv
from hub.render.jinjaenv import BuildEnvironment, CompiledCode, escape_output, message_function

REPO = Path(__file__).resolve().parents[2]


class Catalog(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return {"Hello": "Bonjour", "%(name)s said <b>hi</b>": "%(name)s a dit <b>salut</b>"}.get(
            message, message
        )


def environments(templates: dict[str, str]) -> list[Environment]:
    """Jinja's own environment and ours, set up alike."""
    made = []
    for kind in (Environment, BuildEnvironment):
        env = kind(loader=DictLoader(templates), autoescape=True, undefined=StrictUndefined)
        made.append(env)
    return made


def rendered(
    templates: dict[str, str], name: str, functions: dict[str, Any], **values: Any
) -> list[str]:
    """The template ``name`` rendered by Jinja's environment and by ours, with these globals."""
    pages = []
    for env in environments(templates):
        env.globals.update(functions)
        pages.append(env.get_template(name).render(values))
    return pages


@pass_context
def page_name(context: Context) -> str:
    return str(context.name)


def shout(text: str) -> str:
    return text.upper()


def stops() -> str:
    raise StopIteration


TEMPLATES = {
    "page.html": (
        '{% import "lib.html" as lib %}{{ shout(word) }} {{ page_name() }} '
        "{{ lib.twice(word) }} {{ [1, 2]|join(sep) }} {{ {'a': 1}.get('a') }} {{ n.bit_length() }}"
    ),
    "lib.html": "{% macro twice(x) %}{{ shout(x) ~ x }}{% endmacro %}",
}


def test_renders_the_same_as_jinja() -> None:
    functions = {"shout": shout, "page_name": page_name, "sep": "<&>"}
    pages = rendered(TEMPLATES, "page.html", functions, word="a<b", n=5)
    assert pages[0] == pages[1]
    assert pages[1] == "A&lt;B page.html A&lt;Ba&lt;b 1&lt;&amp;&gt;2 1 3"


class Helpers:
    """Methods as templates get them: bound, one of them marked to take the context."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def plain(self, text: str) -> str:
        return self.prefix + text

    @pass_context
    def marked(self, context: Context, text: str) -> str:
        return f"{self.prefix}{text} in {context.name}"

    def __call__(self, text: str) -> str:
        return text * 2


def test_methods_builtins_and_callable_objects_are_called_as_jinja_calls_them() -> None:
    helpers = Helpers("~")
    functions = {
        "plain": helpers.plain,
        "marked": helpers.marked,
        "twice": helpers,
        "upper": str.upper,
        "lookup": {"k": "v"}.__getitem__,
        "size": len,
    }
    template = "{{ plain('a') }} {{ marked('b') }} {{ twice('c') }} {{ upper('d') }} "
    template += "{{ lookup('k') }} {{ size('xyz') }}"
    pages = rendered({"t.html": template}, "t.html", functions)
    assert pages[0] == pages[1] == "~a ~b in t.html cc D v 3"


def test_a_callable_that_raises_stop_iteration_gives_undefined() -> None:
    for env in environments({"t.html": "{{ stops() }}"}):
        env.globals["stops"] = stops
        with pytest.raises(UndefinedError, match="StopIteration"):
            env.get_template("t.html").render()


def test_messages_are_translated_trusted_and_their_values_escaped() -> None:
    _ = message_function(Catalog())
    assert _("Hello") == Markup("Bonjour")
    assert _("Hello") is _("Hello")  # looked up once
    said = _("%(name)s said <b>hi</b>", name="<i>Jo</i>")
    assert said == Markup("&lt;i&gt;Jo&lt;/i&gt; a dit <b>salut</b>")
    assert _("100%% sure") == Markup("100% sure")


def test_messages_match_jinjas_new_style_gettext() -> None:
    template = '{{ _("Hello") }} {{ _("%(name)s said <b>hi</b>", name=who) }} {{ _("5%%") }}'
    jinja, ours = environments({"t.html": template})
    jinja.add_extension("jinja2.ext.i18n")
    jinja.install_gettext_translations(Catalog(), newstyle=True)  # type: ignore[attr-defined]
    ours.globals["_"] = message_function(Catalog())
    pages = [env.get_template("t.html").render(who="<Jo>") for env in (jinja, ours)]
    assert pages[0] == pages[1] == "Bonjour &lt;Jo&gt; a dit <b>salut</b> 5%"


class Html:
    def __html__(self) -> str:
        return "<i>safe</i>"


class Shown:
    def __str__(self) -> str:
        return "a < b"


@pytest.mark.parametrize(
    "value", ["", "a<b & 'c' \"d\"", "café <é>", Markup("<b>x</b>"), Html(), Shown(), 42, None, 1.5]
)
def test_output_is_escaped_as_markupsafe_escapes(value: object) -> None:
    assert escape_output(value) == str(escape(value))


def test_safe_output_goes_in_without_a_copy() -> None:
    cached = Markup("<p>" + "x" * 100 + "</p>")
    assert escape_output(cached) is cached


OUTPUT = {
    "out.html": (
        "{{ text }} {{ safe }} {{ n }} {{ none }} {{ html }} {{ 'x' ~ text }} "
        "{% set block %}<{{ text }}>{% endset %}{{ block }} {{ block|length }} "
        "{% autoescape false %}{{ text }}{% endautoescape %} {{ text|e }} {{ safe|safe }}"
        "{% macro m(v) %}[{{ v }}]{% endmacro %} {{ m(text) }} {{ m(text)|length }}"
    ),
}


def test_output_renders_the_same_as_jinja() -> None:
    values = {"text": "a<b&c", "safe": Markup("<br>"), "n": 3, "none": None, "html": Html()}
    pages = rendered(OUTPUT, "out.html", {}, **values)
    assert pages[0] == pages[1]
    assert pages[1] == (
        "a&lt;b&amp;c <br> 3 None <i>safe</i> xa&lt;b&amp;c <a&lt;b&amp;c> 14 "
        "a<b&c a&lt;b&amp;c <br> [a&lt;b&amp;c] 14"
    )


@pass_context
def seen(context: Context, name: str) -> str:
    return str(context.get(name, "-"))


CALLS = {
    "calls.html": (
        '{% import "lib.html" as lib %}'
        "{% macro box(v, tag='b') %}<{{ tag }}>{{ v }}</{{ tag }}>{% endmacro %}"
        "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}"
        "{% for x in items %}{% set y = x ~ '!' %}{{ box(x) }}{{ lib.twice(x) }}{{ shout(x) }}"
        "{{ seen('y') }}{% call wrap('i') %}{{ seen('x') }}{% endcall %}{% endfor %}"
        "{% block b %}{% set z = 1 %}{{ box(z) }}{{ seen('z') }}{% endblock %}"
    ),
    "lib.html": "{% macro twice(x) %}{{ shout(x) ~ x }}{% endmacro %}",
}


def test_macros_and_functions_in_loops_and_blocks_are_called_as_jinja_calls_them() -> None:
    pages = rendered(CALLS, "calls.html", {"shout": shout, "seen": seen}, items=["a<", "b"])
    assert pages[0] == pages[1]
    assert pages[1] == "<b>a&lt;</b>A&lt;a&lt;A&lt;a&lt;!<i>-</i><b>b</b>BbBb!<i>-</i><b>1</b>1"


MACROS = {
    "m.html": (
        "{% macro one(a, b='B', c=none) %}({{ a }},{{ b }},{{ c }}){% endmacro %}"
        "{% macro rest(a) %}{{ a }}{{ varargs|join('+') }}{{ kwargs|dictsort }}{% endmacro %}"
        "{% macro called(a, caller=none) %}{{ a }}{{ caller() }}{% endmacro %}"
        "{% macro uses_caller() %}[{{ caller() }}]{% endmacro %}"
        "{% macro none_() %}-{% endmacro %}"
        "{{ one('<') }} {{ one(1, 2) }} {{ one(1, 2, 3) }} {{ one(1, c='<c>') }} "
        "{{ one(a=1) }} {{ one(b=2, a=1) }} {{ none_() }} "
        "{{ rest(1, 2, 3, k='v') }} {{ called(1, caller=none_) }} "
        "{% call uses_caller() %}in{% endcall %} "
        "{% set sub %}{{ one(9) }}{% endset %}{{ sub }}"
    ),
}


def test_macros_get_their_arguments_as_jinja_gives_them() -> None:
    pages = rendered(MACROS, "m.html", {})
    assert pages[0] == pages[1]
    assert pages[1] == (
        "(&lt;,B,None) (1,2,None) (1,2,3) (1,B,&lt;c&gt;) (1,B,None) (1,2,None) - "
        "12+3[(&#39;k&#39;, &#39;v&#39;)] 1- [in] (9,B,None)"
    )


@pytest.mark.parametrize(
    "call", ["one(1, 2, 3, 4)", "one(1, a=2)", "one(1, d=4)", "none_(1)", "none_(x=1)"]
)
def test_a_macro_called_wrongly_fails_as_in_jinja(call: str) -> None:
    templates = {"t.html": MACROS["m.html"].split("{{ one('<') }}")[0] + "{{ " + call + " }}"}
    messages = []
    for env in environments(templates):
        with pytest.raises(TypeError) as raised:
            env.get_template("t.html").render()
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_templates_are_compiled_to_escape_output_with_escape_output() -> None:
    # The code generator hooks into one step of Jinja's: fail loudly if a new
    # Jinja stops taking it, rather than quietly rendering slower.
    env = environments({"t": "{{ text }}"})[1]
    source = env.compile(env.loader.get_source(env, "t")[0], raw=True)  # type: ignore[union-attr]
    assert "environment.escape_output(" in source


def test_a_macro_called_where_autoescaping_is_off_returns_what_jinja_returns() -> None:
    # There a macro's result is plain text, not markup.
    templates = {
        "t": "{% macro m() %}<i>{% endmacro %}{% autoescape false %}{{ kind(m()) }}"
        "{% endautoescape %} {{ kind(m()) }}"
    }
    pages = rendered(templates, "t", {"kind": lambda value: type(value).__name__})
    assert pages[0] == pages[1] == "str Markup"


# -- the start-up check --------------------------------------------------------------------


@pytest.fixture
def checked_afresh() -> Iterator[None]:
    """fastpath.check() as in a new process; as it was, afterwards."""
    fastpath._verdict.cache_clear()
    yield
    fastpath._verdict.cache_clear()


def misordered(macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Our macro fast path with a bug: the arguments come in the wrong order."""
    arguments = UNBROKEN_BOUND(macro, args, kwargs)
    return None if arguments is None else tuple(reversed(arguments))


UNBROKEN_BOUND = jinjaenv._bound


def test_the_fast_path_passes_its_check_on_the_installed_versions(checked_afresh: None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fastpath.check() is None
    assert type(fastpath.environment()) is BuildEnvironment
    assert jinjaenv._escaping_problem is None


def test_a_fast_path_that_renders_otherwise_gives_way_to_jinjas_own(
    monkeypatch: pytest.MonkeyPatch, checked_afresh: None
) -> None:
    monkeypatch.setattr(jinjaenv, "_bound", misordered)
    with pytest.warns(RuntimeWarning) as told:
        problem = fastpath.check()
        env = fastpath.environment(loader=DictLoader(fastpath.CHECK_TEMPLATES))
        assert fastpath.check() == problem
    assert [str(w.message) for w in told] == [problem]
    assert problem is not None and problem.startswith(
        "the fast Jinja environment failed its start-up check ("
    )
    assert problem.endswith("pages are rendered by Jinja's own; the build goes on at normal speed")
    assert type(env) is Environment
    jinjaenv.install_translations(env, gettext.NullTranslations())
    assert "_" in env.globals and env.globals["_"] is not None
    assert env.get_template("base.html").render() == (
        "<!doctype html>\n<title>Home</title>\n<main>\n</main>"
    )


def test_a_fast_path_that_raises_gives_way_to_jinjas_own(
    monkeypatch: pytest.MonkeyPatch, checked_afresh: None
) -> None:
    def broken(value: object) -> str:
        raise AttributeError("no such attribute")

    monkeypatch.setattr(BuildEnvironment, "escape_output", staticmethod(broken))
    with pytest.warns(RuntimeWarning, match="raised AttributeError: no such attribute"):
        assert fastpath.check() is not None
    assert type(fastpath.environment()) is Environment


def test_compiled_escaping_that_escapes_otherwise_gives_way_to_markupsafes_escape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markupsafe._speedups, "_escape_inner", lambda text: text)
    escaping, problem = jinjaenv._compiled_escaping()
    assert problem == "markupsafe._speedups escapes otherwise than markupsafe.escape"
    assert escaping("<a & b>") == "&lt;a &amp; b&gt;"


def test_markupsafe_without_compiled_escaping_escapes_with_its_escape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "markupsafe._speedups", None)  # not built
    escaping, problem = jinjaenv._compiled_escaping()
    assert problem is None
    assert escaping("<a & b>") == "&lt;a &amp; b&gt;"


def test_compiled_escaping_that_fails_its_check_is_told_and_the_fast_path_goes_on(
    monkeypatch: pytest.MonkeyPatch, checked_afresh: None
) -> None:
    monkeypatch.setattr(jinjaenv, "_escape_text", jinjaenv._escape_public)
    monkeypatch.setattr(jinjaenv, "_escaping_problem", "markupsafe._speedups raised KeyError")
    with pytest.warns(RuntimeWarning) as told:
        assert fastpath.check() == (
            "markupsafe's compiled escaping failed its start-up check (markupsafe._speedups "
            "raised KeyError): text is escaped by markupsafe.escape; the build goes on at "
            "normal speed"
        )
    assert len(told) == 1
    assert type(fastpath.environment()) is BuildEnvironment


def test_code_compiled_for_one_kind_of_environment_is_not_loaded_by_the_other() -> None:
    compiled = CompiledCode()
    templates = DictLoader({"t.html": "{{ x }}"})
    for kind in (BuildEnvironment, Environment, BuildEnvironment):
        env = kind(loader=templates, autoescape=True, bytecode_cache=compiled)
        assert env.get_template("t.html").render(x="<") == "&lt;"
    assert len(compiled.export()) == 2


BUILD = """
import sys
from datetime import UTC, datetime

from hub.cli import commands, main
from hub.render import jinjaenv

commands._now = lambda: datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
if sys.argv[1] == "broken":
    from tests.render.test_jinjaenv import misordered

    jinjaenv._bound = misordered
site = sys.argv[2]
sys.argv = ["hub", "build", "--sources", f"{site}/sources.yaml", "--cache", f"{site}/cache",
            "--out", f"{site}/public"]
sys.exit(main.command())
"""


def built(tmp_path: Path, how: str) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the golden site built by ``hub build``, and the warnings it printed."""
    site = tmp_path / how
    shutil.copytree(REPO / "tests" / "data" / "golden" / "site", site)
    done = subprocess.run(
        # Every warning shown each time it is made, in every process the build forks.
        [sys.executable, "-W", "always", "-c", BUILD, how, str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = site / "public"
    files = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return files, [line for line in done.stderr.splitlines() if "start-up check" in line]


def test_a_build_whose_fast_path_is_broken_warns_once_and_makes_the_same_site(
    tmp_path: Path,
) -> None:
    fast, quiet = built(tmp_path, "fast")
    stock, told = built(tmp_path, "broken")
    assert quiet == []
    assert len(told) == 1
    assert told[0].startswith("warning: the fast Jinja environment failed its start-up check (")
    assert sorted(stock) == sorted(fast)
    for name, data in fast.items():
        assert stock[name] == data, name
