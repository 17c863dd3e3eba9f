"""A unit's or officer's address word in each language (``slug:``), and the rule
that no two pages of one kind share an address in any language.

A page's address is its id (``/en/units/traffic/``) unless ``slug`` gives a
word for a language (``slug: {fr: circulation}`` -> ``/fr/unites/circulation/``),
so French addresses read in French. :mod:`hub.site.urls` writes every link
with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hub.problems import did_you_mean
from hub.registry.spec import ID_PATTERN, INVALID, LANG_PATTERN, Checker, Fields, Spec, describe
from hub.registry.values import Str
from hub.registry.yamlnodes import Node

WORD = Str(ID_PATTERN, "lowercase letters, digits and single hyphens, e.g. circulation", 80)

Report = Callable[[Fields, str | None, str, str], None]
"""Reports an error: the fields, the key at fault, the path, the message."""


@dataclass
class Slugs(Spec):
    """A mapping from language code to the address word of a page in that language."""

    description: str = ""

    def check(self, node: Node, path: str, out: Checker) -> Any:
        if not node.is_map or not node.value:
            out.report(
                node.mark,
                path,
                "expected a mapping from language to an address word, such as "
                f"{{fr: circulation}}, got {describe(node.value)}",
            )
            return INVALID
        result = Fields()
        result.node = node
        for lang, child in node.value.items():
            where = f"{path}.{lang}"
            if out.languages and lang not in out.languages:
                out.report(
                    node.key_mark(lang),
                    where,
                    f'"{lang}" is not one of the site\'s languages ({", ".join(out.languages)})'
                    f"{did_you_mean(lang, out.languages)}",
                )
                continue
            value = WORD.check(child, where, out)
            if value is not INVALID:
                result[lang] = value
        return result

    def schema(self) -> dict[str, Any]:
        return self.documented(
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": f"^(?:{LANG_PATTERN})$"},
                "additionalProperties": WORD.schema(),
            }
        )


SLUG = Slugs(
    "The page's address word per language, where it is not the id, e.g. {fr: circulation}."
    " Changing it changes the page's address: links to the old one stop working."
)


def slugs_of(fields: Fields) -> dict[str, str]:
    found = fields.get("slug")
    return dict(found) if isinstance(found, Fields) else {}


def unique_addresses(
    kind: str, profiles: Iterable[tuple[int, Fields, str]], languages: Iterable[str], error: Report
) -> None:
    """No two of ``profiles`` (index, fields, id) share an address in any language.

    An id is the address wherever its profile gives no slug; a slug that takes
    another's address is the error, reported where it is written.
    """
    listed = list(profiles)
    for lang in languages:
        taken: dict[str, tuple[int, str]] = {}
        for i, fields, pid in listed:
            if slugs_of(fields).get(lang, pid) == pid:
                taken.setdefault(pid, (i, pid))
        for i, fields, pid in listed:
            slug = slugs_of(fields).get(lang)
            if slug is None or slug == pid:
                continue
            owner = taken.get(slug)
            if owner is not None and owner[0] != i:
                j, other = owner
                error(
                    fields["slug"],
                    lang,
                    f"{kind}[{i}].slug.{lang}",
                    f'the address "{slug}" in {lang} is already used by {kind}[{j}] ({other}):'
                    " choose another word",
                )
                continue
            taken[slug] = (i, pid)
