"""A new service's answers, checked by the registry's own rules and traced back to each answer."""

from __future__ import annotations

from pathlib import Path

import yaml

from hub.registry import load as registry
from hub.scaffold.service import (
    LANGUAGES,
    Service,
    Wrong,
    answer_keys,
    languages_of,
    problem_with,
    problems,
    registry_text,
)

ANSWERS = {
    "languages": "en,fr",
    "name-en": "Northfield Police Service",
    "name-fr": "Service de police de Northfield",
    "url": "https://connect.northfield.example",
    "emergency": "911",
    "non-emergency": "555-123-4567",
    "timezone": "America/Toronto",
}


def test_the_languages_are_those_with_pages() -> None:
    assert LANGUAGES == ("en", "fr")
    assert languages_of(" en, FR ") == ("en", "fr")
    assert languages_of("en fr") == ("en", "fr")
    assert answer_keys(("fr", "en")) == (
        "languages",
        "name-fr",
        "name-en",
        "url",
        "emergency",
        "non-emergency",
        "timezone",
    )


def test_good_answers_make_a_registry_hub_check_accepts(tmp_path: Path) -> None:
    assert problems(ANSWERS, tmp_path) == []
    text = registry_text(Service.of(ANSWERS))
    assert text.startswith("# yaml-language-server: $schema=sources.schema.json\n")
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    checked = registry.load(path)
    assert checked.warnings == ()
    site = checked.registry.site
    assert site.languages == ("en", "fr")
    assert site.name.get("fr", "en") == "Service de police de Northfield"
    assert (site.url, site.timezone) == ("https://connect.northfield.example", "America/Toronto")
    assert (site.contact.emergency, site.contact.non_emergency) == ("911", "555-123-4567")
    (unit,) = checked.registry.units
    assert unit.official and unit.kind == "office"


def test_any_name_is_written_as_text(tmp_path: Path) -> None:
    """Quotes, colons, a hash and accents are the name's, never YAML's."""
    name = 'Police "Nord": #1, l\'Île & co. \\ {x}'
    answers = {**ANSWERS, "name-fr": name}
    assert problems(answers, tmp_path) == []
    data = yaml.safe_load(registry_text(Service.of(answers)))
    assert data["site"]["name"]["fr"] == name
    assert data["units"][0]["name"]["fr"] == name


def test_each_problem_names_the_answer_it_came_from(tmp_path: Path) -> None:
    (url,) = problems({**ANSWERS, "url": "javascript:alert(1)"}, tmp_path)
    assert url.answer == "url" and "http:// or https://" in url.message
    (zone,) = problems({**ANSWERS, "timezone": "Lakeview/Nowhere"}, tmp_path)
    assert zone.answer == "timezone" and "unknown time zone" in zone.message
    (name,) = problems({**ANSWERS, "name-fr": "x" * 201}, tmp_path)
    assert name.answer == "name-fr"


def test_missing_answers_are_named(tmp_path: Path) -> None:
    found = problems({"languages": "en", "url": "https://x.example"}, tmp_path)
    assert found == [
        Wrong("name-en", "an answer is needed"),
        Wrong("emergency", "an answer is needed"),
        Wrong("non-emergency", "an answer is needed"),
        Wrong("timezone", "an answer is needed"),
    ]


def test_languages_without_pages_are_refused(tmp_path: Path) -> None:
    (found,) = problems({**ANSWERS, "languages": "en,es"}, tmp_path)
    assert found.answer == "languages"
    assert "writes pages in en, fr, not in es" in found.message
    assert problems({**ANSWERS, "languages": "en,en"}, tmp_path)[0].message == (
        "a language is listed twice"
    )
    assert problems({**ANSWERS, "languages": " "}, tmp_path)[0].answer == "languages"


def test_one_answer_is_checked_before_the_others_are_given(tmp_path: Path) -> None:
    assert problem_with("url", {"languages": "fr", "url": "https://ok.example"}, tmp_path) is None
    bad = problem_with("url", {"languages": "fr", "url": "ftp://x"}, tmp_path)
    assert bad is not None and bad.answer == "url"
    bad = problem_with("emergency", {"languages": "en", "emergency": "call us"}, tmp_path)
    assert bad is not None and bad.answer == "emergency"
    assert problem_with("name-fr", {"languages": "fr", "name-fr": "SPN"}, tmp_path) is None
    assert problem_with("languages", {"languages": "de"}, tmp_path) is not None
