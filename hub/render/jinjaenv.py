"""A Jinja environment for rendering thousands of pages in one build.

Jinja's general machinery costs microseconds per expression; a large site
evaluates millions. Four of those costs are paid here once instead of every
time, or not at all, with the same output:

- every call in a template asks the callable whether it wants the context
  (:class:`FastContext` calls macros and plain functions straight away);
- every render copied the environment's globals out of a ``ChainMap``
  (:class:`BuildEnvironment` gives templates a plain dict);
- every ``_()`` went through two context-taking wrappers and a fresh
  ``Markup`` (:func:`message_function` keeps each message per language);
- every ``{{ value }}`` made a ``Markup`` of its escaped text, only for it to
  be joined into the page (:func:`escape_output` hands back the text, and
  :class:`OutputCodeGenerator` has templates call it).

And each language's environment compiled every template again, in every
process: :class:`CompiledCode` lets them share what one compiled, and
hands it to another process.

All of it leans on how Jinja and markupsafe work inside, which a new
release may change: :mod:`hub.render.fastpath` checks it before the first
render, and falls back to Jinja's own where it renders otherwise.
markupsafe's compiled escaping is checked here against its public
``escape`` when this module is imported.
"""

from __future__ import annotations

import gettext
import marshal
from collections.abc import Callable, Mapping
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    StrictUndefined,
    nodes,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, Macro
from jinja2.utils import missing
from markupsafe import Markup, escape

