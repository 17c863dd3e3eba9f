"""Tokens stay secret: what is printed, stored or reported passes through here first.

The registry names the environment variables that hold the API tokens
(``token:``, ``site.api``); :func:`remember_registry` reads their values once
and keeps them for the life of the process, and :func:`redact` replaces each
of them with ``[hidden]`` wherever it appears in a string: as written,
percent-encoded as in a URL, and escaped as in JSON. Whatever the token,
``access_token=...`` (and ``refresh_token=``, ``client_secret=``) query values
and ``Bearer ...`` credentials are hidden too, since an API may echo another
token than ours. Feed errors (stored, printed and reported), the run report
and the step summary are redacted this way, and so is an API answer before
it is parsed.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from hub.model import Registry

HIDDEN = "[hidden]"
"""What a secret becomes."""

MIN_SECRET = 8
"""Values shorter than this are no tokens; hiding them would garble ordinary words."""

# A backslash may stand before the underscore: Markdown escapes it.
_PARAMETER = re.compile(
    r"((?:access|refresh|input)\\?_token=|client\\?_secret=)[^\s&\"'<>#;,()]+", re.IGNORECASE
)
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/%=-]{16,}", re.IGNORECASE)

_RUN = re.compile(r"[A-Za-z0-9_~+/=%.*!|-]{20,}")
"""A run of characters a token is made of, long enough to be one."""
LONG_RUN = 32
"""A run this long is hidden whatever it holds; a shorter one only with letters and digits
both (a word or a host name has no digits)."""

_known: set[str] = set()
_forms: list[str] = []
_lock = threading.Lock()


def token_names(registry: Registry) -> set[str]:
    """The names of every token variable ``registry`` uses."""
    names = {feed.token for feed in registry.feeds() if feed.token}
    names.update(registry.site.api.values())
    return names


def remember_registry(registry: Registry, environ: Mapping[str, str] | None = None) -> None:
    """Remember the values of the token variables ``registry`` names, to hide them."""
    environ = os.environ if environ is None else environ
    remember(environ.get(name, "") for name in token_names(registry))


def value_of(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The token in the variable ``name`` (remembered, to hide it), or None when unset."""
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        return None
    remember([value])
    return value


def remember(values: Iterable[str]) -> None:
    """Hide these values from now on."""
    with _lock:
        for value in values:
            value = value.strip()
            if len(value) < MIN_SECRET or value in _known:
                continue
            _known.add(value)
            escaped = json.dumps(value)[1:-1]
            for form in {value, quote(value, safe=""), quote_plus(value), escaped}:
                if form not in _forms:
                    _forms.append(form)
            # The longest first, so that no shorter form leaves a piece of a longer one.
            _forms.sort(key=len, reverse=True)


def redact(text: str) -> str:
    """``text`` with every secret hidden."""
    if not text:
        return text
    for form in _forms:
        if form in text:
            text = text.replace(form, HIDDEN)
    text = _PARAMETER.sub(lambda m: m.group(1) + HIDDEN, text)
    return _BEARER.sub(lambda m: m.group(1) + HIDDEN, text)


def said(value: object, limit: int) -> str:
    """What an API said (a value of its answer, most often its error message) as one
    printable line of at most ``limit`` characters: the secrets this process knows
    hidden, and every run that may be one (:data:`LONG_RUN`). Hidden before it is
    cut, so that no cut leaves a part of a token to show."""
    if not isinstance(value, str):
        return ""
    text = _RUN.sub(_hide_run, redact(value))
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _hide_run(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) >= LONG_RUN or (any(c.isdigit() for c in run) and any(c.isalpha() for c in run)):
        return HIDDEN
    return run


def redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text)


def redact_bytes(data: bytes) -> bytes:
    """UTF-8 bytes with every secret hidden; other bytes are left as they are."""
    for form in _forms:
        encoded = form.encode("utf-8")
        if encoded in data:
            data = data.replace(encoded, HIDDEN.encode())
    if b"=" in data:
        data = _PARAMETER_BYTES.sub(lambda m: m.group(1) + HIDDEN.encode(), data)
    return _BEARER_BYTES.sub(lambda m: m.group(1) + HIDDEN.encode(), data)


_PARAMETER_BYTES = re.compile(_PARAMETER.pattern.encode(), re.IGNORECASE)
_BEARER_BYTES = re.compile(_BEARER.pattern.encode(), re.IGNORECASE)


def redact_json(value: Any) -> Any:
    """A JSON value (dicts, lists, strings...) with every string redacted, keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {redact(str(key)): redact_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_json(item) for item in value]
    return value
