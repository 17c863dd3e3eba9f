"""hub.render.fragments: {% cache %} renders a piece once per key and reuses its HTML."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from hub.render.fragments import FragmentCache


def environment(templates: dict[str, str]) -> tuple[Environment, list[str]]:
    env = Environment(
        loader=DictLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[FragmentCache],
    )
    calls: list[str] = []

    def seen(name: str) -> str:
        calls.append(name)
        return name

    env.globals["seen"] = seen
    return env, calls


def test_a_piece_renders_once_per_key() -> None:
    loop = "{% for n in names %}{% cache 'hi', n %}<b>{{ seen(n) }}</b>{% endcache %}{% endfor %}"
    env, calls = environment({"t": loop})
    text = env.get_template("t").render(names=["a", "b", "a", "a", "b"])
    assert text == "<b>a</b><b>b</b><b>a</b><b>a</b><b>b</b>"
    assert calls == ["a", "b"]


def test_the_cache_outlives_one_render_and_keeps_escaping() -> None:
    env, calls = environment({"t": "{% cache 'x', n %}{{ seen(n) }}{% endcache %}"})
    first = env.get_template("t").render(n="<script>")
    second = env.get_template("t").render(n="<script>")
    assert first == second == "&lt;script&gt;"
    assert calls == ["<script>"]


def test_a_single_key_and_a_key_in_a_macro() -> None:
    env, calls = environment(
        {
            "m": "{% macro card(n) %}{% cache 'c', n %}[{{ seen(n) }}]{% endcache %}{% endmacro %}",
            "t": "{% import 'm' as m %}{% cache 'top' %}{{ seen('top') }}{% endcache %}"
            "{{ m.card(1) }}{{ m.card(2) }}{{ m.card(1) }}",
        }
    )
    assert env.get_template("t").render() == "top[1][2][1]"
    assert env.get_template("t").render() == "top[1][2][1]"
    assert calls == ["top", 1, 2]


def test_cached_html_stays_markup() -> None:
    env, _ = environment({"t": "{% cache 'k' %}<i>{{ v }}</i>{% endcache %}"})
    env.get_template("t").render(v="&")
    (stored,) = env.fragments.values()  # type: ignore[attr-defined]
    assert isinstance(stored, Markup)
    assert stored == Markup("<i>&amp;</i>")


def test_nested_pieces_keep_their_own_keys_and_export_nothing() -> None:
    nested = (
        "{% cache 'top' %}[{% endcache %}{% for n in names %}{% cache 'outer', n %}({{ seen(n) }}"
        "{% for m in names %}{% cache 'inner', m %}{{ seen(m ~ '!') }}{% endcache %}{% endfor %}"
        "){% endcache %}{% endfor %}]"
    )
    env, calls = environment({"t": nested})
    template = env.get_template("t")
    assert template.render(names=["a", "b"]) == "[(aa!b!)(ba!b!)]"
    assert calls == ["a", "a!", "b!", "b"]
    module = template.make_module({"names": ["a"]})
    assert not [name for name in vars(module) if "fragment" in name]