SETTINGS: Mapping[str, Any] = {
    # One build never sees a template change: no stat() per template use.
    "auto_reload": False,
    "autoescape": select_autoescape(default=True, default_for_string=True),
    "undefined": StrictUndefined,
    "extensions": ["jinja2.ext.i18n", "hub.render.fragments.FragmentCache"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}
"""How the renderer sets up every environment, besides its loader and cache;
the start-up check sets up its two alike."""


def _escape_public(text: str) -> str:
    return escape(text)


def _compiled_escaping() -> tuple[Callable[[str], str], str | None]:
    """markupsafe's own escaping of a str, which its ``escape`` wraps in a Markup;
    with why not, where it is missing (the pure-Python build) or escapes otherwise."""
    try:
        from markupsafe._speedups import _escape_inner
    except ImportError:
        return _escape_public, None  # nothing wrong: markupsafe built without its C code
    samples = ("", "plain", "<a href='x'>Tom & \"Jerry\"</a>", "café ☃ 😀 <é>", "\x00<" * 40)
    try:
        same = all(type(_escape_inner(s)) is str and _escape_inner(s) == escape(s) for s in samples)
    except Exception as error:
        return _escape_public, f"markupsafe._speedups raised {type(error).__name__}: {error}"
    if not same:
        return _escape_public, "markupsafe._speedups escapes otherwise than markupsafe.escape"
    return _escape_inner, None


_escape_text, _escaping_problem = _compiled_escaping()


class Interrupted(Exception):
    """A render stopped because its environment was asked to (``stop_rendering``)."""


def _never() -> bool:
    return False


class FastContext(Context):
    """Jinja's context, calling a plain function or a macro without first asking what it wants.

    Every call in a template goes through :meth:`Context.call`, which looks
    for ``pass_context`` and its kin on the callable (five attribute lookups)
    before calling it: a microsecond or more, hundreds of times a page. A
    template's macro, or a plain function, method or builtin that is not so
    marked, is called straight away (without the loop's and block's
    variables, which only a context-taking callable is given); everything
    else, Jinja's way. A macro called with parameters it declares gets them
    lined up here as :meth:`Macro.__call__` would, and its function is
    called directly.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is Macro:
            # A render asked to stop stops here, as at a piece it would render
            # (hub.render.fragments): between macros, the page is all that is lost.
            if __self.environment.stop_rendering():  # type: ignore[attr-defined]
                raise Interrupted("stopped before a macro")
        elif kind is not BuiltinFunctionType:  # a builtin cannot be marked
            # A method's marks are its function's. Asked for one it lacks, a
            # bound method takes a microsecond (an exception nobody sees).
            function = __obj.__func__ if kind is MethodType else __obj
            if type(function) is not FunctionType or hasattr(function, "jinja_pass_arg"):
                return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        if kind is Macro:
            arguments = _bound(__obj, args, kwargs)
            if arguments is not None:
                html = __obj._func(*arguments)
                return Markup(html) if __self.eval_ctx.autoescape else html
            # As Jinja calls it: a macro takes the evaluation context first.
            args = (__self.eval_ctx, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def _bound(macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """The arguments of the macro's function, as :meth:`Macro.__call__` lines them
    up, for a macro called with parameters it declares; None for anything else
    (``caller``, ``varargs``, ``kwargs``, a wrong call), which Jinja handles."""
    count = macro._argument_count
    if (
        macro.caller
        or macro.catch_kwargs
        or macro.catch_varargs
        or macro.explicit_caller
        or len(args) > count
    ):
        return None
    if kwargs:
        rest = macro.arguments[len(args) :]
        if not kwargs.keys() <= set(rest):
            return None
        return (*args, *[kwargs.get(name, missing) for name in rest])
    return args if len(args) == count else (*args, *[missing] * (count - len(args)))


def escape_output(value: Any) -> str:
    """What ``{{ value }}`` writes into a page: ``markupsafe.escape(value)``'s text.

    Output is joined into the page (or into a macro's or block's text, which
    Jinja marks safe itself), so it needs the text, not a ``Markup`` around
    it: escaping a string makes no ``Markup``, and markup already safe (a
    cached fragment, a macro's result) goes in as it is, without a copy.
    """
    if type(value) is str:
        return _escape_text(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        text = html()
        return text if isinstance(text, str) else str(text)
    return _escape_text(str(value))


class OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator, but output is escaped by :func:`escape_output`.

    Only where autoescaping is on for the whole template; a template that
    switches it at run time (``{% autoescape %}`` with a variable) is
    compiled as Jinja compiles it.
    """

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class BuildEnvironment(Environment):
    """Jinja's environment, whose templates take its globals as they are when they load,
    and escape their output with :func:`escape_output`.

    Jinja chains a template's globals to the environment's (a ``ChainMap``),
    which every render copies key by key (tens of microseconds a page). The
    renderer sets every global before it loads a template.
    """

    context_class = FastContext
    code_generator_class = OutputCodeGenerator
    escape_output = staticmethod(escape_output)
    stop_rendering: Callable[[], bool] = staticmethod(_never)
    """Once true, a render raises :class:`Interrupted` at its next macro or new
    ``{% cache %}`` piece; a renderer sets it on its environments."""

    def make_globals(self, d: Mapping[str, Any] | None) -> dict[str, Any]:  # type: ignore[override]
        return {**self.globals, **(d or {})}


def message_function(catalog: gettext.NullTranslations) -> Callable[..., Markup]:
    """``_()`` for templates, as Jinja's new-style gettext does it, each message looked up once.

    A translation is trusted markup and is always a format string (``%%`` is
    a percent sign); the values put into it are escaped.
    """
    messages: dict[str, Markup] = {}
    plain: dict[str, Markup] = {}

    def message(text: str, **values: Any) -> Markup:
        if not values:
            found = plain.get(text)
            if found is None:
                found = plain[text] = Markup(catalog.gettext(text)) % {}
            return found
        translated = messages.get(text)
        if translated is None:
            translated = messages[text] = Markup(catalog.gettext(text))
        return translated % values

    return message


class CompiledCode(BytecodeCache):
    """Compiled templates, kept in memory for every environment of the same settings.

    Jinja compiles a template per environment: per language, in every
    process, about 20 ms a template. Its code does not depend on the
    environment's globals (the language's), so it is kept here by file and
    source: environments made later, or in processes forked later, load it.
    Only environments made with the same settings may share one.
    """

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._code.get(_key(bucket))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[_key(bucket)] = bucket.code

    def export(self) -> dict[tuple[str, str], bytes]:
        """What was compiled here, as bytes another process can :meth:`adopt`."""
        return {key: marshal.dumps(code) for key, code in self._code.items()}

    def adopt(self, exported: Mapping[tuple[str, str], bytes]) -> None:
        """Keep what another process of the same Python compiled (:meth:`export`)."""
        for key, data in exported.items():
            self._code.setdefault(key, marshal.loads(data))


def _key(bucket: Bucket) -> tuple[str, str]:
    # Code compiled for this module's environment calls its escape_output,
    # which Jinja's own lacks: each kind keeps its own.
    kind = type(bucket.environment).__name__
    return f"{kind}:{bucket.key}", bucket.checksum


def install_translations(env: Environment, catalog: gettext.NullTranslations) -> None:
    """New-style gettext from ``catalog``; ``_()`` is :func:`message_function`'s in
    a :class:`BuildEnvironment`."""
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    if isinstance(env, BuildEnvironment):
        env.globals["_"] = message_function(catalog)
