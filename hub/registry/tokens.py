"""The keys that name API tokens and how often an account's API is read.

An account's ``token:`` and the keys of ``site.api`` hold the NAME of an
environment variable (a CI secret), never a token: :class:`EnvName` accepts
a name, and refuses anything that looks like a token with a message that
shows no more of it than its first three characters and its length.
``site.fetch.api_interval`` is :class:`Minutes`: one number, or one per
platform of :data:`API_PLATFORMS`, the platforms read through an API.
:data:`SHARED_KEYS` are the keys of ``site.api``: X's app-only bearer token,
and the YouTube Data API key that finds the channel of an @handle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hub.registry.spec import INVALID, Checker, Fields, Spec, describe
from hub.registry.values import Number
from hub.registry.yamlnodes import Node

API_PLATFORMS = ("facebook", "instagram", "threads", "x", "tiktok")
"""The platforms whose accounts may be read through the platform's API with a token."""

SHARED_KEYS = {
    "x_bearer_token": "X accounts without token: or feed: are directory-only until it is",
    "youtube_key": "YouTube accounts listed by @handle without feed: are directory-only "
    "until it is",
}
"""The keys of ``site.api``, and which accounts stay in the directory while the
variable a key names is not set."""

ENV_NAME_PATTERN = r"[A-Z][A-Z0-9_]{2,63}"
_ENV_NAME = re.compile(ENV_NAME_PATTERN)
_SECRET_MARKS = re.compile(
    r"[|.\-/+=%~:\s]|^(EAA|IGQ|IGA|THQ|AAAA|AIza|act\.|Bearer)", re.IGNORECASE
)


def looks_like_secret(value: str) -> bool:
    """Whether ``value`` looks like a token rather than a variable's name."""
    mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
    digits = sum(c.isdigit() for c in value)
    return len(value) > 64 or bool(_SECRET_MARKS.search(value)) or (mixed and digits > 0)


def _kind_of(value: Any) -> str:
    """What kind of value this is, without the value: it may be a secret."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "a mapping"


def glimpse(value: str) -> str:
    """What a message may show of a secret: its first 3 characters and its length."""
    return f'starting "{value[:3]}", {len(value)} characters'


@dataclass
class EnvName(Spec):
    """The NAME of the environment variable that holds a secret, never the secret.

    A message never repeats what was written: it may be the secret itself.
    """

    description: str = ""
    example: str = "HUB_TOKEN_FB_MAIN"

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = node.value
        if isinstance(value, str) and _ENV_NAME.fullmatch(value):
            return value
        if isinstance(value, str) and looks_like_secret(value.strip()):
            message = (
                f"this looks like a token itself ({glimpse(value.strip())}): write the NAME "
                f"of an environment variable that holds it, e.g. {self.example}, and keep "
                "the token in that variable (a CI secret); revoke this token, which is "
                "now in the file's history"
            )
        else:
            message = (
                "expected the NAME of an environment variable: capital letters, digits and "
                f"_, 3 to 64 of them, starting with a letter, e.g. {self.example}"
                + ("" if isinstance(value, str) else f", got {_kind_of(value)}")
            )
        out.report(node.mark, path, message)
        return INVALID

    def schema(self) -> dict[str, Any]:
        return self.documented({"type": "string", "pattern": f"^(?:{ENV_NAME_PATTERN})$"})


@dataclass
class Minutes(Spec):
    """Minutes: one number for every API platform, or a number per platform."""

    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        number = Number(0, 10_080)
        if not node.is_map:
            if isinstance(node.value, int | float) and not isinstance(node.value, bool):
                value = number.check(node, path, out)
                return value if value is INVALID else {"*": float(value)}
            out.report(
                node.mark,
                path,
                f"expected minutes, or minutes per platform such as {{x: 60, facebook: 15}}, "
                f"got {describe(node.value)}",
            )
            return INVALID
        result = Fields()
        result.node = node
        ok = True
        for key, child in node.value.items():
            where = f"{path}.{key}"
            if key not in API_PLATFORMS:
                out.report(
                    node.key_mark(key),
                    where,
                    f"not a platform read through an API: expected one of "
                    f"{', '.join(API_PLATFORMS)}",
                )
                ok = False
                continue
            value = number.check(child, where, out)
            if value is INVALID:
                ok = False
            else:
                result[key] = float(value)
        return dict(result) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        minutes = {"type": "number", "minimum": 0, "maximum": 10_080}
        per_platform = {
            "type": "object",
            "additionalProperties": False,
            "properties": dict.fromkeys(API_PLATFORMS, minutes),
        }
        return self.documented({"anyOf": [minutes, per_platform]})
