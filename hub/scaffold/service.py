"""A new service's answers to ``hub init``, and the registry they make.

The answers are kept as people type them (``"en,fr"``, ``"911"``), by the
name of the option that gives each (``languages``, ``name-fr``,
``non-emergency``...). They are checked by the registry's own rules: the
``sources.yaml`` they make is loaded as ``hub check`` would load it, and
each problem is traced back to the answer it came from, so ``hub init``
can never write a registry that ``hub check`` refuses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template

from hub.problems import Problem, RegistryError
from hub.registry.load import loads

TEMPLATES = Path(__file__).with_name("templates")
PAGES = TEMPLATES / "content" / "pages"
LANGUAGES = tuple(sorted({page.name.split(".")[-3] for page in PAGES.glob("*.md.tmpl")}))
"""The languages ``hub init`` has pages for (``about.fr.md.tmpl``...)."""

DEFAULTS = {"languages": "en", "timezone": "UTC"}
"""Answers that have a default; the others must be given."""
PLACEHOLDERS = {
    "languages": "en",
    "url": "https://police.example",
    "emergency": "911",
    "non-emergency": "911",
    "timezone": "UTC",
}
"""Stand-ins for answers not given yet, so that one answer can be checked alone."""


def name_key(lang: str) -> str:
    return f"name-{lang}"


def answer_keys(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The answers a service with ``languages`` gives, in the order they are asked."""
    return ("languages", *map(name_key, languages), "url", "emergency", "non-emergency", "timezone")


def languages_of(text: str) -> tuple[str, ...]:
    """``"en, FR"`` or ``"en fr"`` as ``("en", "fr")``."""
    return tuple(word.lower() for word in re.split(r"[\s,]+", text.strip()) if word)


@dataclass(frozen=True)
class Service:
    """What ``hub init`` writes a site for."""

    languages: tuple[str, ...]
    names: Mapping[str, str]
    """The service's name, by language."""
    url: str
    emergency: str
    non_emergency: str
    timezone: str

    @classmethod
    def of(cls, answers: Mapping[str, str]) -> Service:
        languages = languages_of(answers.get("languages", ""))
        return cls(
            languages=languages,
            names={lang: answers.get(name_key(lang), "").strip() for lang in languages},
            url=answers.get("url", "").strip(),
            emergency=answers.get("emergency", "").strip(),
            non_emergency=answers.get("non-emergency", "").strip(),
            timezone=answers.get("timezone", "").strip(),
        )


@dataclass(frozen=True)
class Wrong:
    """An answer the registry refuses: which, and why."""

    answer: str
    message: str


def language_problems(text: str) -> list[Wrong]:
    languages = languages_of(text)
    if not languages:
        return [Wrong("languages", "give at least one language, such as en or en,fr")]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        return [
            Wrong(
                "languages",
                f"hub init writes pages in {', '.join(LANGUAGES)}, not in {', '.join(unknown)}: "
                "start with those, then add a language by hand (docs/sources.md)",
            )
        ]
    if len(set(languages)) != len(languages):
        return [Wrong("languages", "a language is listed twice")]
    return []


def problems(answers: Mapping[str, str], folder: Path) -> list[Wrong]:
    """What is wrong with ``answers`` (every one given), as the registry's rules see it."""
    wrong = language_problems(answers.get("languages", ""))
    if wrong:
        return wrong
    service = Service.of(answers)
    for key in answer_keys(service.languages):
        if not answers.get(key, "").strip():
            wrong.append(Wrong(key, "an answer is needed"))
    if wrong:
        return wrong
    try:
        checked = loads(registry_text(service).encode(), folder / "sources.yaml")
    except RegistryError as exc:
        return _traced(exc.problems, service)
    return _traced(checked.warnings, service)


def problem_with(key: str, answers: Mapping[str, str], folder: Path) -> Wrong | None:
    """What is wrong with the answer ``key``, the answers not given yet aside."""
    if key == "languages":
        found = language_problems(answers.get(key, ""))
        return found[0] if found else None
    given = {k: v for k, v in answers.items() if v.strip()}
    filled = {**PLACEHOLDERS, **given}
    for lang in languages_of(filled["languages"]):
        filled.setdefault(name_key(lang), "Police")
    return next((w for w in problems(filled, folder) if w.answer == key), None)


def _traced(found: tuple[Problem, ...] | list[Problem], service: Service) -> list[Wrong]:
    wrong = (Wrong(_answer_for(problem.path, service), problem.message) for problem in found)
    return list(dict.fromkeys(wrong))  # once each: the unit's name repeats the site's


def _answer_for(path: str, service: Service) -> str:
    """The answer a registry path comes from: ``site.name.fr`` from ``name-fr``."""
    for prefix in ("site.name", "units[0].name"):
        if path == prefix:
            return name_key(service.languages[0])
        if path.startswith(prefix + "."):
            return name_key(path.removeprefix(prefix + "."))
    fields = {
        "site.url": "url",
        "site.languages": "languages",
        "site.contact.emergency": "emergency",
        "site.contact.non_emergency": "non-emergency",
        "site.timezone": "timezone",
    }
    for prefix, key in fields.items():
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return key
    return path


def registry_text(service: Service) -> str:
    """The ``sources.yaml`` for ``service``, comments and all."""
    template = Template((TEMPLATES / "sources.yaml.tmpl").read_text(encoding="utf-8"))
    return template.substitute(
        site_names=_names(service, "    "),
        unit_names=_names(service, "      "),
        url=_quoted(service.url),
        languages=f"[{', '.join(service.languages)}]",
        timezone=_quoted(service.timezone),
        emergency=_quoted(service.emergency),
        non_emergency=_quoted(service.non_emergency),
    )


def _names(service: Service, indent: str) -> str:
    lines = (f"{indent}{lang}: {_quoted(service.names[lang])}" for lang in service.languages)
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string (JSON's are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)
