"""The kinds of single values sources.yaml holds: text, URLs, choices, numbers, dates.

Each checks one YAML node, reports what is wrong with it and what to write
instead, and describes itself in the JSON Schema (:mod:`hub.registry.spec`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from hub.problems import did_you_mean, one_of
from hub.registry.spec import (
    COMMA_HINT,
    INVALID,
    LANG_PATTERN,
    Checker,
    Fields,
    Spec,
    describe,
    quote_hint,
)
from hub.registry.yamlnodes import Node


@dataclass
class Str(Spec):
    pattern: str | None = None
    hint: str = ""
    max_length: int = 10_000
    description: str = ""
    regex: re.Pattern[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.pattern:
            self.regex = re.compile(self.pattern)

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = node.value
        if not isinstance(value, str):
            out.report(node.mark, path, f"expected text, got {describe(value)}{quote_hint(value)}")
            return INVALID
        if not value.strip():
            out.report(node.mark, path, "must not be empty")
            return INVALID
        if len(value) > self.max_length:
            out.report(
                node.mark, path, f"too long: {len(value)} characters, at most {self.max_length}"
            )
            return INVALID
        if self.regex is not None and not self.regex.fullmatch(value):
            out.report(node.mark, path, f'"{value}" is not valid: expected {self.hint}')
            return INVALID
        return value.strip()

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "string",
            "minLength": 1,
            "maxLength": self.max_length,
            "pattern": r"\S",
        }
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        return self.documented(schema)


@dataclass
class Url(Spec):
    """An absolute http(s) URL: other schemes (javascript:, file:) never reach a page."""

    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = Str().check(node, path, out)
        if value is INVALID:
            return INVALID
        if not is_web_url(value):
            out.report(node.mark, path, f'expected an http:// or https:// URL, got "{value}"')
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return self.documented(
            {
                "type": "string",
                "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+"
                r"([/?#]\S*)?$",
            }
        )


SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
"""A part of the path ``site.url`` may have (``.`` and ``..`` alone are not parts)."""


@dataclass
class SiteUrl(Url):
    """Where the site is served: a scheme, a host and at most a path (GitHub project
    pages: ``https://org.github.io/hub/``), which every link of the site starts with."""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = super().check(node, path, out)
        if value is INVALID:
            return INVALID
        why = site_url_problem(value)
        if why is not None:
            out.report(node.mark, path, why)
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        segment = r"[A-Za-z0-9._~-]+"
        return self.documented(
            {"type": "string", "pattern": rf"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@]+(/{segment})*/?$"}
        )


def site_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the site's address, with what to write; None if it can."""
    parts = urlsplit(value)
    words = parts.path.split("/")[1:]
    if words and not words[-1]:
        words.pop()  # the final slash
    host = parts.netloc.rpartition("@")[2]
    alone = f"{parts.scheme}://{host}/" + "".join(f"{w}/" for w in words if w)
    if "?" in value:
        return f'"{value}" has a query (?...): write the address alone, "{alone}"'
    if "#" in value:
        return f'"{value}" has a fragment (#...): write the address alone, "{alone}"'
    if "@" in parts.netloc:
        return f'"{value}" has a user name in it: write the address alone, "{alone}"'
    for word in words:
        if word in ("", ".", "..") or not SEGMENT.fullmatch(word):
            what = f'the part "{word}"' if word else "an empty part (//)"
            return (
                f'the path of "{value}" has {what}: each part of the path the site is '
                "served under is letters, digits, '-', '.', '_' or '~', as in "
                "https://ORG.github.io/REPOSITORY/"
            )
    return None


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and not any(c.isspace() for c in value)
    )


@dataclass
class Enum(Spec):
    choices: tuple[str, ...]
    description: str = ""
    shown: tuple[str, ...] = ()
    """The choices named in messages, when not all of them (aliases, say)."""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = node.value
        if isinstance(value, str) and value in self.choices:
            return value
        shown = describe(value)
        near = did_you_mean(value, self.choices) if isinstance(value, str) else ""
        expected = one_of(self.shown or self.choices)
        out.report(node.mark, path, f"expected {expected}, got {shown}{near}")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return self.documented({"enum": list(self.choices)})


@dataclass
class Bool(Spec):
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        if isinstance(node.value, bool):
            return node.value
        out.report(node.mark, path, f"expected true or false, got {describe(node.value)}")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return self.documented({"type": "boolean"})


@dataclass
class Number(Spec):
    minimum: float
    maximum: float
    integer: bool = False
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = node.value
        kinds = int if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            kind = "a whole number" if self.integer else "a number"
            out.report(node.mark, path, f"expected {kind}, got {describe(value)}")
            return INVALID
        if not self.minimum <= value <= self.maximum:
            out.report(
                node.mark,
                path,
                f"expected a value from {self.minimum:g} to {self.maximum:g}, got {value}",
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        kind = "integer" if self.integer else "number"
        return self.documented({"type": kind, "minimum": self.minimum, "maximum": self.maximum})


@dataclass
class Day(Spec):
    """A calendar date, YYYY-MM-DD; null means none."""

    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        value = node.value
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        out.report(node.mark, path, f"expected a date such as 2011-07-27, got {describe(value)}")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return self.documented(
            {"anyOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, {"type": "null"}]}
        )


@dataclass
class Text(Spec):
    """Public text: a string, or a mapping from language code to string."""

    max_length: int = 10_000
    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        text = Str(max_length=self.max_length)
        if not node.is_map:
            if isinstance(node.value, str):
                return text.check(node, path, out)
            out.report(
                node.mark,
                path,
                f"expected text, or a mapping from language to text "
                f"such as {{en: ..., fr: ...}}, got {describe(node.value)}"
                f"{quote_hint(node.value)}",
            )
            return INVALID
        if not node.value:
            out.report(node.mark, path, "expected at least one language, e.g. {en: ..., fr: ...}")
            return INVALID
        result = Fields()
        result.node = node
        ok = True
        for lang, child in node.value.items():
            where = f"{path}.{lang}"
            if out.languages and lang not in out.languages:
                out.report(
                    node.key_mark(lang),
                    where,
                    (
                        f'"{lang}" is not one of the site\'s languages ({", ".join(out.languages)})'
                        f"{did_you_mean(lang, out.languages)}"
                        + (COMMA_HINT if child.value is None else "")
                    ),
                )
                ok = False
                continue
            value = text.check(child, where, out)
            if value is INVALID:
                ok = False
            else:
                result[lang] = value
        return result if ok else INVALID

    def schema(self) -> dict[str, Any]:
        string = {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": r"\S"}
        return self.documented(
            {
                "anyOf": [
                    string,
                    {
                        "type": "object",
                        "minProperties": 1,
                        "propertyNames": {"pattern": f"^(?:{LANG_PATTERN})$"},
                        "additionalProperties": string,
                    },
                ]
            }
        )
